"""The `trendgate` command: parse the flags into a Job, run it, print the outcome."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from trendgate.errors import TrendgateError
from trendgate.job import BY_NAME, OPTIONS, Command, Job, Option

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


def build_parser(command: Command = "gate") -> argparse.ArgumentParser:
    """The command-line interface of the gate, of its replay over history, or of `add`."""
    if command == "backtest":
        parser = argparse.ArgumentParser(
            prog=f"trendgate {BACKTEST}",
            description="Replay the gate over history: the verdict after each run of each model.",
            epilog="Exit codes: 0 replayed (whatever the verdicts), 2 usage or input error.",
        )
    elif command == "add":
        parser = argparse.ArgumentParser(
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
        parser = argparse.ArgumentParser(
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
    """The job the command line asks for; argparse exits with code 2 on a usage error."""
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


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; return its exit code."""
    job = parse_job(list(sys.argv[1:] if argv is None else argv), os.environ)
    # Imported only now, so that --help, --version and usage errors start at once (their
    # text is ASCII, and stderr escapes what it cannot encode).
    from trendgate.escape import terminal_safe
    from trendgate.report.text import render_added, utf8_streams
    from trendgate.run import run

    utf8_streams()
    outcome = run(job)
    if outcome.added:
        sys.stderr.write(render_added(outcome.added))
    sys.stdout.write(outcome.printed)
    if outcome.error:
        print(f"trendgate: error: {terminal_safe(outcome.error)}", file=sys.stderr)
    return outcome.code
