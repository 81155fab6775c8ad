"""The command line's flags: parsers built from the options table, and usage errors in one line."""

from __future__ import annotations

import argparse
import difflib
from collections.abc import Callable
from typing import Any, NoReturn

from trendgate.app.job import OPTIONS_BY_NAME, OPTIONS
from trendgate.app.option import Command, Option
from trendgate.errors import TrendgateError, UsageError
from trendgate.report import FORMATS_BY_NAME

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


class Parser(argparse.ArgumentParser):
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
            title = FORMATS_BY_NAME[option.report].title
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
        parser = Parser(
            prog=f"trendgate {BACKTEST}",
            description="Replay the gate over history: the verdict after each run of each model.",
            epilog="Exit codes: 0 replayed (whatever the verdicts), 2 usage or input error.",
        )
    elif command == "add":
        parser = Parser(
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
        parser = Parser(
            prog="trendgate",
            description="Fail when a model's PinchBench score trends down over its recent runs. "
            f"`trendgate {BACKTEST} [RESULTS_DIR]` replays the gate over history, "
            f"`trendgate {ADD} SOURCE... --to HISTORY` files new runs into a history "
            f"(a results directory named {BACKTEST} or {ADD} is ./{BACKTEST} or ./{ADD}).",
            epilog="Exit codes: 0 no regression, 1 a model regresses, 2 usage or input error.",
        )
    if command != "add":
        parser.add_argument(
            "results_dir",
            nargs="?",
            metavar="RESULTS_DIR",
            help=OPTIONS_BY_NAME["results_dir"].help,
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
