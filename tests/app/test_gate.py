"""Exit codes."""

from __future__ import annotations

from pathlib import Path

from tests.builders import write_series
from trendgate.app.gate import decide_exit
from trendgate.judge.analysis import analyze


def test_exit_codes(tmp_path: Path) -> None:
    write_series(tmp_path / "down", "m", [90, 80, 70])
    write_series(tmp_path / "flat", "m", [70, 70, 70])
    down = analyze(tmp_path / "down")
    assert decide_exit(down).code == 1
    assert decide_exit(down, fail_on_regression=False).code == 0
    assert decide_exit(analyze(tmp_path / "flat")).code == 0


def test_nothing_to_gate_fails_closed_unless_allowed(tmp_path: Path) -> None:
    empty = analyze(tmp_path)
    assert decide_exit(empty).code == 2
    assert decide_exit(empty, fail_on_regression=False).code == 2
    assert decide_exit(empty, allow_empty=True).code == 0
