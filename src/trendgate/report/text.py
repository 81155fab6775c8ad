"""The plain-text report printed to a terminal or CI log."""

from __future__ import annotations

import sys

from trendgate.analysis import Analysis, Backtest
from trendgate.escape import terminal_safe
from trendgate.history import Added
from trendgate.report.evidence import evidence, options, undecided
from trendgate.report.rule_lines import applied_rules, ignored_line
from trendgate.settings import Settings
from trendgate.trend import Status, Trend, describe_run

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
    """One model's verdict in the form the original request proposed."""
    if trend.slope is None or trend.status == "insufficient_data":
        runs = "run" if trend.run_count == 1 else "runs"
        model = terminal_safe(trend.model)
        return f"{SYMBOLS['insufficient_data']}: {model} ({trend.run_count} {runs})"
    line = slope_line(
        trend.status, trend.model, trend.slope, trend.x_unit, trend.run_count, threshold
    )
    if trend.status == "inconclusive":
        line += f": {undecided(trend)}"
    return line


def slope_line(
    status: Status, model: str, slope: float, unit: str, run_count: int, threshold: float
) -> str:
    """A fitted slope's verdict line, as the original request's summary() prints it."""
    return (
        f"{SYMBOLS[status]}: {terminal_safe(model)} slope={slope:+.2f}%/{unit} "
        f"over last {run_count} runs (threshold={threshold:+.2f})"
    )


def evidence_lines(trend: Trend) -> list[str]:
    """The statistics behind a verdict, indented under it."""
    return [f"    {phrase}" for phrase in evidence(trend, terminal_safe)]


def settings_text(s: Settings) -> str:
    """The settings a report was made with, in a parenthesis after its header."""
    base = [f"window {s.window}", f"threshold {s.threshold:+.2f}", f"min runs {s.min_runs}"]
    return ", ".join(base + options(s))


def header(analysis: Analysis, prefix: str = "trendgate") -> str:
    """The first line: where the runs came from and how they are judged."""
    source = analysis.rules.source
    config = f", config {terminal_safe(source)}" if source else ""
    return (
        f"{prefix}: {terminal_safe(analysis.results_dir)}: {analysis.files_read} runs read, "
        f"{len(analysis.skipped)} files skipped ({settings_text(analysis.settings)}{config})"
    )


def render_text(analysis: Analysis) -> str:
    """The whole text report: header, each model's verdict and evidence, notes, skipped files."""
    lines = [header(analysis)]
    for trend in analysis.trends:
        lines.append(trend_line(trend, trend.settings.threshold))
        lines += [f"    {terminal_safe(line)}" for line in applied_rules(trend)]
        lines += evidence_lines(trend)
    lines += _files(analysis)
    return "\n".join(lines) + "\n"


def render_backtest_text(backtest: Backtest) -> str:
    """The backtest report: per model, how often and when the gate would have failed."""
    lines = [header(backtest.analysis, "trendgate backtest")]
    unit = backtest.analysis.settings.x_unit
    failed = judged = 0
    for replay in backtest.replays:
        model = terminal_safe(replay.model)
        count = len(replay.verdicts)
        judged += count
        failed += len(replay.failures)
        undecided_note = (
            f" ({len(replay.inconclusive)} inconclusive)" if replay.inconclusive else ""
        )
        if not replay.failures:
            lines.append(f"{model}: would have passed all {count} gate runs{undecided_note}")
            continue
        lines.append(
            f"{model}: would have failed {len(replay.failures)} of {count} gate runs"
            f"{undecided_note}"
        )
        lines += [
            f"  - after run {terminal_safe(describe_run(v.after))}: "
            f"slope={v.slope:+.2f}%/{unit} over {v.run_count} runs"
            for v in replay.failures
        ]
    lines.append(f"total: the gate would have failed {failed} of {judged} times")
    lines += _files(backtest.analysis)
    return "\n".join(lines) + "\n"


def _files(analysis: Analysis) -> list[str]:
    lines = [
        f"· {terminal_safe(s.model)}: {terminal_safe(ignored_line(s))}" for s in analysis.ignored
    ]
    if analysis.notes:
        lines.append("warnings:")
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
    sections = [
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
