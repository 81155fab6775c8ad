"""Run one job: lay the config file under it, analyze, report, and gate."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from trendgate import github
from trendgate.analysis import Analysis, Note, analyze, backtest
from trendgate.config import read_config
from trendgate.config_rules import OVERRIDABLE, Rules
from trendgate.errors import TrendgateError, UsageError
from trendgate.gate import EXIT_ERROR, EXIT_OK, Decision, decide, decide_tonight
from trendgate.history import Added, add
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
    written: tuple[Path, ...] = ()  # the files and directories it wrote or created
    added: Added | None = None  # what `add` (or the gate's --add) filed


def layered(job: Job) -> tuple[Job, Rules]:
    """The job with the config file's values for the options it was not given, and the rules.

    An option given explicitly wins over the file everywhere, per-model values included; the
    job's `given` then holds the options the file set as well.
    """
    config = read_config(job.config)
    from_file = {name: value for name, value in config.options.items() if name not in job.given}
    rules = config.rules.without(set(OVERRIDABLE) & job.given)
    return replace(job.with_values(from_file), given=job.given | set(from_file)), rules


def run(job: Job) -> Outcome:
    """Do the job; every user error becomes exit code 2 with its one-line reason."""
    printed = ""
    written: list[Path] = []
    added = None
    try:
        job, rules = layered(job)
        results_dir = Path(job.results_dir)
        if job.command == "add" and "results_dir" not in job.given:
            raise UsageError("name the history: --to HISTORY, or results_dir in the config file")
        for _, path in job.reports:
            check_outside(Path(path), results_dir)
        if job.add:
            added = add(
                job.add,
                job.results_dir,
                keep_runs=job.keep_runs,
                settings=job.settings,
                rules=rules,
            )
            written += added.created
            if job.only_models:
                absent = tuple(a for a in added.absent if a.model in job.only_models)
                added = replace(added, absent=absent)
        if job.command == "add":
            assert added is not None  # argparse requires a SOURCE
            # The subcommand judges nothing, so no model can be missing from its verdicts.
            decision = decide_tonight(
                replace(added, absent=()), Decision(EXIT_OK), allow_empty=True, strict=job.strict
            )
            return Outcome(decision.code, "", decision.reason, job, None, tuple(written), added)
        show: Callable[[Format], str]
        if job.command == "backtest":
            replayed = backtest(results_dir, job.settings, models=job.only_models, rules=rules)
            analysis = replayed.analysis
            show = lambda fmt: fmt.render_backtest(replayed)  # noqa: E731
        else:
            analysis = analyze(results_dir, job.settings, models=job.only_models, rules=rules)
            if added:
                analysis = with_added(analysis, added)
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
        return Outcome(EXIT_ERROR, printed, str(exc), job, written=tuple(written), added=added)
    decision = decide(
        analysis,
        # A backtest reports what the gate would have done; only bad input fails it.
        fail_on_regression=job.command == "gate" and not job.no_fail,
        allow_empty=job.allow_empty,
        strict=job.strict,
    )
    if added:
        decision = decide_tonight(added, decision, allow_empty=job.allow_empty, strict=job.strict)
    return Outcome(decision.code, printed, decision.reason, job, analysis, tuple(written), added)


def with_added(analysis: Analysis, added: Added) -> Analysis:
    """The analysis with what --add filed and left out, and a warning per model absent tonight."""
    absent = [Note(a.path, a.message(added.sources)) for a in added.absent]
    return replace(
        analysis,
        added=tuple(f.name for f in added.filed),
        left_out=added.left_out,
        notes=tuple(sorted(analysis.notes + tuple(absent), key=lambda n: n.path)),
    )
