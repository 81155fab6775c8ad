"""How counts and times are written in every report and message: `1 run`, never `1 runs`, and
every time in UTC whatever the machine's time zone."""

from __future__ import annotations

from datetime import datetime, timezone


def count(n: int, noun: str, plural: str | None = None) -> str:
    """`n` and the noun, plural unless n is 1 (`plural` for nouns that do not take an s)."""
    return f"{n} {noun if n == 1 else plural or noun + 's'}"


def utc(timestamp: float, pattern: str = "%Y-%m-%d") -> str:
    """A Unix time in UTC by a strftime pattern (the day, by default)."""
    return datetime.fromtimestamp(timestamp, tz=timezone.utc).strftime(pattern)


def iso_utc(timestamp: float) -> str:
    """A Unix time as ISO 8601 in UTC with a `Z`."""
    return datetime.fromtimestamp(timestamp, tz=timezone.utc).isoformat().replace("+00:00", "Z")
