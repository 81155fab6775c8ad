"""The plain-text report printed to a terminal or CI log."""

from __future__ import annotations

import sys

from trendgate.escape import Escaped, terminal_safe
from trendgate.history.add import Added
from trendgate.model import Analysis, Backtest, Trend
from trendgate.read.pinchbench import describe_run
from trendgate.report import Ending
from trendgate.report.budget_line import budget_line
from trendgate.report.evidence import POINTS, evidence, family_rate, options, undecided
from trendgate.report.next_steps import accept_entry, names_in_line, stale_hint, stopped
from trendgate.report.rule_lines import applied_rules, ignored_line
from trendgate.settings import Settings, positive_threshold
from trendgate.words import count, utc

SYMBOLS = {
    "regression": "▼ REGRESSION",
    "inconclusive": "? inconclusive",
    "improving": "▲ improving",
    "stable": "→ stable",
    "insufficient_data": "· insufficient data",
}


def utf8_streams() -> None:
    """Print UTF-8 whatever the locale, so a model name can never crash the report."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="backslashreplace")


def trend_line(trend: Trend, threshold: float) -> str:
    """One model's verdict: status, model, slope, runs and threshold."""
    if trend.slope is None or trend.verdict == "insufficient_data":
        model = terminal_safe(trend.model)
        return f"{SYMBOLS['insufficient_data']}: {model} ({runs(trend.run_count)})"
    rule = f"threshold={threshold:+.2f}"
    if trend.level is not None:
        rule = f"level {100 * trend.level:.3g}%" + (f", {rule}" if threshold else "")
    line = (
        f"{SYMBOLS[trend.verdict]}: {terminal_safe(trend.model)} slope={trend.slope:+.2f} "
        f"{POINTS}/{trend.x_unit} over last {trend.run_count} runs ({rule})"
    )
    if trend.verdict == "inconclusive":
        line += f": {undecided(trend, terminal_safe)}"
    return line


def evidence_lines(trend: Trend) -> list[Escaped]:
    """The statistics behind a verdict, indented under it."""
    return [Escaped(f"    {phrase}") for phrase in evidence(trend, terminal_safe)]


def settings_text(s: Settings) -> str:
    """The settings a report was made with, in a parenthesis after its header."""
    base = [f"window {s.window}", f"threshold {s.threshold:+.2f}", f"min runs {s.min_runs}"]
    return ", ".join(base + options(s))


def runs(n: int) -> str:
    """`1 run`, `2 runs`."""
    return count(n, "run")


def header(analysis: Analysis, prefix: str = "trendgate") -> str:
    """The first line: where the runs came from and how they are judged."""
    source = analysis.rules.source
    config = f", config {terminal_safe(source)}" if source else ""
    return (
        f"{prefix}: {terminal_safe(analysis.results_dir)}: {runs(analysis.files_read)} read, "
        f"{count(len(analysis.skipped), 'file')} skipped "
        f"({settings_text(analysis.settings)}{config})"
    )


def render(analysis: Analysis, ending: Ending) -> str:
    """The whole text report: header, each model's verdict, notes, skipped files, the verdict.

    Models that pass take one line each, and one per config rule that applied to them; those
    that regress or are inconclusive get their evidence under them (every model does with
    `verbose`).
    """
    lines = [header(analysis)]
    # A threshold above 0 turns every verdict below it: read before them, not after.
    first = positive_threshold(analysis.settings.threshold, analysis.settings.rule)
    lines += [f"WARNING: {first}"] if first in analysis.setting_warnings else []
    lines += filter(None, [budget_line(analysis.settings)])
    for trend in analysis.trends:
        shown = ending.verbose or trend.verdict in ("regression", "inconclusive")
        line = trend_line(trend, trend.settings.threshold)
        if trend.warnings and not shown:
            line += f" [{count(len(trend.warnings), 'warning')}: --verbose shows it]"
        lines.append(line)
        # The config rules that shaped the verdict are the user's own words, always shown.
        lines += [f"    {terminal_safe(line)}" for line in applied_rules(trend)]
        if shown:
            lines += evidence_lines(trend)
        stale = analysis.stale_of(trend.model)
        if stale:
            lines.append(f"    {terminal_safe(stale_hint(stale, analysis.rules.source))}")
    family = family_rate(analysis.family_false_alarm_rate, analysis.judged_models)
    lines += [family] if family else []
    lines += _files(analysis)
    lines += _closing(analysis, ending)
    return "\n".join(lines) + "\n"


def _closing(analysis: Analysis, ending: Ending) -> list[str]:
    """The verdict in one line, always last; on a failure, the line before says how to accept it."""
    if ending.error:
        return [f"ERROR: {terminal_safe(ending.error)}"]
    if analysis.nothing_to_gate:
        opt_out = "allow-empty: true" if ending.from_action else "--allow-empty"
        return [f"PASS ({opt_out}): nothing to judge: {terminal_safe(analysis.nothing_to_gate)}"]
    judged = len(analysis.trends)
    regressed = analysis.regressed
    verb = "regresses" if judged == 1 else "regress"
    tally = f"{len(regressed)} of {count(judged, 'model')} {verb}"
    named = f" ({terminal_safe(names_in_line(regressed))})" if regressed else ""
    also = []
    inconclusive = sum(t.verdict == "inconclusive" for t in analysis.trends)
    if inconclusive:
        also.append(f"{inconclusive} inconclusive")
    unjudged = sum(t.verdict == "insufficient_data" for t in analysis.trends)
    if unjudged:
        also.append(f"{unjudged} with too few runs to judge")
    if analysis.stale:
        also.append(stopped(analysis.stale))
    rest = "".join(f"; {phrase}" for phrase in also)
    if regressed and not ending.report_only:
        entry = terminal_safe(accept_entry(regressed[0]))
        more = "; one entry per model" if len(regressed) > 1 else ""
        config = terminal_safe(analysis.rules.source or "trendgate.yml")
        return [
            f"to accept an intended decline, add under accept: in {config}: {entry}{more}",
            f"FAIL: {tally}{named}; details above{rest}",
        ]
    if regressed:
        opt_out = "fail-on-regression: false" if ending.from_action else "--no-fail"
        return [f"PASS (report only, {opt_out}): {tally}{named}{rest}"]
    return [f"PASS: {tally}{rest}"]


def render_backtest(backtest: Backtest, ending: Ending) -> str:
    """The backtest report: per model, how often and when the gate would have failed."""
    lines = [header(backtest.analysis, "trendgate backtest")]
    lines += filter(None, [budget_line(backtest.analysis.settings)])
    unit = backtest.analysis.settings.x_unit
    failed = judged = 0
    for replay in backtest.replays:
        model = terminal_safe(replay.model)
        verdicts = len(replay.verdicts)
        judged += verdicts
        failed += len(replay.failures)
        undecided_note = (
            f" ({len(replay.inconclusive)} inconclusive)" if replay.inconclusive else ""
        )
        if not replay.failures:
            every = "its only gate run" if verdicts == 1 else f"all {verdicts} gate runs"
            lines.append(f"{model}: would have passed {every}{undecided_note}")
            continue
        lines.append(
            f"{model}: would have failed {len(replay.failures)} of {count(verdicts, 'gate run')}"
            f"{undecided_note}"
        )
        lines += [
            f"  - after run {terminal_safe(describe_run(v.after))}: "
            f"slope={v.slope:+.2f} {POINTS}/{unit} over {v.run_count} runs"
            for v in replay.failures
        ]
    for stop in backtest.stops:
        resumed = f", resumed {utc(stop.resumed)}" if stop.resumed is not None else ""
        lines.append(
            f"{terminal_safe(stop.model)}: no run after {utc(stop.since)}: flagged stale "
            f"from {utc(stop.flagged)}{resumed}"
        )
    lines += _files(backtest.analysis)
    if ending.error:
        lines.append(f"ERROR: {terminal_safe(ending.error)}")
    else:
        lines.append(f"total: the gate would have failed {failed} of {count(judged, 'time')}")
    return "\n".join(lines) + "\n"


def _files(analysis: Analysis) -> list[str]:
    lines = [
        f"· {terminal_safe(s.model)}: {terminal_safe(ignored_line(s))}" for s in analysis.ignored
    ]
    first = positive_threshold(analysis.settings.threshold, analysis.settings.rule)
    if analysis.notes or set(analysis.setting_warnings) - {first}:
        lines.append("warnings:")
        lines += [f"  - {terminal_safe(w)}" for w in analysis.setting_warnings if w != first]
        lines += [
            f"  - {terminal_safe(n.path)}: {terminal_safe(n.message)}" for n in analysis.notes
        ]
    if analysis.skipped:
        lines.append("skipped files:")
        lines += [
            f"  - {terminal_safe(k.path)}: {terminal_safe(k.reason)}" for k in analysis.skipped
        ]
    return lines


def render_added(added: Added) -> str:
    """What an `add` filed, found filed already, left out and removed: counts, then names."""
    counts = [f"{len(added.filed)} filed", f"{len(added.already)} filed already"]
    counts.append(f"{len(added.left_out)} left out")
    if added.removed:
        counts.append(f"{len(added.removed)} removed by keep-runs")
    lines = [f"trendgate add: {terminal_safe(added.history)}: {', '.join(counts)}"]
    sections: list[tuple[str, list[str]]] = [
        ("filed", [f"{f.name} (from {terminal_safe(f.source)})" for f in added.filed]),
        ("filed already", [terminal_safe(path) for path in added.already]),
        (
            "left out",
            [f"{terminal_safe(k.path)}: {terminal_safe(k.reason)}" for k in added.left_out],
        ),
        ("removed", [terminal_safe(name) for name in added.removed]),
        ("no complete result file in", [terminal_safe(source) for source in added.empty]),
    ]
    for title, items in sections:
        if items:
            lines.append(f"{title}:")
            lines += [f"  - {item}" for item in items]
    if added.notice:
        lines.append(f"notice: {terminal_safe(added.notice)}")
    return "\n".join(lines) + "\n"
