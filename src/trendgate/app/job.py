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
    BUDGET_MIN_RUNS,
    BUDGET_NOISE_RUNS,
    BUDGET_WINDOW,
    DEFAULT_BUDGET,
    DEFAULT_MIN_RUNS,
    DEFAULT_RESULTS_DIR,
    DEFAULT_THRESHOLD,
    DEFAULT_WINDOW,
    PERIODS,
    RULES,
    X_AXES,
    Budget,
    Rule,
    Settings,
    XAxis,
    budget_settings,
    check_confidence,
    check_min_runs,
    check_noise_runs,
    check_site_url,
    check_stale_after,
    check_threshold,
    check_window,
    parse_budget,
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
    rule: Rule = option_field(
        "budget",
        "choice",
        "budget: judge each model at the level --false-alarms sets (default); proposal: the "
        "original proposal's rule (window 10, slope below -0.5, min runs 2), nothing else",
        flag="--rule",
        choices=RULES,
        input="rule",
    )
    false_alarms: Budget | None = option_field(
        None,
        "text",
        f"expected false alarms across all models of the history on flat models, e.g. 1/month "
        f"or 1/quarter (PERIOD: {', '.join(PERIODS)}; default {DEFAULT_BUDGET})",
        flag="--false-alarms",
        metavar="N/PERIOD",
        check=parse_budget,
        input="false-alarms",
    )
    window: int | None = option_field(
        None,
        "int",
        f"judge the last N runs (default {BUDGET_WINDOW}; {DEFAULT_WINDOW} with --rule proposal)",
        flag="--window",
        metavar="N",
        check=check_window,
        input="window",
    )
    threshold: float | None = option_field(
        None,
        "float",
        "regress only when the slope (points/run) is also below T (default: no floor beyond a "
        f"decline; {DEFAULT_THRESHOLD} with --rule proposal, where the slope alone decides)",
        flag="--threshold",
        metavar="T",
        check=check_threshold,
        input="threshold",
    )
    min_runs: int | None = option_field(
        None,
        "int",
        f"models with fewer runs are reported, never failed (default {BUDGET_MIN_RUNS}; "
        f"{DEFAULT_MIN_RUNS} with --rule proposal)",
        flag="--min-runs",
        metavar="N",
        check=check_min_runs,
        input="min-runs",
    )
    confidence: float | None = option_field(
        None,
        "float",
        "judge each model at the level 1 - C (e.g. 0.999) instead of the budget's",
        flag="--confidence",
        metavar="C",
        check=check_confidence,
        input="confidence",
        input_help="Judge each model at the level 1 - C (e.g. 0.999), the chance a flat model "
        "fails on a night, instead of the level false-alarms sets. Default off, or the config "
        "file's confidence.",
    )
    noise_runs: int | None = option_field(
        None,
        "int",
        "estimate the noise over each model's last N comparable runs (line fits over blocks of "
        f"10), not only its window (default {BUDGET_NOISE_RUNS})",
        flag="--noise-runs",
        metavar="N",
        check=check_noise_runs,
        input="noise-runs",
        input_help="Estimate the run-to-run noise over each model's last N comparable runs "
        "(line fits over blocks of 10 runs, pooled with the window's residuals) instead of its "
        f"window alone; these runs are parsed in full. Default {BUDGET_NOISE_RUNS}, or the "
        "config file's noise_runs.",
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
        """How each series is windowed and judged: the rule's defaults under what is given."""
        given: dict[str, Any] = {
            "window": self.window,
            "threshold": self.threshold,
            "min_runs": self.min_runs,
            "segment": self.segment,
            "x": self.x,
            "stale_after": self.stale_after,
        }
        given = {k: v for k, v in given.items() if v is not None}
        if self.rule == "proposal":
            return Settings(**given)
        budget: dict[str, Any] = {"confidence": self.confidence, "noise_runs": self.noise_runs}
        budget["false_alarms"] = self.false_alarms
        return budget_settings(**given, **{k: v for k, v in budget.items() if v is not None})

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
