"""trendgate: fail CI when a model's PinchBench score trends down over its recent runs."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from trendgate.analysis import Analysis, Backtest, Note, analyze, backtest
    from trendgate.backtest import Replay, Verdict
    from trendgate.discover import Skipped
    from trendgate.errors import InputError, TrendgateError, UsageError
    from trendgate.pinchbench import Run, TaskResult
    from trendgate.proposal import RunPoint, RunTrendAnalyzer, RunTrendReport
    from trendgate.settings import Settings
    from trendgate.trend import Status, Trend
    from trendgate.window import Series

# The public names, each imported from its module only when first used: `trendgate --version`
# and a run over an empty directory should not pay for the analysis, the reports or
# importlib.metadata (which takes longer to import than such a run).
_HOME = {
    "Analysis": "trendgate.analysis",
    "Backtest": "trendgate.analysis",
    "Note": "trendgate.analysis",
    "analyze": "trendgate.analysis",
    "backtest": "trendgate.analysis",
    "Replay": "trendgate.backtest",
    "Verdict": "trendgate.backtest",
    "RunPoint": "trendgate.proposal",
    "RunTrendAnalyzer": "trendgate.proposal",
    "RunTrendReport": "trendgate.proposal",
    "Skipped": "trendgate.discover",
    "InputError": "trendgate.errors",
    "TrendgateError": "trendgate.errors",
    "UsageError": "trendgate.errors",
    "Run": "trendgate.pinchbench",
    "TaskResult": "trendgate.pinchbench",
    "Series": "trendgate.window",
    "Settings": "trendgate.settings",
    "Status": "trendgate.trend",
    "Trend": "trendgate.trend",
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
    "Status",
    "TaskResult",
    "Trend",
    "TrendgateError",
    "UsageError",
    "Verdict",
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
