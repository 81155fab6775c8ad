"""The nouns of the flow in one place: a run, its place in a series, a window, its verdict and the
analysis that gathers them. Each step makes some and hands them on; every package may import
this module, which imports none of them."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

from trendgate.rules import Accept, ModelRule, Rules
from trendgate.settings import DAY, REPORTING_CONFIDENCE, Settings, XAxis, x_unit


@dataclass(slots=True, unsafe_hash=True)  # frozen took 1.5 us to make, 0.3 us now; by value still
class TaskResult:
    """One task's score in a run (averaged over its repeats); nothing assigns to one."""

    task_id: str
    score: float
    category: str | None
    failed: int  # entries that timed out or errored
    entries: int


@dataclass(frozen=True)
class Run:
    """One benchmark run of one model, as read from its result file."""

    path: str
    model: str
    run_id: str
    timestamp: float
    score_pct: float
    tasks: tuple[TaskResult, ...]
    benchmark_version: str | None
    runs_per_task: int | None
    cost_usd: float | None
    notes: tuple[str, ...]
    tokens: int | None = None  # efficiency.total_tokens
    source: tuple[tuple[str, str | int], ...] = ()  # a slim file's `source` (history/slim.py)

    @property
    def task_count(self) -> int:
        """Number of distinct tasks scored."""
        return len(self.tasks)

    @cached_property
    def task_ids(self) -> frozenset[str]:
        """The ids of its tasks: made once, as a series compares each run's with its neighbours'."""
        return frozenset([t.task_id for t in self.tasks])


@dataclass(slots=True, unsafe_hash=True)  # as TaskResult: one a file; nothing assigns to one
class RunHead:
    """Where a run belongs in its series: enough to order it, not to score it."""

    path: str
    model: str
    run_id: str
    timestamp: float


@dataclass(frozen=True)
class Skipped:
    """A file that was not used, and why."""

    path: str
    reason: str


@dataclass(frozen=True)
class Accepted:
    """An accepted decline that restarted a series, and how many earlier runs it set aside."""

    accept: Accept
    runs_set_aside: int
    last_set_aside: Run | RunHead | None = None  # None when no run was set aside


def run_order(run: Run | RunHead) -> tuple[float, str, str]:
    """Sort key: time, then run id, then file name, so ties never depend on listing order."""
    return (run.timestamp, run.run_id, run.path)


@dataclass(frozen=True)
class Series:
    """The newest runs of one model, oldest first, and the config rules that shaped it."""

    model: str
    runs: tuple[Run, ...]
    aliases: tuple[str, ...] = ()  # other model names whose runs joined this series
    rules: tuple[ModelRule, ...] = ()  # the `models:` entries whose settings apply
    accepted: Accepted | None = None
    ignored_by: str | None = None  # the `models:` pattern that ignores it
    older_runs: int = 0  # runs older than `runs`, placed from their heads but never loaded
    settings: Settings = field(default_factory=Settings)  # base settings, its rules applied

    @property
    def total_runs(self) -> int:
        """All runs of the series (after an accepted decline)."""
        return self.older_runs + len(self.runs)


@dataclass(frozen=True)
class Noise:
    """The run-to-run noise a verdict uses: its standard deviation and degrees of freedom."""

    sd: float
    df: int
    source: str  # "window": the window's own residuals; "history": pooled with earlier blocks
    runs: int  # runs the estimate rests on


@dataclass(frozen=True)
class TaskSlope:
    """One task's slope over the window, its uncertainty, and its share of the aggregate slope."""

    task_id: str
    slope: float  # score points per x unit
    share: float | None  # slope / (tasks * aggregate slope): all tasks' add up to 1
    stderr: float | None = None  # from the task's own residuals; None below three runs
    p_value: float | None = None  # one-sided, for a decline
    stands_out: bool = False  # its decline survives Holm's correction over all tasks


@dataclass(frozen=True)
class CategorySlope:
    """The slope of one category's mean task score."""

    category: str
    slope: float


Verdict = Literal["regression", "inconclusive", "improving", "stable", "insufficient_data"]


@dataclass(frozen=True)
class Influence:
    """The run whose removal raises a below-threshold slope most, and the rest's verdict."""

    run: Run
    slope_without: float
    regression_without: bool  # the same rule (without this guard) on the other runs


@dataclass(frozen=True)
class StepChange:
    """A single jump between two flat levels."""

    after: Run  # the last run before the jump
    size: float  # score points, later level minus earlier level


@dataclass(frozen=True)
class Trend:
    """The verdict on one model's window of runs, and the evidence behind it."""

    model: str
    verdict: Verdict
    slope: float | None  # score points per run (or per day); None when no slope can be fitted
    runs: tuple[Run, ...]  # the window, oldest first
    total_runs: int
    x: XAxis = "run"
    confidence: float = REPORTING_CONFIDENCE  # the level of slope_ci and min_detectable_slope
    slope_stderr: float | None = None
    slope_ci: tuple[float, float] | None = None
    p_value: float | None = None  # one-sided, for "slope < 0"
    theil_sen_slope: float | None = None
    min_detectable_slope: float | None = None
    more_runs_needed: int | None = None  # inconclusive only: runs until window_needed is reached
    influence: Influence | None = None  # for a slope below the threshold
    step: StepChange | None = None
    tasks: tuple[TaskSlope, ...] = ()  # largest decline first
    categories: tuple[CategorySlope, ...] = ()
    failure_slope: float | None = None  # percentage points of timed-out or errored tasks
    cost_slope: float | None = None  # USD per run
    token_slope: float | None = None  # tokens per run
    warnings: tuple[str, ...] = ()
    settings: Settings = field(default_factory=Settings)  # its series' own (Series.settings)
    rules: tuple[ModelRule, ...] = ()  # the config's `models:` entries that set them
    aliases: tuple[str, ...] = ()
    accepted: Accepted | None = None
    noise: Noise | None = None  # the noise the interval and the p-value use
    expected_false_alarm_rate: float | None = None  # a trendless model at this noise, this rule
    detectable_slope: float | None = None  # the true slope this rule catches with 80 % power
    window_needed: int | None = None  # inconclusive: runs that catch this slope with 80 % power
    level: float | None = None  # budget rule: the chance a flat model fails tonight, all tests
    decided_by: str | None = None  # budget rule: "slope" or "step-k" (k = 2, 3, 4)
    autocorrelation: float | None = None  # budget rule: lag-1, from the comparable history

    @property
    def influential_run(self) -> Run | None:
        """The run a below-threshold slope rests on: without it, there is no regression."""
        influence = self.influence
        return None if influence is None or influence.regression_without else influence.run

    @property
    def run_count(self) -> int:
        """Runs in the window."""
        return len(self.runs)

    @property
    def x_unit(self) -> str:
        """What the slope is per: a run, or a day."""
        return x_unit(self.x)

    @property
    def span_days(self) -> float:
        """Calendar days from the window's first run to its last."""
        return (self.runs[-1].timestamp - self.runs[0].timestamp) / DAY if self.runs else 0.0


@dataclass(frozen=True)
class PastVerdict:
    """What the gate would have said once `after` had arrived."""

    after: Run
    verdict: Verdict
    slope: float | None
    run_count: int  # runs in the window it judged


@dataclass(frozen=True)
class Replay:
    """One model's verdicts, the k-th given on its first k runs."""

    model: str
    verdicts: tuple[PastVerdict, ...]

    @property
    def failures(self) -> tuple[PastVerdict, ...]:
        """The verdicts that would have failed the gate."""
        return tuple(v for v in self.verdicts if v.verdict == "regression")

    @property
    def inconclusive(self) -> tuple[PastVerdict, ...]:
        """The verdicts that were inconclusive (only with a confidence level)."""
        return tuple(v for v in self.verdicts if v.verdict == "inconclusive")


@dataclass(frozen=True)
class Stale:
    """A series with no run since `since`, while another series ran as late as `newest`."""

    model: str
    since: float  # its newest run
    newest: float  # the newest run of the other series
    limit_days: float  # how long without a run flags it


@dataclass(frozen=True)
class Stop:
    """In a replay: a series that stopped at `since`, flagged at `flagged`, maybe resumed."""

    model: str
    since: float
    flagged: float  # the first run of another series after which it was stale
    resumed: float | None  # its next run, or None when it never ran again


@dataclass(frozen=True)
class Note:
    """Something odd in a file that was still used."""

    path: str
    message: str


@dataclass(frozen=True)
class Unjudged:
    """No model has min_runs runs (counted before `accept` and `segment` shorten a series);
    `model` is the one closest to being judged: its runs, and the min_runs it needs."""

    results_dir: str
    model: str
    runs: int
    min_runs: int


@dataclass(frozen=True)
class Analysis:
    """Everything the reports and the gate need, and nothing they must recompute."""

    results_dir: str
    settings: Settings  # the base settings, before any model's rules (each its own: Trend.settings)
    files_read: int
    series: tuple[Series, ...]  # each model's loaded runs: its window (or look-back), or all
    trends: tuple[Trend, ...]
    skipped: tuple[Skipped, ...]
    notes: tuple[Note, ...]
    rules: Rules = field(default_factory=Rules)
    ignored: tuple[Series, ...] = ()  # series a config rule set aside unjudged
    added: tuple[str, ...] = ()  # the names `--add` filed into the results directory
    left_out: tuple[Skipped, ...] = ()  # the files `--add` did not file, and why
    stale: tuple[Stale, ...] = ()  # judged series that stopped while the others went on
    setting_warnings: tuple[str, ...] = ()  # settings and config rules that look like mistakes
    unjudged: Unjudged | None = None  # set when no model has min_runs runs in the whole directory
    # What --strict refuses besides skipped files, each said in the reports too: differing
    # copies of one run, a history behind the clock, a --segment that never judges a model.
    strict_problems: tuple[str, ...] = ()

    def stale_of(self, model: str) -> Stale | None:
        """The model's stale flag, or None when it has kept up with the others."""
        return next((s for s in self.stale if s.model == model), None)

    @property
    def regressed(self) -> tuple[Trend, ...]:
        """The models whose verdict is a regression."""
        return tuple(t for t in self.trends if t.verdict == "regression")

    @property
    def family_false_alarm_rate(self) -> float | None:
        """P(at least one judged model fails on a night with no trend), models independent."""
        known = [r for t in self.trends if (r := t.expected_false_alarm_rate) is not None]
        return 1 - math.prod(1 - r for r in known) if known else None

    @property
    def judged_models(self) -> int:
        """Models with an expected false-alarm rate (the ones a trendless night could fail)."""
        return sum(t.expected_false_alarm_rate is not None for t in self.trends)

    @property
    def regression(self) -> bool:
        """True when at least one model regresses."""
        return bool(self.regressed)

    @property
    def nothing_to_gate(self) -> str | None:
        """Why there is no run to judge at all, or None when there is one."""
        if self.trends:
            return None
        if self.ignored:
            by = self.rules.source or "the rules"
            return f"every model in {self.results_dir} is ignored by {by}"
        if not self.skipped:
            return f"no result files (*.json) in {self.results_dir}"
        n = len(self.skipped)
        every = "the 1 file was" if n == 1 else f"all {n} files were"
        return f"no readable run in {self.results_dir}: {every} skipped"


@dataclass(frozen=True)
class Backtest:
    """The gate replayed over each model's history, beside today's analysis."""

    analysis: Analysis
    replays: tuple[Replay, ...]
    stops: tuple[Stop, ...] = ()  # when each series would have been flagged stale
