"""Put a site in place whole: written as a new directory beside the target, then renamed.

A reader sees the old site or the new one, never half of either. A directory that is not a
site trendgate wrote, or that holds files it did not write, is never replaced.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping
from pathlib import Path

from trendgate.errors import UsageError
from trendgate.history.atomic import sync_directory, write_temporary

MANIFEST = ".trendgate-site"  # the files a site holds, one per line, so a rebuild knows its own


def publish(pages: Mapping[str, str], to: Path) -> list[Path]:
    """Write `pages` (path -> text) as the directory `to`, replacing only a site made here.

    Returns what it put there: the directory, its folders and its files.
    """
    import tempfile

    _previous(to)
    to.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=f".{to.name}.", suffix=".new", dir=to.parent))
    try:
        os.chmod(fresh, 0o777 & ~_umask())
        manifest = "".join(f"{name}\n" for name in sorted(pages))
        for name, text in [*sorted(pages.items()), (MANIFEST, manifest)]:
            target = fresh / name
            target.parent.mkdir(exist_ok=True)
            tmp = write_temporary(target.parent, text.encode("utf-8"), f".{target.name}.", ".tmp")
            os.replace(tmp, target)
        folders = sorted({(fresh / n).parent for n in pages} - {fresh})
        for folder in [*folders, fresh]:
            sync_directory(folder)
        _swap(fresh, to)
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    names = [*sorted(pages), MANIFEST]
    return [to, *(to / f.relative_to(fresh) for f in folders), *(to / n for n in names)]


def _swap(fresh: Path, to: Path) -> None:
    """Rename `fresh` to `to`; an old `to` is moved aside first, and back if that fails."""
    import tempfile

    if not to.exists():
        os.rename(fresh, to)
        sync_directory(to.parent)
        return
    trash = Path(tempfile.mkdtemp(prefix=f".{to.name}.", suffix=".old", dir=to.parent))
    try:
        os.rename(to, trash / "site")
        try:
            os.rename(fresh, to)
        except BaseException:
            os.rename(trash / "site", to)
            raise
        sync_directory(to.parent)
    finally:
        shutil.rmtree(trash, ignore_errors=True)


def _previous(to: Path) -> set[str] | None:
    """The files of the site already at `to`, or None when there is nothing there.

    UsageError when `to` is something else: a file, or a directory with files no site of
    trendgate's wrote (an empty directory is replaced).
    """
    if not to.exists() and not to.is_symlink():
        return None
    if to.is_symlink() or not to.is_dir():
        raise UsageError(f"will not replace {to}: it is not a directory")
    found = {str(p.relative_to(to)) for p in to.rglob("*") if not p.is_dir()}
    if not found:
        return found
    try:
        listed = set((to / MANIFEST).read_text(encoding="utf-8").splitlines())
    except (OSError, UnicodeDecodeError):
        raise UsageError(
            f"will not replace {to}: it is not a site trendgate wrote (no {MANIFEST} file); "
            "choose a new or empty directory"
        ) from None
    other = sorted(found - listed - {MANIFEST})
    if other:
        raise UsageError(
            f"will not replace {to}: it holds {other[0]}, which trendgate did not write "
            f"({len(other)} such files); move them out or choose another directory"
        )
    return found


def _umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask
