"""Find the candidate result files in a results directory."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Skipped:
    """A file that was not used, and why."""

    path: str
    reason: str


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
    search is not recursive. Names are sorted so the outcome never depends on listing order.
    """
    try:
        entries = sorted(os.scandir(results_dir), key=lambda e: e.name)
    except FileNotFoundError:
        return Discovery(results_dir, (), (), f"results directory not found: {results_dir}")
    except NotADirectoryError:
        return Discovery(results_dir, (), (), f"not a directory: {results_dir}")
    except OSError as exc:
        return Discovery(results_dir, (), (), f"cannot list {results_dir}: {exc.strerror or exc}")
    root = Path(os.path.realpath(results_dir))
    files: list[str] = []
    skipped: list[Skipped] = []
    for entry in entries:
        if not entry.name.endswith(".json"):
            continue
        problem = _not_a_result_file(root, entry)
        if problem is None:
            files.append(entry.name)
        else:
            skipped.append(Skipped(entry.name, problem))
    return Discovery(root, tuple(files), tuple(skipped))


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
        name = path.relative_to(root).as_posix()
        problem = _not_a_file(path)
        if problem is None:
            files.append(name)
        else:
            skipped.append(Skipped(name, problem))
    return Discovery(root, tuple(files), tuple(skipped))


def _not_a_file(path: Path) -> str | None:
    """Say why a named path cannot be read as a result file, or None when it can."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return "file not found"
    except OSError as exc:
        return f"cannot read: {exc.strerror or exc}"
    return _not_regular(mode)


def _not_a_result_file(root: Path, entry: os.DirEntry[str]) -> str | None:
    """Say why an entry cannot be read as a result file, or None when it can."""
    if entry.is_symlink():
        try:
            target = Path(entry.path).resolve(strict=True)
        except RuntimeError:  # Python < 3.13 reports a loop this way
            return "symbolic link loop"
        except OSError as exc:
            return "symbolic link loop" if exc.errno == errno.ELOOP else "broken symbolic link"
        if target.parent != root and root not in target.parents:
            return "symbolic link that leaves the results directory (not followed)"
        mode = target.stat().st_mode
    else:
        mode = entry.stat(follow_symlinks=False).st_mode
    return _not_regular(mode)


def _not_regular(mode: int) -> str | None:
    if stat.S_ISDIR(mode):
        return "a directory, not a file"
    if not stat.S_ISREG(mode):
        return "not a regular file"
    return None
