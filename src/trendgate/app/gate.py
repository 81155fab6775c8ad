"""Gate: turn an analysis into the exit code a CI system acts on."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from trendgate.errors import EXIT_ERROR, EXIT_OK, EXIT_REGRESSION
from trendgate.model import Unjudged
from trendgate.words import count

if TYPE_CHECKING:  # only types here: importing the analysis would slow `--version`
    from trendgate.history.add import Added
    from trendgate.model import Analysis

__all__ = ["EXIT_ERROR", "EXIT_OK", "EXIT_REGRESSION", "Decision", "decide_exit"]


@dataclass(frozen=True)
class Decision:
    """The exit code, and for exit code 2 the one-line reason to print."""

    code: int
    reason: str | None = None


def decide_exit(
    analysis: Analysis,
    *,
    fail_on_regression: bool = True,
    allow_empty: bool = False,
    allow_unjudged: bool = False,
    strict: bool = False,
) -> Decision:
    """0 when all is well, 1 on a regression (unless report-only), 2 when nothing could be judged.

    Finding nothing is an error by default: a gate that passes on an empty directory
    would pass every time the benchmark job silently failed to produce results. So is a
    directory where no model has min_runs runs: one that never keeps a history would pass
    forever. `strict` makes any skipped file an error too.
    """
    if analysis.nothing_to_gate and not allow_empty:
        return Decision(EXIT_ERROR, analysis.nothing_to_gate)
    if analysis.unjudged and not allow_unjudged:
        return Decision(EXIT_ERROR, _unjudged_message(analysis.unjudged))
    if strict and analysis.skipped:
        first = analysis.skipped[0]
        others = len(analysis.skipped) - 1
        more = f" and {count(others, 'more file', 'more files')}" if others else ""
        return Decision(EXIT_ERROR, f"--strict: {first.path} was skipped ({first.reason}){more}")
    if analysis.regression and fail_on_regression:
        return Decision(EXIT_REGRESSION)
    return Decision(EXIT_OK)


def decide_exit_tonight(
    added: Added, decision: Decision, *, allow_empty: bool = False, strict: bool = False
) -> Decision:
    """The decision once `--add` has filed tonight's runs: fail closed when they are missing.

    A SOURCE with no complete result file is what a benchmark that failed looks like (a
    PinchBench run whose sanity task scores 0 writes no file at all); judging yesterday's
    history instead would pass. `strict` also fails on a file left out or a model absent.
    """
    if added.empty and not allow_empty:
        return Decision(
            EXIT_ERROR,
            f"tonight's benchmark produced nothing: no complete result file in {added.empty[0]} "
            "(PinchBench writes no file when its sanity task scores 0)",
        )
    if decision.code == EXIT_ERROR or not strict:
        return decision
    if added.left_out:
        first = added.left_out[0]
        others = len(added.left_out) - 1
        more = f" and {others} more" if others else ""
        return Decision(EXIT_ERROR, f"--strict: {first.path} was left out ({first.reason}){more}")
    if added.absent:
        first_absent = added.absent[0]
        others = len(added.absent) - 1
        more = f" (and {others} more models)" if others else ""
        return Decision(EXIT_ERROR, f"--strict: {first_absent.message(added.sources)}{more}")
    return decision


def _unjudged_message(unjudged: Unjudged) -> str:
    """The one-line reason the gate gives, with both likely causes and the way out."""
    return (
        f"no model has enough runs to judge in {unjudged.results_dir}: the most is "
        f"{unjudged.runs} of the {unjudged.min_runs} min_runs asks for ({unjudged.model}); a "
        "first night, or a history not kept between runs? Keep one as README.md's nightly "
        "workflow does; --allow-unjudged (input allow-unjudged) passes meanwhile"
    )
