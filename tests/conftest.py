"""Shared fixtures."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.builders import SAMPLES


@pytest.fixture
def samples() -> Path:
    """The real PinchBench result files in ../shared (not ours to copy into the repo)."""
    if not SAMPLES.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"{SAMPLES} is missing; CI must provide ../shared beside the clone")
        pytest.skip(f"real samples not available: {SAMPLES} is absent (no ../shared here)")
    return SAMPLES
