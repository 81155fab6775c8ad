"""Validate reports against the published JSON Schemas and the JUnit XSD."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import xmlschema
from referencing import Registry, Resource

ROOT = Path(__file__).resolve().parents[1]
SCHEMAS = ROOT / "schema"
REPORT_SCHEMA = SCHEMAS / "report-v2.json"
BACKTEST_SCHEMA = SCHEMAS / "backtest-v2.json"
JUNIT_XSD = Path(__file__).resolve().parent / "schemas" / "junit-10.xsd"


def load_schema(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


@cache
def validator(path: Path) -> jsonschema.Draft202012Validator:
    """A validator for one schema; `$ref`s to a sibling file resolve by its name."""
    registry: Registry[Any] = Registry().with_resources(
        (p.name, Resource.from_contents(load_schema(p))) for p in SCHEMAS.glob("*.json")
    )
    schema = load_schema(path)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, registry=registry)


@cache
def junit_schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(JUNIT_XSD))


def validate_report(report: Any) -> None:
    """Raise jsonschema.ValidationError when a JSON report breaks the published schema."""
    validator(REPORT_SCHEMA).validate(report)


def validate_backtest(report: Any) -> None:
    """Raise jsonschema.ValidationError when a backtest report breaks its schema."""
    validator(BACKTEST_SCHEMA).validate(report)


def validate_junit(xml: str) -> None:
    """Raise xmlschema.XMLSchemaValidationError when a JUnit report breaks the XSD."""
    junit_schema().validate(xml)
