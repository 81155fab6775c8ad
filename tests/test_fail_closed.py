"""Issue 23: no input, clock or config typo makes a declining model pass.

Each test drives the command (or the public API) the way a hostile or careless user would, and
was seen to fail on 9c0c7e7, the commit before the fix (the exceptions say so). The declining
model is judged with explicit flags (`--window 6 --threshold -0.5`), so that the outcome pinned
here does not move when the default rule does; the hostile-file matrix at the end runs under the
default rule too.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.builders import result_doc, write_doc, write_series
from tests.command import Command
from tests.hostile_matrix import (
    CLOCK,
    DAY,
    FLAG_SETS,
    HOSTILE_FILES,
    NOW,
    RULE,
    RULES,
    SCORES,
    START,
    Maker,
    cli_flags,
    declining,
    night,
)
from trendgate import Settings
from trendgate.judge.analysis import analyze

PROPOSAL = ("--rule", "proposal")  # the slope alone decides, from two runs


def stdout_lines(out: str) -> list[str]:
    return out.splitlines()


# Defect 1: a task score outside [0, 1] makes the run unusable; nothing non-finite passes.


@pytest.mark.parametrize(
    ("score", "shown"),
    [(1.7e306, "1.7e+306"), (65.0, "65"), (-0.5, "-0.5"), (1.01, "1.01")],
)
def test_a_task_score_outside_0_1_skips_the_run(
    tmp_path: Path, trendgate: Command, score: float, shown: str
) -> None:
    # 9c0c7e7: the run was kept with a warning; 1.7e306 gave "improving" (slope +inf), exit 0,
    # and a percent-scale 65 hid the decline under --strict too.
    results = tmp_path / "results"
    declining(results)
    write_doc(results, "9999_tonight.json", night("acme/falling", 6, [score]))
    for strict in ((), ("--strict",)):
        ran = trendgate(results, *RULE, *strict, "--format", "json", env=CLOCK)
        report = json.loads(ran.stdout)
        skipped = {s["path"]: s["reason"] for s in report["skipped"]}
        assert skipped["9999_tonight.json"] == (
            f"task task_0 scores {shown}, outside 0..1 (a score is a fraction; percent scale?)"
        )
        assert ran.returncode == (2 if strict else 1)
        assert report["models"][0]["status"] == "regression"


def test_a_score_within_rounding_of_0_1_is_read(tmp_path: Path, trendgate: Command) -> None:
    # The stated tolerance: 1e-9 beyond either end is float rounding, not a bad file.
    results = tmp_path / "results"
    write_doc(results, "a.json", night("m", 0, [1 + 1e-10, -1e-10]))
    write_doc(results, "b.json", night("m", 1, [1.0, 0.0]))
    soon = {"SOURCE_DATE_EPOCH": str(int(START + 2 * DAY))}
    ran = trendgate(results, *PROPOSAL, "--format", "json", "--strict", env=soon)
    assert ran.returncode == 0, ran.stderr
    assert json.loads(ran.stdout)["skipped"] == []


def test_a_non_finite_number_reaching_a_verdict_is_exit_2_naming_the_model(
    tmp_path: Path,
) -> None:
    # The last guard, behind the reader's: a series whose runs carry absurd scores (built here
    # without a file, as a reader bug would let through) never passes.
    # 9c0c7e7: decide_exit() gave exit 0 on the slope +inf ("improving").
    from dataclasses import replace

    from trendgate import Series, Settings, analyze
    from trendgate.app.gate import decide_exit
    from trendgate.judge.trend import judge

    results = tmp_path / "results"
    declining(results)
    analysis = analyze(results, Settings(window=6), now=NOW)
    runs = analysis.trends[0].runs
    # Two runs at grading.mean 1.7e306 (1.7e308 points): the window's sums overflow to NaN.
    absurd = (*runs[:4], *(replace(r, score_pct=1.7e308) for r in runs[4:]))
    trend = judge(Series("acme/absurd", absurd), Settings(window=6))
    decision = decide_exit(replace(analysis, trends=(*analysis.trends, trend)))
    assert decision.code == 2
    assert decision.reason is not None and "acme/absurd" in decision.reason
    assert "not a finite number" in decision.reason


def test_a_perfect_line_is_judged_by_its_slope_alone(tmp_path: Path, trendgate: Command) -> None:
    # Zero residual variance is not a non-finite case: -5 a night is a regression, a flat line
    # is stable, under --confidence too. (This held on 9c0c7e7 already; pinned here.)
    results = tmp_path / "results"
    declining(results)
    write_series(results, "acme/flat", [70] * 6, first_run=20)
    for flags in ((), ("--confidence", "0.95"), ("--x", "time")):
        ran = trendgate(results, *RULE, *flags, "--format", "json", env=CLOCK)
        status = {m["model"]: m["status"] for m in json.loads(ran.stdout)["models"]}
        assert status == {"acme/falling": "regression", "acme/flat": "stable"}, flags
        assert ran.returncode == 1


# Defect 2: an unexpected exception is exit 2 with one line, never a traceback or exit 1.


def _python(
    code: str, *args: str, env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    import os

    full = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "INPUT_"))}
    full |= env or {}
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        env=full,
        cwd=cwd,
        timeout=120,
    )


CRASH_CLI = """
import sys
import trendgate.app.run
def broken(*a, **k):
    raise RuntimeError("a bug")
trendgate.app.run.analyze = broken
from trendgate.app.cli import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.parametrize("flags", [(), ("--no-fail",)])
def test_an_unexpected_exception_in_the_command_is_exit_2_in_one_line(
    tmp_path: Path, flags: tuple[str, ...]
) -> None:
    # 9c0c7e7: a traceback and exit 1, the regression code, with --no-fail too.
    results = tmp_path / "results"
    declining(results)
    ran = _python(CRASH_CLI, str(results), *flags)
    assert ran.returncode == 2
    assert ran.stderr == (
        "trendgate: error: unexpected RuntimeError: a bug (a bug in trendgate: please report "
        "it; --debug or TRENDGATE_DEBUG=1 shows the traceback)\n"
    )
    debug = _python(CRASH_CLI, str(results), *flags, "--debug")
    assert debug.returncode == 2
    assert "Traceback (most recent call last)" in debug.stderr
    env = _python(CRASH_CLI, str(results), *flags, env={"TRENDGATE_DEBUG": "1"})
    assert env.returncode == 2 and "Traceback" in env.stderr


CRASH_ACTION = """
import sys
import trendgate.app.run
def broken(*a, **k):
    raise RuntimeError("a bug")
trendgate.app.run.analyze = broken
from trendgate.app.action import main
sys.exit(main())
"""


@pytest.mark.parametrize("fail", ["true", "false"])
def test_an_unexpected_exception_in_the_action_is_exit_2_in_one_annotation(
    tmp_path: Path, fail: str
) -> None:
    # 9c0c7e7: a traceback and exit 1, with fail-on-regression: false too.
    declining(tmp_path / "results")
    env = {
        "GITHUB_ACTIONS": "true",
        "GITHUB_WORKSPACE": str(tmp_path),
        "INPUT_RESULTS-DIR": "results",
        "INPUT_FAIL-ON-REGRESSION": fail,
    }
    ran = _python(CRASH_ACTION, env=env, cwd=tmp_path)
    assert ran.returncode == 2
    assert "Traceback" not in ran.stderr + ran.stdout
    assert ran.stdout.splitlines()[-1] == (
        "::error title=trendgate::trendgate: unexpected RuntimeError: a bug (a bug in "
        "trendgate: please report it; --debug or TRENDGATE_DEBUG=1 shows the traceback)"
    )


def test_a_score_that_broke_the_chart_gives_no_traceback(tmp_path: Path) -> None:
    # 9c0c7e7: one run at grading.mean 1e306 raised OverflowError in the summary's sparkline:
    # exit 1 under --no-fail, with a traceback.
    results = tmp_path / "results"
    declining(results)
    write_doc(results, "9999_tonight.json", night("acme/falling", 6, [1e306]))
    summary = tmp_path / "summary.md"
    ran = _python(
        "import sys; from trendgate.app.cli import main; sys.exit(main(sys.argv[1:]))",
        str(results),
        *RULE,
        "--no-fail",
        env={"GITHUB_STEP_SUMMARY": str(summary)} | CLOCK,
    )
    assert "Traceback" not in ran.stderr
    assert ran.returncode == 0  # report only: the run is skipped, the decline reported
    assert "▼ REGRESSION: acme/falling" in ran.stdout
    assert "9999_tonight.json: task task_0 scores 1e+306, outside 0..1" in ran.stdout


# Defect 3: a run from the future is unusable; tonight's run must be the newest.


def test_a_run_more_than_a_day_in_the_future_is_skipped(tmp_path: Path, trendgate: Command) -> None:
    # 9c0c7e7: a run stamped 2099 stayed "latest" forever: its 100 made the model improve.
    results = tmp_path / "results"
    declining(results)
    doc = result_doc("acme/falling", "2099", 4_070_908_800.0, [1.0])  # 2099-01-01
    write_doc(results, "2099.json", doc)
    ran = trendgate(results, *RULE, "--format", "json", env=CLOCK)
    assert ran.returncode == 1
    skipped = {s["path"]: s["reason"] for s in json.loads(ran.stdout)["skipped"]}
    assert skipped["2099.json"] == (
        "'timestamp' 2099-01-01 00:00:00 UTC is more than a day after now "
        "(2026-05-11 16:53:20 UTC): a wrong clock?"
    )
    # Within a day of now is a runner whose clock runs a little ahead: read.
    soon = result_doc("acme/falling", "soon", NOW + DAY - 60, [0.6])
    write_doc(results, "soon.json", soon)
    ran = trendgate(results, *RULE, "--format", "json", env=CLOCK)
    assert "soon.json" not in {s["path"] for s in json.loads(ran.stdout)["skipped"]}


def test_tonight_filed_but_not_newest_is_exit_2_naming_both_runs(
    tmp_path: Path, trendgate: Command
) -> None:
    # 9c0c7e7: filed, sorted as the oldest, never judged: a 40-point drop passed, exit 0.
    history = tmp_path / "history"
    write_series(history, "acme/model", [70] * 6)
    tonight = tmp_path / "tonight"
    write_doc(tonight, "run.json", result_doc("acme/model", "0099", START - 3 * DAY, [0.3]))
    for strict in ((), ("--strict",)):
        ran = trendgate(history, *RULE, "--add", tonight, *strict, env=CLOCK)
        assert ran.returncode == 2
        assert ran.stderr.splitlines()[-1] == (
            "trendgate: error: tonight's run 0099 of 2026-05-02 16:53:20 UTC in "
            f"{tonight / 'run.json'} is not the newest run of acme/model: run 0006 of "
            "2026-05-10 16:53:20 UTC in 0006_acme-model.json is newer (a wrong clock on the "
            "runner, or a replayed file?)"
        )


# Defect 4: an accept `after` later than the model's newest run (or now) is a config error.


@pytest.mark.parametrize("after", ["2062-05-16T00:00:00Z", "2026-05-10T17:00:00Z"])
def test_an_accept_after_the_newest_run_is_a_config_error(
    tmp_path: Path, trendgate: Command, after: str
) -> None:
    # 9c0c7e7: every run set aside, "insufficient data (0 runs)", exit 0.
    results = tmp_path / "results"
    declining(results)
    config = tmp_path / "trendgate.yml"
    config.write_text(
        f'accept:\n  - model: "acme/falling"\n    after: "{after}"\n    reason: "a typo for 2026"\n'
    )
    ran = trendgate(results, *RULE, "--config", config, env=CLOCK)
    assert ran.returncode == 2
    assert ran.stderr.startswith(f"trendgate: error: {config}:2: accept: after {after} is later ")
    assert "acme/falling" in ran.stderr and "2026-05-10 16:53:20 UTC" in ran.stderr


# Defect 5 is tested in tests/test_injection.py (every verdict state, every format).


# Defect 6: differing copies of one run under --strict are exit 2 naming both files.


def test_differing_copies_of_one_run_under_strict_are_exit_2(
    tmp_path: Path, trendgate: Command
) -> None:
    # 9c0c7e7: a copy with one task zeroed won the tie-break and flipped a stable model to
    # REGRESSION; --strict still exited 1.
    results = tmp_path / "results"
    for n in range(6):
        write_doc(results, f"{n}.json", night("acme/steady", n, [0.7, 0.7]))
    write_doc(results, "5-copy.json", night("acme/steady", 5, [0.7, 0.0]))
    ran = trendgate(results, *RULE, "--strict", env=CLOCK)
    assert ran.returncode == 2
    assert ran.stderr == (
        "trendgate: error: --strict: copies of one run differ: 5-copy.json and 5.json "
        "(same model, run id and timestamp)\n"
    )


# Gap: freshness against the clock.


def test_a_history_that_stopped_growing_is_said_and_fails_strict(
    tmp_path: Path, trendgate: Command
) -> None:
    # 9c0c7e7: staleness was only relative between models; a directory nobody adds to passed.
    results = tmp_path / "results"
    write_series(results, "acme/steady", [70] * 6)
    write_series(results, "acme/other", [60] * 6, first_run=20)
    late = {"SOURCE_DATE_EPOCH": str(int(START + 30 * DAY))}  # 25 days after the last run
    said = (
        "no model has had a run since 2026-05-10 (25.0 days before now, "
        "2026-06-04 16:53:20 UTC): is the history still added to?"
    )
    text = trendgate(results, *RULE, env=late)
    assert text.returncode == 0
    assert said in text.stdout
    report = trendgate(results, *RULE, "--format", "json", env=late)
    assert said in json.loads(report.stdout)["setting_warnings"]
    markdown = tmp_path / "summary.md"
    junit = tmp_path / "junit.xml"
    trendgate(results, *RULE, "--markdown", markdown, "--junit", junit, env=late)
    assert "no model has had a run since 2026&#45;05&#45;10" in markdown.read_text().replace(
        "-", "&#45;"
    )
    assert said in junit.read_text()
    strict = trendgate(results, *RULE, "--strict", env=late)
    assert strict.returncode == 2
    assert strict.stderr == f"trendgate: error: --strict: {said}\n"
    # The night after the last run, all is well.
    assert trendgate(results, *RULE, "--strict", env=CLOCK).returncode == 0


# Gap: --segment with a version that changes every night.


def test_a_segment_that_changes_every_night_is_warned_and_fails_strict(
    tmp_path: Path, trendgate: Command
) -> None:
    # 9c0c7e7: never judged, nothing said ("insufficient data", exit 0, --strict too).
    results = tmp_path / "results"
    for n, score in enumerate(SCORES):
        doc = night("acme/fork", n, [score / 100], benchmark_version=f"2.0.0+{n:07x}")
        write_doc(results, f"{n}.json", doc)
    said = (
        "--segment: acme/fork's last 6 runs hold 6 segments (each a different benchmark version, "
        "task set or runs per task), so it is never judged; does its version change every run?"
    )
    ran = trendgate(results, *RULE, "--segment", "--allow-unjudged", "--format", "json", env=CLOCK)
    assert said in json.loads(ran.stdout)["setting_warnings"]
    strict = trendgate(results, *RULE, "--segment", "--strict", "--allow-unjudged", env=CLOCK)
    assert strict.returncode == 2
    assert strict.stderr == f"trendgate: error: --strict: {said}\n"


# Gap: settings that can never fail are warned.


@pytest.mark.parametrize("window", ["2", "3"])
def test_confidence_with_a_window_of_3_or_less_is_warned(
    tmp_path: Path, trendgate: Command, window: str
) -> None:
    # 9c0c7e7: a gate that could never fail, said nowhere. The guarded rule is the Python
    # API's (Settings with a confidence); the command line's --confidence sets the budget's level.
    results = tmp_path / "results"
    declining(results)
    guarded = Settings(window=int(window), min_runs=2, confidence=0.95)
    assert (
        f"--confidence with a window of {window} runs can never fail: leaving out the most "
        "influential run leaves too few to measure the noise; use a window of 4 or more"
    ) in analyze(results, guarded, now=NOW).setting_warnings
    ran = trendgate(results, "--window", "3", "--confidence", "0.95", "--format", "json", env=CLOCK)
    assert json.loads(ran.stdout)["setting_warnings"] == []  # the budget rule has no guard


# Gap: a clock for reproducible reports.


def test_now_fixes_the_clock_for_every_clock_rule(tmp_path: Path, trendgate: Command) -> None:
    # 9c0c7e7: no --now (a usage error).
    results = tmp_path / "results"
    declining(results)
    late = "2026-06-04T16:53:20Z"
    ran = trendgate(results, *RULE, "--now", late)
    assert "no model has had a run since 2026-05-10" in ran.stdout
    ran = trendgate(results, *RULE, "--now", "2026-05-11T00:00:00Z")
    assert "no model has had a run since" not in ran.stdout
    # --now wins over SOURCE_DATE_EPOCH.
    ran = trendgate(
        results,
        *RULE,
        "--now",
        "2026-05-11T00:00:00Z",
        env={"SOURCE_DATE_EPOCH": str(int(START + 30 * DAY))},
    )
    assert "no model has had a run since" not in ran.stdout
    bad = trendgate(results, "--now", "tomorrow")
    assert bad.returncode == 2
    assert bad.stderr.endswith(
        "now must be an ISO 8601 time with a time zone, e.g. 2026-05-11T00:00:00Z "
        "(got 'tomorrow')\n"
    )
    env = trendgate(results, *RULE, env={"SOURCE_DATE_EPOCH": "soon"})
    assert env.returncode == 2
    assert "SOURCE_DATE_EPOCH must be Unix seconds (got 'soon')" in env.stderr


# Gap: a cap on tasks per run.


def test_a_run_with_more_than_10000_tasks_is_skipped(tmp_path: Path, trendgate: Command) -> None:
    # 9c0c7e7: read whole (a million tasks took 64 s and 1.15 GB).
    results = tmp_path / "results"
    declining(results)
    doc = night("acme/falling", 6, [1.0])
    doc["tasks"] = [{"task_id": f"t{i}", "grading": {"mean": 1.0}} for i in range(10_001)]
    write_doc(results, "9999_big.json", doc)
    ran = trendgate(results, *RULE, "--format", "json", env=CLOCK)
    assert ran.returncode == 1
    skipped = {s["path"]: s["reason"] for s in json.loads(ran.stdout)["skipped"]}
    assert skipped["9999_big.json"] == "10001 tasks, more than the 10000-task limit"


# Gap: hints.


def test_a_millisecond_timestamp_says_divide_by_1000(tmp_path: Path, trendgate: Command) -> None:
    results = tmp_path / "results"
    write_doc(results, "ms.json", result_doc("m", "1", START * 1000, [0.5]))
    ran = trendgate(results, "--format", "json", env=CLOCK)
    [skipped] = json.loads(ran.stdout)["skipped"]
    assert skipped["reason"] == (
        "'timestamp' 1778000000000.0 is not a plausible Unix time (milliseconds? divide by 1000)"
    )


def test_a_model_with_no_match_lists_the_closest_names(tmp_path: Path, trendgate: Command) -> None:
    results = tmp_path / "results"
    declining(results)
    write_series(results, "acme/flat", [70] * 6, first_run=20)
    write_series(results, "other/thing", [70] * 6, first_run=40)
    ran = trendgate(results, "--model", "acme/faling", env=CLOCK)
    assert ran.returncode == 2
    assert ran.stderr == (
        "trendgate: error: no runs for model 'acme/faling'; the closest names are "
        "'acme/falling', 'acme/flat'\n"
    )


def test_plain_trendgate_says_results_is_the_default_it_looked_for(
    tmp_path: Path, trendgate: Command
) -> None:
    ran = trendgate(cwd=tmp_path)
    assert ran.returncode == 2
    assert ran.stderr == (
        "trendgate: error: results directory not found: results (the default; give the "
        "directory of result files: trendgate DIR)\n"
    )


def test_a_positive_threshold_is_warned_before_the_verdicts(
    tmp_path: Path, trendgate: Command
) -> None:
    results = tmp_path / "results"
    write_series(results, "acme/flat", [70, 71, 69, 70, 71, 69])
    ran = trendgate(results, *PROPOSAL, "--window", "6", "--threshold", "0.5", env=CLOCK)
    assert ran.returncode == 1
    lines = ran.stdout.splitlines()
    warning = next(i for i, line in enumerate(lines) if "threshold +0.50 is above 0" in line)
    verdict = next(i for i, line in enumerate(lines) if line.startswith("▼ REGRESSION"))
    assert warning < verdict
    advice = [line for line in lines if "of nights" in line and "WARNING" in line]
    assert advice and all("--threshold -0.50" in line for line in advice)
    assert all("--confidence" not in line for line in advice)


# After the fix: a declining model never passes, whatever hostile file joins its history. The
# matrix (cases, flag sets, rules) is tests/hostile_matrix.py's; the container tier runs it too,
# in the built image (tests/e2e/container.py).


@pytest.mark.parametrize(("case", "make"), HOSTILE_FILES, ids=[c for c, _ in HOSTILE_FILES])
def test_a_declining_model_never_passes_whatever_joins_its_history(
    tmp_path: Path, trendgate: Command, case: str, make: Maker
) -> None:
    # 9c0c7e7: huge-score, percent-scale and from-2099 passed (exit 0), overflowing-score
    # crashed with exit 1 and a traceback. Under the default rule (the false-alarm budget,
    # window 15, min runs 3) as under an explicit window of 6: the six nights must fail both.
    # A copy with one task zeroed (zeroed-copy) is data the gate cannot tell from a real run;
    # without --strict it is read, and only deepens the decline; --strict refuses it (exit 2).
    results = tmp_path / "results"
    declining(results)
    make(results / f"9{case}.json")
    for rule in RULES.values():
        for flags in map(cli_flags, FLAG_SETS):
            ran = trendgate(results, *rule, *flags, env=CLOCK)
            assert ran.returncode in (1, 2), (rule, flags, ran.stdout, ran.stderr)
            assert "Traceback" not in ran.stderr
