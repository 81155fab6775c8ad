"""The test tiers beyond the unit tests, and what each needs that the `test` extra lacks.

A test of a tier carries the tier's marker (registered in pyproject.toml); conftest.py skips it,
naming what is missing, on a machine without that need, so the README's quick test command
passes without a browser or the release build tools. With TRENDGATE_ALL_TIERS=1
(CONTRIBUTING.md, .ci/run) every skip is a failure instead: a run meant to cover every tier
cannot go green having left one out.
"""

from __future__ import annotations

import functools
import importlib.util
import sys
from collections.abc import Callable
from pathlib import Path

from tests.e2e import render_summary

ALL_TIERS = "TRENDGATE_ALL_TIERS"
SETUP = "see CONTRIBUTING.md"


def _beside_python(*names: str) -> list[str]:
    """The commands among `names` that the dev extra should have put beside this Python."""
    return [name for name in names if not (Path(sys.executable).parent / name).exists()]


def _packages(*names: str) -> list[str]:
    return [f"the {name} package" for name in names if importlib.util.find_spec(name) is None]


NEEDS: dict[str, Callable[[], list[str]]] = {
    "browser": render_summary.missing,
    "tools": lambda: _beside_python(
        "check-jsonschema", "zizmor", "actionlint", "shellcheck", "hadolint"
    ),
    "release": lambda: _packages("build"),
}


@functools.cache
def missing(tier: str) -> str | None:
    """Why `tier` cannot run here, or None when it can."""
    lacking = NEEDS[tier]()
    return f"{tier} tier needs {', '.join(lacking)} ({SETUP})" if lacking else None
