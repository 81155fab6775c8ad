"""The command line's flags: one per option of each command, as the options table and docs say."""

from __future__ import annotations

from pathlib import Path

from trendgate.app.flags import build_parser
from trendgate.app.job import OPTIONS


def test_each_command_has_one_flag_per_option_it_takes() -> None:
    parsers = {
        c: {a.dest for a in build_parser(c)._actions if a.option_strings}
        for c in ("gate", "backtest", "add")
    }
    for option in OPTIONS:
        for command, dests in parsers.items():
            if option.flag is not None:
                assert (option.name in dests) == (command in option.commands), (command, option)
    assert {"junit", "markdown", "no_fail", "add", "keep_runs"}.isdisjoint(parsers["backtest"])
    assert parsers["add"] == {
        "help",
        "version",
        "results_dir",
        "strict",
        "keep_runs",
        "config",
        "debug",
        "slim",
        "history_branch",
        "remote",
        "start_history",
        "history_push",
    }


def test_the_options_table_marks_what_backtest_refuses() -> None:
    docs = (Path(__file__).resolve().parents[2] / "docs" / "cli.md").read_text(encoding="utf-8")
    marks = {}
    for line in docs.splitlines():
        cells = [c.strip() for c in line.replace("\\|", "/").strip("|").split("|")]
        if line.startswith("| `-") and len(cells) >= 4:
            marks[cells[0].strip("`").split()[0].rstrip("`,")] = cells[2]
    backtest = build_parser("backtest")._option_string_actions
    gate = build_parser("gate")._option_string_actions
    documented = {flag for flag in gate if flag.startswith("--") and flag != "--help"}
    assert set(marks) == documented
    for flag, mark in marks.items():
        assert mark == ("yes" if flag in backtest else "no"), flag
