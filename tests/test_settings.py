"""Option values: the same checks and messages for every front end."""

from __future__ import annotations

import pytest

from trendgate.app.job import OPTIONS_BY_NAME
from trendgate.errors import UsageError
from trendgate.settings import (
    Settings,
)


def test_defaults_are_the_original_request_s() -> None:
    assert Settings() == Settings(window=10, threshold=-0.5, min_runs=2)


@pytest.mark.parametrize(
    ("option", "text", "message"),
    [
        ("window", "1", "window must be at least 2 (got 1)"),
        ("window", "ten", "window must be a whole number (got 'ten')"),
        ("window", "2.5", "window must be a whole number (got '2.5')"),
        ("min_runs", "0", "min-runs must be at least 2 (got 0)"),
        ("threshold", "low", "threshold must be a number (got 'low')"),
        ("threshold", "nan", "threshold must be a finite number (got nan)"),
        (
            "threshold",
            "-inf",
            "threshold must be a finite number (got -inf)",
        ),
        (
            "confidence",
            "0",
            "confidence must be between 0 and 1, e.g. 0.95 (got 0.0)",
        ),
        (
            "confidence",
            "95",
            "confidence must be between 0 and 1, e.g. 0.95 (got 95.0)",
        ),
        (
            "confidence",
            "nan",
            "confidence must be between 0 and 1, e.g. 0.95 (got nan)",
        ),
        ("confidence", "sure", "confidence must be a number (got 'sure')"),
    ],
)
def test_bad_values(option: str, text: str, message: str) -> None:
    with pytest.raises(UsageError) as info:
        OPTIONS_BY_NAME[option].parse(text)
    assert str(info.value) == message


def test_good_values() -> None:
    assert OPTIONS_BY_NAME["window"].parse(" 5 ") == 5
    assert OPTIONS_BY_NAME["min_runs"].parse("3") == 3
    assert OPTIONS_BY_NAME["threshold"].parse("-1.25") == -1.25
    assert OPTIONS_BY_NAME["confidence"].parse(" 0.95 ") == 0.95


def test_settings_object_checks_its_values() -> None:
    with pytest.raises(UsageError):
        Settings(window=1)


def test_new_settings_are_checked_too() -> None:
    with pytest.raises(UsageError):
        Settings(confidence=1.0)
    with pytest.raises(UsageError, match="x must be one of run, time"):
        Settings(x="date")  # type: ignore[arg-type]
    assert Settings().interval_confidence == 0.95
    assert Settings(confidence=0.8).interval_confidence == 0.8
