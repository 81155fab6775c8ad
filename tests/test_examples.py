"""The demo directory is what its committed script writes, and it shows one regression."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from trendgate.judge.analysis import analyze

ROOT = Path(__file__).resolve().parents[1]
DEMO_NOW = "2026-05-21T00:00:00Z"  # the morning after the demo's last night (README.md)
DEMO = ROOT / "examples" / "results"


def test_demo_is_reproduced_byte_for_byte(tmp_path: Path) -> None:
    argv = [sys.executable, "-m", "examples.make_demo", str(tmp_path)]
    subprocess.run(argv, cwd=ROOT, check=True, timeout=60)
    written = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    committed = {p.name: p.read_bytes() for p in DEMO.iterdir()}
    assert written == committed


@pytest.mark.parametrize("args", [[], ["a", "b"], ["-h"]])
def test_verdict_demo_called_wrongly_prints_its_usage(args: list[str], tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "examples.verdict_demo", *args],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr == "usage: python -m examples.verdict_demo OUT_DIR\n"
    assert list(tmp_path.iterdir()) == []


def test_verdict_demo_writes_its_three_models(tmp_path: Path) -> None:
    argv = [sys.executable, "-m", "examples.verdict_demo", str(tmp_path / "demo")]
    subprocess.run(argv, cwd=ROOT, check=True, timeout=60)
    analysis = analyze(tmp_path / "demo")
    assert {t.model: t.run_count for t in analysis.trends} == {  # the default window of 15
        "demo/drifts": 15,
        "demo/noisy-flat": 15,
        "demo/steps-down": 15,
    }
    assert {t.total_runs for t in analysis.trends} == {16}
    assert analysis.skipped == ()


def test_demo_has_exactly_one_regressing_model() -> None:
    analysis = analyze(DEMO)
    assert [t.model for t in analysis.regressed] == ["openrouter/anthropic/claude-sonnet-4.5"]
    assert {t.run_count for t in analysis.trends} == {10}
    assert analysis.skipped == ()


def test_readme_shows_the_demo_s_real_report() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("```\ntrendgate: examples/results:") + 4
    shown = readme[start : readme.index("```", start)]
    proc = subprocess.run(
        [sys.executable, "-m", "trendgate", "examples/results", "--now", DEMO_NOW],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )
    assert proc.stdout == shown


def test_example_config_gives_the_output_the_docs_show() -> None:
    readme = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    command = f"$ trendgate --config examples/trendgate.yml --now {DEMO_NOW}\n"
    shown = readme[readme.index(command) + len(command) :].split("```")[0]
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "trendgate",
            "--config",
            "examples/trendgate.yml",
            "--now",
            DEMO_NOW,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == shown
