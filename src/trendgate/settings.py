"""Analysis settings and the validation shared by every front end (CLI, Action, Python), and
the "now" every clock rule uses."""

from __future__ import annotations

import math
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from trendgate.errors import UsageError

DEFAULT_RESULTS_DIR = "results"  # PinchBench's own default --output-dir
DEFAULT_WINDOW = 10
DEFAULT_THRESHOLD = -0.5
DEFAULT_MIN_RUNS = 2
REPORTING_CONFIDENCE = 0.95  # the interval shown when --confidence does not gate
X_AXES = ("run", "time")
RULES = ("budget", "proposal")
# The budget rule's defaults (docs/statistics.md, "Choosing the defaults"): 15 runs judged, the
# noise from the last 30 comparable runs (60 parse 3.2x slower than the window alone, 30
# 1.8x: docs/statistics.md), no slope floor (a decline), 3 runs the fewest a
# slope with a residual needs.
BUDGET_WINDOW = 15
BUDGET_THRESHOLD = 0.0
BUDGET_MIN_RUNS = 3
BUDGET_NOISE_RUNS = 30
PERIODS = {"day": 1.0, "week": 7.0, "month": 365.25 / 12, "quarter": 365.25 / 4, "year": 365.25}
ASSUMED_PACE = 1.0  # runs a day when no model's timestamps tell its pace

XAxis = Literal["run", "time"]
Rule = Literal["budget", "proposal"]


@dataclass(frozen=True)
class Budget:
    """Expected false alarms across all models of a history, per period, on flat models."""

    count: float
    period: str

    def __str__(self) -> str:
        return f"{self.count:g}/{self.period}"

    @property
    def days(self) -> float:
        """The period's length in days (a month is a twelfth of 365.25 days)."""
        return PERIODS[self.period]


DEFAULT_BUDGET = Budget(1.0, "month")


def parse_budget(text: str) -> Budget:
    """Parse `N/PERIOD`, e.g. `1/month` or `0.5/week`."""
    count, slash, period = text.strip().partition("/")
    try:
        number = float(count)
    except ValueError:
        number = math.nan
    if not slash or period.strip() not in PERIODS or not 0 < number < math.inf:
        raise UsageError(
            f"false-alarms must be N/PERIOD with N > 0 and PERIOD one of {'/'.join(PERIODS)}, "
            f"e.g. 1/month (got {text!r})"
        )
    return Budget(number, period.strip())


Blocks = tuple[tuple[int, int], ...]  # line fits over blocks of runs: (length, count), by length


@dataclass(frozen=True)
class Lags:
    """One model's line fits over blocks of runs at equal steps: the residuals' lag-1 products,
    their sum of squares and the blocks (judge/autocorrelation.py)."""

    lag: float = 0.0
    rss: float = 0.0
    blocks: Blocks = ()


@dataclass(frozen=True)
class Pooled:
    """Models' lag-1 ratios (residual lag-1 products over their sum of squares) pooled: the sum
    of each ratio times its model's residual degrees of freedom, and those degrees of freedom
    on each layout of blocks (judge/autocorrelation.py)."""

    total: float = 0.0
    layouts: tuple[tuple[Blocks, int], ...] = ()  # (blocks, degrees of freedom), sorted

    def __add__(self, other: Pooled) -> Pooled:
        return Pooled(self.total + other.total, _merged(self.layouts, other.layouts, 1))

    def __sub__(self, other: Pooled) -> Pooled:
        return Pooled(self.total - other.total, _merged(self.layouts, other.layouts, -1))


def _merged(
    a: tuple[tuple[Blocks, int], ...], b: tuple[tuple[Blocks, int], ...], sign: int
) -> tuple[tuple[Blocks, int], ...]:
    weights = dict(a)
    for layout, w in b:
        weights[layout] = weights.get(layout, 0) + sign * w
    return tuple(sorted((k, w) for k, w in weights.items() if w))


@dataclass(frozen=True)
class Family:
    """The models a budget is shared by and the pace they run at."""

    models: int
    runs_per_day: float
    paced: bool = True  # False: no model had two runs at distinct times; ASSUMED_PACE is used
    # Every model's comparable look-back, pooled (judge/pooled.py): each model's tests allow for
    # the autocorrelation of the others' (None: not gathered, nothing widened); and that of all.
    pooled: Pooled | None = None
    autocorrelation: float | None = None

    def nights(self, budget: Budget) -> float:
        """Model-nights (one model judged after one run) in the budget's period."""
        return budget.days * self.models * self.runs_per_day

    def rate(self, level: float, budget: Budget) -> float:
        """The expected false alarms across the family over the budget's period at `level`."""
        return level * self.nights(budget)


LONE = Family(1, ASSUMED_PACE, paced=False)  # a series judged without its history around it


@dataclass(frozen=True)
class Settings:
    """How a series is windowed and judged."""

    window: int = DEFAULT_WINDOW
    threshold: float = DEFAULT_THRESHOLD
    min_runs: int = DEFAULT_MIN_RUNS
    confidence: float | None = None  # set: a regression must also be significant
    segment: bool = False  # window only the runs comparable with the latest one
    x: XAxis = "run"  # slope per run, or per day from timestamps
    # With confidence: estimate the noise over the model's last N comparable runs (not only
    # its window); None: the window's own residuals.
    noise_runs: int | None = None
    stale_after: float | None = None  # days without a run that flag a series; None: its own pace
    # "budget": the level per model-night comes from false_alarms (or confidence) and family;
    # "proposal": the original proposal's rule, the slope below the threshold and nothing else.
    rule: Rule = "proposal"
    false_alarms: Budget | None = None
    family: Family | None = None  # every model of the history; set by analyze()

    def __post_init__(self) -> None:
        check_window(self.window)
        if self.noise_runs is not None:
            check_noise_runs(self.noise_runs)
        check_threshold(self.threshold)
        check_min_runs(self.min_runs)
        if self.confidence is not None:
            check_confidence(self.confidence)
        if self.stale_after is not None:
            check_stale_after(self.stale_after)
        if self.rule not in RULES:
            raise UsageError(f"rule must be one of {', '.join(RULES)} (got {self.rule!r})")
        if self.x not in X_AXES:
            raise UsageError(f"x must be one of {', '.join(X_AXES)} (got {self.x!r})")

    @property
    def x_unit(self) -> str:
        """What a slope is per: a run, or a day."""
        return x_unit(self.x)

    @property
    def look_back(self) -> int:
        """How many of a model's newest runs a verdict reads: its window, or its noise look-back."""
        if (self.confidence is None and self.rule != "budget") or self.noise_runs is None:
            return self.window
        return max(self.window, self.noise_runs)

    @property
    def level(self) -> float | None:
        """The budget rule's chance a flat model fails on a night, all its tests together.

        `confidence` sets it directly (1 - C); otherwise the budget spread over the family's
        model-nights in its period. None under the proposal rule.
        """
        if self.rule != "budget":
            return None
        if self.confidence is not None:
            return 1 - self.confidence
        budget = self.false_alarms or DEFAULT_BUDGET
        return min(0.5, budget.count / (self.family or LONE).nights(budget))

    @property
    def interval_confidence(self) -> float:
        """The confidence level of the reported interval."""
        if self.rule == "budget" or self.confidence is None:
            return REPORTING_CONFIDENCE
        return self.confidence


def budget_settings(**given: object) -> Settings:
    """The default gate: the budget rule with its defaults, and any fields `given` over them."""
    values: dict[str, object] = {
        "window": BUDGET_WINDOW,
        "threshold": BUDGET_THRESHOLD,
        "min_runs": BUDGET_MIN_RUNS,
        "noise_runs": BUDGET_NOISE_RUNS,
        "rule": "budget",
        "false_alarms": DEFAULT_BUDGET,
    }
    return Settings(**(values | given))  # type: ignore[arg-type]


def x_unit(x: XAxis) -> str:
    """What a slope along the x axis is per: a run, or a day."""
    return "day" if x == "time" else "run"


def check_window(value: int) -> int:
    """Reject a window that cannot hold a slope."""
    if value < 2:
        raise UsageError(f"window must be at least 2 (got {value})")
    return value


def check_min_runs(value: int) -> int:
    """Reject a minimum run count below the two points a slope needs."""
    if value < 2:
        raise UsageError(f"min-runs must be at least 2 (got {value})")
    return value


def check_noise_runs(value: int) -> int:
    """Reject a noise look-back too short to hold a residual."""
    if value < 3:
        raise UsageError(f"noise-runs must be at least 3 (got {value})")
    return value


def check_threshold(value: float) -> float:
    """Reject a threshold that is not a finite number."""
    if not math.isfinite(value):
        raise UsageError(f"threshold must be a finite number (got {value})")
    return value


def check_stale_after(value: float) -> float:
    """Reject a stale limit that is not a positive number of days."""
    if not 0 < value < math.inf:  # also rejects NaN
        raise UsageError(f"stale-after must be a positive number of days (got {value})")
    return value


def positive_threshold(threshold: float, rule: Rule) -> str | None:
    """The warning a threshold above 0 deserves where the slope alone decides: it fails models
    that hold steady (under the budget rule a floor above 0 changes nothing)."""
    if threshold <= 0 or rule == "budget":
        return None
    return (
        f"threshold {threshold:+.2f} is above 0: a model that holds steady regresses "
        "(a decline is a negative slope; did you mean "
        f"{-threshold:+.2f}?)"
    )


def check_confidence(value: float) -> float:
    """Reject a confidence level outside the open interval (0, 1)."""
    if not 0 < value < 1:  # also rejects NaN
        raise UsageError(f"confidence must be between 0 and 1, e.g. 0.95 (got {value})")
    return value


def check_site_url(url: str) -> str:
    """An http(s) URL with no character that could end a Markdown link (the summary links it)."""
    if not url.startswith(("https://", "http://")) or any(
        c.isspace() or c in "<>()[]\"'`\\" or not c.isprintable() or not c.isascii() for c in url
    ):
        raise UsageError(
            f"site-url must be an http(s) URL without spaces, quotes, brackets or "
            f"non-ASCII characters (got {url!r})"
        )
    return url


# The clock: `--now`, else SOURCE_DATE_EPOCH, else the system clock.
#
# Fixing it makes a report depend on its history alone, so the docs' sample outputs and the
# tests read the same on any day (https://reproducible-builds.org/specs/source-date-epoch/).

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


def current_time(given: float | None = None, env: Mapping[str, str] | None = None) -> float:
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
