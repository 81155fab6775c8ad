"""Write files so that a reader never sees half of one: a synced temporary, then a rename."""

from __future__ import annotations

import os
from pathlib import Path


def write_temporary(directory: Path | bytes, data: bytes, prefix: str, suffix: str) -> bytes:
    """Write `data` to a new temporary file in `directory`, synced to disk; its path.

    The file gets the mode a plain open() would (mkstemp makes it private, 0600), so that
    the published file is readable by whoever could read one the user wrote.
    """
    import tempfile  # 1-4 ms (weakref; shutil unless argparse loaded it): only writing needs it

    fd, tmp = tempfile.mkstemp(
        prefix=os.fsencode(prefix), suffix=os.fsencode(suffix), dir=os.fsencode(directory)
    )
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())  # publishing must never expose unwritten data
    except BaseException:
        os.unlink(tmp)
        raise
    return tmp


def sync_directory(directory: Path | bytes) -> None:
    """Make the names published in `directory` survive a crash."""
    fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
