"""File each night's runs into a lasting history: every run once, under a name from its content.

A fresh CI runner gives every run the id 0001, so the name a result file arrives with says
nothing about it. A run is its identity (model as written, run id, timestamp); `add` files
each run once under a name made from its content only, and never overwrites a file.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from trendgate.errors import InputError, UsageError
from trendgate.history.atomic import sync_directory, write_temporary
from trendgate.history.sources import Ahead, files_of, read_file
from trendgate.history.tonight import Absent, Outranked, absent_series, outranked_runs
from trendgate.model import Run, RunHead, Skipped, run_order
from trendgate.read.discover import discover, file_path
from trendgate.read.files import LoadError
from trendgate.read.pinchbench import parse_run
from trendgate.read.place import Identity, identity, place_runs, reads_as
from trendgate.rules import Rules, settings_with
from trendgate.settings import Settings
from trendgate.words import utc

# A temporary is never a `*.json` name, so a gate reading the history never sees half a file.
TEMP_PREFIX = ".trendgate-"
TEMP_SUFFIX = ".tmp"
MAX_LABEL = 64
HASH_DIGITS = 12


@dataclass(frozen=True)
class Filed:
    """A run filed into the history: the path it arrived as, and its name there."""

    source: str
    name: str


@dataclass(frozen=True)
class Added:
    """What one `add` did to a history."""

    history: str
    sources: tuple[str, ...]
    filed: tuple[Filed, ...]
    already: tuple[str, ...]  # files whose run was filed already, with the same bytes
    left_out: tuple[Skipped, ...]  # by the path each file arrived as
    empty: tuple[str, ...]  # the SOURCEs that held no complete result file
    absent: tuple[Absent, ...]
    removed: tuple[str, ...] = ()  # history files removed by retention
    outranked: tuple[Outranked, ...] = ()  # runs of tonight that are not their series' newest
    created: tuple[Path, ...] = ()  # directories made (outermost first), then files filed

    @property
    def notice(self) -> str | None:
        """What to say when every run was filed already, as when a job is re-run."""
        if self.filed or self.empty or not self.already:
            return None
        where = ", ".join(self.sources)
        return (
            f"all {len(self.already)} runs in {where} were filed already (a re-run?): "
            f"nothing new in {self.history}"
        )


def filed_name(run: Run, data: bytes) -> str:
    """A run's name in the history: its UTC time, model, run id, and a hash of its bytes.

    Only `[a-z0-9-]`, `_`, `.`, `T` and `Z`: safe for artifacts, caches and any file system.
    """
    import hashlib  # it loads OpenSSL (3 ms), which only `add` needs

    when = utc(run.timestamp, "%Y%m%dT%H%M%S.%fZ")
    digest = hashlib.sha256(data).hexdigest()[:HASH_DIGITS]
    return f"{when}_{_label(run.model)}_{_label(run.run_id)}_{digest}.json"


def _label(text: str) -> str:
    return re.sub(r"[^a-z0-9-]+", "-", text.lower())[:MAX_LABEL].strip("-")


def add(
    sources: Sequence[str],
    history: str,
    *,
    keep_runs: int | None = None,
    settings: Settings | None = None,
    rules: Rules | None = None,
    slim: bool = False,
    ahead: Ahead | None = None,
) -> Added:
    """File every complete result file found in `sources` into the directory `history`.

    A run already in the history (a copy that reads alike: the same bytes, or its slim copy)
    is counted, not filed again; a different copy of it is left out, as is every file that is
    not a complete result. With `slim`, runs are filed slim (slim.py); with `keep_runs`, only
    the newest that many runs of each model stay; `ahead` holds files read_ahead read already.
    Raises InputError for a missing SOURCE or a history that cannot be written, UsageError for
    a `keep_runs` below the largest window or min_runs that `settings` and `rules` use.
    """
    rules = rules or Rules()
    if keep_runs is not None:
        _check_keep_runs(keep_runs, settings or Settings(), rules)
    candidates: list[tuple[str, list[tuple[str, bytes]], list[Skipped]]] = []
    for source in sources:
        candidates.append((source, *files_of(source)))
    root = Path(history)
    made = _make_directory(root)
    try:
        with _locked(root):
            _remove_temporaries(root)
            index = _index(root)
            added = _file_all(root, index, candidates, rules, slim, dict(ahead or {}))
            absent = absent_series(index, {rules.series_name(m) for m in added.models}, rules)
            outranked = outranked_runs(index, added.filed_runs, rules)
            removed = () if keep_runs is None else _retain(root, keep_runs)
            sync_directory(root)
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        raise InputError(
            f"cannot file into the history {history}: {where}{exc.strerror or exc}"
        ) from None
    return Added(
        history=history,
        sources=tuple(sources),
        filed=added.filed,
        already=added.already,
        left_out=added.left_out,
        empty=added.empty,
        absent=absent,
        removed=removed,
        outranked=outranked,
        created=made + tuple(root / f.name for f in added.filed),
    )


@dataclass(frozen=True)
class _Filing:
    filed: tuple[Filed, ...]
    already: tuple[str, ...]
    left_out: tuple[Skipped, ...]
    empty: tuple[str, ...]
    models: frozenset[str]  # of every complete run found, new or not
    # The place of each run filed now or before with the same bytes, by the path it arrived as.
    filed_runs: tuple[RunHead, ...] = ()


def _file_all(
    root: Path,
    index: dict[Identity, list[str]],
    candidates: Sequence[tuple[str, list[tuple[str, bytes]], list[Skipped]]],
    rules: Rules,
    slim: bool,
    ahead: dict[tuple[str, bytes], bytes | Skipped],
) -> _Filing:
    """Read and file every candidate of every SOURCE, in order."""
    filed: list[Filed] = []
    placed: list[RunHead] = []
    already: list[str] = []
    left_out: list[Skipped] = []
    empty: list[str] = []
    models: set[str] = set()
    for source, files, unusable in candidates:
        left_out += unusable
        complete = 0
        for shown, path in files:
            key = (shown, path)
            data = ahead.pop(key) if key in ahead else read_file(shown, path, slim)
            if isinstance(data, Skipped):
                left_out.append(data)
                continue
            try:
                # The slim copy reads as the raw file does (slim.py): parsing it, not the raw
                # file, saves a decode.
                run = parse_run(shown, data)
            except LoadError as exc:
                left_out.append(Skipped(shown, str(exc)))
                continue
            complete += 1
            models.add(run.model)
            outcome = _file(root, index, run, data)
            if outcome is None:
                already.append(shown)
                placed.append(RunHead(shown, run.model, run.run_id, run.timestamp))
            elif isinstance(outcome, Skipped):
                left_out.append(outcome)
            else:
                filed.append(Filed(shown, outcome))
                placed.append(RunHead(shown, run.model, run.run_id, run.timestamp))
        if not complete:
            empty.append(source)
    return _Filing(
        tuple(filed),
        tuple(already),
        tuple(left_out),
        tuple(empty),
        frozenset(models),
        tuple(placed),
    )


def _file(
    root: Path, index: dict[Identity, list[str]], run: Run, data: bytes
) -> str | Skipped | None:
    """File one run: its new name, None when it is filed already, or why it is left out."""
    known = index.get(identity(run))
    if known:
        if any(reads_as(root, name, run) for name in known):
            return None
        return Skipped(
            run.path,
            f"a different copy of this run (same model, run id and timestamp) is filed as "
            f"{known[0]}: nothing is overwritten",
        )
    name = filed_name(run, data)
    if not _publish(root, name, data):
        if reads_as(root, name, run):
            return None
        return Skipped(
            run.path, f"{name} exists in the history with other bytes: nothing is overwritten"
        )
    index[identity(run)] = [name]
    return name


def _publish(root: Path, name: str, data: bytes) -> bool:
    """Write `data` as `name` in one step; False when that name exists (never overwritten)."""
    tmp = write_temporary(root, data, TEMP_PREFIX, TEMP_SUFFIX)
    try:
        os.link(tmp, file_path(root, name))  # unlike a rename, fails on an existing name
    except FileExistsError:
        return False
    finally:
        os.unlink(tmp)
    return True


def _index(root: Path) -> dict[Identity, list[str]]:
    """The files of each run in the history, by identity."""
    found = discover(root)
    if found.error:
        raise InputError(found.error)
    index: dict[Identity, list[str]] = {}
    for placed in place_runs(found.root, found.files):
        if isinstance(placed, RunHead):
            index.setdefault(identity(placed), []).append(placed.path)
    return index


def _make_directory(root: Path) -> tuple[Path, ...]:
    """Make the history and its missing parents; the ones made, outermost first."""
    missing = []
    for path in (root, *root.parents):
        if os.path.lexists(path):
            break
        missing.append(path)
    made = []
    try:
        for path in reversed(missing):
            with contextlib.suppress(FileExistsError):  # made meanwhile by another add
                path.mkdir()
                made.append(path)
    except OSError as exc:
        raise InputError(f"cannot create the history {root}: {exc.strerror or exc}") from None
    if not root.is_dir():
        raise InputError(f"the history is not a directory: {root}")
    if not os.access(root, os.W_OK | os.X_OK):
        raise InputError(f"cannot write into the history {root}: Permission denied")
    return tuple(made)


@contextlib.contextmanager
def _locked(root: Path) -> Iterator[None]:
    """One `add` at a time per history, so that removing temporaries never races a writer."""
    fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
    try:
        with contextlib.suppress(OSError):  # a file system without locks: run unlocked
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _remove_temporaries(root: Path) -> None:
    """Remove the temporaries a killed `add` left behind."""
    prefix, suffix = os.fsencode(TEMP_PREFIX), os.fsencode(TEMP_SUFFIX)
    with os.scandir(os.fsencode(root)) as listing:
        for entry in listing:
            ours = entry.name.startswith(prefix) and entry.name.endswith(suffix)
            if ours and entry.is_file(follow_symlinks=False):
                os.unlink(entry.path)


def _check_keep_runs(keep: int, settings: Settings, rules: Rules) -> None:
    every = [settings, *(settings_with([rule], settings) for rule in rules.models)]
    largest = max(max(s.window, s.min_runs) for s in every)
    if keep < largest:
        raise UsageError(
            f"keep-runs {keep} would remove runs the gate needs: the settings use a window "
            f"or min_runs of {largest}, so keep at least {largest}"
        )


def _retain(root: Path, keep: int) -> tuple[str, ...]:
    """Remove all but the newest `keep` runs of each model; the names removed."""
    found = discover(root)
    runs: dict[str, dict[Identity, list[RunHead]]] = {}
    for placed in place_runs(found.root, found.files):
        if isinstance(placed, RunHead):  # a file that is no run is never removed
            runs.setdefault(placed.model, {}).setdefault(identity(placed), []).append(placed)
    removed = []
    for model_runs in runs.values():
        oldest_first = sorted(model_runs.values(), key=lambda heads: min(map(run_order, heads)))
        for heads in oldest_first[: max(0, len(oldest_first) - keep)]:
            for head in heads:
                os.unlink(file_path(found.root, head.path))
                removed.append(head.path)
    return tuple(sorted(removed))
