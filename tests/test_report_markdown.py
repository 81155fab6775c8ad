"""The Markdown summary's evidence: shown, and inert when it comes from a result file."""

from __future__ import annotations

from pathlib import Path

from tests.builders import hostile_directory
from tests.verdict_demo import NOISY, write_demo
from trendgate.analysis import analyze
from trendgate.report.markdown import render_markdown
from trendgate.settings import Settings


def test_summary_shows_interval_step_and_inconclusive(tmp_path: Path) -> None:
    write_demo(tmp_path)
    text = render_markdown(analyze(tmp_path, Settings(confidence=0.95)))
    assert text.startswith("### ❌ trendgate: 2 of 3 models regressing (1 inconclusive)\n")
    assert "| Slope (pts/run) | 95% CI | Runs | Span |" in text
    assert f"| ❔ inconclusive | {NOISY} |" in text
    assert "- **Inconclusive**: the 95% interval reaches 0; about " in text
    assert "- step of -6.1 points after run 0029, 2026-05-20 (fits better than a drift)" in text
    assert "- smallest slope this window tells from 0: ±" in text


def test_evidence_from_files_is_escaped(tmp_path: Path) -> None:
    hostile_directory(tmp_path)
    text = render_markdown(analyze(tmp_path))
    assert "<img" not in text and "<b>" not in text and "@x" not in text
    assert "&#60;img src=x&#62;&#124;" in text
    assert not any(line.startswith("▼") for line in text.splitlines())


def test_comparability_breaks_are_flagged_in_the_table(tmp_path: Path) -> None:
    hostile_directory(tmp_path)  # its benchmark_version changes at every run
    text = render_markdown(analyze(tmp_path))
    assert "| ❌ regression | m ⚠️ |" in text
    assert "- WARNING: benchmark&#95;version changed from &#39;v0 &#124; &#60;b&#62;" in text
