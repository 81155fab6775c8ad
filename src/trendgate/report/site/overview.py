"""The overview, index.html: every model on one screen, worst first."""

from __future__ import annotations

from collections.abc import Mapping

from trendgate.escape import html_text
from trendgate.report.site.gather import History, ModelHistory
from trendgate.report.site.shell import page
from trendgate.report.site.svg import sparkline
from trendgate.report.site.words import LABEL, ORDER, SYMBOL, level, night_level, rule_line, slope
from trendgate.words import count, utc


def worst_first(history: History) -> list[ModelHistory]:
    """Regressions, then inconclusive, unjudged, stable, improving; steepest decline first."""
    return sorted(
        history.models,
        key=lambda m: (
            ORDER[m.trend.verdict],
            m.trend.slope if m.trend.slope is not None else 0.0,
            m.model,
        ),
    )


def overview(history: History, pages: Mapping[str, str]) -> str:
    """index.html: a table of every model, the settings line and the history's date."""
    analysis = history.analysis
    models = worst_first(history)
    failing = sum(m.trend.verdict == "regression" for m in models)
    runs = sum(len(m.nights) for m in models)
    newest = history.newest
    filed = "no runs" if newest is None else utc(newest, "%Y-%m-%d %H:%M UTC")
    headline = (
        f"{failing} of {count(len(models), 'model')} regressing today"
        if failing
        else f"No regression today in {count(len(models), 'model')}"
    )
    rows = "\n".join(_row(m, pages[m.model]) for m in models)
    ignored = ", ".join(s.model for s in analysis.ignored)
    ignored_line = (
        f'<p class="note">Ignored by the config: {html_text(ignored, 2000)}.</p>\n'
        if ignored
        else ""
    )
    body = (
        "<header><h1>trendgate: score history</h1>\n"
        f'<p class="meta">{html_text(rule_line(analysis.settings, analysis.rules.source))}</p>\n'
        f'<p class="meta">History {html_text(analysis.results_dir)} last filed to '
        f"<time>{filed}</time>: {count(runs, 'run')} of {count(len(models), 'model')}.</p>"
        "</header>\n<main>\n"
        f'<p class="v{" regression" if failing else ""}">{headline}</p>\n'
        '<div id="filter" hidden><label for="q">Filter models by name</label> '
        '<input id="q" type="search" autocomplete="off"></div>\n'
        '<table id="models"><caption class="note">Each model\'s verdict today (the newest '
        "window), its whole history, latest score, change of the score over the window, slope "
        "per run with half its interval, the level the verdict is held to, the chance a flat model "
        "fails a night under the false-alarm budget, and flags.</caption>\n"
        '<thead><tr><th scope="col">Model</th><th scope="col">Today</th>'
        '<th scope="col">History</th><th scope="col" class="num">Latest</th>'
        '<th scope="col" class="num">Change</th><th scope="col" class="num">Slope</th>'
        '<th scope="col">Level</th><th scope="col" class="num">Budget level</th>'
        '<th scope="col">Flags</th></tr></thead>\n'
        f"<tbody>\n{rows}\n</tbody></table>\n" + ignored_line + "</main>"
    )
    return page("trendgate: score history", body)


def _row(history: ModelHistory, href: str) -> str:
    trend = history.trend
    scores = [r.score_pct for r in trend.runs]
    latest = f"{scores[-1]:.1f}" if scores else "–"
    change = f"{scores[-1] - scores[0]:+.1f}" if len(scores) > 1 else "–"
    flags = []
    if history.stale is not None:
        flags.append(f"stopped since {utc(history.stale.since)}")
    if trend.warnings:
        flags.append("not comparable across the window")
    name = html_text(history.model)
    status = trend.verdict
    return (
        f'<tr><th scope="row"><a href="{href}">{name}</a></th>'
        f'<td class="v {status}">{SYMBOL[status]} {LABEL[status]}</td>'
        f"<td>{sparkline(history, f'Whole history of {name}')}</td>"
        f'<td class="num">{latest}</td><td class="num">{change}</td>'
        f'<td class="num">{slope(trend)}</td><td>{level(trend)}</td>'
        f'<td class="num">{night_level(trend)}</td>'
        f'<td class="flag">{"; ".join(flags)}</td></tr>'
    )
