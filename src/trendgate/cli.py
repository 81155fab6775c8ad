"""The `trendgate` command: a thin shell over analyze() or backtest(), the reports and the gate."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from trendgate.config import CONFIG_NAME, OPTIONS, read_config, settings_from
from trendgate.errors import TrendgateError
from trendgate.gate import EXIT_ERROR, decide
from trendgate.settings import (
    DEFAULT_MIN_RUNS,
    DEFAULT_RESULTS_DIR,
    DEFAULT_THRESHOLD,
    DEFAULT_WINDOW,
    X_AXES,
    parse_confidence,
    parse_min_runs,
    parse_noise_runs,
    parse_threshold,
    parse_window,
)

if TYPE_CHECKING:
    from trendgate.analysis import Analysis

# The first word `backtest` is always the subcommand; a results directory of that name
# is reached as `./backtest` (or --output-dir backtest).
BACKTEST = "backtest"


def _option(parse: Callable[[str], object]) -> Callable[[str], object]:
    """Adapt a settings parser to argparse, so bad values are usage errors (exit 2)."""

    def convert(text: str) -> object:
        try:
            return parse(text)
        except TrendgateError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    return convert


def build_parser(backtesting: bool = False) -> argparse.ArgumentParser:
    """The command-line interface: the gate, or with `backtesting` its replay over history."""
    if backtesting:
        parser = argparse.ArgumentParser(
            prog=f"trendgate {BACKTEST}",
            description="Replay the gate over history: the verdict after each run of each model.",
            epilog="Exit codes: 0 replayed (whatever the verdicts), 2 usage or input error.",
        )
    else:
        parser = argparse.ArgumentParser(
            prog="trendgate",
            description="Fail when a model's PinchBench score trends down over its recent runs. "
            f"`trendgate {BACKTEST} [RESULTS_DIR]` replays the gate over history "
            f"(a results directory named {BACKTEST} is ./{BACKTEST}).",
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
        metavar="N",
        help=f"fit the slope over the last N runs (default {DEFAULT_WINDOW}, at least 2)",
    )
    parser.add_argument(
        "--threshold",
        type=_option(parse_threshold),
        metavar="T",
        help=f"regress when the slope (points/run) is below T (default {DEFAULT_THRESHOLD})",
    )
    parser.add_argument(
        "--min-runs",
        type=_option(parse_min_runs),
        metavar="N",
        help=f"models with fewer runs are reported, never failed (default {DEFAULT_MIN_RUNS})",
    )
    parser.add_argument(
        "--confidence",
        type=_option(parse_confidence),
        metavar="C",
        help="regress only when the slope's C interval (e.g. 0.95) lies below 0; "
        "otherwise the verdict is inconclusive and passes",
    )
    parser.add_argument(
        "--noise-runs",
        type=_option(parse_noise_runs),
        metavar="N",
        help="with --confidence: estimate the noise over each model's last N comparable runs "
        "(line fits over blocks of 10), not only its window",
    )
    # store_const without a default leaves None when a flag is absent, so a config file can set it.
    parser.add_argument(
        "--segment",
        action="store_const",
        const=True,
        help="window only the runs comparable with each model's latest run "
        "(same benchmark version, task set and runs per task)",
    )
    parser.add_argument(
        "--x",
        choices=X_AXES,
        help="slope per run (default) or per day, from the timestamps",
    )
    parser.add_argument("--format", choices=("text", "json"), help="what to print (default text)")
    parser.add_argument("--json", metavar="FILE", help="also write the JSON report to FILE")
    if not backtesting:
        parser.add_argument("--junit", metavar="FILE", help="also write a JUnit XML report to FILE")
        parser.add_argument(
            "--markdown", metavar="FILE", help="also write the Markdown job summary to FILE"
        )
        parser.add_argument(
            "--no-fail",
            action="store_const",
            const=True,
            help="report only: exit 0 even when a model regresses",
        )
    parser.add_argument(
        "--config",
        metavar="FILE",
        help=f"read settings and per-model rules from FILE (default: ./{CONFIG_NAME} if present)",
    )
    parser.add_argument(
        "--allow-empty",
        action="store_const",
        const=True,
        help="exit 0 instead of 2 when there is no readable run to judge",
    )
    parser.add_argument(
        "--strict",
        action="store_const",
        const=True,
        help="exit 2 when any result file had to be skipped",
    )
    parser.add_argument("--version", action=_Version, nargs=0, help="print the version and exit")
    return parser


class _Version(argparse.Action):
    """--version, looking the version up only when it is asked for (see trendgate.__init__)."""

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        from trendgate import __version__

        print(f"trendgate {__version__}")
        parser.exit()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; return its exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    backtesting = argv[:1] == [BACKTEST]
    parser = build_parser(backtesting)
    args = parser.parse_args(argv[1:] if backtesting else argv)
    # Imported only now, so that --help, --version and usage errors start at once (their
    # text is ASCII, and stderr escapes what it cannot encode).
    from trendgate.analysis import analyze, backtest
    from trendgate.report.json import render_backtest_json, render_json
    from trendgate.report.junit import render_junit
    from trendgate.report.text import render_backtest_text, render_text, utf8_streams
    from trendgate.report.write import check_outside, write_report

    utf8_streams()
    if args.results_dir and args.output_dir and args.results_dir != args.output_dir:
        parser.error("give the results directory once: RESULTS_DIR or --output-dir")
    flags = {name: getattr(args, name, None) for name in OPTIONS}
    flags["results_dir"] = args.results_dir or args.output_dir
    flags["only_models"] = tuple(args.model) or None
    try:
        options, rules = read_config(args.config).under(flags)
        results_dir = Path(options.get("results_dir", DEFAULT_RESULTS_DIR))
        settings = settings_from(options)
        models = options.get("only_models", ())
        for report in ("json", "junit", "markdown"):
            if report in options:
                check_outside(Path(options[report]), results_dir)
        if backtesting:
            replayed = backtest(results_dir, settings, models=models, rules=rules)
            analysis = replayed.analysis
            as_text = partial(render_backtest_text, replayed)
            as_json = partial(render_backtest_json, replayed)
        else:
            analysis = analyze(results_dir, settings, models=models, rules=rules)
            as_text, as_json = partial(render_text, analysis), partial(render_json, analysis)
        sys.stdout.write(as_json() if options.get("format") == "json" else as_text())
        if "json" in options:
            write_report(Path(options["json"]), as_json())
        if not backtesting:
            if "junit" in options:
                write_report(Path(options["junit"]), render_junit(analysis))
            _summaries(analysis, options.get("markdown"))
    except TrendgateError as exc:
        return _fail(str(exc))
    # A backtest reports what the gate would have done; only bad input fails it.
    fail_on_regression = not (backtesting or options.get("no_fail", False))
    decision = decide(
        analysis,
        fail_on_regression=fail_on_regression,
        allow_empty=options.get("allow_empty", False),
        strict=options.get("strict", False),
    )
    if decision.reason:
        return _fail(decision.reason)
    return decision.code


def _summaries(analysis: Analysis, markdown: str | None) -> None:
    from trendgate import github
    from trendgate.report.markdown import render_markdown
    from trendgate.report.write import write_report

    if markdown:
        write_report(Path(markdown), render_markdown(analysis))
    if github.in_github_actions(os.environ):
        # A plain `run: trendgate` step gets the same job summary as the Action.
        github.append_file(os.environ["GITHUB_STEP_SUMMARY"], render_markdown(analysis))


def _fail(message: str) -> int:
    from trendgate.report.text import terminal_safe

    print(f"trendgate: error: {terminal_safe(message)}", file=sys.stderr)
    return EXIT_ERROR
