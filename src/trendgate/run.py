"""Run one job: lay the config file under it, analyze, report, and gate."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from trendgate import github
from trendgate.analysis import Analysis, analyze, backtest
from trendgate.config import read_config
from trendgate.config_rules import OVERRIDABLE, Rules
from trendgate.errors import TrendgateError
from trendgate.gate import EXIT_ERROR, decide
from trendgate.job import Job
from trendgate.report import BY_NAME, Format
from trendgate.report.write import check_outside, write_report


@dataclass(frozen=True)
class Outcome:
    """What a job did, for a shell to present: its exit code and what to print."""

    code: int
    printed: str  # the report for standard output, in the job's format
    error: str | None  # the one-line reason behind exit code 2
    job: Job  # as layered over the config file
    analysis: Analysis | None = None  # None when the job stopped on an error before the end
    written: tuple[Path, ...] = ()  # the report files it wrote


def layered(job: Job) -> tuple[Job, Rules]:
    """The job with the config file's values for the options it was not given, and the rules.

    An option given explicitly wins over the file everywhere, per-model values included.
    """
    config = read_config(job.config)
    from_file = {name: value for name, value in config.options.items() if name not in job.given}
    return job.with_values(from_file), config.rules.without(set(OVERRIDABLE) & job.given)


def run(job: Job) -> Outcome:
    """Do the job; every user error becomes exit code 2 with its one-line reason."""
    printed = ""
    written: list[Path] = []
    try:
        job, rules = layered(job)
        results_dir = Path(job.results_dir)
        for _, path in job.reports:
            check_outside(Path(path), results_dir)
        show: Callable[[Format], str]
        if job.command == "backtest":
            replayed = backtest(results_dir, job.settings, models=job.only_models, rules=rules)
            analysis = replayed.analysis
            show = lambda fmt: fmt.render_backtest(replayed)  # noqa: E731
        else:
            analysis = analyze(results_dir, job.settings, models=job.only_models, rules=rules)
            show = lambda fmt: fmt.render(analysis)  # noqa: E731
        printed = show(BY_NAME[job.format])
        for name, path in job.reports:
            # A backtest has no JUnit or Markdown form; a config file may still name them.
            if job.command == "gate" or BY_NAME[name].backtest:
                write_report(Path(path), show(BY_NAME[name]))
                written.append(Path(path))
        if job.step_summary and job.command == "gate":
            github.append_file(job.step_summary, BY_NAME["markdown"].render(analysis))
    except TrendgateError as exc:
        return Outcome(EXIT_ERROR, printed, str(exc), job, written=tuple(written))
    decision = decide(
        analysis,
        # A backtest reports what the gate would have done; only bad input fails it.
        fail_on_regression=job.command == "gate" and not job.no_fail,
        allow_empty=job.allow_empty,
        strict=job.strict,
    )
    return Outcome(decision.code, printed, decision.reason, job, analysis, tuple(written))
