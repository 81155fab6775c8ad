"""The branch store: a history kept as slim runs on a git branch, fetched, filed into and pushed.

The git work happens in a bare repository of its own in a temporary directory, so the user's
clone (its checkout, index, refs and config) is never touched: the clone only names the remote,
and the token reaches git only as history/git.py hands it over. Files reach the history
directory each complete (unpack.py), and the branch moves only by a push that git applies
whole: a process killed at any point leaves complete runs only.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from trendgate.errors import InputError
from trendgate.history.git import (
    check_branch_name,
    git_env,
    open_git,
    remote_url,
    run_git,
    said,
)
from trendgate.history.unpack import write_files
from trendgate.read.files import LoadError, read_bytes
from trendgate.read.pinchbench import parse_run
from trendgate.read.place import forget

PUSH_ATTEMPTS = 6
# The names a history's files have (history.filed_name) and PinchBench's own: nothing that
# could leave the directory or hide in it.
_FILE_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._:+-]*\.json")


@dataclass(frozen=True)
class Pulled:
    """The history branch as fetched into the history directory."""

    history: Path
    branch: str
    remote: str  # as given: a remote's name or a URL
    tip: str | None  # the commit fetched; None for a history started tonight
    files: frozenset[str]  # the result files the branch holds
    created: tuple[Path, ...]  # directories made (outermost first), then files written
    git_dir: Path
    url: str
    env: Mapping[str, str]
    vouched: tuple[os.stat_result, ...] = ()  # the files place_run takes on the pull's word

    @property
    def started(self) -> bool:
        """Whether the branch was begun on this night (it did not exist)."""
        return self.tip is None

    @property
    def label(self) -> str:
        """How reports name the branch."""
        return f"history branch {self.branch} of {self.remote}"


@dataclass(frozen=True)
class Pushed:
    """What the push did: the commit now at the branch's tip, and the attempts it took."""

    commit: str | None  # None when there was nothing new to commit
    attempts: int


def pull(
    history: str,
    branch: str,
    remote: str,
    *,
    start: bool,
    token: str | None,
    env: Mapping[str, str] | None = None,
) -> Pulled:
    """Fetch `branch` of `remote` and write its result files into `history`.

    A branch that does not exist is an InputError unless `start`; so is any other failure to
    fetch, and a file of the branch that the history holds with other bytes.
    """
    genv = git_env(os.environ if env is None else env, token)
    check_branch_name(branch, genv)
    url = remote_url(remote, genv)
    git_dir = Path(tempfile.mkdtemp(prefix="trendgate-branch-"))
    try:
        init = run_git(genv, "init", "--bare", "--quiet", str(git_dir))
        if init.returncode:
            raise InputError(f"cannot make a git repository for the history: {said(init)}")
        tip = _fetch(genv, git_dir, url, branch, remote)
        if tip is None and not start:
            raise InputError(
                f"the history branch {branch} does not exist on {remote}: a misspelt name, a "
                "fork without it, or another remote? --start-history (input start-history) "
                "begins a new history"
            )
        root = Path(history)
        made = tuple(p for p in (*reversed(root.parents), root) if not os.path.lexists(p))
        files: frozenset[str] = frozenset()
        written: tuple[Path, ...] = ()
        vouched: tuple[os.stat_result, ...] = ()
        if tip:
            files, written, vouched = _materialize(genv, git_dir, tip, root, branch)
        else:
            root.mkdir(parents=True, exist_ok=True)
    except BaseException:
        shutil.rmtree(git_dir, ignore_errors=True)
        raise
    return Pulled(root, branch, remote, tip, files, made + written, git_dir, url, genv, vouched)


def _fetch(env: Mapping[str, str], git_dir: Path, url: str, branch: str, remote: str) -> str | None:
    """The commit at the branch's tip, fetched (shallow); None when the branch does not exist."""
    ref = f"refs/heads/{branch}"
    listed = run_git(env, "ls-remote", "--exit-code", url, ref, git_dir=git_dir)
    if listed.returncode == 2:  # git's "no such ref"
        return None
    if listed.returncode:
        raise InputError(f"cannot read the history branch {branch} of {remote}: {said(listed)}")
    fetched = run_git(
        env, "fetch", "--quiet", "--no-tags", "--depth=1", url, f"+{ref}:{ref}", git_dir=git_dir
    )
    if fetched.returncode:
        raise InputError(f"cannot fetch the history branch {branch} of {remote}: {said(fetched)}")
    return run_git(env, "rev-parse", ref, git_dir=git_dir).stdout.decode().strip()


def _tree(env: Mapping[str, str], git_dir: Path, commit: str) -> dict[str, tuple[str, str, str]]:
    """The root entries of a commit's tree: name -> (mode, type, object)."""
    listed = run_git(env, "ls-tree", "-z", commit, git_dir=git_dir)
    entries = {}
    for item in listed.stdout.split(b"\0"):
        if item:
            meta, name = item.split(b"\t", 1)
            mode, kind, sha = meta.decode().split()
            entries[name.decode("utf-8", "surrogateescape")] = (mode, kind, sha)
    return entries


def _materialize(
    env: Mapping[str, str], git_dir: Path, tip: str, root: Path, branch: str
) -> tuple[frozenset[str], tuple[Path, ...], tuple[os.stat_result, ...]]:
    """Write the branch's result files into `root`, each complete: their names, the files
    written (those the directory lacked), and the status of each vouched for (unpack.py)."""
    wanted = [
        (name, sha)
        for name, (mode, kind, sha) in sorted(_tree(env, git_dir, tip).items())
        if kind == "blob" and mode == "100644" and _FILE_NAME.fullmatch(name)
    ]
    listing = git_dir / "wanted"
    listing.write_bytes(b"".join(f"{sha}\n".encode() for _, sha in wanted))
    with listing.open("rb") as stdin:
        proc = open_git(env, "cat-file", "--batch", git_dir=git_dir, stdin=stdin)
    try:
        # Each file is written as git hands it over, while git inflates the next ones.
        written, vouched = write_files(root, _blobs(proc, wanted), branch)
    finally:
        proc.kill()  # done, or stopped by an error: git has nothing more to say
        proc.wait()
        assert proc.stdout
        proc.stdout.close()
    return frozenset(name for name, _ in wanted), written, vouched


def _blobs(
    proc: subprocess.Popen[bytes], wanted: Sequence[tuple[str, str]]
) -> Iterator[tuple[str, bytes]]:
    """Each wanted file's name and bytes, read from `git cat-file --batch`."""
    assert proc.stdout
    for name, sha in wanted:
        header = proc.stdout.readline().split()
        if len(header) != 3 or header[:2] != [sha.encode(), b"blob"]:
            raise InputError(f"cannot read {name} of the history branch: git gave {header!r}")
        data = proc.stdout.read(int(header[2]) + 1)[:-1]
        if len(data) != int(header[2]):
            raise InputError(f"cannot read {name} of the history branch: git stopped")
        yield name, data


def unpushed(pulled: Pulled) -> list[str]:
    """The runs in the history that the branch lacks: tonight's, and any an earlier night
    filed but could not push (a run read without pushing, a push that failed)."""
    found = []
    for name in sorted(os.listdir(pulled.history)):  # names, not 7,300 Paths to sort
        if name in pulled.files or not _FILE_NAME.fullmatch(name):
            continue
        try:
            parse_run(name, read_bytes(pulled.history / name))
        except LoadError:
            continue
        found.append(name)
    return found


def push(pulled: Pulled, filed: Sequence[str], when: str) -> Pushed:
    """Commit the files `filed` into the history on top of the branch, and push.

    A push refused because the branch moved meanwhile (another job pushed) fetches the new
    tip, puts the same files on it and tries again, a bounded number of times; it never
    forces. InputError when it finally fails.
    """
    if not filed:
        return Pushed(None, 0)
    env, git_dir = pulled.env, pulled.git_dir
    hashed = run_git(
        env,
        "hash-object",
        "-w",
        "--no-filters",
        "--stdin-paths",
        git_dir=git_dir,
        stdin="".join(f"{pulled.history / name}\n" for name in filed).encode(),
    )
    if hashed.returncode:
        raise InputError(f"cannot store tonight's runs for the push: {said(hashed)}")
    blobs = dict(zip(filed, hashed.stdout.decode().split(), strict=True))
    names = ", ".join(sorted(filed))
    message = f"trendgate: {len(filed)} run{'s' if len(filed) != 1 else ''} of {when}\n\n"
    message += "".join(f"{name}\n" for name in sorted(filed))
    tip = pulled.tip
    for attempt in range(1, PUSH_ATTEMPTS + 1):
        commit = _commit(env, git_dir, tip, blobs, message)
        proc = run_git(
            env,
            "push",
            "--quiet",
            pulled.url,
            f"{commit}:refs/heads/{pulled.branch}",
            git_dir=git_dir,
        )
        if proc.returncode == 0:
            return Pushed(commit, attempt)
        if b"[rejected]" not in proc.stderr and b"failed to update ref" not in proc.stderr:
            raise InputError(
                f"cannot push {names} to the history branch {pulled.branch} of "
                f"{pulled.remote}: {said(proc)}"
            )
        time.sleep(random.uniform(0.05, 0.3) * attempt)  # two jobs must not collide again
        tip = _fetch(env, git_dir, pulled.url, pulled.branch, pulled.remote)
    raise InputError(
        f"cannot push {names} to the history branch {pulled.branch} of {pulled.remote}: "
        f"it moved under each of {PUSH_ATTEMPTS} attempts; the runs stay in {pulled.history}"
    )


def _commit(
    env: Mapping[str, str], git_dir: Path, tip: str | None, blobs: Mapping[str, str], message: str
) -> str:
    """A commit of tonight's files on top of `tip`, whatever else the tip holds kept as it is."""
    entries = _tree(env, git_dir, tip) if tip else {}
    for name, sha in blobs.items():
        entries.setdefault(name, ("100644", "blob", sha))  # a name is its content's: never replaced
    listing = b"".join(
        f"{mode} {kind} {sha}\t".encode() + name.encode("utf-8", "surrogateescape") + b"\0"
        for name, (mode, kind, sha) in sorted(entries.items())
    )
    tree = run_git(env, "mktree", "-z", git_dir=git_dir, stdin=listing)
    if tree.returncode:
        raise InputError(f"cannot commit tonight's runs: {said(tree)}")
    parent = ["-p", tip] if tip else []
    made = run_git(
        env,
        "commit-tree",
        tree.stdout.decode().strip(),
        *parent,
        git_dir=git_dir,
        stdin=message.encode(),
    )
    if made.returncode:
        raise InputError(f"cannot commit tonight's runs: {said(made)}")
    return made.stdout.decode().strip()


def close(pulled: Pulled) -> None:
    """Remove the temporary repository, and let place_run read the pulled files again."""
    shutil.rmtree(pulled.git_dir, ignore_errors=True)
    forget(pulled.vouched)
