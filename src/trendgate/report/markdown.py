"""The Markdown job summary: verdict first, one table row per model, details folded below."""

from __future__ import annotations

from trendgate.escape import Escaped, md_link, md_text, yaml_quoted
from trendgate.model import Analysis, Run, Trend
from trendgate.report import Ending
from trendgate.report.budget_line import budget_line
from trendgate.report.chart import chart, sparkline
from trendgate.report.evidence import POINTS, evidence, family_rate, options, undecided
from trendgate.report.next_steps import accept_after, stale_hint
from trendgate.report.rule_lines import applied_rules, ignored_line
from trendgate.report.source import workflow_run
from trendgate.settings import Settings
from trendgate.words import count, utc

# GitHub refuses a step summary over 1 MiB; stay well below it so other steps fit too.
MAX_SUMMARY_BYTES = 900 * 1024
MAX_LISTED = 1000  # rows or details per section: more is unreadable, and slow to render
MAX_HEADING_NAMES = 3  # regressing models named in the first line
MAX_HEADING_NAME = 80
# A longer name without a break point would push the numbers out of the table.
MAX_TABLE_NAME = 48
MAX_OPEN_DETAILS = 5  # regressions shown unfolded; past this many they fold like the rest
# Table order: what needs a look first, then the rest by name.
FIRST = {"regression": 0, "inconclusive": 1}

# Colour emoji only: a text-style symbol such as ➖ is drawn black and vanishes in dark mode.
SYMBOL = {
    "regression": "❌",
    "inconclusive": "🟡",
    "improving": "📈",
    "stable": "✅",
    "insufficient_data": "⏳",
}
LABEL = {
    "regression": "regression",
    "inconclusive": "inconclusive",
    "improving": "improving",
    "stable": "stable",
    "insufficient_data": "insufficient data",
}


def verdict_line(analysis: Analysis, ending: Ending) -> str:
    """The first line: what the gate decided, which models regress, and whether files were lost."""
    if ending.error:
        return f"### ⚠️ trendgate: error (exit code 2): {md_text(ending.error)}"
    if analysis.nothing_to_gate:
        return f"### ⚠️ trendgate: nothing to judge: {md_text(analysis.nothing_to_gate)}"
    models = count(len(analysis.trends), "model")
    regressed = analysis.regressed
    unjudged = sum(t.verdict == "insufficient_data" for t in analysis.trends)
    inconclusive = sum(t.verdict == "inconclusive" for t in analysis.trends)
    also = [f"{inconclusive} inconclusive"] if inconclusive else []
    if regressed:
        names = [md_text(t.model, MAX_HEADING_NAME) for t in regressed[:MAX_HEADING_NAMES]]
        more = len(regressed) - len(names)
        line = f"### ❌ trendgate: {len(regressed)} of {models} regressing: " + ", ".join(names)
        line += f" and {more} more" if more else ""
        if ending.report_only:
            also.insert(0, "report only: the gate passes")
    elif unjudged == len(analysis.trends):
        line = f"### {SYMBOL['insufficient_data']} trendgate: too few runs to judge any of {models}"
    else:
        line = f"### ✅ trendgate: no regression in {models}"
        also += [f"{unjudged} with too few runs to judge"] if unjudged else []
    line += f" ({', '.join(also)})" if also else ""
    if analysis.stale:
        line += f" · ⏸️ {count(len(analysis.stale), 'stopped series', 'stopped series')}"
    if analysis.skipped:
        line += f" · ⚠️ {count(len(analysis.skipped), 'file')} skipped"
    return line


def render(analysis: Analysis, ending: Ending) -> str:
    """The whole summary, kept under MAX_SUMMARY_BYTES whatever the input.

    The budget goes first to the table, then to the skipped files and warnings, and what
    is left to the per-model details; whatever does not fit is counted in a note instead.
    """
    s = analysis.settings
    if ending.error and not analysis.trends:
        return (
            f"{verdict_line(analysis, ending)}\n\n"
            "Nothing was judged: fix the error above and run again.\n"
        )
    head = [
        verdict_line(analysis, ending),
        "",
        *[f"{line}\n" for line in filter(None, [budget_line(s)])],
        " · ".join(
            [
                f"{count(analysis.files_read, 'run')} read from {md_text(analysis.results_dir)}, "
                f"{count(len(analysis.skipped), 'file')} skipped",
                _rule(s),
                f"at least {count(s.min_runs, 'run')} to judge",
                *options(s),
                *([f"config {md_text(analysis.rules.source)}"] if analysis.rules.source else []),
                # settings.check_site_url refused every character that could end the link.
                *([f"[the history site]({ending.site_url})"] if ending.site_url else []),
            ]
        ),
        "",
    ]

    # Regressions first, their details unfolded: they are what the reader came for. Every
    # other model is one table row and one folded line, so 30 models still read at a glance.
    trends = sorted(analysis.trends, key=lambda t: FIRST.get(t.verdict, len(FIRST)))
    budget = MAX_SUMMARY_BYTES - _size(head) - 2048  # 2 KiB for the sections' own lines
    table, budget = _section(
        [
            f"| Verdict | Model | Slope ± {s.interval_confidence:.0%} CI ({POINTS}/{s.x_unit}) "
            "| Trend | Latest (previous) | Change | Runs |",
            "|---|---|--:|:-:|--:|--:|--:|",
        ],
        [[_row(t)] for t in trends],
        budget,
        "models not in the table",
    )
    if table:
        table[-1:-1] = ["", _columns(s.interval_confidence, s.x_unit)]
    if analysis.regressed and not ending.report_only:
        table += _next_steps(analysis)
    family = family_rate(analysis.family_false_alarm_rate, analysis.judged_models)
    table += [f"_{family[0].upper()}{family[1:]}._", ""] if family else []
    stopped, budget = _section(
        ["#### Stopped series", ""],
        [
            [f"- {md_text(st.model)}: {md_text(stale_hint(st, analysis.rules.source))}"]
            for st in analysis.stale
        ],
        budget,
        "more stopped series not listed",
    )
    settings, budget = _section(
        ["#### Check the settings", ""],
        [[f"- {md_text(w)}"] for w in analysis.setting_warnings],
        budget,
        "more warnings not listed",
    )
    source = md_text(analysis.rules.source or "config")
    rules, budget = _section(
        [f"#### Rules from {source}", "", "| Model | Rule |", "|---|---|"],
        [[f"| {md_text(model)} | {md_text(rule)} |"] for model, rule in _rules(analysis)],
        budget,
        "more rules not listed",
    )
    skipped, budget = _section(
        ["#### Skipped files", "", "| File | Reason |", "|---|---|"],
        [[f"| {md_text(k.path)} | {md_text(k.reason)} |"] for k in analysis.skipped],
        budget,
        "more skipped files not listed",
    )
    warnings, budget = _section(
        ["#### Warnings", "", "| File | Warning |", "|---|---|"],
        [[f"| {md_text(n.path)} | {md_text(n.message)} |"] for n in analysis.notes],
        budget,
        "more warnings not listed",
    )
    details, _ = _section(
        [],
        [
            _details(t, unfold=t.verdict == "regression" and i < MAX_OPEN_DETAILS)
            for i, t in enumerate(trends)
        ],
        budget,
        "models without details",
    )
    sections = head + table + stopped + settings + rules + details + skipped + warnings
    return "\n".join(sections) + "\n"


def _rule(s: Settings) -> str:
    """What a regression is, in the few words of the summary's settings line."""
    over = f"over the last {count(s.window, 'run')}"
    if s.level is None:
        return f"regression below {s.threshold:+.2f} points/{s.x_unit} {over}"
    floor = f", slope below {s.threshold:+.2f} points/{s.x_unit}" if s.threshold else ""
    return f"judged at {100 * s.level:.3g}% a night {over}{floor}"


def _columns(confidence: float, unit: str) -> str:
    """One line that says what each column of the table holds."""
    return (
        f"_Slope: the least-squares change of the score in {POINTS} per {unit} over the window, "
        f"± half its {confidence:.0%} interval; a slope below the threshold is a regression. "
        "Trend: the window's scores, oldest first. Latest (previous): the newest run's score "
        "and the one before it. Change: the newest score minus the window's oldest. Runs: runs "
        "in the window and the days they span._"
    )


def _next_steps(analysis: Analysis) -> list[str]:
    """On a failure: how to accept an intended decline, with each regressing model filled in."""
    config = md_text(analysis.rules.source or "trendgate.yml")
    entries = [
        line
        for t in analysis.regressed[:MAX_LISTED]
        for line in (
            f"  - model: {yaml_quoted(t.model)}",
            f"    after: {yaml_quoted(accept_after(t))}",
            '    reason: "why the decline is intended"',
        )
    ]
    return [
        f"**What next.** Find the cause in the details below. If the decline is intended (a new "
        f"judge, a harder task set), accept it: add these entries under `accept:` in {config}, "
        "and each model's series restarts after its latest run.",
        "",
        "```yaml",
        "accept:",
        *entries,
        "```",
        "",
    ]


def _section(
    header: list[str], blocks: list[list[str]], budget: int, left_out: str
) -> tuple[list[str], int]:
    """The header, the leading blocks that fit in `budget` bytes and a note counting the
    rest; and the budget left."""
    if not blocks:
        return [], budget
    lines = list(header)
    budget -= _size(header)
    shown = 0
    for block in blocks[:MAX_LISTED]:
        if _size(block) > budget:
            break
        lines += block
        budget -= _size(block)
        shown += 1
    if shown < len(blocks):
        lines += [
            "",
            f"_{len(blocks) - shown} {left_out}, to keep the summary short; "
            "the JSON report has them all._",
        ]
    return [*lines, ""], budget


def _row(trend: Trend) -> str:
    scores = [r.score_pct for r in trend.runs]
    change = f"{scores[-1] - scores[0]:+.1f}" if len(scores) > 1 else "–"
    latest = f"{scores[-1]:.1f}" if scores else "–"
    if len(scores) > 1:
        latest += f"\u00a0({scores[-2]:.1f})"
    cells = [
        # No-break spaces: a verdict that wraps reads as two.
        f"{SYMBOL[trend.verdict]} {LABEL[trend.verdict]}".replace(" ", "\u00a0"),
        # In full in its details line below, which also says what the ⚠️ is about.
        md_text(trend.model, MAX_TABLE_NAME) + (" ⚠️" if trend.warnings else ""),
        _slope_with_margin(trend),
        # An accepted decline can restart a series at zero runs.
        f"`{sparkline(scores)}`" if scores else "",
        latest,
        change,
        # One cell for both: a ninth column would squeeze the model names into two lines.
        f"{trend.run_count} in {trend.span_days:.1f} d".replace(" ", "\u00a0"),
    ]
    return "| " + " | ".join(cells) + " |"


def _slope(trend: Trend) -> str:
    return "–" if trend.slope is None else f"{trend.slope:+.2f}"


def _slope_with_margin(trend: Trend) -> str:
    # The interval is symmetric: `slope ± half-width` says it in one narrow cell.
    if trend.slope_ci is None:
        return _slope(trend)
    low, high = trend.slope_ci
    return f"{_slope(trend)}\u00a0±\u00a0{(high - low) / 2:.2f}"


def _details(trend: Trend, *, unfold: bool) -> list[str]:
    tag = "<details open>" if unfold else "<details>"
    if trend.verdict == "insufficient_data":
        about = f"{count(trend.run_count, 'run')}, too few to judge"
    else:
        over = count(trend.run_count, "run")
        about = f"slope {_slope(trend)} {POINTS}/{trend.x_unit} over {over}"
    lines = [
        tag,
        f"<summary>{SYMBOL[trend.verdict]} {md_text(trend.model)}: {about}</summary>",
        "",
        *_evidence(trend),
        *chart(trend),
        # The chart tells the story; the numbers behind it stay one click away.
        f"<details><summary>Run by run ({trend.run_count}, oldest first)</summary>",
        "",
        "| Run | Time (UTC) | Score | Tasks |",
        "|---|---|--:|--:|",
    ]
    # A regression's runs link to the workflow runs that made them, where their records say.
    lines += [_run_row(r, linked=trend.verdict == "regression") for r in trend.runs]
    lines += ["", "</details>", "</details>", ""]
    return lines


def _evidence(trend: Trend) -> list[str]:
    """The statistics behind the verdict as a short list; every name from a file is escaped."""
    items = evidence(trend, md_text)
    if trend.verdict == "inconclusive":
        items.insert(0, Escaped(f"**Inconclusive**: {undecided(trend, md_text)}"))
    return [f"- {item}" for item in items] + ([""] if items else [])


def _run_row(run: Run, *, linked: bool) -> str:
    workflow = workflow_run(run) if linked else None
    name = md_link(run.run_id or "?", workflow.url) if workflow else md_text(run.run_id or "?")
    return (
        f"| {name} | {utc(run.timestamp, '%Y-%m-%d %H:%M')} | "
        f"{run.score_pct:.1f} | {run.task_count} |"
    )


def _rules(analysis: Analysis) -> list[tuple[str, str]]:
    """(model, rule) for every config rule that shaped a verdict, and every ignored model."""
    rows = [(t.model, line) for t in analysis.trends for line in applied_rules(t)]
    return rows + [(s.model, ignored_line(s)) for s in analysis.ignored]


def _size(lines: list[str]) -> int:
    return sum(len(line.encode("utf-8")) + 1 for line in lines)
