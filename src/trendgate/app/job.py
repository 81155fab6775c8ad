"""The gate job: every option declared once, with its type, default, flag, config key and input.

The command line's parser, the config file's top-level keys and the Action's `INPUT_*`
variables are all generated from `OPTIONS`, so the three front ends cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

from trendgate.app.branch_options import BranchOptions
from trendgate.app.option import Command, Option, option_field
from trendgate.report import FORMATS, PRINTABLE
from trendgate.settings import (
    DEFAULT_MIN_RUNS,
    DEFAULT_RESULTS_DIR,
    DEFAULT_THRESHOLD,
    DEFAULT_WINDOW,
    X_AXES,
    Settings,
    XAxis,
    check_confidence,
    check_min_runs,
    check_noise_runs,
    check_site_url,
    check_stale_after,
    check_threshold,
    check_window,
)


@dataclass(frozen=True)
class Job(BranchOptions):
    """Everything one run of the gate needs, with the names of the options given explicitly.

    Options not in `given` may still be set by the config file (see run.with_config); the
    defaults here apply to what neither sets.
    """

    results_dir: str = option_field(
        DEFAULT_RESULTS_DIR,
        "path",
        f"directory of PinchBench result files (default: {DEFAULT_RESULTS_DIR})",
        input="results-dir",
        input_help="Directory of PinchBench result files, relative to the workspace. "
        "Default results, or the config file's results_dir.",
    )
    only_models: tuple[str, ...] = option_field(
        (),
        "names",
        "analyze only this model (repeatable); its name as in the result files",
        flag="--model",
        metavar="NAME",
        input="models",
        input_help="Only these models (comma- or newline-separated), named as in the result "
        "files. Default all.",
    )
    window: int = option_field(
        DEFAULT_WINDOW,
        "int",
        f"fit the slope over the last N runs (default {DEFAULT_WINDOW}, at least 2)",
        flag="--window",
        metavar="N",
        check=check_window,
        input="window",
    )
    threshold: float = option_field(
        DEFAULT_THRESHOLD,
        "float",
        f"regress when the slope (points/run) is below T (default {DEFAULT_THRESHOLD})",
        flag="--threshold",
        metavar="T",
        check=check_threshold,
        input="threshold",
    )
    min_runs: int = option_field(
        DEFAULT_MIN_RUNS,
        "int",
        f"models with fewer runs are reported, never failed (default {DEFAULT_MIN_RUNS})",
        flag="--min-runs",
        metavar="N",
        check=check_min_runs,
        input="min-runs",
    )
    confidence: float | None = option_field(
        None,
        "float",
        "regress only when the slope's C interval (e.g. 0.95) lies below 0; "
        "otherwise the verdict is inconclusive and passes",
        flag="--confidence",
        metavar="C",
        check=check_confidence,
        input="confidence",
        input_help="Opt-in stricter gate, e.g. 0.95. A model regresses only when its slope is "
        "below the threshold, the slope's confidence interval lies below 0, and both still hold "
        "without its most influential run; otherwise the verdict is inconclusive and passes. "
        "Improving then also needs the interval above 0. Default off, or the config file's "
        "confidence.",
    )
    noise_runs: int | None = option_field(
        None,
        "int",
        "with --confidence: estimate the noise over each model's last N comparable runs "
        "(line fits over blocks of 10), not only its window",
        flag="--noise-runs",
        metavar="N",
        check=check_noise_runs,
        input="noise-runs",
        input_help="With confidence, estimate the run-to-run noise over each model's last N "
        "comparable runs (line fits over blocks of 10 runs, pooled with the window's residuals) "
        "instead of its window alone; these runs are parsed in full. Default off, or the config "
        "file's noise_runs.",
    )
    segment: bool = option_field(
        False,
        "bool",
        "window only the runs comparable with each model's latest run "
        "(same benchmark version, task set and runs per task)",
        flag="--segment",
        input="segment",
    )
    x: XAxis = option_field(
        "run",
        "choice",
        "slope per run (default) or per day, from the timestamps",
        flag="--x",
        choices=X_AXES,
        input="x",
    )
    stale_after: float | None = option_field(
        None,
        "float",
        "flag a model that has had no run for DAYS while the others have had runs "
        "(default: three of its usual intervals between runs, at least 2 days)",
        flag="--stale-after",
        metavar="DAYS",
        check=check_stale_after,
        input="stale-after",
    )
    format: str = option_field(
        "text",
        "choice",
        "what to print (default text)",
        flag="--format",
        choices=PRINTABLE,
        commands=("gate", "backtest"),
    )
    # One entry per report format written to a file: (format name, path).
    reports: tuple[tuple[str, str], ...] = ()
    no_fail: bool = option_field(
        False,
        "bool",
        "report only: exit 0 even when a model regresses",
        flag="--no-fail",
        input="fail-on-regression",
        input_help="Fail the step on a regression (true), or only report it (false). "
        "Default true, or the opposite of the config file's no_fail.",
        inverted_input=True,
        commands=("gate",),
    )
    allow_empty: bool = option_field(
        False,
        "bool",
        "exit 0 instead of 2 when there is no readable run to judge",
        flag="--allow-empty",
        input="allow-empty",
    )
    allow_unjudged: bool = option_field(
        False,
        "bool",
        "exit 0 instead of 2 when no model has min_runs runs yet (a history's first nights)",
        flag="--allow-unjudged",
        input="allow-unjudged",
        commands=("gate",),
    )
    strict: bool = option_field(
        False,
        "bool",
        "exit 2 when any result file had to be skipped (or left out of the history)",
        flag="--strict",
        input="strict",
        commands=("gate", "backtest", "add", "site"),
    )
    verbose: bool = option_field(
        False,
        "bool",
        "show every statistic of every model in the text report, not only of those that "
        "regress or are inconclusive",
        flag="--verbose",
        input="verbose",
        commands=("gate", "backtest"),
    )
    config: str | None = option_field(
        None,
        "path",
        "read settings and per-model rules from FILE (default: ./trendgate.yml if present)",
        flag="--config",
        metavar="FILE",
        input="config",
        input_help="A trendgate config file (per-model rules, aliases, accepted declines), "
        "relative to the workspace. Default trendgate.yml in the workspace when it exists. "
        "Inputs given win over it.",
        in_config=False,
        commands=("gate", "backtest", "add", "site"),
    )
    add: tuple[str, ...] = option_field(
        (),
        "names",
        "file the PinchBench results in SOURCE (a file, or a directory searched recursively) "
        "into the results directory first, creating it, then judge (repeatable)",
        flag="--add",
        metavar="SOURCE",
        input="add",
        input_help="File the PinchBench results in these files or directories (comma- or "
        "newline-separated, relative to the workspace; directories searched recursively) into "
        "results-dir first, creating it, then judge. Default none.",
        in_config=False,
        commands=("gate",),
    )
    keep_runs: int | None = option_field(
        None,
        "int",
        "then keep only the newest N runs of each model in HISTORY (at least the largest "
        "window or min_runs the config uses)",
        flag="--keep-runs",
        metavar="N",
        in_config=False,
        commands=("add",),
    )
    site: str | None = option_field(
        None,
        "path",
        "also write the history site (an overview and a page per model, static HTML) to DIR",
        flag="--site",
        metavar="DIR",
        input="site",
        input_help="Also write the history site (an overview and a page per model, static "
        "HTML) to this directory, relative to the workspace, for actions/upload-pages-artifact.",
        commands=("gate",),
    )
    site_url: str | None = option_field(
        None,
        "text",
        "where the history site is published: the job summary links to it",
        flag="--site-url",
        metavar="URL",
        check=check_site_url,
        input="site-url",
        commands=("gate",),
    )
    now: float | None = option_field(
        None,
        "time",
        "judge as of TIME (ISO 8601 with a time zone) for every rule that reads the clock: "
        "runs from the future, a history no one adds to (default: SOURCE_DATE_EPOCH if set, "
        "else the system clock)",
        flag="--now",
        metavar="TIME",
        in_config=False,
        commands=("gate", "backtest"),
    )
    debug: bool = option_field(
        False,
        "bool",
        "print the traceback of an unexpected error (or set TRENDGATE_DEBUG=1)",
        flag="--debug",
        in_config=False,
        commands=("gate", "backtest", "add"),
    )
    command: Command = "gate"
    step_summary: str | None = None  # the runner's job summary file (GITHUB_STEP_SUMMARY)
    explicit: frozenset[str] = frozenset()
    from_action: bool = False  # the options given are the Action's inputs, not flags

    @property
    def settings(self) -> Settings:
        """How each series is windowed and judged."""
        return Settings(
            self.window,
            self.threshold,
            self.min_runs,
            self.confidence,
            self.segment,
            self.x,
            self.noise_runs,
            self.stale_after,
        )

    def explicit_as(self, name: str) -> str | None:
        """How an option given explicitly was spelled (`--window`, `input window`), or None."""
        if name not in self.explicit:
            return None
        option = OPTIONS_BY_NAME[name]
        if self.from_action:
            return f"input {option.input}"
        return option.flag or name.upper()

    def report_path(self, name: str) -> str | None:
        """Where the report of format `name` is written, or None."""
        return dict(self.reports).get(name)

    def with_values(self, values: Mapping[str, Any]) -> Job:
        """This job with option values by option name (report options become `reports`)."""
        reports = dict(self.reports)
        plain: dict[str, Any] = {}
        for name, value in values.items():
            report = OPTIONS_BY_NAME[name].report
            if report:
                reports[report] = value
            else:
                plain[name] = value
        return replace(self, **plain, reports=tuple(sorted(reports.items())))


def _table() -> tuple[Option, ...]:
    options = []
    # The Job's own options first, then the history branch's (declared in their own class).
    inherited = {f.name for f in fields(BranchOptions)}
    for f in [f for f in fields(Job) if f.name not in inherited] + list(fields(BranchOptions)):
        if "option" in f.metadata:
            kind, help, spec = f.metadata["option"]
            options.append(Option(f.name, kind, help, **spec))
        elif f.name == "reports":
            options += [
                Option(
                    fmt.name,
                    "path",
                    f"also write the {fmt.title} to FILE",
                    flag=f"--{fmt.name}",
                    metavar="FILE",
                    input=f"{fmt.name}-report",
                    input_help=f"Also write the {fmt.title} to this path, relative to the "
                    "workspace.",
                    commands=("gate", "backtest") if fmt.backtest else ("gate",),
                    report=fmt.name,
                )
                for fmt in FORMATS
                if fmt.to_file
            ]
    return tuple(options)


OPTIONS = _table()
OPTIONS_BY_NAME = {option.name: option for option in OPTIONS}
