"""The JSON report: shape, order and values."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.builders import with_scores, write_series
from tests.configured import configured
from tests.validate import validate_report
from trendgate.judge.analysis import analyze
from trendgate.report import Ending
from trendgate.report.json import _indented
from trendgate.report.json import render as render_json
from trendgate.rules import Accept, Rules
from trendgate.settings import Settings

PROPOSAL = Settings(rule="proposal")  # the original proposal's rule, which these tests pin


def test_report_shape_and_values(tmp_path: Path) -> None:
    write_series(tmp_path, "b", [60, 50, 40], start=2_000_000_000.0)
    write_series(tmp_path, "a", [10, 20, 30, 40], first_run=7)
    (tmp_path / "bad.json").write_text("{")
    now = 2_000_000_000.0 + 3 * 86_400  # the day after b's last run
    report = json.loads(render_json(analyze(tmp_path, Settings(window=3), now=now), Ending()))
    assert report["schema_version"] == 2
    assert report["regression"] is True
    assert report["settings"] == {
        "window": 3,
        "threshold": -0.5,
        "min_runs": 2,
        "confidence": None,
        "segment": False,
        "x": "run",
        "noise_runs": None,
        "stale_after": None,
        "rule": "proposal",
        "false_alarms": None,
        "level": None,
        "family": None,
        "family_rate": None,
    }
    assert [m["model"] for m in report["models"]] == ["a", "b"]
    a, b = report["models"]
    assert (a["status"], b["status"]) == ("improving", "regression")
    assert a["slope"] == pytest.approx(10.0) and b["slope"] == pytest.approx(-10.0)
    assert a["run_count"] == 3 and a["total_runs"] == 4
    assert a["runs"] == [
        {
            "run_id": "0008",
            "timestamp": 1_778_086_400.0,
            "score_pct": pytest.approx(20.0),
            "task_count": 1,
            "path": "0008_a.json",
            "source": None,
            "workflow_run_url": None,
        },
        {
            "run_id": "0009",
            "timestamp": 1_778_172_800.0,
            "score_pct": pytest.approx(30.0),
            "task_count": 1,
            "path": "0009_a.json",
            "source": None,
            "workflow_run_url": None,
        },
        {
            "run_id": "0010",
            "timestamp": 1_778_259_200.0,
            "score_pct": pytest.approx(40.0),
            "task_count": 1,
            "path": "0010_a.json",
            "source": None,
            "workflow_run_url": None,
        },
    ]
    assert report["skipped"][0]["path"] == "bad.json"
    assert report["skipped"][0]["reason"].startswith("not valid JSON")


def test_insufficient_data_has_null_slope(tmp_path: Path) -> None:
    write_series(tmp_path, "m", [50])
    (model,) = json.loads(render_json(analyze(tmp_path, PROPOSAL), Ending()))["models"]
    assert (model["status"], model["slope"]) == ("insufficient_data", None)


def test_output_is_ascii(tmp_path: Path) -> None:
    write_series(tmp_path, "modèle→\u2028", [50, 40])
    text = render_json(analyze(tmp_path, PROPOSAL), Ending())
    assert text.isascii()
    assert json.loads(text)["models"][0]["model"] == "modèle→\u2028"


def test_absurd_scores_still_give_valid_json(tmp_path: Path) -> None:
    # Scores this large overflow the residual sum of squares: no interval, and never NaN or
    # Infinity in the report (neither is JSON).
    for confidence in (None, 0.95):
        analysis = with_scores(
            tmp_path / str(confidence),
            [1e300, -1e300, 1e300, 5e299],
            Settings(confidence=confidence),
        )
        text = render_json(analysis, Ending())
        (model,) = json.loads(text, parse_constant=lambda name: pytest.fail(name))["models"]
        assert (model["slope_stderr"], model["slope_ci"], model["p_value"]) == (None, None, None)


def test_config_rules_are_in_the_report(tmp_path: Path) -> None:
    report = json.loads(render_json(configured(tmp_path), Ending()))
    assert report["config"] == str(tmp_path / "trendgate.yml")
    opt_ins = {
        "confidence": None,
        "segment": False,
        "x": "run",
        "noise_runs": None,
        "stale_after": None,
        "rule": "proposal",
        "false_alarms": None,
        "level": None,
        "family": None,
        "family_rate": None,
    }
    assert report["settings"] == {"window": 4, "threshold": -0.5, "min_runs": 2, **opt_ins}
    models = {m["model"]: m for m in report["models"]}
    strict = models["vendor/strict"]
    assert strict["status"] == "stable"
    assert strict["settings"] == {"window": 4, "threshold": -3.0, "min_runs": 2, **opt_ins}
    assert strict["rules"] == [{"pattern": "vendor/*", "threshold": -3.0}]
    joined = models["joined"]
    assert joined["aliases"] == ["old-name"]
    assert [r["run_id"] for r in joined["runs"]] == ["0030", "0031", "0032", "0033"]
    accepted = models["accepted"]
    assert accepted["accepted"] == {
        "model": "accepted",
        "after_run": "0043",
        "after": None,
        "reason": "switched judge to haiku-4.5",
        "runs_set_aside": 4,
        # 2026-05-08 16:53:20 UTC: the run its run id names, by time and file as well.
        "last_set_aside": {
            "run_id": "0043",
            "timestamp": 1778259200.0,
            "path": "0043_accepted.json",
        },
    }
    assert [r["run_id"] for r in accepted["runs"]] == ["0044", "0045"]
    assert (accepted["total_runs"], accepted["status"]) == (2, "improving")
    assert models["down"]["rules"] == [] and models["down"]["accepted"] is None
    assert report["ignored"] == [{"model": "free/m", "rule": "free/*", "total_runs": 3}]
    assert "free/m" not in models


def test_accept_by_time_is_reported_in_utc(tmp_path: Path) -> None:
    write_series(tmp_path, "m", [50, 40, 60, 61], start=1_777_593_600.0)  # 2026-05-01 00:00Z
    accept = Accept("m", "new suite", after=1_777_593_600.0 + 86_400)
    report = json.loads(
        render_json(analyze(tmp_path, PROPOSAL, rules=Rules(accept=(accept,))), Ending())
    )
    (model,) = report["models"]
    assert model["accepted"]["after"] == "2026-05-02T00:00:00Z"
    assert model["accepted"]["after_run"] is None
    assert model["accepted"]["runs_set_aside"] == 2


def _nulled(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _nulled(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_nulled(v) for v in value]
    return value


_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(), children, max_size=4)
    ),
    max_leaves=30,
)


@given(_JSON_VALUES)
def test_the_report_is_indented_as_the_standard_library_indents(value: Any) -> None:
    # json.dumps is the oracle; NaN and infinities become null, as the report writes them.
    expected = json.dumps(_nulled(value), indent=2, ensure_ascii=True, allow_nan=False)
    assert _indented(value, "") == expected


def test_the_budget_its_level_and_the_deciding_test_are_in_the_report(tmp_path: Path) -> None:
    # Three models a day apart; only "fall" is judged, but the budget counts all three.
    write_series(tmp_path, "fall", [90, 88, 86, 84, 82, 80])
    write_series(tmp_path, "flat", [70, 71, 70, 69, 70, 71])
    write_series(tmp_path, "other", [50, 50, 51])
    settings = Settings(window=15, threshold=0.0, min_runs=3, noise_runs=60, rule="budget")
    report = json.loads(render_json(analyze(tmp_path, settings, models=["fall"]), Ending()))
    level = 1 / (3 * 365.25 / 12)  # 1 false alarm a month over 3 models run once a day
    assert report["settings"]["rule"] == "budget"
    assert report["settings"]["false_alarms"] == "1/month"
    assert report["settings"]["level"] == pytest.approx(level)
    assert report["settings"]["family"] == {
        "models": 3,
        "runs_per_day": 1.0,
        "paced": True,
        "autocorrelation": None,  # 9 runs before the latest two: too few to estimate
    }
    assert report["settings"]["family_rate"] == pytest.approx(1.0)
    (fall,) = report["models"]
    assert (fall["status"], fall["level"], fall["decided_by"]) == (
        "regression",
        pytest.approx(level),
        "slope",
    )
    validate_report(report)
