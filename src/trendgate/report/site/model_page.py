"""One page per model: its whole history, each night's verdict, the evidence of today's."""

from __future__ import annotations

from typing import Any

from trendgate.escape import html_text, json_island, plain_text
from trendgate.model import Run, Trend, Verdict
from trendgate.report.evidence import evidence
from trendgate.report.next_steps import stale_hint
from trendgate.report.rule_lines import applied_rules
from trendgate.report.site.gather import ModelHistory
from trendgate.report.site.shell import page
from trendgate.report.site.svg import MARK, describe, history_chart, step_split, window_view
from trendgate.report.site.words import LABEL, MARKS, SYMBOL, level, slope
from trendgate.report.source import workflow_run
from trendgate.words import utc

MAX_TASKS = 20  # declining tasks listed; the JSON report has them all
UP = "../"  # from a model page (in the folder PAGES) back to the site's root


def model_page(history: ModelHistory, config: str | None) -> str:
    """The page of one model; every name from a result file is escaped where it is written."""
    trend = history.trend
    name = html_text(history.model)
    drawn = history_chart(history, html_text(describe(history), 1000))
    # A night links to its workflow run's page, not to the attempt the JSON report names: the
    # script joins a prefix shared by the runs of one repository with the run's id, which keeps
    # a year's pages within the site's 2 MB budget (docs/site.md).
    prefixes: dict[str, int] = {}  # each prefix's place in the island, in order of first use
    runs: list[list[Any]] = []
    for night in history.nights:
        run = night.run
        prefix: int | None = None
        run_id = None
        workflow = workflow_run(run)
        if workflow is not None:
            prefix = prefixes.setdefault(workflow.runs, len(prefixes))
            run_id = workflow.run_id
        runs.append(
            [
                plain_text(run.run_id),
                run.timestamp,
                round(run.score_pct, 2),
                plain_text(run.path),
                MARK[night.verdict],
                prefix,
                run_id,
            ]
        )
    island = json_island(
        {"runs": runs, "prefixes": list(prefixes), "labels": MARKS, "scale": drawn.scale}
    )
    status = trend.verdict
    failed = sum(n.verdict == "regression" for n in history.nights)
    body = [
        f'<nav><a href="{UP}index.html">All models</a></nav>',
        f"<header><h1>{name}</h1>",
        f'<p class="v {status}">Today: {SYMBOL[status]} {LABEL[status]} · slope '
        f"{slope(trend)} points/{trend.x_unit} over {len(trend.runs)} runs · {level(trend)}</p>",
        f'<p class="meta">{len(history.nights)} runs; the gate failed on {failed} nights.</p>',
        "</header><main>",
        "<figure>",
        drawn.svg,
        '<p id="tip" class="tip" aria-live="polite" hidden></p>',
        "<figcaption>" + _key(trend) + "</figcaption></figure>",
        *_events(history),
        *_window(history),
        *_evidence(history, config),
        *_tasks(history),
        *_table(history),
        "</main>",
    ]
    return page(f"{name}: trendgate", "\n".join(body), island)


def _key(trend: Trend) -> str:
    shapes = {
        "r": '<path class="r" d="M6 2h10l-5 8z"/>',
        "i": '<circle class="i" cx="11" cy="6" r="3.5"/>',
        "p": '<circle class="p" cx="11" cy="6" r="2.5"/>',
        "n": '<circle class="n" cx="11" cy="6" r="2.5"/>',
    }
    items = [
        f'<li><svg viewBox="0 0 22 12" aria-hidden="true">{shape}</svg>{MARKS[mark]}</li>'
        for mark, shape in shapes.items()
    ]
    items += [
        '<li><svg viewBox="0 0 22 12" aria-hidden="true"><line class="fit" x1="0" x2="22" '
        'y1="6" y2="6"/></svg>the window\'s least-squares line</li>',
        '<li><svg viewBox="0 0 22 12" aria-hidden="true"><line class="limit" x1="0" x2="22" '
        'y1="6" y2="6"/></svg>the threshold\'s slope</li>',
    ]
    at = step_split(trend)
    if at is not None:
        k = len(trend.runs) - at
        what = (
            f"the step test's levels: the mean of the window's first {at} runs and of its "
            f"latest {k}"
            if trend.decided_by and trend.decided_by.startswith("step-")
            else "the levels before and after the step"
        )
        items.append(
            '<li><svg viewBox="0 0 22 12" aria-hidden="true"><line class="level" x1="0" '
            f'x2="22" y1="6" y2="6"/></svg>{what}</li>'
        )
    hint = (
        '<p class="note">Hover over the chart, or focus it and use the arrow keys, to read '
        "each run; the table below lists them all.</p>"
    )
    return '<ul class="key">' + "".join(items) + "</ul>" + hint


def _window(history: ModelHistory) -> list[str]:
    """Today's window drawn alone, where a year's chart squeezes its lines into a few pixels."""
    view = window_view(history)
    if view is None:
        return []
    label = html_text(f"Today's window: {describe(view)}", 1000)
    return [
        f"<h2>Today's window ({len(view.nights)} runs)</h2>",
        history_chart(view, label, "wchart").svg,
    ]


def _events(history: ModelHistory) -> list[str]:
    if not history.events:
        return []
    nights = history.nights
    items = [
        f"<li>{utc(nights[min(e.before + 1, len(nights) - 1)].run.timestamp)}: "
        f"{html_text(e.text, 1000)}</li>"
        for e in history.events
    ]
    return ["<h2>Events</h2>", "<ul>", *items, "</ul>"]


def _evidence(history: ModelHistory, config: str | None) -> list[str]:
    trend = history.trend
    items = evidence(trend, lambda text: html_text(text, 1000))
    items += [html_text(line, 1000) for line in applied_rules(trend)]
    if history.stale is not None:
        items.append(html_text(stale_hint(history.stale, config), 1000))
    if not items:
        return []
    return ["<h2>Today's evidence</h2>", "<ul>", *(f"<li>{i}</li>" for i in items), "</ul>"]


def _tasks(history: ModelHistory) -> list[str]:
    trend = history.trend
    declining = [t for t in trend.tasks if t.slope < 0][:MAX_TASKS]
    lines = []
    if declining:
        lines += [
            "<h2>Declining tasks over the window</h2>",
            '<table><thead><tr><th scope="col">Task</th><th scope="col" class="num">Slope</th>'
            '<th scope="col" class="num">SE</th><th scope="col" class="num">p (decline)</th>'
            '<th scope="col">Stands out (Holm 5%)</th></tr></thead><tbody>',
        ]
        for t in declining:
            se = "–" if t.stderr is None else f"{t.stderr:.2f}"
            p = "–" if t.p_value is None else f"{t.p_value:.4f}"
            lines.append(
                f'<tr><th scope="row">{html_text(t.task_id)}</th><td class="num">'
                f'{t.slope:+.2f}</td><td class="num">{se}</td><td class="num">{p}</td>'
                f"<td>{'yes' if t.stands_out else 'no'}</td></tr>"
            )
        lines.append("</tbody></table>")
    categories = [c for c in trend.categories if c.slope < 0]
    if categories:
        lines += [
            "<h2>Declining categories</h2>",
            '<table><thead><tr><th scope="col">Category</th><th scope="col" class="num">Slope'
            "</th></tr></thead><tbody>",
            *(
                f'<tr><th scope="row">{html_text(c.category)}</th>'
                f'<td class="num">{c.slope:+.2f}</td></tr>'
                for c in categories
            ),
            "</tbody></table>",
        ]
    return lines


def _table(history: ModelHistory) -> list[str]:
    rows = [_run_row(n.run, n.verdict) for n in reversed(history.nights)]
    return [
        f"<details><summary>Every run ({len(rows)}, newest first)</summary>",
        '<table class="runlist"><thead><tr><th scope="col">Run</th><th scope="col">Time (UTC)</th>'
        '<th scope="col" class="num">Score</th><th scope="col">That night</th>'
        '<th scope="col">File</th></tr></thead><tbody>',
        *rows,
        "</tbody></table></details>",
    ]


def _run_row(run: Run, status: Verdict) -> str:
    # End tags a table cell and row may omit are left out: a year of rows is 20 KB less.
    return (
        f"<tr><td>{html_text(run.run_id)}<td>{utc(run.timestamp, '%Y-%m-%d %H:%M')}"
        f"<td>{run.score_pct:.1f}<td>{MARKS[MARK[status]]}<td>{html_text(run.path)}"
    )
