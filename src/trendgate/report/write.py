"""Write report files so that a reader never sees half of one."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from trendgate.errors import TrendgateError, UsageError


def check_outside(path: Path, results_dir: Path) -> None:
    """Refuse a report path inside the results directory, which trendgate only ever reads."""
    target = os.path.realpath(path.parent)
    root = os.path.realpath(results_dir)
    if os.path.commonpath([root, target]) == root:
        raise UsageError(f"will not write {path} inside the results directory {results_dir}")


def write_atomic(path: Path, text: str) -> None:
    """Write `text` as UTF-8 to `path` through a temporary file and a rename."""
    directory = path.parent
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        # mkstemp makes the file private (0600); give it the mode a plain open() would.
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())  # the rename must never publish unwritten data
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_report(path: Path, text: str) -> None:
    """Write a report file atomically; a failure is a one-line user error (exit code 2)."""
    try:
        write_atomic(path, text)
    except OSError as exc:
        raise TrendgateError(f"cannot write {path}: {exc.strerror or exc}") from None
