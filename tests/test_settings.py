"""Option values: the same checks and messages for every front end."""

from __future__ import annotations

import pytest

from trendgate.errors import UsageError
from trendgate.settings import (
    Settings,
    parse_confidence,
    parse_min_runs,
    parse_threshold,
    parse_window,
)


def test_defaults_are_the_original_request_s() -> None:
    assert Settings() == Settings(window=10, threshold=-0.5, min_runs=2)


@pytest.mark.parametrize(
    ("parse", "text", "message"),
    [
        (parse_window, "1", "window must be at least 2 (got 1)"),
        (parse_window, "ten", "window must be a whole number (got 'ten')"),
        (parse_window, "2.5", "window must be a whole number (got '2.5')"),
        (parse_min_runs, "0", "min-runs must be at least 2 (got 0)"),
        (parse_threshold, "low", "threshold must be a number (got 'low')"),
        (parse_threshold, "nan", "threshold must be a finite number (got nan)"),
        (parse_threshold, "-inf", "threshold must be a finite number (got -inf)"),
        (parse_confidence, "0", "confidence must be between 0 and 1, e.g. 0.95 (got 0.0)"),
        (parse_confidence, "95", "confidence must be between 0 and 1, e.g. 0.95 (got 95.0)"),
        (parse_confidence, "nan", "confidence must be between 0 and 1, e.g. 0.95 (got nan)"),
        (parse_confidence, "sure", "confidence must be a number (got 'sure')"),
    ],
)
def test_bad_values(parse: object, text: str, message: str) -> None:
    with pytest.raises(UsageError) as info:
        parse(text)  # type: ignore[operator]
    assert str(info.value) == message


def test_good_values() -> None:
    assert parse_window(" 5 ") == 5
    assert parse_min_runs("3") == 3
    assert parse_threshold("-1.25") == -1.25
    assert parse_confidence(" 0.95 ") == 0.95


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
