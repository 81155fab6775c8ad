"""The Action entrypoint, with INPUT_*, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY as the runner sets."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.builders import write_series
from tests.runner import Command, executed_commands, parse_outputs
from tests.validate import validate_junit
from trendgate.app import action
from trendgate.escape import md_text


@dataclass
class Step:
    """A step's workspace and runner files; `run()` calls the entrypoint like the container does."""

    workspace: Path
    env: dict[str, str]
    capsys: pytest.CaptureFixture[str]

    def run(self, **inputs: str) -> tuple[int, str]:
        env = dict(self.env)
        env.update({"INPUT_" + k.replace("_", "-").upper(): v for k, v in inputs.items()})
        code = action.main(env)
        return code, self.capsys.readouterr().out

    @property
    def outputs(self) -> dict[str, str]:
        return parse_outputs(Path(self.env["GITHUB_OUTPUT"]).read_text(encoding="utf-8"))

    @property
    def summary(self) -> str:
        return Path(self.env["GITHUB_STEP_SUMMARY"]).read_text(encoding="utf-8")


@pytest.fixture
def step(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Step:
    workspace = tmp_path / "workspace"
    files = tmp_path / "file_commands"
    workspace.mkdir()
    files.mkdir()
    (files / "set_output").write_text("")
    (files / "step_summary").write_text("")
    monkeypatch.chdir(workspace)  # the runner's --workdir
    env = {
        "GITHUB_ACTIONS": "true",
        "GITHUB_WORKSPACE": str(workspace),
        "GITHUB_OUTPUT": str(files / "set_output"),
        "GITHUB_STEP_SUMMARY": str(files / "step_summary"),
    }
    return Step(workspace, env, capsys)


@pytest.fixture
def bench(step: Step) -> Path:
    directory = step.workspace / "bench"
    write_series(directory, "acme/falling", [90, 88, 86, 84])
    write_series(directory, "acme/flat", [70, 70, 70], first_run=10)
    return directory


def errors(log: str) -> list[Command]:
    return [c for c in executed_commands(log) if c.name == "error"]


def test_regression_fails_the_step_with_summary_outputs_and_annotation(
    step: Step, bench: Path
) -> None:
    code, log = step.run(results_dir="bench")
    assert code == 1
    assert step.outputs == {
        "regression": "true",
        "regressed-models": '["acme/falling"]',
        "models-analyzed": "2",
        "runs-added": "0",
    }
    assert step.summary.startswith("### ❌ trendgate: 1 of 2 models regressing: acme/falling\n")
    [error] = errors(log)
    assert error.properties == {"title": "Score regression: acme/falling"}
    assert error.data == (
        "acme/falling: score slope -2.00 points/run over the last 4 runs is a decline beyond "
        "the noise at the level 1.64% a night (latest score 84.0)"
    )
    assert "▼ REGRESSION: acme/falling slope=-2.00 points/run over last 4 runs" in log


def test_report_only_passes_but_still_reports(step: Step, bench: Path) -> None:
    code, log = step.run(results_dir="bench", fail_on_regression="false")
    assert code == 0
    assert step.outputs["regression"] == "true"
    assert len(errors(log)) == 1
    assert "❌" in step.summary


def test_clean_directory_passes(step: Step, bench: Path) -> None:
    code, log = step.run(results_dir="bench", models="acme/flat")
    assert code == 0
    assert step.outputs == {
        "regression": "false",
        "regressed-models": "[]",
        "models-analyzed": "1",
        "runs-added": "0",
    }
    assert errors(log) == []
    assert step.summary.startswith("### ✅ trendgate: no regression in 1 model\n")


def test_summary_is_appended_to_what_earlier_commands_wrote(step: Step, bench: Path) -> None:
    Path(step.env["GITHUB_STEP_SUMMARY"]).write_text("earlier\n", encoding="utf-8")
    step.run(results_dir="bench")
    assert step.summary.startswith("earlier\n### ❌ trendgate")


def test_empty_inputs_mean_the_defaults(step: Step) -> None:
    # The runner passes "" for every declared input the workflow did not set.
    write_series(step.workspace / "results", "acme/falling", [90, 88, 86, 84])
    empty = dict.fromkeys(
        ["results_dir", "models", "window", "threshold", "min_runs", "fail_on_regression"], ""
    )
    code, _ = step.run(json_report="", **empty)
    assert code == 1
    # The budget of 1 false alarm a month over the one model, run daily: 1 / (365.25 / 12).
    assert "4 runs read from results, 0 files skipped · judged at 3.29% a night " in (step.summary)
    assert "over the last 15 runs · at least 3 runs to judge" in step.summary
    assert "report" not in step.outputs


def test_inputs_change_the_verdict(step: Step, bench: Path) -> None:
    assert step.run(results_dir="bench", threshold="-3")[0] == 0
    proposal = {"rule": "proposal", "window": "2", "threshold": "-2.5"}
    assert step.run(results_dir="bench", **proposal)[0] == 0
    # No model has 5 runs: fail closed, unless the history is known to be starting.
    assert step.run(results_dir="bench", min_runs="5")[0] == 2
    assert step.run(results_dir="bench", min_runs="5", allow_unjudged="true")[0] == 0


@pytest.mark.parametrize(
    "models",
    ["acme/flat,acme/falling", "acme/flat\nacme/falling\n", " acme/flat ,\n\n acme/falling"],
)
def test_models_are_comma_or_newline_separated(step: Step, bench: Path, models: str) -> None:
    write_series(bench, "other", [50, 50], first_run=20)
    code, _ = step.run(results_dir="bench", models=models)
    assert code == 1
    assert step.outputs["models-analyzed"] == "2"


def test_json_report_is_written_in_the_workspace(step: Step, bench: Path) -> None:
    code, _ = step.run(results_dir="bench", json_report="reports.json")
    assert code == 1
    assert step.outputs["report"] == "reports.json"
    report = json.loads((step.workspace / "reports.json").read_text())
    assert report["regression"] is True
    assert [m["model"] for m in report["models"]] == ["acme/falling", "acme/flat"]


def test_report_is_given_to_the_workspace_owner(
    step: Step, bench: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Changing a file's owner needs root; record what the OS is asked to do instead.
    calls: list[tuple[str, int, int]] = []
    monkeypatch.setattr(os, "chown", lambda path, uid, gid: calls.append((str(path), uid, gid)))
    owner = step.workspace.stat()
    step.run(results_dir="bench", json_report="r.json")
    outside = tmp_path / "outside.json"
    step.run(results_dir="bench", json_report=str(outside))
    assert calls == [("r.json", owner.st_uid, owner.st_gid)]
    assert outside.exists()


def _cli_error(*args: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "INPUT_"))}
    proc = subprocess.run(
        [sys.executable, "-m", "trendgate", *args], capture_output=True, text=True, env=env
    )
    assert proc.returncode == 2
    return proc.stderr


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("window", "1"),
        ("window", "ten"),
        ("threshold", "nan"),
        ("threshold", "x"),
        ("min-runs", "1"),
        ("min-runs", "2.5"),
    ],
)
def test_bad_values_exit_2_with_the_clis_message(
    step: Step, bench: Path, name: str, value: str
) -> None:
    code, log = step.run(results_dir="bench", **{name.replace("-", "_"): value})
    assert code == 2
    [error] = errors(log)
    message = error.data.removeprefix("trendgate: ")
    assert message in _cli_error(str(bench), f"--{name}", value)
    assert name in message
    assert step.outputs == {}


def test_bad_boolean_exits_2(step: Step, bench: Path) -> None:
    code, log = step.run(results_dir="bench", fail_on_regression="yes")
    assert code == 2
    [error] = errors(log)
    assert error.data == "trendgate: fail-on-regression must be true or false (got 'yes')"


@pytest.mark.parametrize(
    ("inputs", "cli_args", "message"),
    [
        ({"results_dir": "missing"}, ["missing"], "results directory not found: missing"),
        ({"models": "nobody"}, ["bench", "--model", "nobody"], "no runs for model 'nobody'"),
    ],
)
def test_input_errors_exit_2_like_the_cli(
    step: Step, bench: Path, inputs: dict[str, str], cli_args: list[str], message: str
) -> None:
    code, log = step.run(**{"results_dir": "bench", **inputs})
    assert code == 2
    [error] = errors(log)
    assert error.data == f"trendgate: {message}"
    assert f"trendgate: error: {message}\n" == _cli_error(*cli_args)


def test_nothing_to_judge_is_an_error_with_a_summary(step: Step) -> None:
    (step.workspace / "empty").mkdir()
    code, log = step.run(results_dir="empty")
    assert code == 2
    assert [e.data for e in errors(log)] == ["trendgate: no result files (*.json) in empty"]
    assert step.summary.startswith(
        "### ⚠️ trendgate: error (exit code 2): no result files &#40;&#42;&#46;json&#41; in empty"
    )


def test_more_than_ten_regressions_are_counted_in_a_notice(step: Step) -> None:
    for i in range(12):
        write_series(step.workspace / "results", f"m{i:02d}", [90, 80, 70], first_run=10 * i + 1)
    code, log = step.run()
    assert code == 1
    assert len(errors(log)) == 10
    [notice] = [c for c in executed_commands(log) if c.name == "notice"]
    assert notice.data.startswith("2 more error annotations were not shown")
    assert json.loads(step.outputs["regressed-models"]) == [f"m{i:02d}" for i in range(12)]


HOSTILE_MODELS = [
    "::error::forged",
    "##[error]forged",
    "::stop-commands::abc",
    "x\n::add-mask::secret",
    "##[set-output name=regression;]false",
    "100%0A%25 | <b>",
]


def test_nothing_from_result_files_runs_as_a_workflow_command(step: Step) -> None:
    for i, model in enumerate(HOSTILE_MODELS):
        write_series(step.workspace / "results", model, [90, 80, 70], first_run=10 * i + 1)
    code, log = step.run()
    assert code == 1
    commands = executed_commands(log)
    assert {c.name for c in commands} == {"stop-commands", "error"}
    regressed = json.loads(step.outputs["regressed-models"])
    assert sorted(regressed) == sorted(HOSTILE_MODELS)
    assert step.outputs["regression"] == "true"
    titles = {c.properties["title"] for c in commands if c.name == "error"}
    assert len(titles) == len(HOSTILE_MODELS)


def test_console_script_is_installed() -> None:
    script = Path(sys.executable).parent / "trendgate-action"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "INPUT_"))}
    proc = subprocess.run(
        [str(script)], capture_output=True, text=True, env={**env, "INPUT_WINDOW": "1"}
    )
    assert proc.returncode == 2
    assert proc.stdout == "::error title=trendgate::trendgate: window must be at least 2 (got 1)\n"


# --- The config file and the JUnit report ---


def test_config_file_in_the_workspace_sets_what_inputs_leave_empty(step: Step, bench: Path) -> None:
    (step.workspace / "trendgate.yml").write_text(
        'results_dir: bench\nmodels:\n  "acme/fall*":\n    threshold: -3\n'
    )
    code, log = step.run(results_dir="", threshold="")
    assert code == 0, log
    assert "| acme/falling | rule acme/fall&#42;&#58; threshold -3&#46;0 |" in step.summary
    # An input given wins over the file, per-model values included.
    assert step.run(threshold="-1")[0] == 1


def test_config_input_names_the_file_and_its_errors_carry_the_line(step: Step, bench: Path) -> None:
    (step.workspace / "ci").mkdir()
    (step.workspace / "ci" / "gate.yml").write_text("results_dir: ../bench\nno_fail: true\n")
    code, _ = step.run(config="ci/gate.yml")
    assert code == 0  # no_fail from the file
    assert step.run(config="ci/gate.yml", fail_on_regression="true")[0] == 1
    (step.workspace / "ci" / "gate.yml").write_text("window: 5\ntreshold: -1\n")
    code, log = step.run(config="ci/gate.yml")
    assert code == 2
    [error] = errors(log)
    assert error.data == (
        "trendgate: ci/gate.yml:2: unknown key 'treshold' (did you mean 'threshold'?)"
    )


def test_junit_report_input_writes_a_valid_file(step: Step, bench: Path) -> None:
    code, _ = step.run(results_dir="bench", junit_report="junit.xml")
    assert code == 1
    xml = (step.workspace / "junit.xml").read_text(encoding="utf-8")
    validate_junit(xml)
    assert '<testcase classname="trendgate" name="acme/falling">' in xml


def test_allow_empty_input_passes_on_nothing_to_judge(step: Step) -> None:
    (step.workspace / "empty").mkdir()
    code, log = step.run(results_dir="empty", allow_empty="true")
    assert code == 0
    assert errors(log) == []
    assert step.outputs["models-analyzed"] == "0"


def test_the_proposal_rule_fails_a_noisy_decline_the_budget_passes(step: Step) -> None:
    # Slope -1.03 points/run (by hand: Sxy = -18, Sxx = 17.5), but its 95% interval reaches +3.4.
    write_series(step.workspace / "noisy", "acme/noisy", [72, 80, 66, 78, 64, 72])
    code, _ = step.run(results_dir="noisy", rule="proposal")
    assert code == 1
    code, log = step.run(results_dir="noisy")
    assert code == 0
    assert step.outputs["regression"] == "false"
    assert errors(log) == []


def test_bad_confidence_is_the_clis_usage_error(step: Step, bench: Path) -> None:
    code, log = step.run(results_dir="bench", confidence="95")
    assert code == 2
    (error,) = errors(log)
    assert error.data == "trendgate: " + _cli_error(str(bench), "--confidence", "95").split(
        "argument --confidence: "
    )[1].rstrip("\n")


def test_config_only_models_applies_when_the_models_input_is_empty(step: Step, bench: Path) -> None:
    (step.workspace / "trendgate.yml").write_text("only_models: [acme/flat]\n")
    code, _ = step.run(results_dir="bench")
    assert (code, step.outputs["models-analyzed"]) == (0, "1")
    code, _ = step.run(results_dir="bench", models="acme/falling")
    assert code == 1


def test_a_bad_input_still_writes_the_json_report_and_the_summary(step: Step, bench: Path) -> None:
    code, log = step.run(results_dir="bench", window="1", json_report="r.json")
    assert code == 2
    error = "window must be at least 2 (got 1)"
    assert [e.data for e in errors(log)] == [f"trendgate: {error}"]
    report = json.loads((step.workspace / "r.json").read_text())
    assert (report["exit_code"], report["error"], report["results_dir"]) == (2, error, "bench")
    assert step.summary == (
        f"### ⚠️ trendgate: error (exit code 2): {md_text(error)}\n\n"
        "Nothing was judged: fix the error above and run again.\n"
    )


def test_the_log_ends_with_the_verdict_in_the_inputs_words(step: Step, bench: Path) -> None:
    code, log = step.run(results_dir="bench", fail_on_regression="false")
    assert code == 0
    assert (
        "PASS (report only, fail-on-regression: false): 1 of 2 models regress (acme/falling)" in log
    )
    code, log = step.run(results_dir="bench", rule="proposal", min_runs="11")
    assert [e.data for e in errors(log)] == [
        "trendgate: min runs 11 (input min-runs) is more than the window of 10 runs (default): "
        "no model could ever be judged; lower min runs to 10 at most, or widen the window"
    ]


def test_add_files_tonight_into_a_history_given_to_the_workspace_owner(step: Step) -> None:
    write_series(step.workspace / "tonight" / "artifact", "acme/flat", [70])
    os.chown(step.workspace, 4321, 4321)  # a self-hosted runner's user; the container is root
    # The first night: filed, but one run is nothing to judge, so the step fails closed.
    code, log = step.run(add="tonight", results_dir="kept/history")
    assert code == 2, log
    assert step.outputs["runs-added"] == "1"
    assert "no model has enough runs to judge in kept/history" in errors(log)[0].data
    history = step.workspace / "kept" / "history"
    [filed] = list(history.iterdir())
    owners = {(p.stat().st_uid, p.stat().st_gid) for p in (history.parent, history, filed)}
    assert owners == {(4321, 4321)}
    assert "trendgate add: kept/history: 1 filed, 0 filed already, 0 left out" in log

    code, log = step.run(add="tonight", results_dir="kept/history", allow_unjudged="true")
    assert (code, step.outputs["runs-added"]) == (0, "0")
    [notice] = [c for c in executed_commands(log) if c.name == "notice"]
    assert "(a re-run?)" in notice.data


def test_add_outside_the_workspace_is_an_error_that_says_why(step: Step) -> None:
    for source in ("/tmp/tonight", "../tonight"):
        code, log = step.run(add=f"ok,{source}")
        assert code == 2
        [error] = errors(log)
        assert error.data == (
            f"trendgate: add: {source} is outside the workspace, and the container sees only "
            "the workspace: give a path relative to it"
        )


def test_every_path_input_outside_the_workspace_is_an_error_that_says_why(
    step: Step, bench: Path
) -> None:
    for name, path in [("results-dir", "/github/home/results"), ("json-report", "../r.json")]:
        code, log = step.run(**{"results_dir": "bench", name.replace("-", "_"): path})
        assert code == 2
        assert errors(log)[0].data == (
            f"trendgate: {name}: {path} is outside the workspace, and the container sees only "
            "the workspace: give a path relative to it"
        )


def test_an_empty_night_fails_the_step(step: Step) -> None:
    (step.workspace / "tonight").mkdir()
    code, log = step.run(add="tonight", results_dir="history")
    assert code == 2
    [error] = errors(log)
    assert error.data.startswith("trendgate: tonight's benchmark produced nothing")
    assert (step.workspace / "history").is_dir()
