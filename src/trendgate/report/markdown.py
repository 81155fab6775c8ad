"""The Markdown job summary: verdict first, one table row per model, details folded below."""

from __future__ import annotations

import re
from datetime import datetime, timezone

from trendgate.analysis import Analysis
from trendgate.load import Run
from trendgate.report.phrases import evidence, options, undecided
from trendgate.trend import Trend

# GitHub refuses a step summary over 1 MiB; stay well below it so other steps fit too.
MAX_SUMMARY_BYTES = 900 * 1024
MAX_CELL_CHARS = 200
MAX_SKIPPED_ROWS = 200

SYMBOL = {
    "regression": "❌",
    "inconclusive": "❔",
    "improving": "📈",
    "stable": "✅",
    "insufficient_data": "➖",
}
LABEL = {
    "regression": "regression",
    "inconclusive": "inconclusive",
    "improving": "improving",
    "stable": "stable",
    "insufficient_data": "insufficient data",
}
SPARKS = "▁▂▃▄▅▆▇█"
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_PLAIN = frozenset(" /-,+=")
_MERMAID_SAFE = re.compile(r"[A-Za-z0-9 ._/+-]{1,80}")


def md_text(text: str, limit: int = MAX_CELL_CHARS) -> str:
    """Make untrusted text inert inside a GFM table cell or HTML block.

    ASCII punctuation becomes numeric character references: GFM splits table cells on a
    raw `|` only, and no Markdown, HTML, link, autolink or mention syntax can be formed from
    references. `/ - , + =` form nothing inside a paragraph and stay readable. Control
    characters and line breaks become spaces.
    """
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    text = _CONTROL.sub(" ", text)
    return "".join(
        f"&#{ord(c)};" if c.isascii() and not c.isalnum() and c not in _PLAIN else c for c in text
    )


def sparkline(values: list[float]) -> str:
    """A row of block characters tracing the values (flat values give a flat line)."""
    low, high = min(values), max(values)
    if high - low < 1e-9:
        return SPARKS[3] * len(values)
    scale = (len(SPARKS) - 1) / (high - low)
    return "".join(SPARKS[round((v - low) * scale)] for v in values)


def utc(timestamp: float) -> str:
    """A Unix time as `YYYY-MM-DD HH:MM` in UTC, whatever the machine's time zone."""
    return datetime.fromtimestamp(timestamp, tz=timezone.utc).strftime("%Y-%m-%d %H:%M")


def verdict_line(analysis: Analysis) -> str:
    """The first line: what the gate decided."""
    total = len(analysis.trends)
    regressed = len(analysis.regressed)
    if analysis.nothing_to_gate:
        return f"### ⚠️ trendgate: nothing to judge ({md_text(analysis.nothing_to_gate)})"
    undecided = sum(t.status == "inconclusive" for t in analysis.trends)
    also = f" ({undecided} inconclusive)" if undecided else ""
    if regressed:
        return f"### ❌ trendgate: {regressed} of {total} models regressing{also}"
    return f"### ✅ trendgate: no regression in {total} models{also}"


def render_markdown(analysis: Analysis) -> str:
    """The whole summary, kept under MAX_SUMMARY_BYTES by folding away details."""
    s = analysis.settings
    head = [
        verdict_line(analysis),
        "",
        " · ".join(
            [
                f"Threshold {s.threshold:+.2f} points/run",
                f"window {s.window} runs",
                f"min runs {s.min_runs}",
                *options(s),
                md_text(analysis.results_dir),
                f"{analysis.files_read} runs read, {len(analysis.skipped)} files skipped",
            ]
        ),
        "",
    ]
    if analysis.trends:
        unit = s.x_unit
        head += [
            f"| | Model | Trend | Slope (pts/{unit}) | {s.interval_confidence:.0%} CI "
            "| Runs | Span | Latest | Change |",
            "|:-:|---|---|--:|--:|--:|--:|--:|--:|",
        ]
        head += [_row(t) for t in analysis.trends]
        head.append("")
    tail = _skipped(analysis) + _notes(analysis)
    budget = MAX_SUMMARY_BYTES - _size(head) - _size(tail) - 200
    details: list[str] = []
    left_out = 0
    for trend in analysis.trends:
        block = _details(trend)
        if _size(details) + _size(block) > budget:
            left_out += 1
            continue
        details += block
    if left_out:
        details.append(f"_Details of {left_out} models left out to keep the summary small._")
        details.append("")
    return "\n".join(head + details + tail) + "\n"


def _row(trend: Trend) -> str:
    scores = [r.score_pct for r in trend.runs]
    slope = "–" if trend.slope is None else f"{trend.slope:+.2f}"
    change = f"{scores[-1] - scores[0]:+.1f}" if len(scores) > 1 else "–"
    interval = "–" if trend.slope_ci is None else "{:+.2f} … {:+.2f}".format(*trend.slope_ci)
    cells = [
        f"{SYMBOL[trend.status]} {LABEL[trend.status]}",
        md_text(trend.model) + (" ⚠️" if trend.warnings else ""),  # details say what broke
        sparkline(scores),
        slope,
        interval,
        str(trend.run_count),
        f"{trend.span_days:.1f} d",
        f"{scores[-1]:.1f}",
        change,
    ]
    return "| " + " | ".join(cells) + " |"


def _details(trend: Trend) -> list[str]:
    lines = [
        "<details>",
        f"<summary>{SYMBOL[trend.status]} {md_text(trend.model)}: {trend.run_count} runs</summary>",
        "",
        *_evidence(trend),
        "| Run | Time (UTC) | Score | Tasks |",
        "|---|---|--:|--:|",
    ]
    lines += [_run_row(r) for r in trend.runs]
    lines += ["", *_chart(trend), "", "</details>", ""]
    return lines


def _evidence(trend: Trend) -> list[str]:
    """The statistics behind the verdict as a short list; every name from a file is escaped."""
    items = evidence(trend, md_text)
    if trend.status == "inconclusive":
        items.insert(0, f"**Inconclusive**: {undecided(trend)}")  # our words and numbers only
    return [f"- {item}" for item in items] + ([""] if items else [])


def _run_row(run: Run) -> str:
    return (
        f"| {md_text(run.run_id or '?')} | {utc(run.timestamp)} | "
        f"{run.score_pct:.1f} | {run.task_count} |"
    )


def _chart(trend: Trend) -> list[str]:
    if trend.run_count < 2:
        return []
    scores = [round(r.score_pct, 1) for r in trend.runs]
    title = trend.model if _MERMAID_SAFE.fullmatch(trend.model) else "score"
    return [
        "```mermaid",
        "xychart-beta",
        f'  title "{title}"',
        "  x-axis [" + ", ".join(str(i + 1) for i in range(len(scores))) + "]",
        '  y-axis "Score (%)" 0 --> 100',
        "  line [" + ", ".join(f"{v:.1f}" for v in scores) + "]",
        "```",
    ]


def _skipped(analysis: Analysis) -> list[str]:
    if not analysis.skipped:
        return []
    lines = ["#### Skipped files", "", "| File | Reason |", "|---|---|"]
    shown = analysis.skipped[:MAX_SKIPPED_ROWS]
    lines += [f"| {md_text(k.path)} | {md_text(k.reason)} |" for k in shown]
    if len(analysis.skipped) > len(shown):
        lines.append(f"\n_{len(analysis.skipped) - len(shown)} more skipped files not listed._")
    return [*lines, ""]


def _notes(analysis: Analysis) -> list[str]:
    if not analysis.notes:
        return []
    lines = ["#### Warnings", "", "| File | Warning |", "|---|---|"]
    shown = analysis.notes[:MAX_SKIPPED_ROWS]
    lines += [f"| {md_text(n.path)} | {md_text(n.message)} |" for n in shown]
    if len(analysis.notes) > len(shown):
        lines.append(f"\n_{len(analysis.notes) - len(shown)} more warnings not listed._")
    return [*lines, ""]


def _size(lines: list[str]) -> int:
    return sum(len(line.encode("utf-8")) + 1 for line in lines)
