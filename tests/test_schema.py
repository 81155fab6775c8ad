"""The published JSON Schema: valid, documented field by field, and strict enough to fail."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from tests.configured import configured
from tests.validate import BACKTEST_SCHEMA, REPORT_SCHEMA, validate_backtest, validate_report
from trendgate.app.job import Job
from trendgate.app.run import with_config
from trendgate.judge.analysis import analyze, backtest
from trendgate.report import Ending
from trendgate.report.json import backtest_dict, report_dict

ROOT = Path(__file__).resolve().parents[1]


def properties(schema: Any, where: str = "") -> Iterator[tuple[str, Any]]:
    """Every (path, subschema) under a `properties` keyword, recursively."""
    if isinstance(schema, dict):
        for name, sub in schema.get("properties", {}).items():
            yield f"{where}.{name}", sub
        for key, sub in schema.items():
            yield from properties(sub, f"{where}/{key}")
    elif isinstance(schema, list):
        for i, sub in enumerate(schema):
            yield from properties(sub, f"{where}[{i}]")


@pytest.mark.parametrize("path", [REPORT_SCHEMA, BACKTEST_SCHEMA])
def test_schemas_are_draft_2020_12_and_document_every_field(path: Path) -> None:
    schema = json.loads(path.read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)
    fields = list(properties(schema))
    assert len(fields) > 10
    undocumented = [where for where, sub in fields if not sub.get("description")]
    assert undocumented == []


def test_reports_using_every_rule_validate(tmp_path: Path) -> None:
    validate_report(report_dict(configured(tmp_path), Ending()))


def test_demo_and_empty_reports_validate(tmp_path: Path) -> None:
    validate_report(report_dict(analyze(ROOT / "examples" / "results"), Ending()))
    validate_report(report_dict(analyze(tmp_path), Ending()))


def test_real_samples_validate(samples: Path) -> None:
    validate_report(report_dict(analyze(samples), Ending()))
    validate_backtest(backtest_dict(backtest(samples), Ending()))


def test_backtest_reports_validate(tmp_path: Path) -> None:
    configured(tmp_path)  # writes the directory and its config file
    config = tmp_path / "trendgate.yml"
    job, rules = with_config(Job(config=str(config)))
    replayed = backtest(tmp_path / "results", job.settings, rules=rules)
    doc = backtest_dict(replayed, Ending())
    validate_backtest(doc)
    assert doc["config"] == str(config)
    assert doc["ignored"] == [{"model": "free/m", "rule": "free/*", "total_runs": 3}]
    # The accepted decline restarts the replayed series too, and per-model rules apply.
    replays = {m["model"]: m for m in doc["models"]}
    assert [v["run_id"] for v in replays["accepted"]["verdicts"]] == ["0044", "0045"]
    assert replays["vendor/strict"]["failures"] == 0  # threshold -3 from its rule
    assert replays["down"]["failures"] > 0
    doc["models"][0]["verdicts"][0]["status"] = "fine"
    with pytest.raises(jsonschema.ValidationError):
        validate_backtest(doc)


@pytest.mark.parametrize(
    "break_it",
    [
        lambda r: r.pop("config"),
        lambda r: r.update(extra=1),
        lambda r: r["models"][0].update(status="fine"),
        lambda r: r["models"][0]["runs"][0].pop("score_pct"),
        lambda r: r["models"][0]["settings"].update(window=1),
        lambda r: r["models"][0]["rules"].append({"pattern": "x", "colour": "red"}),
        lambda r: r["ignored"][0].pop("rule"),
    ],
)
def test_schema_rejects_what_it_does_not_describe(tmp_path: Path, break_it: Any) -> None:
    report = copy.deepcopy(report_dict(configured(tmp_path), Ending()))
    break_it(report)
    with pytest.raises(jsonschema.ValidationError):
        validate_report(report)
