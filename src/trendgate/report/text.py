"""The plain-text report printed to a terminal or CI log."""

from __future__ import annotations

import re

from trendgate.analysis import Analysis
from trendgate.trend import Trend

# C0 and C1 controls, DEL, and the Unicode line/paragraph separators: any of them lets
# a hostile model name rewrite or forge lines of the log.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")

SYMBOLS = {
    "regression": "▼ REGRESSION",
    "improving": "▲ improving",
    "stable": "→ stable",
    "insufficient_data": "· insufficient data",
}


def terminal_safe(text: str) -> str:
    """Escape control characters so untrusted text stays on one visible line."""
    return _UNSAFE.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def trend_line(trend: Trend, threshold: float) -> str:
    """One model's verdict in the form the original request proposed."""
    model = terminal_safe(trend.model)
    if trend.slope is None or trend.status == "insufficient_data":
        runs = "run" if trend.run_count == 1 else "runs"
        return f"{SYMBOLS['insufficient_data']}: {model} ({trend.run_count} {runs})"
    return (
        f"{SYMBOLS[trend.status]}: {model} slope={trend.slope:+.2f}%/run "
        f"over last {trend.run_count} runs (threshold={threshold:+.2f})"
    )


def render_text(analysis: Analysis) -> str:
    """The whole text report: header, one line per model, then notes and skipped files."""
    s = analysis.settings
    lines = [
        f"trendgate: {terminal_safe(analysis.results_dir)}: {analysis.files_read} runs read, "
        f"{len(analysis.skipped)} files skipped "
        f"(window {s.window}, threshold {s.threshold:+.2f}, min runs {s.min_runs})"
    ]
    lines += [trend_line(t, s.threshold) for t in analysis.trends]
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
    return "\n".join(lines) + "\n"
