"""The files each SOURCE of `add` brings, read as `add` files them: slim or as they are.

Reading is apart from filing so that a branch store can read tonight's runs ahead, while git
fetches the branch, and file them once the pull has placed the branch's files.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping, Sequence

from trendgate.errors import InputError
from trendgate.history.slim import slim as slim_copy
from trendgate.model import Skipped
from trendgate.read.discover import discover_tree
from trendgate.read.files import LoadError, read_bytes

# A night's files and then some: what is read ahead is held in memory until it is filed.
READ_AHEAD = 256
Ahead = Mapping[tuple[str, bytes], bytes | Skipped]


def read_ahead(sources: Sequence[str], *, slim: bool) -> Ahead:
    """The first READ_AHEAD files of `sources` read (slim) as `add` reads them, nothing
    written: work to do while the history branch is fetched. A SOURCE that cannot be listed
    is left for `add` to report, in its order."""
    found: dict[tuple[str, bytes], bytes | Skipped] = {}
    for source in sources:
        try:
            files, _ = files_of(source)
        except InputError:
            continue
        for shown, path in files[: READ_AHEAD - len(found)]:
            found[shown, path] = read_file(shown, path, slim)
    return found


def read_file(shown: str, path: bytes, slim: bool) -> bytes | Skipped:
    """A file's bytes as `add` files them (slim or as they are), or why it is left out."""
    try:
        data = read_bytes(path)
        # slim_copy refuses what the parser refuses, with the parser's reason.
        return slim_copy(shown, data, os.environ) if slim else data
    except LoadError as exc:
        return Skipped(shown, str(exc))


def files_of(source: str) -> tuple[list[tuple[str, bytes]], list[Skipped]]:
    """The files to read in SOURCE (as shown, as on disk), and those left out already.

    A SOURCE named as a file is taken whatever its name; a directory, as discover_tree
    walks it.
    """
    raw = os.fsencode(source)
    try:
        if not stat.S_ISDIR(os.stat(raw).st_mode):
            return [(source, raw)], []
        return discover_tree(source)
    except FileNotFoundError:
        raise InputError(f"SOURCE not found: {source}") from None
    except OSError as exc:
        raise InputError(f"cannot read SOURCE {source}: {exc.strerror or exc}") from None
