"""Safe file reading: size limits, also for a file that grows while it is read."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from tests.builders import result_doc, write_doc
from trendgate.read.files import LoadError, read_bytes
from trendgate.read.load import load_run


def test_oversized_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("trendgate.read.files.MAX_FILE_BYTES", 1000)
    write_doc(tmp_path, "big.json", result_doc("m", "0001", 1.0e9, [0.5] * 50))
    with pytest.raises(LoadError, match="larger than the"):
        load_run(tmp_path, "big.json")


def _stale_fstat(monkeypatch: pytest.MonkeyPatch, size: int) -> None:
    """Make fstat report `size`, as for a file that grew after it was checked."""
    real = os.fstat

    def fstat(fd: int) -> os.stat_result:
        info = list(real(fd))
        info[stat.ST_SIZE] = size
        return os.stat_result(info)

    monkeypatch.setattr(os, "fstat", fstat)


def test_a_file_that_grew_after_its_size_check_is_read_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "grown.json").write_bytes(b"x" * 5000)
    _stale_fstat(monkeypatch, 100)
    assert read_bytes(tmp_path / "grown.json") == b"x" * 5000


def test_a_file_that_grew_past_the_limit_after_its_size_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("trendgate.read.files.MAX_FILE_BYTES", 1000)
    (tmp_path / "grown.json").write_bytes(b"x" * 5000)
    _stale_fstat(monkeypatch, 100)
    with pytest.raises(LoadError, match="larger than the"):
        read_bytes(tmp_path / "grown.json")
