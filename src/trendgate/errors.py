"""The errors trendgate reports to its user, each mapped to exit code 2."""


class TrendgateError(Exception):
    """A problem with the user's input or settings: reported in one line, exit code 2."""


class UsageError(TrendgateError):
    """An option or input value that is not valid."""


class InputError(TrendgateError):
    """A results directory that cannot be gated on (missing, empty, nothing readable)."""


class SourceError(InputError):
    """A results directory (or list of files) that is missing or cannot be listed."""
