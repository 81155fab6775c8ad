"""Shared fixtures."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from tests.builders import SAMPLES
from tests.validate import validate_backtest, validate_report
from trendgate.analysis import Analysis, Backtest
from trendgate.report import Closing
from trendgate.report import json as report_json

# Property tests: a quick profile for every CI run, and a long one for a fuzzing session
# (HYPOTHESIS_PROFILE=long pytest tests/test_fuzz.py).
settings.register_profile("ci", max_examples=150, deadline=None)
settings.register_profile(
    "long",
    max_examples=20_000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture
def samples() -> Path:
    """The real PinchBench result files in ../shared (not ours to copy into the repo)."""
    if not SAMPLES.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"{SAMPLES} is missing; CI must provide ../shared beside the clone")
        pytest.skip(f"real samples not available: {SAMPLES} is absent (no ../shared here)")
    return SAMPLES


@pytest.fixture(autouse=True)
def reports_follow_the_schema(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every JSON report a test produces in this process is checked against its schema."""
    produce_report = report_json.report_dict
    produce_backtest = report_json.backtest_dict

    def report(analysis: Analysis, closing: Closing) -> dict[str, Any]:
        doc = produce_report(analysis, closing)
        validate_report(doc)
        return doc

    def backtest(replayed: Backtest, closing: Closing) -> dict[str, Any]:
        doc = produce_backtest(replayed, closing)
        validate_backtest(doc)
        return doc

    monkeypatch.setattr(report_json, "report_dict", report)
    monkeypatch.setattr(report_json, "backtest_dict", backtest)
