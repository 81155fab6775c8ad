"""trendgate: fail CI when a model's PinchBench score trends down over its recent runs."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("trendgate")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"

__all__ = ["__version__"]
