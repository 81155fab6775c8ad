"""The "now" every clock rule uses: `--now`, else SOURCE_DATE_EPOCH, else the system clock.

Fixing it makes a report depend on its history alone, so the docs' sample outputs and the
tests read the same on any day (https://reproducible-builds.org/specs/source-date-epoch/).
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Mapping
from datetime import datetime

from trendgate.errors import UsageError

DAY = 86_400.0
# A run stamped later than this after now is from a wrong clock: a runner's may run a little
# ahead, and time zones put "tonight" up to 14 hours away.
FUTURE_SLACK = DAY
SOURCE_DATE_EPOCH = "SOURCE_DATE_EPOCH"


def parse_now(text: str) -> float:
    """An ISO 8601 time with a time zone, as Unix seconds; UsageError otherwise."""
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise UsageError(
            "now must be an ISO 8601 time with a time zone, e.g. 2026-05-11T00:00:00Z "
            f"(got {text!r})"
        )
    return moment.timestamp()


def now(given: float | None = None, env: Mapping[str, str] | None = None) -> float:
    """`given` when set, else SOURCE_DATE_EPOCH from `env` (default os.environ), else time."""
    if given is not None:
        return given
    text = (os.environ if env is None else env).get(SOURCE_DATE_EPOCH, "").strip()
    if not text:
        return time.time()
    try:
        value = float(int(text))
    except ValueError:
        value = math.nan
    if not 0 <= value < 253402300800:
        raise UsageError(f"{SOURCE_DATE_EPOCH} must be Unix seconds (got {text!r})")
    return value
