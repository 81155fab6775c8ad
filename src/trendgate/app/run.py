"""Run one job: lay the config file under it, analyze, report, and gate."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from trendgate.app import github
from trendgate.app.config import Config, read_config
from trendgate.app.gate import EXIT_ERROR, EXIT_OK, Decision, decide_exit, decide_exit_tonight
from trendgate.app.job import Job
from trendgate.errors import InputError, TrendgateError, UsageError
from trendgate.history.add import Added, add
from trendgate.history.sources import Ahead, read_ahead
from trendgate.judge.analysis import analyze, backtest, nothing_read
from trendgate.model import Analysis, Backtest, Note
from trendgate.report import FORMATS_BY_NAME, Ending, Format
from trendgate.report.write import check_outside, write_report
from trendgate.rules import OVERRIDABLE, Rules
from trendgate.settings import current_time

if TYPE_CHECKING:  # the branch store loads only when a job asks for it
    from trendgate.app.store import Store


@dataclass(frozen=True)
class Outcome:
    """What a job did, for a shell to present: its exit code and what to print."""

    code: int
    stdout: str  # the report for standard output, in the job's format
    error: str | None  # the one-line reason behind exit code 2
    job: Job  # as with_config over the config file
    analysis: Analysis | None = None  # None when the job stopped on an error before the end
    written: tuple[Path, ...] = ()  # the files and directories it wrote or created
    added: Added | None = None  # what `add` (or the gate's --add) filed
    notes: tuple[Note, ...] = ()  # what `add --history-branch` did (a gate's are in its analysis)


def with_config(job: Job) -> tuple[Job, Rules]:
    """The job with the config file's values for the options it was not given, and the rules.

    An option given explicitly wins over the file everywhere, per-model values included.
    Settings that cannot work together are a UsageError naming where each was set. The
    job's `given` then holds the options the file set as well.
    """
    config = read_config(job.config)
    from_file = {name: value for name, value in config.options.items() if name not in job.explicit}
    rules = config.rules.without(set(OVERRIDABLE) & job.explicit)
    job = job.with_values(from_file)
    check_together(job, rules, config)
    return replace(job, explicit=job.explicit | set(from_file)), rules


def check_together(job: Job, rules: Rules, config: Config) -> None:
    """Refuse a minimum run count above the window, which would leave a model unjudged forever."""

    def where(name: str) -> str:
        return job.explicit_as(name) or config.origins.get(name) or "default"

    settings = job.settings
    if settings.min_runs > settings.window:
        raise _too_few(settings.min_runs, where("min_runs"), settings.window, where("window"))
    for rule in rules.models:
        window = settings.window if rule.window is None else rule.window
        min_runs = settings.min_runs if rule.min_runs is None else rule.min_runs
        if min_runs > window:
            at = f"{rule.origin}, models: {rule.pattern!r}"
            raise _too_few(
                min_runs,
                where("min_runs") if rule.min_runs is None else at,
                window,
                where("window") if rule.window is None else at,
            )


def _too_few(min_runs: int, min_where: str, window: int, window_where: str) -> UsageError:
    return UsageError(
        f"min runs {min_runs} ({min_where}) is more than the window of {window} runs "
        f"({window_where}): no model could ever be judged; lower min runs to {window} at most, "
        "or widen the window"
    )


def run(job: Job) -> Outcome:
    """Do the job; every user error becomes exit code 2 with its one-line reason."""
    added: Added | None = None
    pulled: Store | None = None
    try:
        job, rules = with_config(job)
        results_dir = Path(job.results_dir)
        now = current_time(job.now)  # read once: every rule of the job sees the same moment
        if job.command == "add" and "results_dir" not in job.explicit:
            raise UsageError("name the history: --to HISTORY, or results_dir in the config file")
        if job.command == "site":
            from trendgate.app import site  # hashlib and the pages: only a site needs them

            code, printed, error, site_files = site.site_job(job, rules)
            if error is not None:
                return error_outcome(job, error)
            return Outcome(code, printed, None, job, written=tuple(site_files))
        for _, path in job.reports:
            check_outside(Path(path), results_dir)
        ahead: Ahead | None = None
        if job.history_branch:
            from trendgate.app import store  # git and tempfile: only for a branch store

            # Tonight's runs are read and slimmed while git fetches; filed after the pull.
            pulled, ahead = store.pull(job, lambda: read_ahead(job.add, slim=True))
        if job.add:
            added = add(
                job.add,
                job.results_dir,
                keep_runs=job.keep_runs,
                settings=job.settings,
                rules=rules,
                slim=job.slim or pulled is not None,
                ahead=ahead,
            )
            if job.only_models:
                absent = tuple(a for a in added.absent if a.model in job.only_models)
                added = replace(added, absent=absent)
        if job.command == "add":
            assert added is not None  # argparse requires a SOURCE
            # The subcommand judges nothing, so no model can be missing from its verdicts, and
            # it may fill a history with older runs (collecting artifacts, a backfill).
            decision = decide_exit_tonight(
                replace(added, absent=(), outranked=()),
                Decision(EXIT_OK),
                allow_empty=True,
                strict=job.strict,
            )
            said: tuple[Note, ...] = ()
            if pulled and decision.code == EXIT_OK:
                said, failed = pulled.finish()
                decision = Decision(EXIT_ERROR, failed) if failed else decision
            elif pulled:
                pulled.discard()
            made = _made(pulled, added)
            return Outcome(decision.code, "", decision.reason, job, None, made, added, said)
        if "results_dir" not in job.explicit and not os.path.lexists(results_dir):
            how = "input results-dir" if job.from_action else "trendgate DIR"
            raise InputError(
                f"results directory not found: {job.results_dir} (the default; give the "
                f"directory of result files: {how})"
            )
        replayed: Backtest | None = None
        if job.command == "backtest":
            replayed = backtest(
                results_dir, job.settings, models=job.only_models, rules=rules, added=added, now=now
            )
            analysis = replayed.analysis
        else:
            analysis = analyze(
                results_dir, job.settings, models=job.only_models, rules=rules, added=added, now=now
            )
    except TrendgateError as exc:
        if pulled:
            pulled.discard()
        return error_outcome(job, str(exc), added=added, made=_made(pulled, added))
    decision = decide_exit(
        analysis,
        # A backtest reports what the gate would have done; only bad input fails it.
        fail_on_regression=job.command == "gate" and not job.no_fail,
        allow_empty=job.allow_empty,
        # A branch's own commits say how young it is: it cannot be lost by a missed night.
        allow_unjudged=job.allow_unjudged or job.command != "gate" or pulled is not None,
        strict=job.strict,
    )
    if added:
        decision = decide_exit_tonight(
            added, decision, allow_empty=job.allow_empty, strict=job.strict
        )
    if pulled:
        # Judged first, pushed after: a failed push is exit 2, with the verdict still shown.
        said, failed = pulled.finish(analysis)
        analysis = replace(analysis, notes=analysis.notes + said)
        if failed:
            decision = Decision(EXIT_ERROR, failed)
    if decision.code == EXIT_ERROR and not analysis.trends and not analysis.skipped:
        # Nothing was found to report on: the error line says it all.
        return error_outcome(job, decision.reason or "", analysis, added, _made(pulled, added))
    ending = Ending(
        decision.code,
        decision.reason,
        report_only=job.command == "gate" and job.no_fail,
        from_action=job.from_action,
        verbose=job.verbose,
        site_url=job.site_url,
    )
    show = _renderer(job, analysis, replayed, ending)
    printed = show(FORMATS_BY_NAME[job.format])
    written = list(_made(pulled, added))
    try:
        for name, path in job.reports:
            # A backtest has no JUnit or Markdown form; a config file may still name them.
            if job.command == "gate" or FORMATS_BY_NAME[name].backtest:
                write_report(Path(path), show(FORMATS_BY_NAME[name]))
                written.append(Path(path))
        if job.site and job.command == "gate":
            from trendgate.app import site

            written += site.put_in_place(site.replayed(job, rules), Path(job.site))
        if job.step_summary and job.command == "gate":
            github.append_file(job.step_summary, show(FORMATS_BY_NAME["markdown"]))
    except TrendgateError as exc:
        return error_outcome(job, str(exc), analysis, added, _made(pulled, added))
    return Outcome(decision.code, printed, decision.reason, job, analysis, tuple(written), added)


def error_outcome(
    job: Job,
    error: str,
    analysis: Analysis | None = None,
    added: Added | None = None,
    made: tuple[Path, ...] | None = None,
) -> Outcome:
    """The outcome of a job stopped by an error: exit code 2, and every report that can
    still be written says so, so that none of them can be read as a pass.

    The text report is not printed: the one-line error is all there is to read. `made` is
    what the job wrote before (default: what `added` filed).
    """
    analysis = analysis or nothing_read(job.results_dir, job.settings)
    ending = Ending(EXIT_ERROR, error, from_action=job.from_action)
    show = _renderer(job, analysis, Backtest(analysis, ()), ending)
    printed = show(FORMATS_BY_NAME[job.format]) if job.format != "text" else ""
    written = list(_made(None, added) if made is None else made)
    for name, path in job.reports:
        if job.command == "gate" or FORMATS_BY_NAME[name].backtest:
            # The error is what the user must see; a report that cannot be written too
            # (the very file that failed, or one inside the results directory) is left out.
            try:
                check_outside(Path(path), Path(job.results_dir))
                write_report(Path(path), show(FORMATS_BY_NAME[name]))
            except TrendgateError:
                continue
            written.append(Path(path))
    if job.step_summary and job.command == "gate":
        with contextlib.suppress(OSError):
            github.append_file(job.step_summary, show(FORMATS_BY_NAME["markdown"]))
    return Outcome(EXIT_ERROR, printed, error, job, written=tuple(written), added=added)


def _made(pulled: Store | None, added: Added | None) -> tuple[Path, ...]:
    """What the job wrote into the history: the branch's files pulled, then the runs filed."""
    return (pulled.created if pulled else ()) + (added.created if added else ())


def _renderer(
    job: Job, analysis: Analysis, replayed: Backtest | None, ending: Ending
) -> Callable[[Format], str]:
    """The report of this job in a given format."""
    if job.command == "backtest":
        shown = replayed or Backtest(analysis, ())
        return lambda fmt: fmt.render_backtest(shown, ending)
    return lambda fmt: fmt.render(analysis, ending)
