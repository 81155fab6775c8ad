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
from trendgate.config import read_config, settings_from
from trendgate.errors import TrendgateError
from trendgate.gate import EXIT_ERROR, decide
from trendgate.report.json import render_json
from trendgate.report.junit import render_junit
from trendgate.report.markdown import render_markdown
from trendgate.report.text import render_text, terminal_safe, utf8_streams
from trendgate.report.write import check_outside, write_report
from trendgate.rules import Rules
from trendgate.settings import (
    DEFAULT_RESULTS_DIR,
    Settings,
    parse_confidence,
    parse_min_runs,
    parse_noise_runs,
    parse_threshold,
    parse_window,
)

T = TypeVar("T")


@dataclass(frozen=True)
class Inputs:
    """The action's inputs laid over the config file, validated, with the CLI's defaults."""

    results_dir: str
    models: tuple[str, ...]
    settings: Settings
    rules: Rules
    fail_on_regression: bool
    allow_empty: bool
    json_report: str | None
    junit_report: str | None
    strict: bool


def read_inputs(env: Mapping[str, str]) -> Inputs:
    """Read and validate every input with the CLI's parsers; raise UsageError on a bad value.

    Inputs are the command line's flags: an input given wins over the config file (the
    `config` input, or trendgate.yml in the workspace), which wins over the defaults.
    """

    def given(name: str, parse: Callable[[str], T]) -> T | None:
        value = github.get_input(env, name)
        return None if value is None else parse(value)

    def given_bool(name: str) -> bool | None:
        return given(name, lambda _: github.get_bool_input(env, name, False))

    listed = (github.get_input(env, "models") or "").replace("\n", ",").split(",")
    models = tuple(m.strip() for m in listed if m.strip())
    fail_on_regression = given_bool("fail-on-regression")
    flags = {
        "results_dir": github.get_input(env, "results-dir"),
        "only_models": models or None,
        "window": given("window", parse_window),
        "threshold": given("threshold", parse_threshold),
        "min_runs": given("min-runs", parse_min_runs),
        "confidence": given("confidence", parse_confidence),
        "noise_runs": given("noise-runs", parse_noise_runs),
        "no_fail": None if fail_on_regression is None else not fail_on_regression,
        "allow_empty": given_bool("allow-empty"),
        "strict": given_bool("strict"),
        "json": github.get_input(env, "json-report"),
        "junit": github.get_input(env, "junit-report"),
    }
    options, rules = read_config(github.get_input(env, "config")).under(flags)
    return Inputs(
        results_dir=options.get("results_dir", DEFAULT_RESULTS_DIR),
        models=options.get("only_models", ()),
        settings=settings_from(options),
        rules=rules,
        fail_on_regression=not options.get("no_fail", False),
        allow_empty=options.get("allow_empty", False),
        json_report=options.get("json"),
        junit_report=options.get("junit"),
        strict=options.get("strict", False),
    )


def main(env: Mapping[str, str] | None = None) -> int:
    """Run the action in the step's environment; return the exit code for the step."""
    env = os.environ if env is None else env
    utf8_streams()
    try:
        inputs = read_inputs(env)
        for report in (inputs.json_report, inputs.junit_report):
            if report:
                check_outside(Path(report), Path(inputs.results_dir))
        # The runner starts the container in the workspace, so relative paths are in it, and
        # later steps on the host read the same relative paths.
        analysis = analyze(
            Path(inputs.results_dir), inputs.settings, models=inputs.models, rules=inputs.rules
        )
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
        if inputs.junit_report:
            write_report(Path(inputs.junit_report), render_junit(analysis))
            give_to_workspace_owner(Path(inputs.junit_report), env)
        if env.get("GITHUB_OUTPUT"):
            github.append_file(env["GITHUB_OUTPUT"], github.format_outputs(outputs))
    except TrendgateError as exc:
        return _fail(str(exc))
    for line in github.annotation_commands(regression_annotations(analysis)):
        print(line)
    decision = decide(
        analysis,
        fail_on_regression=inputs.fail_on_regression,
        allow_empty=inputs.allow_empty,
        strict=inputs.strict,
    )
    if decision.reason:
        return _fail(decision.reason)
    return decision.code


def regression_annotations(analysis: Analysis) -> list[github.Annotation]:
    """One error annotation per regressing model."""
    notes = []
    for trend in analysis.regressed:
        threshold = trend.settings.threshold  # per-model rules may change it
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
