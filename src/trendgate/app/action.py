"""The GitHub Action's entrypoint: read the inputs into a Job, run it, present the outcome."""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from trendgate.app import github
from trendgate.app.gate import EXIT_ERROR
from trendgate.app.job import OPTIONS, Job
from trendgate.app.run import error_outcome, run
from trendgate.errors import DEBUG_VARIABLE, TrendgateError, UsageError, unexpected
from trendgate.escape import terminal_safe
from trendgate.history.add import Added
from trendgate.model import Analysis
from trendgate.report.budget_line import why_regressed
from trendgate.report.evidence import POINTS
from trendgate.report.text import render_added, utf8_streams


def read_job(env: Mapping[str, str]) -> Job:
    """The job the step's inputs ask for; raise UsageError on a bad value.

    An input given wins over the config file (the `config` input, or trendgate.yml in the
    workspace), which wins over the defaults, as a flag does on the command line.
    """
    values: dict[str, Any] = {}
    for option in OPTIONS:
        if option.input is None or github.get_input(env, option.input) is None:
            continue
        if option.kind == "bool":
            value = github.get_bool_input(env, option.input, False)
            values[option.name] = not value if option.inverted_input else value
        else:
            value = option.parse(github.get_input(env, option.input) or "")
            if value != ():  # a list input of only commas names nothing
                values[option.name] = value
    # The container sees only the workspace: a path outside it would name nothing there.
    paths = [(o.input, values[o.name]) for o in OPTIONS if o.kind == "path" and o.name in values]
    for name, path in paths + [("add", source) for source in values.get("add", ())]:
        if os.path.isabs(path) or os.path.normpath(path).split(os.sep)[0] == os.pardir:
            raise UsageError(
                f"{name}: {path} is outside the workspace, and the container sees only the "
                "workspace: give a path relative to it"
            )
    # The log shows the text report whatever a config file's `format` says.
    values["format"] = "text"
    summary = env.get("GITHUB_STEP_SUMMARY") or None
    return Job(step_summary=summary, explicit=frozenset(values), from_action=True).with_values(
        values
    )


def job_for_bad_input(env: Mapping[str, str]) -> Job:
    """After a bad input, the job that still reports it: the report files and the results
    directory among the inputs, each one that can be read."""
    values: dict[str, Any] = {}
    for option in OPTIONS:
        if (option.report or option.name == "results_dir") and option.input:
            text = github.get_input(env, option.input)
            if text:
                values[option.name] = option.parse(text)
    summary = env.get("GITHUB_STEP_SUMMARY") or None
    return Job(step_summary=summary, from_action=True).with_values(values)


def main(env: Mapping[str, str] | None = None) -> int:
    """Run the action in the step's environment; return the exit code for the step (2 for any
    unexpected exception, never 1, whatever fail-on-regression says)."""
    env = os.environ if env is None else env
    try:
        return _main(env)
    except Exception as exc:  # a bug: exit 1 would read as a regression
        # The runner's own debug logging (RUNNER_DEBUG, "re-run with debug logging") too.
        if env.get(DEBUG_VARIABLE) or env.get("RUNNER_DEBUG") == "1":
            import traceback

            traceback.print_exc()
        return _fail(unexpected(exc))


def _main(env: Mapping[str, str]) -> int:
    utf8_streams()
    # The runner starts the container in the workspace, so relative paths are in it, and
    # later steps on the host read the same relative paths.
    try:
        outcome = run(read_job(env))
    except TrendgateError as exc:
        outcome = error_outcome(job_for_bad_input(env), str(exc))
    for path in outcome.written:
        give_to_workspace_owner(path, env)
    added = outcome.added
    if added:
        sys.stdout.write(github.without_commands(render_added(added)))
    if outcome.analysis is None:
        return _fail(outcome.error or "")
    analysis = outcome.analysis
    sys.stdout.write(github.without_commands(outcome.stdout))
    outputs = {
        "regression": "true" if analysis.regression else "false",
        "regressed-models": json.dumps([t.model for t in analysis.regressed]),
        "models-analyzed": str(len(analysis.trends)),
        "runs-added": str(len(added.filed) if added else 0),
    }
    report = outcome.job.report_path("json")
    if report:
        outputs["report"] = report
    if env.get("GITHUB_OUTPUT"):
        github.append_file(env["GITHUB_OUTPUT"], github.format_outputs(outputs))
    notes = regression_annotations(analysis) + (tonight_annotations(added) if added else [])
    for line in github.annotation_commands(notes):
        print(line)
    if outcome.error:
        return _fail(outcome.error)
    return outcome.code


def regression_annotations(analysis: Analysis) -> list[github.Annotation]:
    """One error annotation per regressing model."""
    notes = []
    for trend in analysis.regressed:
        model = terminal_safe(trend.model)
        message = (
            f"{model}: score slope {trend.slope:+.2f} {POINTS}/{trend.x_unit} over the last "
            f"{trend.run_count} runs {why_regressed(trend)} "
            f"(latest score {trend.runs[-1].score_pct:.1f})"
        )
        notes.append(github.Annotation("error", f"Score regression: {model}", message))
    return notes


def tonight_annotations(added: Added) -> list[github.Annotation]:
    """A warning per model without a run tonight, and the notice for a re-run."""
    notes = [
        github.Annotation("warning", "No run tonight", terminal_safe(a.message(added.sources)))
        for a in added.absent
    ]
    if added.notice:
        notes.append(github.Annotation("notice", "Nothing new", terminal_safe(added.notice)))
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
