"""Turn an analysis into the exit code a CI system acts on."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only a type here: importing the analysis would slow `--version`
    from trendgate.analysis import Analysis

EXIT_OK = 0
EXIT_REGRESSION = 1
EXIT_ERROR = 2


def exit_code(
    analysis: Analysis,
    *,
    fail_on_regression: bool = True,
    allow_empty: bool = False,
    strict: bool = False,
) -> int:
    """0 when all is well, 1 on a regression (unless report-only), 2 when nothing could be judged.

    Finding nothing is an error by default: a gate that passes on an empty directory
    would pass every time the benchmark job silently failed to produce results.
    `strict` makes any skipped file an error too.
    """
    if analysis.nothing_to_gate and not allow_empty:
        return EXIT_ERROR
    if strict and analysis.skipped:
        return EXIT_ERROR
    if analysis.regression and fail_on_regression:
        return EXIT_REGRESSION
    return EXIT_OK


def strict_failure(analysis: Analysis) -> str:
    """The one-line reason a strict gate gives for failing on skipped files."""
    first = analysis.skipped[0]
    others = len(analysis.skipped) - 1
    more = f" and {others} more" if others else ""
    return f"--strict: {first.path} was skipped ({first.reason}){more}"
