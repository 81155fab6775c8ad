"""Unix times as text, always in UTC whatever the machine's time zone."""

from __future__ import annotations

from datetime import datetime, timezone


def utc(timestamp: float, pattern: str = "%Y-%m-%d") -> str:
    """A Unix time in UTC by a strftime pattern (the day, by default)."""
    return datetime.fromtimestamp(timestamp, tz=timezone.utc).strftime(pattern)


def iso_utc(timestamp: float) -> str:
    """A Unix time as ISO 8601 in UTC with a `Z`."""
    return datetime.fromtimestamp(timestamp, tz=timezone.utc).isoformat().replace("+00:00", "Z")
