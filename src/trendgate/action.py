"""The GitHub Action's entrypoint: a thin shell over analyze(), the reports and the gate."""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from trendgate import github
from trendgate.analysis import Analysis, analyze
from trendgate.errors import TrendgateError
from trendgate.gate import EXIT_ERROR, exit_code
from trendgate.report.json import render_json
from trendgate.report.markdown import render_markdown
from trendgate.report.text import render_text, terminal_safe, utf8_streams
from trendgate.report.write import write_report
from trendgate.settings import (
    DEFAULT_MIN_RUNS,
    DEFAULT_RESULTS_DIR,
    DEFAULT_THRESHOLD,
    DEFAULT_WINDOW,
    Settings,
    parse_min_runs,
    parse_threshold,
    parse_window,
)

T = TypeVar("T")


@dataclass(frozen=True)
class Inputs:
    """The action's inputs, validated, with the CLI's defaults."""

    results_dir: str
    models: tuple[str, ...]
    settings: Settings
    fail_on_regression: bool
    json_report: str | None


def read_inputs(env: Mapping[str, str]) -> Inputs:
    """Read and validate every input with the CLI's parsers; raise UsageError on a bad value."""

    def given(name: str, parse: Callable[[str], T], default: T) -> T:
        value = github.get_input(env, name)
        return default if value is None else parse(value)

    models = (github.get_input(env, "models") or "").replace("\n", ",").split(",")
    return Inputs(
        results_dir=github.get_input(env, "results-dir") or DEFAULT_RESULTS_DIR,
        models=tuple(m.strip() for m in models if m.strip()),
        settings=Settings(
            window=given("window", parse_window, DEFAULT_WINDOW),
            threshold=given("threshold", parse_threshold, DEFAULT_THRESHOLD),
            min_runs=given("min-runs", parse_min_runs, DEFAULT_MIN_RUNS),
        ),
        fail_on_regression=github.get_bool_input(env, "fail-on-regression", True),
        json_report=github.get_input(env, "json-report"),
    )


def main(env: Mapping[str, str] | None = None) -> int:
    """Run the action in the step's environment; return the exit code for the step."""
    env = os.environ if env is None else env
    utf8_streams()
    try:
        inputs = read_inputs(env)
        # The runner starts the container in the workspace, so relative paths are in it, and
        # later steps on the host read the same relative paths.
        analysis = analyze(Path(inputs.results_dir), inputs.settings, models=inputs.models)
        sys.stdout.write(github.without_commands(render_text(analysis)))
        if env.get("GITHUB_STEP_SUMMARY"):
            github.append_file(env["GITHUB_STEP_SUMMARY"], render_markdown(analysis))
        outputs = {
            "regression": "true" if analysis.regression else "false",
            "regressed-models": json.dumps([t.model for t in analysis.regressed]),
            "models-analyzed": str(len(analysis.trends)),
        }
        if inputs.json_report:
            write_report(Path(inputs.json_report), render_json(analysis))
            give_to_workspace_owner(Path(inputs.json_report), env)
            outputs["report"] = inputs.json_report
        if env.get("GITHUB_OUTPUT"):
            github.append_file(env["GITHUB_OUTPUT"], github.format_outputs(outputs))
    except TrendgateError as exc:
        return _fail(str(exc))
    for line in github.annotation_commands(regression_annotations(analysis)):
        print(line)
    code = exit_code(analysis, fail_on_regression=inputs.fail_on_regression)
    if code == EXIT_ERROR and analysis.nothing_to_gate:
        return _fail(analysis.nothing_to_gate)
    return code


def regression_annotations(analysis: Analysis) -> list[github.Annotation]:
    """One error annotation per regressing model."""
    threshold = analysis.settings.threshold
    notes = []
    for trend in analysis.regressed:
        model = terminal_safe(trend.model)
        message = (
            f"{model}: score slope {trend.slope:+.2f} points/run over the last "
            f"{trend.run_count} runs is below the threshold {threshold:+.2f} "
            f"(latest score {trend.runs[-1].score_pct:.1f})"
        )
        notes.append(github.Annotation("error", f"Score regression: {model}", message))
    return notes


def give_to_workspace_owner(path: Path, env: Mapping[str, str]) -> None:
    """Give a file written into the workspace to the workspace's owner.

    The container runs as root, so its files would be root's, and a self-hosted runner's
    non-root user could not delete them in later steps or the next checkout.
    """
    workspace = Path(env.get("GITHUB_WORKSPACE") or ".").resolve()
    if workspace not in path.resolve().parents:
        return
    owner = workspace.stat()
    with contextlib.suppress(PermissionError):  # not root: the file is already the user's
        os.chown(path, owner.st_uid, owner.st_gid)


def _fail(message: str) -> int:
    print(github.command("error", f"trendgate: {terminal_safe(message)}", title="trendgate"))
    return EXIT_ERROR
