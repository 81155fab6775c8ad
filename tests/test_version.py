"""The version is written once, in pyproject.toml; everything that shows it must agree."""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import tomli

import trendgate
from tests.builders import REPO

VERSION = tomli.loads((REPO / "pyproject.toml").read_text())["project"]["version"]


def test_package_metadata_and_dunder_version_are_pyprojects() -> None:
    # A stale editable install fails here: reinstall with `pip install -e '.[test]'`.
    assert version("trendgate") == VERSION
    assert trendgate.__version__ == VERSION


def test_the_command_prints_the_version() -> None:
    console_script = Path(sys.executable).with_name("trendgate")
    for command in ([str(console_script)], [sys.executable, "-m", "trendgate"]):
        result = subprocess.run([*command, "--version"], capture_output=True, text=True, check=True)
        assert result.stdout == f"trendgate {VERSION}\n"
