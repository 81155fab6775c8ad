"""Write report files so that a reader never sees half of one."""

from __future__ import annotations

import os
from pathlib import Path

from trendgate.errors import TrendgateError, UsageError
from trendgate.history.atomic import write_temporary


def check_outside(path: Path, results_dir: Path) -> None:
    """Refuse a report path inside the results directory, which trendgate only ever reads."""
    target = os.path.realpath(path.parent)
    root = os.path.realpath(results_dir)
    if os.path.commonpath([root, target]) == root:
        raise UsageError(f"will not write {path} inside the results directory {results_dir}")


def write_atomic(path: Path, text: str) -> None:
    """Write `text` as UTF-8 to `path` through a temporary file and a rename."""
    data = text.encode("utf-8")
    tmp = write_temporary(path.parent, data, f".{path.name}.", ".tmp")
    try:
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def write_report(path: Path, text: str) -> None:
    """Write a report file atomically; a failure is a one-line user error (exit code 2)."""
    try:
        write_atomic(path, text)
    except OSError as exc:
        raise TrendgateError(f"cannot write {path}: {exc.strerror or exc}") from None
