"""Discover: find the candidate result files in a results directory."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from trendgate.model import Skipped


@dataclass(frozen=True)
class Discovery:
    """The regular `*.json` files directly inside a results directory, in name order."""

    root: Path
    files: tuple[str, ...]
    skipped: tuple[Skipped, ...]
    error: str | None = None  # why the directory itself could not be listed


def discover(results_dir: Path) -> Discovery:
    """List `*.json` files at the top level of `results_dir`, never following it elsewhere.

    PinchBench keeps `{run_id}_transcripts/` and `.judge_cache/` beside its results, so the
    search is not recursive. Names are sorted so the outcome never depends on listing order,
    and read as UTF-8 whatever the locale, so they print the same on every machine.
    """
    try:
        with os.scandir(os.fsencode(results_dir)) as listing:
            entries = sorted(listing, key=lambda e: e.name)
    except FileNotFoundError:
        return Discovery(results_dir, (), (), f"results directory not found: {results_dir}")
    except NotADirectoryError:
        return Discovery(results_dir, (), (), f"not a directory: {results_dir}")
    except OSError as exc:
        return Discovery(results_dir, (), (), f"cannot list {results_dir}: {exc.strerror or exc}")
    root = os.path.realpath(os.fsencode(results_dir))
    files: list[str] = []
    skipped: list[Skipped] = []
    for entry in entries:
        if not entry.name.endswith(b".json"):
            continue
        name = text_name(entry.name)
        # The listing's own file type spares a regular file its lstat (7,300 a year's history);
        # anything else, or a type the file system does not give, is looked at in full.
        problem = (
            None if entry.is_file(follow_symlinks=False) else not_a_result_file(root, entry.path)
        )
        if problem is None:
            files.append(name)
        else:
            skipped.append(Skipped(name, problem))
    return Discovery(Path(os.fsdecode(root)), tuple(files), tuple(skipped))


def discover_files(paths: Sequence[Path]) -> Discovery:
    """Check the given result files, named relative to their common directory, in name order.

    Files named one by one are the caller's choice: any name is accepted and symbolic
    links are followed wherever they lead.
    """
    if not paths:
        return Discovery(Path("."), (), (), "no result files given")
    absolute = sorted({Path(os.path.abspath(p)) for p in paths})
    root = Path(os.path.commonpath([p.parent for p in absolute]))
    files: list[str] = []
    skipped: list[Skipped] = []
    for path in absolute:
        name = text_name(os.fsencode(path.relative_to(root).as_posix()))
        problem = _not_a_file(path)
        if problem is None:
            files.append(name)
        else:
            skipped.append(Skipped(name, problem))
    return Discovery(root, tuple(files), tuple(skipped))


def discover_tree(directory: str) -> tuple[list[tuple[str, bytes]], list[Skipped]]:
    """Every `*.json` file anywhere under a directory (as shown, as on disk), and those left out.

    Sub-folders are walked in name order without following a linked directory; a link to a
    file counts only when it resolves inside `directory`, and PinchBench's `.judge_cache/`
    and `*_transcripts/` are passed over. Raises OSError when `directory` cannot be listed.
    """
    raw = os.fsencode(directory)
    root = os.path.realpath(raw)
    files: list[tuple[str, bytes]] = []
    left_out: list[Skipped] = []
    unlisted: list[OSError] = []
    for folder, subfolders, names in os.walk(raw, onerror=unlisted.append):
        kept = []
        for name in sorted(subfolders):
            path = os.path.join(folder, name)
            if name == b".judge_cache" or name.endswith(b"_transcripts"):
                continue
            if os.path.islink(path):
                left_out.append(
                    Skipped(text_name(path), "symbolic link to a directory (not followed)")
                )
            else:
                kept.append(name)
        subfolders[:] = kept
        for name in sorted(names):
            if not name.endswith(b".json"):
                continue
            path = os.path.join(folder, name)
            problem = not_a_result_file(root, path)
            if problem is None:
                files.append((text_name(path), path))
            else:
                left_out.append(Skipped(text_name(path), problem))
    for error in unlisted:
        where = os.fsencode(error.filename)
        if where == raw:
            raise error
        left_out.append(Skipped(text_name(where), f"cannot list: {error.strerror or error}"))
    return files, left_out


def text_name(name: bytes) -> str:
    """A file name as text: UTF-8, with undecodable bytes kept reversibly (surrogateescape)."""
    return name.decode("utf-8", "surrogateescape")


def file_path(root: Path, name: str) -> bytes:
    """The on-disk path of a name that discover() or discover_files() listed in `root`."""
    return os.path.join(os.fsencode(root), name.encode("utf-8", "surrogateescape"))


def _not_a_file(path: Path) -> str | None:
    """Say why a named path cannot be read as a result file, or None when it can."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return "file not found"
    except OSError as exc:
        return f"cannot read: {exc.strerror or exc}"
    return _not_regular(mode)


def not_a_result_file(root: bytes, path: bytes) -> str | None:
    """Say why a file found under `root` cannot be read as a result file, or None when it can.

    A symbolic link is followed only when it resolves inside `root`.
    """
    link = False
    try:
        mode = os.lstat(path).st_mode
        if stat.S_ISLNK(mode):
            link = True
            target = os.path.realpath(path, strict=True)
            if os.path.commonpath([root, target]) != root:
                return "symbolic link that leaves the results directory (not followed)"
            mode = os.stat(target).st_mode
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symbolic link loop"
        if exc.errno == errno.ENOENT:
            return "broken symbolic link" if link else "vanished while listing"
        return f"cannot inspect: {exc.strerror or exc}"
    return _not_regular(mode)


def _not_regular(mode: int) -> str | None:
    if stat.S_ISDIR(mode):
        return "a directory, not a file"
    if not stat.S_ISREG(mode):
        return "not a regular file"
    return None
