"""Write a pulled branch's files into the history directory, each complete, and vouch for the
place of each (read/place.vouch), so that neither `add` nor the analysis reads 7,300 files back.

A history that does not exist yet, as on a fresh runner, is written whole into a staging
directory beside it, which is then renamed into place: one rename publishes every file, and a
killed job leaves no history at all, never a partial file in one. A history that exists gets
each missing file as a temporary linked to its name (never overwriting), and a file already
there must hold the branch's bytes.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import shutil
from collections.abc import Iterable
from pathlib import Path

from trendgate.errors import InputError
from trendgate.history.add import TEMP_PREFIX, TEMP_SUFFIX
from trendgate.history.atomic import sync_directory
from trendgate.read.place import HEAD_BYTES, TAIL_BYTES, forget, head_of, vouch


def write_files(
    root: Path, files: Iterable[tuple[str, bytes]], branch: str
) -> tuple[tuple[Path, ...], tuple[os.stat_result, ...]]:
    """Put each (name, bytes) in `root`, made with its parents when missing: the files
    written, and the status of each file vouched for."""
    stage = None
    if not os.path.lexists(root):
        root.parent.mkdir(parents=True, exist_ok=True)
        stage, names, vouched = _stage(root, files)
        try:
            # Would replace an empty directory made meanwhile, which loses nothing: a writer
            # into it writes by its path, which is then this one.
            os.rename(stage, root)
        except OSError as exc:
            if exc.errno not in (errno.EEXIST, errno.ENOTEMPTY, errno.ENOTDIR):
                shutil.rmtree(stage, ignore_errors=True)
                raise
            # `root` was made meanwhile (another job): file into it as into any history.
            forget(vouched)
            files = ((name, (stage / name).read_bytes()) for name in names)
        else:
            sync_directory(root.parent)
            return tuple(root / name for name in names), vouched
    try:
        return _place_all(root, files, branch)
    finally:
        if stage:
            shutil.rmtree(stage, ignore_errors=True)


def _place_all(
    root: Path, files: Iterable[tuple[str, bytes]], branch: str
) -> tuple[tuple[Path, ...], tuple[os.stat_result, ...]]:
    """File each into an existing history, the missing ones as temporaries linked."""
    root.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    vouched = []
    try:
        for name, data in files:
            if _place(root, name, data, branch):
                written.append(root / name)
            status = os.stat(root / name)
            if _vouch(name, data, status):
                vouched.append(status)
    except BaseException:
        forget(vouched)
        raise
    sync_directory(root)
    return tuple(written), tuple(vouched)


def _stage(
    root: Path, files: Iterable[tuple[str, bytes]]
) -> tuple[Path, list[str], tuple[os.stat_result, ...]]:
    """Write `files` into a new directory beside `root`: it, the names, those vouched for."""
    prefix = f"{TEMP_PREFIX}{root.name}-"
    _remove_abandoned(root.parent, prefix)
    stage = root.parent / f"{prefix}{os.urandom(8).hex()}{TEMP_SUFFIX}"
    os.mkdir(stage)
    fd = os.open(stage, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    names = []
    vouched = []
    try:
        with contextlib.suppress(OSError):  # a file system without locks: run unlocked
            fcntl.flock(fd, fcntl.LOCK_EX)  # held while in use: see _remove_abandoned
        for name, data in files:
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC
            out = os.open(name, flags, 0o666, dir_fd=fd)
            try:
                view = memoryview(data)
                while view:
                    view = view[os.write(out, view) :]
                status = os.fstat(out)
            finally:
                os.close(out)
            names.append(name)
            if _vouch(name, data, status):
                vouched.append(status)
        os.fsync(fd)
    except BaseException:
        forget(vouched)
        shutil.rmtree(stage, ignore_errors=True)
        raise
    finally:
        os.close(fd)
    return stage, names, tuple(vouched)


def _remove_abandoned(parent: Path, prefix: str) -> None:
    """Remove the staging directories that killed jobs left: a job holds a lock on its own
    while it writes, and the kernel drops it with the job."""
    try:
        with os.scandir(parent) as listing:
            found = [
                e.path
                for e in listing
                if e.name.startswith(prefix) and e.name.endswith(TEMP_SUFFIX)
            ]
    except OSError:  # a directory one may write into but not list: left as it is
        return
    for path in sorted(found):
        try:
            fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
        except OSError:
            continue  # not a directory, or gone
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            continue  # in use
        finally:
            os.close(fd)
        shutil.rmtree(path, ignore_errors=True)


def _vouch(name: str, data: bytes, status: os.stat_result) -> bool:
    head = head_of(name, data[:HEAD_BYTES], data[-TAIL_BYTES:])
    if head is not None:
        vouch(status, head)
    return head is not None


def _place(root: Path, name: str, data: bytes, branch: str) -> bool:
    """Write `data` as `name` unless it is there already; whether it was written."""
    target = root / name
    try:
        if target.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    else:
        raise InputError(
            f"{target} differs from the history branch {branch}'s file of that name: "
            "nothing is overwritten (remove the local copy, or use another directory)"
        )
    # Written in full before it is linked, so a killed job leaves no partial file; not synced
    # file by file (a year is 7,300 files): the branch, not this copy of it, is the record.
    tmp = root / f"{TEMP_PREFIX}{os.urandom(8).hex()}{TEMP_SUFFIX}"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.link(tmp, target)
    except FileExistsError:  # written meanwhile: the same check once more
        if target.read_bytes() != data:
            raise InputError(f"{target} was written meanwhile with other bytes") from None
        return False
    finally:
        os.unlink(tmp)
    return True
