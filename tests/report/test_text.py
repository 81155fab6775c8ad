"""The text report."""

from __future__ import annotations

from pathlib import Path

from tests.builders import hostile_directory, write_series
from tests.configured import configured
from trendgate.escape import terminal_safe
from trendgate.judge.analysis import analyze
from trendgate.report import Ending
from trendgate.report.text import render as render_text
from trendgate.settings import Budget, Settings, budget_settings

PROPOSAL = Settings(rule="proposal")  # the original proposal's rule, which these tests pin


def test_lines_in_the_original_request_s_form(tmp_path: Path) -> None:
    write_series(tmp_path, "openrouter/anthropic/claude-sonnet-4.5", [90, 88.2, 86.4, 84.6])
    write_series(tmp_path, "up", [50, 51], first_run=20)
    write_series(tmp_path, "flat", [50, 50], first_run=30)
    write_series(tmp_path, "one", [50], first_run=40)
    (tmp_path / "zz.json").write_text("[]")
    now = 1_778_000_000.0 + 4 * 86_400  # the day after the last run
    lines = render_text(analyze(tmp_path, PROPOSAL, now=now), Ending(exit_code=1)).splitlines()
    assert lines[0] == (
        f"trendgate: {tmp_path}: 9 runs read, 1 file skipped "
        "(window 10, threshold -0.50, min runs 2)"
    )
    # The verdict lines keep the original request's form; evidence is indented below them.
    assert [line for line in lines[1:] if not line.startswith("    ")] == [
        "→ stable: flat slope=+0.00 points/run over last 2 runs (threshold=-0.50)",
        "· insufficient data: one (1 run)",
        "▼ REGRESSION: openrouter/anthropic/claude-sonnet-4.5 slope=-1.80 points/run "
        "over last 4 runs (threshold=-0.50)",
        "▲ improving: up slope=+1.00 points/run over last 2 runs (threshold=-0.50)",
        # Two runs give no noise estimate: only the 4-run model has a false-alarm rate.
        "with no trend at all, the one judged model would fail on 0.0% of nights",
        "skipped files:",
        "  - zz.json: not a JSON object (top level is an array)",
        "to accept an intended decline, add under accept: in trendgate.yml: - {model: "
        '"openrouter/anthropic/claude-sonnet-4.5", after: "2026-05-08T16:53:20Z", '
        'reason: "why the decline is intended"}',
        "FAIL: 1 of 4 models regress (openrouter/anthropic/claude-sonnet-4.5); details above; "
        "1 with too few runs to judge",
    ]


def test_control_characters_cannot_break_lines() -> None:
    assert terminal_safe("a\nb\r\x1b[31mc\u2028d\x85") == "a\\x0ab\\x0d\\x1b[31mc\\u2028d\\x85"


def test_evidence_from_files_cannot_forge_lines(tmp_path: Path) -> None:
    hostile_directory(tmp_path)
    lines = render_text(analyze(tmp_path, PROPOSAL), Ending()).splitlines()
    assert not any(line.startswith("▼ REGRESSION: fake") for line in lines)
    assert "t\\x0a▼ REGRESSION: fake -10.00 (SE 0.00; -5.00 of the -10.00 points/run)" in (
        "\n".join(lines)
    )
    assert any("benchmark_version changed from 'v0\\x0a| <b>@x</b>'" in line for line in lines)


def test_rules_applied_are_listed_under_each_model(tmp_path: Path) -> None:
    lines = render_text(configured(tmp_path), Ending()).splitlines()
    assert lines[0].endswith(
        f"(window 4, threshold -0.50, min runs 2, config {tmp_path / 'trendgate.yml'})"
    )
    # Each model's rules come right under its verdict line (the evidence follows them).
    rule = ("    accepted decline ", "    rule ", "    includes runs named ")
    shown = [line for line in lines[1:] if not line.startswith(" ") or line.startswith(rule)]
    assert shown[:11] == [
        "▲ improving: accepted slope=+1.00 points/run over last 2 runs (threshold=-0.50)",
        "    accepted decline after run 0043 of 2026-05-08 16:53:20 UTC in 0043_accepted.json "
        "(4 earlier runs set aside): "
        "switched judge to haiku-4.5",
        "▼ REGRESSION: down slope=-2.00 points/run over last 4 runs (threshold=-0.50)",
        "▲ improving: joined slope=+1.00 points/run over last 4 runs (threshold=-0.50)",
        "    includes runs named old-name",
        "· insufficient data: one (1 run)",
        "→ stable: vendor/strict slope=-2.00 points/run over last 4 runs (threshold=-3.00)",
        "    rule vendor/*: threshold -3.0",
        "with no trend at all, at least one of the 3 judged models would fail on 0.0% of nights",
        "· free/m: ignored by rule free/* (3 runs)",
        "skipped files:",
    ]
    for i, line in enumerate(lines):
        if line.startswith(rule):
            assert lines[i - 1] == shown[shown.index(line) - 1]


NOISY_FLAT = [50, 60, 45, 58, 42, 55, 47, 61, 44, 52, 49, 57]


def _remedy(directory: Path, settings: Settings) -> str:
    """The setting the warning about a high false-alarm rate names."""
    write_series(directory, "noisy", NOISY_FLAT)
    text = render_text(analyze(directory, settings), Ending(verbose=True))
    warned = [line for line in text.splitlines() if "fails this gate on" in line]
    assert len(warned) == 1, text
    return warned[0].split("; ", 1)[1]


def test_a_noisy_model_under_the_proposal_rule_is_pointed_to_the_budget_rule(
    tmp_path: Path,
) -> None:
    # Not --confidence: the CLI ignores it under --rule proposal.
    remedy = _remedy(tmp_path, PROPOSAL)
    assert remedy == "the budget rule (leave out --rule proposal) lowers it"


def test_a_generous_budget_is_pointed_to_a_smaller_one(tmp_path: Path) -> None:
    # 20 a week for one model: a level of 20/7 a night, capped at 50 %.
    settings = budget_settings(false_alarms=Budget(20, "week"))
    assert _remedy(tmp_path, settings) == "a smaller --false-alarms lowers it"
