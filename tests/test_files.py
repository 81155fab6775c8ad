"""Safe file reading: size limits."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.builders import result_doc, write_doc
from trendgate.files import LoadError
from trendgate.load import load_run


def test_oversized_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("trendgate.files.MAX_FILE_BYTES", 1000)
    write_doc(tmp_path, "big.json", result_doc("m", "0001", 1.0e9, [0.5] * 50))
    with pytest.raises(LoadError, match="larger than the"):
        load_run(tmp_path, "big.json")
