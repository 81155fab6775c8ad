"""Read files safely: regular files only, bounded in size, never blocked by a FIFO or device."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

# A PinchBench v2 file is about 250 KB; anything this large is not one, and reading it
# whole would let a stray file exhaust the runner's memory.
MAX_FILE_BYTES = 64 * 1024 * 1024


class LoadError(Exception):
    """A result file that cannot be used; the message is the reason, without the path."""


def caught(read: Callable[[Path, str], T], root: Path, name: str) -> T | LoadError:
    """What `read` gives for the file, or the LoadError that says why it cannot."""
    try:
        return read(root, name)
    except LoadError as exc:
        return exc.with_traceback(None)  # its frames would keep the file's bytes alive


def read_bytes(path: Path | bytes) -> bytes:
    """Read a regular file whole, refusing anything larger than MAX_FILE_BYTES.

    See open_regular for why a FIFO or device cannot hang it or feed it endless data.
    """
    fd, size = open_regular(path)
    try:
        # Asking for MAX_FILE_BYTES at once would allocate that much for every file: read
        # what fstat gave and one byte more, and only a file that grew since on to the limit.
        # os.read, not a buffered file object: building one cost as much as a small file's read.
        chunks = [os.read(fd, size + 1)]
        got = len(chunks[0])
        while chunks[-1] and got <= MAX_FILE_BYTES:
            chunks.append(os.read(fd, MAX_FILE_BYTES + 1 - got))
            got += len(chunks[-1])
        data = chunks[0] if len(chunks) == 1 else b"".join(chunks)
    except OSError as exc:
        raise LoadError(f"cannot read: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    if len(data) > MAX_FILE_BYTES:  # it grew after the size check
        raise LoadError(_too_large())
    return data


def open_regular(path: Path | bytes) -> tuple[int, int]:
    """Open a regular file of at most MAX_FILE_BYTES for reading: its descriptor and size.

    It is opened without blocking and checked after opening, so a FIFO or device put in
    place after discovery can neither hang the gate nor feed it endless data.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as exc:
        raise LoadError(f"cannot read: {exc.strerror or exc}") from None
    try:
        info = os.fstat(fd)
    except OSError as exc:
        os.close(fd)
        raise LoadError(f"cannot read: {exc.strerror or exc}") from None
    problem = None
    if not stat.S_ISREG(info.st_mode):
        problem = "not a regular file"
    elif info.st_size > MAX_FILE_BYTES:
        problem = _too_large()
    if problem:
        os.close(fd)
        raise LoadError(problem)
    return fd, info.st_size


def _too_large() -> str:
    return f"larger than the {MAX_FILE_BYTES // (1024 * 1024)} MiB limit"
