"""The gate job: every option declared once, with its type, default, flag, config key and input.

The command line's parser, the config file's top-level keys and the Action's `INPUT_*`
variables are all generated from `OPTIONS`, so the three front ends cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

from trendgate.app.branch_options import BranchOptions
from trendgate.app.judging_options import JudgingOptions
from trendgate.app.option import Command, Option, option_field
from trendgate.report import FORMATS, PRINTABLE
from trendgate.settings import check_site_url


@dataclass(frozen=True)
class Job(BranchOptions, JudgingOptions):
    """Everything one run of the gate needs, with the names of the options given explicitly.

    Options not in `explicit` may still be set by the config file (see run.with_config); the
    defaults here apply to what neither sets.
    """

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
    # What is judged and how first, then the Job's own options, then the history branch's.
    judging, branch = fields(JudgingOptions), fields(BranchOptions)
    inherited = {f.name for f in judging + branch}
    for f in [*judging, *(f for f in fields(Job) if f.name not in inherited), *branch]:
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
