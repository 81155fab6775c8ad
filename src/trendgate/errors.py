"""The exit codes a CI system acts on, and the errors trendgate reports to its user.

Each error carries the exit code it ends the command with (click's habit), so a shell never has
to map exceptions to codes: every one of them is EXIT_ERROR, never EXIT_REGRESSION.
"""

EXIT_OK = 0
EXIT_REGRESSION = 1
EXIT_ERROR = 2


class TrendgateError(Exception):
    """A problem with the user's input or settings: reported in one line, exit code 2."""

    exit_code = EXIT_ERROR


class UsageError(TrendgateError):
    """An option or input value that is not valid."""


class InputError(TrendgateError):
    """A results directory that cannot be gated on (missing, empty, nothing readable)."""


class SourceError(InputError):
    """A results directory (or list of files) that is missing or cannot be listed."""


DEBUG_VARIABLE = "TRENDGATE_DEBUG"


def unexpected(exc: BaseException) -> str:
    """The one line an unexpected exception is reported in: a bug, not the input's fault."""
    return (
        f"unexpected {type(exc).__name__}: {exc} (a bug in trendgate: please report it; "
        f"--debug or {DEBUG_VARIABLE}=1 shows the traceback)"
    )
