"""The `trendgate` command end to end: main(argv) in this process, and a few tests through a
real subprocess (`python -m trendgate`) to show both give the same."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from examples.verdict_demo import DRIFT, NOISY, STEP, STEP_AFTER, write_demo
from tests.builders import write_series
from tests.command import Command, Ran


def day_after(runs: int) -> dict[str, str]:
    """A clock the day after the last of `runs` nightly runs from write_series' start, so
    that no history here is behind it (issue 23's freshness rule)."""
    return {"SOURCE_DATE_EPOCH": str(int(1_778_000_000 + runs * 86_400))}


# The entry point as users run it, for a few of the tests below.
BOTH_WAYS = pytest.mark.parametrize("trendgate", ["in process", "subprocess"], indirect=True)


@pytest.fixture
def results(tmp_path: Path) -> Path:
    directory = tmp_path / "results"
    write_series(directory, "down", [90, 88, 86, 84])
    write_series(directory, "flat", [70, 70, 70], first_run=10)
    return directory


@BOTH_WAYS
def test_regression_exits_1_with_text_report(results: Path, trendgate: Command) -> None:
    proc = trendgate(results)
    assert proc.returncode == 1, proc.stderr
    # The default budget, 1 false alarm a month over 2 models run daily: 1 / (2 * 365.25 / 12).
    assert "▼ REGRESSION: down slope=-2.00 points/run over last 4 runs (level 1.64%)" in proc.stdout
    assert "→ stable: flat slope=+0.00 points/run over last 3 runs" in proc.stdout
    assert proc.stderr == ""


def test_no_regression_exits_0(results: Path, trendgate: Command) -> None:
    proc = trendgate(results, "--model", "flat")
    assert proc.returncode == 0, proc.stderr
    assert "down" not in proc.stdout


def test_no_fail_reports_but_exits_0(results: Path, trendgate: Command) -> None:
    proc = trendgate(results, "--no-fail")
    assert proc.returncode == 0
    assert "▼ REGRESSION" in proc.stdout


def test_threshold_and_window_change_the_verdict(results: Path, trendgate: Command) -> None:
    assert trendgate(results, "--threshold", "-3").returncode == 0  # the budget's floor
    assert trendgate(results, "--rule", "proposal", "--threshold", "-3").returncode == 0
    proposal = ("--rule", "proposal", "--window", "2", "--threshold", "-2.5")
    assert trendgate(results, *proposal).returncode == 0


def test_min_runs_that_no_model_has_fails_closed_unless_allowed(
    results: Path, trendgate: Command
) -> None:
    proc = trendgate(results, "--min-runs", "5")
    assert proc.returncode == 2
    assert proc.stderr == (
        f"trendgate: error: no model has enough runs to judge in {results}: the most is 4 of "
        "the 5 min_runs asks for (down); a first night, or a history not kept between runs? "
        "Keep one as README.md's nightly workflow does; --allow-unjudged (input "
        "allow-unjudged) passes meanwhile\n"
    )
    proc = trendgate(results, "--min-runs", "5", "--allow-unjudged")
    assert proc.returncode == 0
    assert "· insufficient data: down (4 runs)" in proc.stdout


def test_json_format_on_stdout(results: Path, trendgate: Command) -> None:
    proc = trendgate(results, "--format", "json")
    assert proc.returncode == 1
    report = json.loads(proc.stdout)
    assert [(m["model"], m["status"]) for m in report["models"]] == [
        ("down", "regression"),
        ("flat", "stable"),
    ]


def test_json_file_beside_text(results: Path, tmp_path: Path, trendgate: Command) -> None:
    out = tmp_path / "report.json"
    proc = trendgate(results, "--json", out)
    assert proc.stdout.startswith("trendgate: ")
    assert json.loads(out.read_text())["regression"] is True
    assert not list(tmp_path.glob(".report.json.*"))  # no temporary file left behind


def test_default_directory_is_results(results: Path, trendgate: Command) -> None:
    assert trendgate(cwd=results.parent).returncode == 1


def test_output_dir_alias(results: Path, trendgate: Command) -> None:
    assert trendgate("--output-dir", results).returncode == 1
    assert trendgate(results, "--output-dir", results).returncode == 1
    proc = trendgate(results, "--output-dir", results.parent)
    assert proc.returncode == 2
    assert "give the results directory once" in proc.stderr


@BOTH_WAYS
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--window", "1"], "argument --window: window must be at least 2 (got 1)"),
        (["--min-runs", "1"], "argument --min-runs: min-runs must be at least 2 (got 1)"),
        (["--threshold", "x"], "argument --threshold: threshold must be a number (got 'x')"),
        (["--format", "xml"], "argument --format: invalid choice"),
        (["--bogus"], "unknown option --bogus (see trendgate -h)"),
        (["--confidence", "1"], "argument --confidence: confidence must be between 0 and 1"),
        (["--confidence", "95"], "argument --confidence: confidence must be between 0 and 1"),
        (["--confidence", "nan"], "argument --confidence: confidence must be between 0 and 1"),
        (["--confidence", "high"], "argument --confidence: confidence must be a number"),
        (["--x", "date"], "argument --x: invalid choice: 'date'"),
    ],
)
def test_usage_errors_exit_2(
    results: Path, args: list[str], message: str, trendgate: Command
) -> None:
    proc = trendgate(results, *args)
    assert proc.returncode == 2
    assert message in proc.stderr
    assert "Traceback" not in proc.stderr


def test_unknown_model_exits_2(results: Path, trendgate: Command) -> None:
    proc = trendgate(results, "--model", "nope")
    assert proc.returncode == 2
    assert proc.stderr == "trendgate: error: no runs for model 'nope'\n"


def test_missing_directory_exits_2(tmp_path: Path, trendgate: Command) -> None:
    proc = trendgate(tmp_path / "nope")
    assert proc.returncode == 2
    assert proc.stderr == f"trendgate: error: results directory not found: {tmp_path / 'nope'}\n"


def test_empty_directory_exits_2_unless_allowed(tmp_path: Path, trendgate: Command) -> None:
    proc = trendgate(tmp_path)
    assert proc.returncode == 2
    assert proc.stderr == f"trendgate: error: no result files (*.json) in {tmp_path}\n"
    assert trendgate(tmp_path, "--allow-empty").returncode == 0


def test_a_missing_results_directory_is_exit_2_even_with_allow_empty(
    tmp_path: Path, trendgate: Command
) -> None:
    missing = tmp_path / "history"
    proc = trendgate(missing, "--allow-empty")
    assert (proc.returncode, proc.stderr) == (
        2,
        f"trendgate: error: results directory not found: {missing}\n",
    )
    # Unless --add creates it: then an empty night with --allow-empty is a pass.
    (tmp_path / "tonight").mkdir()
    proc = trendgate(missing, "--add", tmp_path / "tonight", "--allow-empty")
    assert proc.returncode == 0, proc.stderr
    assert missing.is_dir()


def test_results_only_in_sub_folders_are_exit_2_with_the_add_to_collect_them(
    tmp_path: Path, trendgate: Command
) -> None:
    # As download-artifact lays out several artifacts: one folder each.
    results = tmp_path / "results"
    write_series(results / "artifact-a", "down", [90, 88])
    write_series(results / "artifact-b", "flat", [70, 70])
    (results / ".judge_cache").mkdir()
    for flags in ([], ["--allow-empty"]):
        proc = trendgate(results, *flags)
        assert (proc.returncode, proc.stderr) == (
            2,
            f"trendgate: error: no result files (*.json) in {results}, but 4 *.json files in "
            f"its sub-folders, such as {results}/artifact-a/0001_down.json: collect them with "
            f"`trendgate add {results} --to HISTORY` and judge HISTORY\n",
        )
    # Sub-folders without a result (PinchBench's transcripts, say) change nothing.
    other = tmp_path / "other"
    (other / "0001_transcripts").mkdir(parents=True)
    (other / "0001_transcripts" / "t.json").write_text("[]")
    proc = trendgate(other)
    assert proc.stderr == f"trendgate: error: no result files (*.json) in {other}\n"


def test_a_copy_of_a_run_under_another_name_counts_once(results: Path, trendgate: Command) -> None:
    # A cache restored beside the history it was made from: the same run twice.
    copy = (results / "0002_down.json").read_bytes()
    (results / "restored_0002_down.json").write_bytes(copy)
    proc = trendgate(results, "--format", "json")
    report = json.loads(proc.stdout)
    [down] = [m for m in report["models"] if m["model"] == "down"]
    # 90, 88, 86, 84 over runs 0..3: exactly -2 a run, as if the copy were not there.
    assert (down["slope"], down["run_count"]) == (-2.0, 4)
    assert {
        "path": "0002_down.json",
        "message": (
            "identical copies 0002_down.json, restored_0002_down.json of one run counted once"
        ),
    } in report["warnings"]


def test_nothing_readable_exits_2_and_lists_why(tmp_path: Path, trendgate: Command) -> None:
    (tmp_path / "0001_m.json").write_text('{"model": "m", "in_progress": true}')
    proc = trendgate(tmp_path)
    assert proc.returncode == 2
    assert "  - 0001_m.json: partial file (in_progress: true)" in proc.stdout
    assert proc.stderr.endswith("the 1 file was skipped\n")
    assert "Traceback" not in proc.stderr


@BOTH_WAYS
def test_version(trendgate: Command) -> None:
    proc = trendgate("--version")
    assert proc.returncode == 0
    assert proc.stdout.startswith("trendgate ")


def test_help_lists_exit_codes(trendgate: Command) -> None:
    proc = trendgate("-h")
    assert proc.returncode == 0
    assert "Exit codes: 0 no regression, 1 a model regresses, 2 usage or input error" in (
        " ".join(proc.stdout.split())
    )


def test_real_samples(samples: Path, trendgate: Command) -> None:
    # One run of each model: nothing to judge yet, so it takes --allow-unjudged to pass.
    assert trendgate(samples).returncode == 2
    proc = trendgate(samples, "--format", "json", "--allow-unjudged")
    assert proc.returncode == 0
    report = json.loads(proc.stdout)
    assert {m["model"]: m["status"] for m in report["models"]} == {
        "agent:main": "insufficient_data",
        "clean-r1-fp32": "insufficient_data",
        "step16-lora": "insufficient_data",
        "step8-lora": "insufficient_data",
    }
    assert report["skipped"] == []


# --- Confidence, segment, time axis and the backtest subcommand ---


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    """The synthetic directory quoted in the issue note: a drift, a step, and noise."""
    directory = tmp_path / "demo"
    write_demo(directory)
    return directory


def statuses(proc: Ran) -> dict[str, str]:
    return {m["model"]: m["status"] for m in json.loads(proc.stdout)["models"]}


def test_demo_verdicts_by_default_and_by_the_proposal(demo: Path, trendgate: Command) -> None:
    proposal = trendgate(demo, "--format", "json", "--rule", "proposal")
    assert proposal.returncode == 1
    assert statuses(proposal) == {DRIFT: "regression", STEP: "regression", NOISY: "regression"}
    default = trendgate(demo, "--format", "json")
    assert default.returncode == 1
    assert statuses(default) == {DRIFT: "regression", STEP: "regression", NOISY: "stable"}
    report = json.loads(default.stdout)
    assert report["settings"]["rule"] == "budget"
    assert report["settings"]["false_alarms"] == "1/month"
    step = next(m for m in report["models"] if m["model"] == STEP)["step"]
    assert step["after_run"] == f"{(STEP_AFTER - 1) * 3 + 2:04d}"  # the step model's last high run
    drift = next(m for m in report["models"] if m["model"] == DRIFT)
    assert drift["step"] is None
    assert {t["task_id"] for t in drift["tasks"][:2]} == {
        "task_code_fix_tests",
        "task_code_refactor",
    }
    assert drift["categories"][0]["category"] == "coding"


def test_json_carries_every_new_field(demo: Path, trendgate: Command) -> None:
    (model, *_) = json.loads(trendgate(demo, "--format", "json").stdout)["models"]
    for key in (
        "slope_stderr",
        "slope_ci",
        "p_value",
        "theil_sen_slope",
        "min_detectable_slope",
        "detectable_slope",
        "expected_false_alarm_rate",
        "noise",
        "influential_run",
        "influence",
        "step",
        "tasks",
        "categories",
        "warnings",
    ):
        assert key in model
    assert len(model["slope_ci"]) == 2
    assert set(model["tasks"][0]) == {
        "task_id",
        "slope",
        "share",
        "stderr",
        "p_value",
        "stands_out",
    }


def test_text_report_shows_the_evidence(demo: Path, trendgate: Command) -> None:
    out = trendgate(demo, "--rule", "proposal").stdout
    assert (
        "95% CI [" in out
        and "Theil-Sen" in out
        and "one-sided p for a decline" in out
        and "80% of the time" in out
    )
    assert "window 2026-05-17 to 2026-05-26 (9.0 days)" in out
    # The step model's run of night 9 (STEP_AFTER - 1), 10 minutes after the drifting one's.
    step = f"{(STEP_AFTER - 1) * 3 + 2:04d}"
    assert (
        f"step of -6.1 points after run {step} of 2026-05-20 00:10:00 UTC in "
        f"{step}_demo-steps-down.json" in out
    )
    assert "declining tasks that stand out (Holm, 5% family-wise, of 8): task_code_fix_tests" in out


def test_time_axis_and_segment_options(results: Path, trendgate: Command) -> None:
    proc = trendgate(results, "--x", "time", "--segment")
    assert proc.returncode == 1
    assert "per day, comparable segment only" in proc.stdout.splitlines()[0]
    assert "▼ REGRESSION: down slope=-2.00 points/day over last 4 runs" in proc.stdout


def test_backtest_lists_when_the_gate_would_have_failed(tmp_path: Path, trendgate: Command) -> None:
    write_series(tmp_path, "m", [80, 81, 80, 78, 76, 77, 78])
    proc = trendgate("backtest", tmp_path, "--rule", "proposal", "--window", "3", env=day_after(7))
    assert proc.returncode == 0, proc.stderr  # a replay reports; it never fails the build
    lines = proc.stdout.splitlines()
    assert lines[0].startswith(f"trendgate backtest: {tmp_path}: 7 runs read")
    # Windows of 3: [81, 80, 78] falls 1.5 a run, [80, 78, 76] 2; [78, 76, 77] only 0.5.
    assert lines[1:] == [
        "m: would have failed 2 of 7 gate runs",
        "  - after run 0004 of 2026-05-08 16:53:20 UTC in 0004_m.json: "
        "slope=-1.50 points/run over 3 runs",
        "  - after run 0005 of 2026-05-09 16:53:20 UTC in 0005_m.json: "
        "slope=-2.00 points/run over 3 runs",
        "total: the gate would have failed 2 of 7 times",
    ]


def test_backtest_json(tmp_path: Path, trendgate: Command) -> None:
    write_series(tmp_path, "m", [80, 70, 85])
    proposal = ("--rule", "proposal")
    report = json.loads(trendgate("backtest", tmp_path, "--format", "json", *proposal).stdout)
    assert report["failures"] == 1
    assert [v["status"] for v in report["models"][0]["verdicts"]] == [
        "insufficient_data",
        "regression",
        "improving",
    ]


def test_backtest_fails_closed_on_nothing_to_read(tmp_path: Path, trendgate: Command) -> None:
    proc = trendgate("backtest", tmp_path)
    assert proc.returncode == 2
    assert "no result files" in proc.stderr
    assert trendgate("backtest", tmp_path, "--allow-empty").returncode == 0
    assert "--no-fail" in trendgate("-h").stdout
    assert "--no-fail" not in trendgate("backtest", "-h").stdout


def test_a_directory_named_backtest_is_reached_as_a_path(
    tmp_path: Path, trendgate: Command
) -> None:
    write_series(tmp_path / "backtest", "down", [90, 88, 86])
    assert trendgate("./backtest", cwd=tmp_path).returncode == 1
    assert trendgate("--output-dir", "backtest", cwd=tmp_path).returncode == 1
    # The bare word is the subcommand: it replays the default directory, here missing.
    proc = trendgate("backtest", cwd=tmp_path)
    assert proc.returncode == 2
    assert "results directory not found: results" in proc.stderr
    assert trendgate("backtest", "backtest", cwd=tmp_path).returncode == 0


def test_markdown_file(results: Path, tmp_path: Path, trendgate: Command) -> None:
    proc = trendgate(results, "--markdown", tmp_path / "summary.md")
    assert proc.returncode == 1, proc.stderr
    summary = (tmp_path / "summary.md").read_text(encoding="utf-8")
    assert summary.startswith("### ❌ trendgate: 1 of 2 models regressing: down\n")


def test_markdown_file_that_cannot_be_written_exits_2(
    results: Path, tmp_path: Path, trendgate: Command
) -> None:
    proc = trendgate(results, "--markdown", tmp_path / "missing" / "summary.md")
    assert proc.returncode == 2
    assert proc.stderr.startswith(f"trendgate: error: cannot write {tmp_path}")


# The job summary is written whenever the runner names a summary file, as the Action does
# (issue 14: the CLI used to require GITHUB_ACTIONS=true as well).
@BOTH_WAYS
@pytest.mark.parametrize(("actions", "set_file"), [("true", True), ("", True), ("true", False)])
def test_job_summary_whenever_the_runner_names_a_file(
    results: Path, tmp_path: Path, actions: str, set_file: bool, trendgate: Command
) -> None:
    summary = tmp_path / "step_summary"
    summary.write_text("earlier\n", encoding="utf-8")
    env = {"GITHUB_ACTIONS": actions, "GITHUB_STEP_SUMMARY": str(summary) if set_file else ""}
    proc = trendgate(results, env=env)
    assert proc.returncode == 1, proc.stderr
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("earlier\n")
    assert ("### ❌ trendgate: 1 of 2 models regressing" in text) is set_file


def test_config_only_models_is_repeated_model_flags(
    results: Path, tmp_path: Path, trendgate: Command
) -> None:
    config = tmp_path / "only.yml"
    config.write_text('only_models: ["flat"]\n')
    proc = trendgate(results, "--config", config)
    assert proc.returncode == 0, proc.stderr
    assert "down" not in proc.stdout and "flat" in proc.stdout
    # A --model flag replaces the file's list, as every flag does.
    assert trendgate(results, "--config", config, "--model", "down").returncode == 1


# Issue 15: errors never read as a pass, one-line usage errors, the ending line.


def test_a_mistyped_option_is_one_line_with_the_nearest_real_one(
    results: Path, trendgate: Command
) -> None:
    proc = trendgate(results, "--treshold", "-1")
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr == "trendgate: error: unknown option --treshold; did you mean --threshold?\n"
    assert "usage:" in trendgate("-h").stdout  # the full usage only when asked for


def test_backtest_says_why_it_refuses_a_gate_option(results: Path, trendgate: Command) -> None:
    for flag, why in [
        ("--markdown", "--markdown: a backtest has no Markdown job summary; --json FILE writes it"),
        ("--junit", "--junit: a backtest has no JUnit XML report; --json FILE writes it"),
    ]:
        proc = trendgate("backtest", results, flag, "out")
        assert (proc.returncode, proc.stderr) == (2, f"trendgate: error: {why}\n")
    no_fail = trendgate("backtest", results, "--no-fail")
    assert no_fail.stderr == (
        "trendgate: error: --no-fail: not an option of trendgate backtest, which reports "
        "without failing\n"
    )


def test_a_missing_directory_prints_nothing_but_the_error(
    tmp_path: Path, trendgate: Command
) -> None:
    proc = trendgate(tmp_path / "nope")
    assert (proc.returncode, proc.stdout) == (2, "")


@pytest.mark.parametrize("command", [[], ["backtest"]])
def test_an_input_error_still_gives_a_json_report_that_is_no_pass(
    tmp_path: Path, command: list[str], trendgate: Command
) -> None:
    missing = tmp_path / "nope"
    written = tmp_path / "r.json"
    proc = trendgate(*command, missing, "--format", "json", "--json", written)
    assert proc.returncode == 2
    error = f"results directory not found: {missing}"
    assert proc.stderr == f"trendgate: error: {error}\n"
    for doc in (json.loads(proc.stdout), json.loads(written.read_text())):
        assert (doc["exit_code"], doc["error"], doc["models"]) == (2, error, [])
        assert doc.get("regression", False) is False


def test_a_usage_error_still_writes_the_reports_asked_for(
    results: Path, tmp_path: Path, trendgate: Command
) -> None:
    report, junit = tmp_path / "r.json", tmp_path / "j.xml"
    proc = trendgate(results, "--json", report, "--junit", junit, "--window", "1")
    assert proc.returncode == 2
    error = "argument --window: window must be at least 2 (got 1)"
    assert proc.stderr == f"trendgate: error: {error}\n"
    assert json.loads(report.read_text())["error"] == error
    assert 'errors="1"' in junit.read_text()
    # Never inside the results directory, even when the rest of the line is wrong.
    inside = results / "r.json"
    assert trendgate(results, "--json", inside, "--bogus").returncode == 2
    # `-1` may be the unknown option's value or the directory: neither gets a report inside.
    assert trendgate("--treshold", "-1", results, "--json", inside).returncode == 2
    assert not inside.exists()


def test_reports_carry_the_exit_code(results: Path, tmp_path: Path, trendgate: Command) -> None:
    failing = json.loads(trendgate(results, "--format", "json").stdout)
    assert (failing["exit_code"], failing["error"], failing["regression"]) == (1, None, True)
    passing = json.loads(trendgate(results, "--no-fail", "--format", "json").stdout)
    assert (passing["exit_code"], passing["regression"]) == (0, True)


def test_the_closing_line_is_last_and_says_what_to_do(
    results: Path, tmp_path: Path, trendgate: Command
) -> None:
    lines = trendgate(results).stdout.splitlines()
    assert lines[-1] == "FAIL: 1 of 2 models regress (down); details above"
    assert lines[-2].startswith(
        "to accept an intended decline, add under accept: in trendgate.yml:"
    )
    report_only = trendgate(results, "--no-fail").stdout.splitlines()
    assert report_only[-1] == "PASS (report only, --no-fail): 1 of 2 models regress (down)"
    passing = trendgate(results, "--model", "flat").stdout.splitlines()
    assert passing[-1] == "PASS: 0 of 1 model regresses"
    empty = tmp_path / "empty"
    empty.mkdir()
    allowed = trendgate(empty, "--allow-empty").stdout.splitlines()
    assert (
        allowed[-1]
        == f"PASS (--allow-empty): nothing to judge: no result files (*.json) in {empty}"
    )


def test_the_accept_entry_suggested_does_accept_the_decline(
    results: Path, tmp_path: Path, trendgate: Command
) -> None:
    import yaml

    hint = trendgate(results).stdout.splitlines()[-2]
    entry = hint.split(": ", 1)[1].split("trendgate.yml: ", 1)[1]
    config = tmp_path / "trendgate.yml"
    config.write_text("accept:\n  " + entry + "\n")
    assert yaml.safe_load(config.read_text())["accept"][0]["model"] == "down"
    accepted = trendgate(results, "--config", config)
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    assert (
        "accepted decline after 2026-05-08T16:53:20Z (4 earlier runs set aside)" in accepted.stdout
    )


def test_passing_models_take_one_line_unless_verbose(results: Path, trendgate: Command) -> None:
    def flat_lines(*args: str) -> list[str]:
        lines = trendgate(results, *args).stdout.splitlines()
        start = next(i for i, line in enumerate(lines) if line.startswith("→ stable: flat"))
        end = next(i for i in range(start + 1, len(lines)) if not lines[i].startswith("    "))
        return lines[start:end]

    assert len(flat_lines()) == 1
    assert flat_lines("--verbose")[1].startswith("    window 2026-05-05 to 2026-05-07")


def test_plurals_are_right(tmp_path: Path, trendgate: Command) -> None:
    write_series(tmp_path, "m", [50])
    (tmp_path / "x.json").write_text("[]")
    lines = trendgate(tmp_path, "--allow-unjudged").stdout.splitlines()
    assert lines[0].startswith(f"trendgate: {tmp_path}: 1 run read, 1 file skipped (")
    assert "· insufficient data: m (1 run)" in lines
    assert lines[-1] == "PASS: 0 of 1 model regresses; 1 with too few runs to judge"


def test_min_runs_above_the_window_names_both_and_where_each_was_set(
    results: Path, tmp_path: Path, trendgate: Command
) -> None:
    proc = trendgate(results, "--rule", "proposal", "--min-runs", "11")
    assert (proc.returncode, proc.stdout) == (2, "")
    assert proc.stderr == (
        "trendgate: error: min runs 11 (--min-runs) is more than the window of 10 runs "
        "(default): no model could ever be judged; lower min runs to 10 at most, or widen "
        "the window\n"
    )
    config = tmp_path / "trendgate.yml"
    config.write_text('window: 3\nmodels:\n  "d*":\n    min_runs: 4\n')
    proc = trendgate(results, "--config", config)
    assert proc.stderr == (
        f"trendgate: error: min runs 4 ({config}:3, models: 'd*') is more than the window of 3 "
        f"runs ({config}:1): no model could ever be judged; lower min runs to 3 at most, or "
        "widen the window\n"
    )


def test_a_positive_threshold_is_warned_about_in_every_report(
    results: Path, trendgate: Command
) -> None:
    warning = (
        "threshold +0.50 is above 0: a model that holds steady regresses (a decline is a "
        "negative slope; did you mean -0.50?)"
    )
    # Where the slope alone decides; under the budget rule a floor above 0 changes nothing.
    proposal = ("--rule", "proposal", "--threshold", "0.5")
    proc = trendgate(results, *proposal, env=day_after(4))
    assert proc.returncode == 1
    assert proc.stdout.splitlines()[1] == f"WARNING: {warning}"  # before the verdicts
    json_format = ("--format", "json")
    doc = json.loads(trendgate(results, *proposal, *json_format, env=day_after(4)).stdout)
    assert doc["setting_warnings"] == [warning]
    budget = trendgate(results, "--threshold", "0.5", *json_format, env=day_after(4)).stdout
    assert json.loads(budget)["setting_warnings"] == []


def test_rules_that_match_nothing_are_warned_about(
    results: Path, tmp_path: Path, trendgate: Command
) -> None:
    config = tmp_path / "trendgate.yml"
    config.write_text(
        'models:\n  "dwn*":\n    threshold: -1\n'
        'aliases:\n  "flat": ["flta"]\n'
        'accept:\n  - model: "nobody"\n    after: "2026-01-01T00:00:00Z"\n    reason: "x"\n'
    )
    proc = trendgate(results, "--config", config, "--format", "json", env=day_after(4))
    doc = json.loads(proc.stdout)
    assert doc["setting_warnings"] == [
        f"{config}:2: models: 'dwn*' matches no model in {results}",
        f"{config}:5: aliases: 'flta' (joined into 'flat') has no runs in {results}; "
        "check its spelling, or remove it",
        f"{config}:7: accept: 'nobody' matches no model in {results}",
    ]


def test_a_trendgate_yaml_that_is_not_read_is_warned_about(
    results: Path, tmp_path: Path, trendgate: Command
) -> None:
    (tmp_path / "trendgate.yaml").write_text("window: 3\n")
    proc = trendgate("results", "--format", "json", cwd=tmp_path, env=day_after(4))
    assert json.loads(proc.stdout)["setting_warnings"] == [
        "trendgate.yaml is not read: trendgate reads trendgate.yml; rename it, or pass "
        "--config trendgate.yaml"
    ]


def test_model_naming_an_alias_says_which_series(
    results: Path, tmp_path: Path, trendgate: Command
) -> None:
    config = tmp_path / "trendgate.yml"
    config.write_text('aliases:\n  "flat": ["old flat"]\n')
    write_series(results, "old flat", [70], first_run=30)
    proc = trendgate(results, "--config", config, "--model", "old flat")
    assert proc.returncode == 2
    assert proc.stderr == (
        f"trendgate: error: model 'old flat' is an alias of the series 'flat' ({config}:2): "
        "name the series instead, --model flat\n"
    )


def test_backtest_replays_the_budget_a_collapse_fails_on_its_second_night(
    tmp_path: Path, trendgate: Command
) -> None:
    write_series(tmp_path, "m", [70, 72, 68, 71, 69, 70, 73, 67, 70, 71, 30, 31])
    proc = trendgate("backtest", tmp_path, "--false-alarms", "1/year", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["settings"]["false_alarms"] == "1/year"
    assert report["settings"]["level"] == pytest.approx(1 / 365.25)  # one model, run daily
    statuses = [v["status"] for v in report["models"][0]["verdicts"]]
    assert statuses[:2] == ["insufficient_data"] * 2  # the rule needs 3 runs
    assert "regression" not in statuses[:11]  # the first low run alone is one bad night
    assert statuses[11] == "regression"
