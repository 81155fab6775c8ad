"""The `trendgate` command: parse the flags into a Job, run it, print the outcome."""

from __future__ import annotations

import argparse
import difflib
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, NoReturn

from trendgate.errors import TrendgateError, UsageError
from trendgate.escape import terminal_safe
from trendgate.gate import EXIT_ERROR
from trendgate.job import BY_NAME, OPTIONS, Job
from trendgate.option import Command, Option
from trendgate.report import BY_NAME as BY_NAME_FORMATS
from trendgate.report.write import check_outside

# The first words `backtest` and `add` are always subcommands; a results directory of
# either name is reached as `./backtest` (or --output-dir backtest).
BACKTEST = "backtest"
ADD = "add"
SUBCOMMANDS: dict[str, Command] = {BACKTEST: "backtest", ADD: "add"}


def _typed(option: Option) -> Callable[[str], object]:
    """The option's parser for argparse, so bad values are usage errors (exit 2)."""

    def convert(text: str) -> object:
        try:
            return option.parse(text)
        except TrendgateError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    return convert


class _Parser(argparse.ArgumentParser):
    """argparse, with a usage error raised as one line that says how to fix it."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(explain(message, self))


def explain(message: str, parser: argparse.ArgumentParser) -> str:
    """argparse's message, with an unknown option named and the nearest real one suggested."""
    unknown = "unrecognized arguments: "
    if not message.startswith(unknown):
        return message
    words = message[len(unknown) :].split()
    flag = next((w.split("=", 1)[0] for w in words if w.startswith("-")), None)
    if flag is None:
        return f"unexpected argument {words[0]!r}: give one results directory"
    option = next((o for o in OPTIONS if o.flag == flag), None)
    if option is not None:  # a gate option given to `backtest`
        if option.report:
            title = BY_NAME_FORMATS[option.report].title
            return f"{flag}: a backtest has no {title}; --json FILE writes it"
        return f"{flag}: not an option of {parser.prog}, which reports without failing"
    known = [s for s in parser._option_string_actions if s.startswith("--")]
    hint = difflib.get_close_matches(flag, known, n=1, cutoff=0.8)
    if hint:
        return f"unknown option {flag}; did you mean {hint[0]}?"
    return f"unknown option {flag} (see {parser.prog} -h)"


def build_parser(command: Command = "gate") -> argparse.ArgumentParser:
    """The command-line interface of the gate, of its replay over history, or of `add`."""
    if command == "backtest":
        parser = _Parser(
            prog=f"trendgate {BACKTEST}",
            description="Replay the gate over history: the verdict after each run of each model.",
            epilog="Exit codes: 0 replayed (whatever the verdicts), 2 usage or input error.",
        )
    elif command == "add":
        parser = _Parser(
            prog=f"trendgate {ADD}",
            description="File every complete PinchBench result found in the SOURCE files and "
            "directories (searched recursively) into the history directory HISTORY, each run "
            "once, under a name made from its content.",
            epilog="Exit codes: 0 filed (or filed already), 2 usage or input error "
            "(with --strict, also a file left out).",
        )
        parser.add_argument("add", nargs="+", metavar="SOURCE", help="a result file or directory")
        parser.add_argument(
            "--to",
            dest="results_dir",
            metavar="HISTORY",
            help="the history directory, created if missing (default: the config file's "
            "results_dir)",
        )
    else:
        parser = _Parser(
            prog="trendgate",
            description="Fail when a model's PinchBench score trends down over its recent runs. "
            f"`trendgate {BACKTEST} [RESULTS_DIR]` replays the gate over history, "
            f"`trendgate {ADD} SOURCE... --to HISTORY` files new runs into a history "
            f"(a results directory named {BACKTEST} or {ADD} is ./{BACKTEST} or ./{ADD}).",
            epilog="Exit codes: 0 no regression, 1 a model regresses, 2 usage or input error.",
        )
    if command != "add":
        parser.add_argument(
            "results_dir", nargs="?", metavar="RESULTS_DIR", help=BY_NAME["results_dir"].help
        )
        parser.add_argument(
            "--output-dir", metavar="DIR", help="same as RESULTS_DIR (PinchBench's own option name)"
        )
    for option in OPTIONS:
        if option.flag is None or command not in option.commands:
            continue
        spec: dict[str, Any] = {"dest": option.name, "help": option.help}
        if option.kind == "bool":
            # No default: an absent flag stays None, so the config file can set it.
            spec.update(action="store_const", const=True)
        elif option.kind == "names":
            spec.update(action="append", metavar=option.metavar)
        elif option.kind == "choice":
            spec.update(choices=option.choices)
        else:
            spec.update(type=_typed(option), metavar=option.metavar)
        parser.add_argument(option.flag, **spec)
    parser.add_argument("--version", action=_Version, nargs=0, help="print the version and exit")
    return parser


class _Version(argparse.Action):
    """--version, looking the version up only when it is asked for (see trendgate.__init__)."""

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        from trendgate import __version__

        print(f"trendgate {__version__}")
        parser.exit()


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
    return Job(command=command, step_summary=summary, given=frozenset(given)).with_values(given)


def reports_asked(argv: Sequence[str], env: Mapping[str, str]) -> Job:
    """After a usage error, the job that still reports it: the format and the report files
    the command line names, and the results directory, whatever else is wrong with it."""
    command: Command = "backtest" if argv[:1] == [BACKTEST] else "gate"
    # Every option as plain text, so that each value given is consumed by its option.
    parser = _Parser(add_help=False, exit_on_error=False)
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
    if args.format in BY_NAME["format"].choices:
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
    """Run the command; return its exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        job = parse_job(args, os.environ)
    except UsageError as exc:
        error: str | None = str(exc)
        job = reports_asked(args, os.environ)
        if job.format == "text" and not job.reports and not job.step_summary:
            # Nothing to write but the line: the analysis and the reports need not load.
            print(f"trendgate: error: {terminal_safe(str(exc))}", file=sys.stderr)
            return EXIT_ERROR
    else:
        error = None
    # Imported only now, so that --help, --version and usage errors start at once (their
    # text is ASCII, and stderr escapes what it cannot encode).
    from trendgate.report.text import render_added, utf8_streams
    from trendgate.run import refused, run

    utf8_streams()
    outcome = run(job) if error is None else refused(job, error)
    if outcome.added:
        sys.stderr.write(render_added(outcome.added))
    sys.stdout.write(outcome.printed)
    if outcome.error:
        print(f"trendgate: error: {terminal_safe(outcome.error)}", file=sys.stderr)
    return outcome.code
