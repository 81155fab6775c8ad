"""The `trendgate` command: parse the flags into a Job, run it, print the outcome."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from trendgate.app.flags import BACKTEST, SUBCOMMANDS, Parser, build_parser
from trendgate.app.gate import EXIT_ERROR
from trendgate.app.job import OPTIONS, OPTIONS_BY_NAME, Job
from trendgate.app.option import Command
from trendgate.errors import DEBUG_VARIABLE, UsageError, unexpected
from trendgate.escape import terminal_safe
from trendgate.report.write import check_outside


def parse_job(argv: Sequence[str], env: Mapping[str, str]) -> Job:
    """The job the command line asks for; UsageError on a usage error."""
    command = SUBCOMMANDS.get(argv[0], "gate") if argv else "gate"
    parser = build_parser(command)
    args = parser.parse_args(argv[1:] if command != "gate" else argv)
    output_dir = getattr(args, "output_dir", None)
    if args.results_dir and output_dir and args.results_dir != output_dir:
        parser.error("give the results directory once: RESULTS_DIR or --output-dir")
    values = {o.name: getattr(args, o.name, None) for o in OPTIONS}
    values["results_dir"] = args.results_dir or output_dir
    for option in OPTIONS:
        listed = values[option.name]
        if option.kind == "names" and listed is not None:
            values[option.name] = tuple(listed)
    given = {name: value for name, value in values.items() if value is not None}
    summary = env.get("GITHUB_STEP_SUMMARY") or None
    return Job(command=command, step_summary=summary, explicit=frozenset(given)).with_values(given)


def job_for_usage_error(argv: Sequence[str], env: Mapping[str, str]) -> Job:
    """After a usage error, the job that still reports it: the format and the report files
    the command line names, and the results directory, whatever else is wrong with it."""
    command: Command = "backtest" if argv[:1] == [BACKTEST] else "gate"
    # Every option as plain text, so that each value given is consumed by its option.
    parser = Parser(add_help=False, exit_on_error=False)
    parser.add_argument("results_dir", nargs="?")
    parser.add_argument("--output-dir")
    for option in OPTIONS:
        if option.flag:
            action = "store_true" if option.kind == "bool" else "store"
            parser.add_argument(option.flag, dest=option.name, action=action)
    files = [o for o in OPTIONS if o.report and command in o.commands]
    try:
        args, extras = parser.parse_known_args(argv[1:] if command == "backtest" else argv)
    except (argparse.ArgumentError, UsageError):  # e.g. `--json` without its FILE
        return Job(command=command)
    # The value of an unknown option passes for a directory as well as the directory does:
    # the directory is known only when there is one candidate, and no report goes inside any.
    candidates = {
        word
        for word in (args.results_dir, args.output_dir, *extras)
        if word and not word.startswith("-")
    }
    values: dict[str, Any] = {
        o.name: getattr(args, o.name)
        for o in files
        if getattr(args, o.name) and not any(_inside(getattr(args, o.name), c) for c in candidates)
    }
    if args.format in OPTIONS_BY_NAME["format"].choices:
        values["format"] = args.format
    if len(candidates) == 1:
        values["results_dir"] = candidates.pop()
    summary = env.get("GITHUB_STEP_SUMMARY") or None
    return Job(command=command, step_summary=summary).with_values(values)


def _inside(path: str, directory: str) -> bool:
    try:
        check_outside(Path(path), Path(directory))
    except UsageError:
        return True
    return False


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; return its exit code (2 for any unexpected exception, never 1)."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        return _main(args)
    except Exception as exc:  # a bug: exit 1 would read as a regression, a traceback as noise
        if "--debug" in args or os.environ.get(DEBUG_VARIABLE):
            import traceback

            traceback.print_exc()
        print(f"trendgate: error: {terminal_safe(unexpected(exc))}", file=sys.stderr)
        return EXIT_ERROR


def _main(args: list[str]) -> int:
    try:
        job = parse_job(args, os.environ)
    except UsageError as exc:
        error: str | None = str(exc)
        job = job_for_usage_error(args, os.environ)
        if job.format == "text" and not job.reports and not job.step_summary:
            # Nothing to write but the line: the analysis and the reports need not load.
            print(f"trendgate: error: {terminal_safe(str(exc))}", file=sys.stderr)
            return EXIT_ERROR
    else:
        error = None
    # Imported only now, so that --help, --version and usage errors start at once (their
    # text is ASCII, and stderr escapes what it cannot encode).
    from trendgate.app.run import error_outcome, run
    from trendgate.report.text import render_added, utf8_streams

    utf8_streams()
    outcome = run(job) if error is None else error_outcome(job, error)
    if outcome.added:
        sys.stderr.write(render_added(outcome.added))
    for note in outcome.notes:
        print(f"trendgate: {terminal_safe(note.message)}", file=sys.stderr)
    sys.stdout.write(outcome.stdout)
    if outcome.error:
        print(f"trendgate: error: {terminal_safe(outcome.error)}", file=sys.stderr)
    return outcome.code
