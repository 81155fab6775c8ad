"""Shared fixtures."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from tests import tiers
from tests.builders import SAMPLES
from tests.command import Command, in_a_subprocess, in_this_process
from tests.validate import validate_backtest, validate_report
from trendgate.model import Analysis, Backtest
from trendgate.report import Ending
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


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Skip a test of a tier this machine cannot run, saying what it lacks."""
    for marker in item.iter_markers():
        if marker.name in tiers.NEEDS and (reason := tiers.missing(marker.name)):
            pytest.skip(reason)


def _no_skip(report: pytest.TestReport | pytest.CollectReport) -> None:
    """With TRENDGATE_ALL_TIERS set, turn a skip into a failure that gives its reason."""
    if report.skipped and os.environ.get(tiers.ALL_TIERS) and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"skipped, but {tiers.ALL_TIERS} is set: {reason}"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    _no_skip(report)
    return report


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(collector: pytest.Collector) -> Any:
    report = yield
    _no_skip(report)
    return report


@pytest.fixture(params=["in process"])
def trendgate(
    request: pytest.FixtureRequest,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> Command:
    """The command, as main(argv) here, or for real with the parameter "subprocess"."""
    if request.param == "subprocess":
        return in_a_subprocess
    return in_this_process(capsys, monkeypatch)


@pytest.fixture
def samples() -> Path:
    """The real PinchBench result files in ../shared (not ours to copy into the repo)."""
    if not SAMPLES.is_dir():  # a failure with TRENDGATE_ALL_TIERS=1, as every skip
        pytest.skip(f"real samples not available: {SAMPLES} is absent (no ../shared here)")
    return SAMPLES


@pytest.fixture(autouse=True)
def reports_follow_the_schema(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every JSON report a test produces in this process is checked against its schema."""
    produce_report = report_json.report_dict
    produce_backtest = report_json.backtest_dict

    def report(analysis: Analysis, ending: Ending) -> dict[str, Any]:
        doc = produce_report(analysis, ending)
        validate_report(doc)
        return doc

    def backtest(replayed: Backtest, ending: Ending) -> dict[str, Any]:
        doc = produce_backtest(replayed, ending)
        validate_backtest(doc)
        return doc

    monkeypatch.setattr(report_json, "report_dict", report)
    monkeypatch.setattr(report_json, "backtest_dict", backtest)
