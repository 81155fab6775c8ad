"""The README shows a new user what the gate gives them before anything else, and its Python
example runs and prints what the README says it prints."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("picture", ["docs/summary-light.png", "docs/summary-dark.png"])
def test_summary_screenshots_are_committed_and_shown_first(picture: str) -> None:
    intro = (ROOT / "README.md").read_text(encoding="utf-8").split("\n## ", 1)[0]
    assert picture in intro, f"README does not show {picture} before its first section"
    path = ROOT / picture
    assert path.is_file(), f"{picture} is missing: python -m scripts.render_pictures draws it"
    assert path.read_bytes()[:8] == PNG_SIGNATURE, f"{picture} is not a PNG"
    # A picture drawn by hand and never added is on disk too: only git can tell it was committed.
    tracked = subprocess.run(
        ["git", "ls-files", "--error-unmatch", picture], cwd=ROOT, capture_output=True, check=False
    )
    assert tracked.returncode == 0, f"{picture} is not committed"


def readme_block(marker: str) -> str:
    """The fenced block that follows `<!-- test: marker -->` in docs/python.md."""
    readme = (ROOT / "docs" / "python.md").read_text(encoding="utf-8")
    pattern = rf"^<!-- test: {re.escape(marker)} -->\n```\w*\n(.*?)^```$"
    found = re.search(pattern, readme, re.M | re.S)
    assert found, f"docs/python.md has no '<!-- test: {marker} -->' block"
    return found[1]


def test_the_python_example_prints_what_the_readme_shows() -> None:
    result = subprocess.run(
        [sys.executable, "-c", readme_block("python-example")],
        cwd=ROOT,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == readme_block("python-example-output")
