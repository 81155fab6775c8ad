"""trendgate: fail CI when a model's PinchBench score trends down over its recent runs."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from trendgate.app.proposal import RunPoint, RunTrendAnalyzer, RunTrendReport
    from trendgate.errors import InputError, TrendgateError, UsageError
    from trendgate.judge.analysis import analyze, backtest
    from trendgate.model import (
        Analysis,
        Backtest,
        Note,
        Replay,
        Run,
        Series,
        Skipped,
        Verdict,
        TaskResult,
        Trend,
        PastVerdict,
    )
    from trendgate.settings import Settings

# The public names, each imported from its module only when first used: `trendgate --version`
# and a run over an empty directory should not pay for the analysis, the reports or
# importlib.metadata (which takes longer to import than such a run).
_HOME = {
    "Analysis": "trendgate.judge.analysis",
    "Backtest": "trendgate.judge.analysis",
    "Note": "trendgate.judge.analysis",
    "analyze": "trendgate.judge.analysis",
    "backtest": "trendgate.judge.analysis",
    "Replay": "trendgate.judge.replay",
    "PastVerdict": "trendgate.judge.replay",
    "RunPoint": "trendgate.app.proposal",
    "RunTrendAnalyzer": "trendgate.app.proposal",
    "RunTrendReport": "trendgate.app.proposal",
    "Skipped": "trendgate.read.discover",
    "InputError": "trendgate.errors",
    "TrendgateError": "trendgate.errors",
    "UsageError": "trendgate.errors",
    "Run": "trendgate.read.pinchbench",
    "TaskResult": "trendgate.read.pinchbench",
    "Series": "trendgate.judge.window",
    "Settings": "trendgate.settings",
    "Verdict": "trendgate.judge.trend",
    "Trend": "trendgate.judge.trend",
}

__all__ = [
    "Analysis",
    "Backtest",
    "InputError",
    "Note",
    "Replay",
    "Run",
    "RunPoint",
    "RunTrendAnalyzer",
    "RunTrendReport",
    "Series",
    "Settings",
    "Skipped",
    "Verdict",
    "TaskResult",
    "Trend",
    "TrendgateError",
    "UsageError",
    "PastVerdict",
    "__version__",
    "analyze",
    "backtest",
]


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("trendgate")
        except PackageNotFoundError:  # running from a source tree that was never installed
            return "0+unknown"
    if name in _HOME:
        return getattr(import_module(_HOME[name]), name)
    raise AttributeError(f"module 'trendgate' has no attribute {name!r}")
