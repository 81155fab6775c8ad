"""trendgate: fail CI when a model's PinchBench score trends down over its recent runs."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("trendgate")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"

from trendgate.analysis import Analysis, Backtest, Note, analyze, backtest
from trendgate.backtest import Replay, Verdict
from trendgate.compat import RunPoint, RunTrendAnalyzer, RunTrendReport
from trendgate.discover import Skipped
from trendgate.errors import InputError, TrendgateError, UsageError
from trendgate.load import Run, TaskResult
from trendgate.series import Series
from trendgate.settings import Settings
from trendgate.trend import Status, Trend

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
