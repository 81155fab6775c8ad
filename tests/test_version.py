"""The version is written once, in pyproject.toml; everything that shows it must agree."""

from __future__ import annotations

import re
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import tomli
import yaml

import trendgate
from tests.builders import REPO

VERSION = tomli.loads((REPO / "pyproject.toml").read_text())["project"]["version"]


def test_package_metadata_and_dunder_version_are_pyprojects() -> None:
    # A stale editable install fails here: reinstall with `pip install -e '.[test]'`.
    assert version("trendgate") == VERSION
    assert trendgate.__version__ == VERSION


def test_the_commands_print_the_version() -> None:
    console_script = Path(sys.executable).with_name("trendgate")
    for command in ([str(console_script)], [sys.executable, "-m", "trendgate"]):
        result = subprocess.run([*command, "--version"], capture_output=True, text=True, check=True)
        assert result.stdout == f"trendgate {VERSION}\n"


def test_the_action_takes_its_version_from_the_package() -> None:
    # On main the Action builds its image from the Dockerfile, which installs this checkout's
    # package, so it runs pyproject's version; a release commit names the image of that
    # version (tests/test_release.py, and tests/e2e asks the built image for --version).
    # Neither file may hold a version of its own that could drift.
    action_yml = (REPO / "action.yml").read_text()
    dockerfile = (REPO / "Dockerfile").read_text()
    assert yaml.safe_load(action_yml)["runs"]["image"] == "Dockerfile"
    assert "COPY pyproject.toml" in dockerfile
    for name, text in (("action.yml", action_yml), ("Dockerfile", dockerfile)):
        assert not re.findall(r"\b\d+\.\d+\.\d+\b", text), f"{name} names a version"
