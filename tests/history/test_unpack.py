"""history.unpack: the pulled branch's files written into the history, each complete, and the
place of each vouched for exactly as read_head reads it from the file."""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from examples.pinchbench import file_text
from tests.builders import result_doc
from trendgate.errors import InputError
from trendgate.history import unpack
from trendgate.history.unpack import write_files
from trendgate.read.files import LoadError
from trendgate.read.pinchbench import parse_run
from trendgate.read.place import forget, place_run, read_head

MODEL = "acme/model"


def files(count: int) -> list[tuple[str, bytes]]:
    out = []
    for index in range(count):
        doc = result_doc(f"{MODEL}-{index % 3}", f"{index:04d}", 1_780_000_000.0 + index, [0.5])
        out.append((f"{index:04d}.json", file_text(doc).encode()))
    # A file read_head leaves to the full parse (one line): written, not vouched for.
    out.append(("zz-one-line.json", b'{"model": "acme/x", "timestamp": 5}'))
    return out


def test_a_new_history_is_written_whole_and_vouched_as_read_head_reads(tmp_path: Path) -> None:
    root = tmp_path / "deep" / "history"
    given = files(12)
    written, vouched = write_files(root, given, "b")
    try:
        assert written == tuple(root / name for name, _ in given)
        assert sorted(os.listdir(root)) == sorted(name for name, _ in given)
        assert sorted(os.listdir(root.parent)) == ["history"]  # no staging directory left
        for name, data in given:
            assert (root / name).read_bytes() == data
        assert len(vouched) == 12
        # The vouched place is the one read_head reads from the file itself.
        for name, _ in given[:-1]:
            assert place_run(root, name) == read_head(root, name)
    finally:
        forget(vouched)


def test_an_existing_history_gets_what_it_lacks_and_keeps_what_it_has(tmp_path: Path) -> None:
    given = files(4)
    root = tmp_path / "history"
    root.mkdir()
    (root / given[0][0]).write_bytes(given[0][1])
    (root / "mine.json").write_bytes(b"{}")
    written, vouched = write_files(root, given, "b")
    forget(vouched)
    assert written == tuple(root / name for name, _ in given[1:])
    assert sorted(os.listdir(root)) == sorted([name for name, _ in given] + ["mine.json"])
    assert len(vouched) == 4


def test_a_differing_local_file_is_never_overwritten(tmp_path: Path) -> None:
    given = files(3)
    root = tmp_path / "history"
    root.mkdir()
    (root / given[1][0]).write_bytes(b"mine")
    with pytest.raises(InputError, match="differs from the history branch b's file"):
        write_files(root, given, "b")
    assert (root / given[1][0]).read_bytes() == b"mine"


def test_an_abandoned_staging_directory_goes_and_one_in_use_stays(tmp_path: Path) -> None:
    abandoned = tmp_path / ".trendgate-history-0123456789abcdef.tmp"
    in_use = tmp_path / ".trendgate-history-fedcba9876543210.tmp"
    other = tmp_path / ".trendgate-other-0123456789abcdef.tmp"
    for path in (abandoned, in_use, other):
        path.mkdir()
        (path / "0001.json").write_bytes(b"{")
    fd = os.open(in_use, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        written, vouched = write_files(tmp_path / "history", files(2), "b")
        forget(vouched)
    finally:
        os.close(fd)
    assert not abandoned.exists() and in_use.is_dir() and other.is_dir()
    assert len(written) == 3


def test_a_history_made_meanwhile_gets_the_files_one_by_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "history"
    given = files(3)
    real_stage = unpack._stage

    def racing(*args: Any) -> Any:
        staged = real_stage(*args)
        root.mkdir()  # another job, between the staging and the rename
        (root / given[0][0]).write_bytes(given[0][1])
        (root / "theirs.json").write_bytes(b"{}")
        return staged

    monkeypatch.setattr(unpack, "_stage", racing)
    written, vouched = write_files(root, given, "b")
    try:
        assert written == tuple(root / name for name, _ in given[1:])
        assert sorted(os.listdir(tmp_path)) == ["history"]
        assert sorted(os.listdir(root)) == sorted([n for n, _ in given] + ["theirs.json"])
        for name, data in given:
            assert (root / name).read_bytes() == data
        for name, _ in given[:-1]:
            assert place_run(root, name) == read_head(root, name)
    finally:
        forget(vouched)


KILLED = textwrap.dedent(
    """
    import os, sys
    from pathlib import Path
    from trendgate.history import unpack
    real = unpack.os.write
    count = 0
    def dying(fd, data):
        global count
        count += 1
        if count == int(sys.argv[2]):
            real(fd, bytes(data)[: len(data) // 2])
            os.kill(os.getpid(), 9)
        return real(fd, data)
    unpack.os.write = dying
    unpack.write_files(Path(sys.argv[1]), [
        (f"{i:04d}.json", b'{"model": "m", "timestamp": 5, "pad": "' + b"x" * 9000 + b'"}')
        for i in range(8)
    ], "b")
    """
)


@pytest.mark.parametrize("at", [1, 4, 8])
def test_a_job_killed_while_writing_leaves_no_history_and_the_next_one_cleans_up(
    tmp_path: Path, at: int
) -> None:
    root = tmp_path / "history"
    killed = subprocess.run([sys.executable, "-c", KILLED, str(root), str(at)], check=False)
    assert killed.returncode == -9
    assert not root.exists()  # never a partial file under the history's name
    assert len(os.listdir(tmp_path)) == 1  # the staging directory the killed job left
    given = files(2)
    written, vouched = write_files(root, given, "b")
    forget(vouched)
    assert sorted(os.listdir(tmp_path)) == ["history"]
    for path in written:
        try:
            parse_run(path.name, path.read_bytes())
        except LoadError as exc:  # the one-line file is a complete JSON document, not a run
            assert "zz-one-line" in path.name, exc
