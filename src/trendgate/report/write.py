"""Write report files so that a reader never sees half of one."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from trendgate.errors import TrendgateError


def write_atomic(path: Path, text: str) -> None:
    """Write `text` as UTF-8 to `path` through a temporary file and a rename."""
    directory = path.parent
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
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
