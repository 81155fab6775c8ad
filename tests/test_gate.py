"""Exit codes."""

from __future__ import annotations

from pathlib import Path

from tests.builders import write_series
from trendgate.analysis import analyze, nothing_read
from trendgate.gate import exit_code
from trendgate.settings import Settings


def test_exit_codes(tmp_path: Path) -> None:
    write_series(tmp_path / "down", "m", [90, 80, 70])
    write_series(tmp_path / "flat", "m", [70, 70, 70])
    down = analyze(tmp_path / "down")
    assert exit_code(down) == 1
    assert exit_code(down, fail_on_regression=False) == 0
    assert exit_code(analyze(tmp_path / "flat")) == 0


def test_nothing_to_gate_fails_closed_unless_allowed(tmp_path: Path) -> None:
    empty = analyze(tmp_path)
    assert exit_code(empty) == 2
    assert exit_code(empty, fail_on_regression=False) == 2
    assert exit_code(empty, allow_empty=True) == 0
    missing = nothing_read(str(tmp_path / "missing"), Settings(), error="not found")
    assert exit_code(missing) == 2
    assert exit_code(missing, allow_empty=True) == 0
