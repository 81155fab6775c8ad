"""The options table: one declaration per option, and every front end generated from it."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from trendgate.app.job import OPTIONS_BY_NAME, OPTIONS, Job
from trendgate.errors import UsageError
from trendgate.report import FORMATS

ROOT = Path(__file__).resolve().parents[2]


def test_action_yml_declares_exactly_the_tables_inputs_with_its_descriptions() -> None:
    declared = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))["inputs"]
    table = {o.input: o.input_description for o in OPTIONS if o.input}
    assert list(declared) == list(table)
    assert {name: spec["description"] for name, spec in declared.items()} == table


def test_every_file_format_has_a_flag_a_config_key_and_an_input() -> None:
    for fmt in FORMATS:
        option = OPTIONS_BY_NAME.get(fmt.name)
        if not fmt.to_file:
            assert option is None
            continue
        assert option is not None and option.report == fmt.name
        assert option.flag == f"--{fmt.name}" and option.input == f"{fmt.name}-report"
        assert option.in_config


def test_report_options_fill_reports_and_others_their_field() -> None:
    job = Job().with_values({"json": "a.json", "window": 5})
    assert job.reports == (("json", "a.json"),)
    assert job.report_path("json") == "a.json" and job.report_path("junit") is None
    assert job.window == 5 and job.settings.window == 5


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("window", " 7 ", 7),
        ("threshold", "-1.5", -1.5),
        ("x", "time", "time"),
        ("only_models", "a, b\nc,,", ("a", "b", "c")),
    ],
)
def test_text_values_parse_by_kind(name: str, text: str, expected: object) -> None:
    assert OPTIONS_BY_NAME[name].parse(text) == expected


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("window", "1", "window must be at least 2 (got 1)"),
        ("min_runs", "x", "min-runs must be a whole number (got 'x')"),
        ("x", "week", "x must be one of run, time (got 'week')"),
        ("confidence", "1.5", "confidence must be between 0 and 1"),
    ],
)
def test_bad_text_values_are_usage_errors(name: str, text: str, message: str) -> None:
    with pytest.raises(UsageError, match=message.replace("(", r"\(").replace(")", r"\)")):
        OPTIONS_BY_NAME[name].parse(text)
