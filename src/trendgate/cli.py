"""The `trendgate` command: a thin shell over analyze(), the reports and the gate."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from trendgate import __version__
from trendgate.analysis import analyze
from trendgate.errors import TrendgateError
from trendgate.gate import EXIT_ERROR, exit_code
from trendgate.report.json import render_json
from trendgate.report.text import render_text
from trendgate.report.write import write_atomic
from trendgate.settings import (
    DEFAULT_MIN_RUNS,
    DEFAULT_THRESHOLD,
    DEFAULT_WINDOW,
    Settings,
    parse_min_runs,
    parse_threshold,
    parse_window,
)

DEFAULT_RESULTS_DIR = "results"  # PinchBench's own default --output-dir


def _option(parse: Callable[[str], object]) -> Callable[[str], object]:
    """Adapt a settings parser to argparse, so bad values are usage errors (exit 2)."""

    def convert(text: str) -> object:
        try:
            return parse(text)
        except TrendgateError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    return convert


def build_parser() -> argparse.ArgumentParser:
    """The command-line interface."""
    parser = argparse.ArgumentParser(
        prog="trendgate",
        description="Fail when a model's PinchBench score trends down over its recent runs.",
        epilog="Exit codes: 0 no regression, 1 a model regresses, 2 usage or input error.",
    )
    parser.add_argument(
        "results_dir",
        nargs="?",
        metavar="RESULTS_DIR",
        help=f"directory of PinchBench result files (default: {DEFAULT_RESULTS_DIR})",
    )
    parser.add_argument(
        "--output-dir", metavar="DIR", help="same as RESULTS_DIR (PinchBench's own option name)"
    )
    parser.add_argument(
        "--model",
        action="append",
        default=[],
        metavar="NAME",
        help="analyze only this model (repeatable); its name as in the result files",
    )
    parser.add_argument(
        "--window",
        type=_option(parse_window),
        default=DEFAULT_WINDOW,
        metavar="N",
        help=f"fit the slope over the last N runs (default {DEFAULT_WINDOW}, at least 2)",
    )
    parser.add_argument(
        "--threshold",
        type=_option(parse_threshold),
        default=DEFAULT_THRESHOLD,
        metavar="T",
        help=f"regress when the slope (points/run) is below T (default {DEFAULT_THRESHOLD})",
    )
    parser.add_argument(
        "--min-runs",
        type=_option(parse_min_runs),
        default=DEFAULT_MIN_RUNS,
        metavar="N",
        help=f"models with fewer runs are reported, never failed (default {DEFAULT_MIN_RUNS})",
    )
    parser.add_argument(
        "--format", choices=("text", "json"), default="text", help="what to print (default text)"
    )
    parser.add_argument("--json", metavar="FILE", help="also write the JSON report to FILE")
    parser.add_argument(
        "--no-fail", action="store_true", help="report only: exit 0 even when a model regresses"
    )
    parser.add_argument(
        "--allow-empty",
        action="store_true",
        help="exit 0 instead of 2 when there is no readable run to judge",
    )
    parser.add_argument("--version", action="version", version=f"trendgate {__version__}")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; return its exit code."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="backslashreplace")
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.results_dir and args.output_dir and args.results_dir != args.output_dir:
        parser.error("give the results directory once: RESULTS_DIR or --output-dir")
    results_dir = Path(args.results_dir or args.output_dir or DEFAULT_RESULTS_DIR)
    try:
        settings = Settings(args.window, args.threshold, args.min_runs)
        analysis = analyze(results_dir, settings, models=args.model)
        report = render_json(analysis) if args.format == "json" else render_text(analysis)
        sys.stdout.write(report)
        if args.json:
            _write(Path(args.json), render_json(analysis))
    except TrendgateError as exc:
        return _fail(str(exc))
    code = exit_code(analysis, fail_on_regression=not args.no_fail, allow_empty=args.allow_empty)
    if code == EXIT_ERROR and analysis.nothing_to_gate:
        return _fail(analysis.nothing_to_gate)
    return code


def _write(path: Path, text: str) -> None:
    try:
        write_atomic(path, text)
    except OSError as exc:
        raise TrendgateError(f"cannot write {path}: {exc.strerror or exc}") from None


def _fail(message: str) -> int:
    print(f"trendgate: error: {message}", file=sys.stderr)
    return EXIT_ERROR
