"""The test tiers beyond the unit tests, and what each needs that the `test` extra lacks.

A test of a tier carries the tier's marker (registered in pyproject.toml); conftest.py skips it,
naming what is missing, on a machine without that need, so the README's quick test command
passes without a browser or the release build tools. With TRENDGATE_ALL_TIERS=1
(CONTRIBUTING.md, .ci/run) every skip is a failure instead: a run meant to cover every tier
cannot go green having left one out.
"""

from __future__ import annotations

import functools
import importlib.metadata
import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

from tests.e2e import site_browser

ALL_TIERS = "TRENDGATE_ALL_TIERS"
SETUP = "see CONTRIBUTING.md"


def _beside_python(*names: str) -> list[str]:
    """The commands among `names` that the dev extra should have put beside this Python."""
    return [name for name in names if not (Path(sys.executable).parent / name).exists()]


def _packages(*names: str) -> list[str]:
    """The distributions among `names` not installed (by metadata: `pip install .` leaves a
    build/ folder in the clone that imports as a namespace package named build)."""
    lacking = []
    for name in names:
        try:
            importlib.metadata.distribution(name)
        except importlib.metadata.PackageNotFoundError:
            lacking.append(f"the {name} package")
    return lacking


def _opted_in() -> list[str]:
    """The simulation tier is slow, not demanding: it runs when asked for (or with every tier)."""
    if os.environ.get(ALL_TIERS) or os.environ.get(SIMULATION):
        return []
    return [f"{SIMULATION}=1 (about a minute of seeded simulation)"]


SIMULATION = "TRENDGATE_SIMULATION"

NEEDS: dict[str, Callable[[], list[str]]] = {
    "simulation": _opted_in,
    "browser": site_browser.site_missing,  # the summary's needs, and axe-core
    "tools": lambda: _beside_python(
        "check-jsonschema", "zizmor", "actionlint", "shellcheck", "hadolint"
    ),
    "release": lambda: _packages("build"),
    # git: real clones and a remote on disk, about a minute; the dev extra marks a machine
    # meant to run the tiers, so the quick test command leaves it out.
    "git": lambda: ([] if shutil.which("git") else ["git"]) + _packages("mypy"),
}


@functools.cache
def missing(tier: str) -> str | None:
    """Why `tier` cannot run here, or None when it can."""
    lacking = NEEDS[tier]()
    return f"{tier} tier needs {', '.join(lacking)} ({SETUP})" if lacking else None
