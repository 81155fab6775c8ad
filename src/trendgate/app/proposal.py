"""The RunTrendAnalyzer interface proposed in pinchbench/skill#101, over trendgate's own pipeline.

Code written against that proposal runs unchanged: the same classes, fields, methods and
summary() line. The loading, scoring and slopes are trendgate's (`analysis.analyze`), so a
partial, malformed or hostile file is skipped with its reason in `skipped` instead of
silently bending a score, and a missing results directory raises InputError.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from trendgate.escape import terminal_safe
from trendgate.judge.analysis import analyze
from trendgate.model import Analysis, Run, Skipped, Verdict
from trendgate.report.text import SYMBOLS
from trendgate.settings import DEFAULT_THRESHOLD, DEFAULT_WINDOW, Settings


@dataclass
class RunPoint:
    """One run's score, as the proposal defines it."""

    run_id: str
    timestamp: float
    model: str
    score_pct: float
    task_count: int


@dataclass
class RunTrendReport:
    """The slope over one model's window of runs, as the proposal defines it."""

    model: str
    run_count: int
    window: int
    slope: float  # score points per run; negative means the score is falling
    points: list[RunPoint]
    regression_detected: bool
    regression_threshold: float

    def summary(self) -> str:
        """One line: verdict, model, slope, runs and threshold (control characters escaped)."""
        verdict: Verdict
        if self.regression_detected:
            status = "regression"
        else:
            status = "improving" if self.slope > 0 else "stable"
        # The proposal's own format, `%/run` included, which code written against it may parse.
        return (
            f"{SYMBOLS[status]}: {terminal_safe(self.model)} slope={self.slope:+.2f}%/run "
            f"over last {self.run_count} runs (threshold={self.regression_threshold:+.2f})"
        )


class RunTrendAnalyzer:
    """Trend reports for the runs in a PinchBench results directory, one per model."""

    def __init__(
        self,
        results_dir: str | os.PathLike[str],
        *,
        window: int = DEFAULT_WINDOW,
        regression_threshold: float = DEFAULT_THRESHOLD,
    ) -> None:
        self.results_dir = Path(results_dir)
        self.window = window
        self.regression_threshold = regression_threshold
        self.analysis: Analysis | None = None  # the full result of the latest call
        self._settings()  # reject a bad window or threshold now rather than at first use

    @property
    def skipped(self) -> tuple[Skipped, ...]:
        """The files the latest call could not use, each with its reason."""
        return self.analysis.skipped if self.analysis else ()

    def load_points(self, model: str | None = None) -> dict[str, list[RunPoint]]:
        """Every run of each model (or only `model`), oldest first, keyed by model name."""
        analysis = self._analyze(whole_history=True)
        return {
            s.model: [_point(r) for r in s.runs]
            for s in analysis.series
            if not model or s.model == model
        }

    def analyze(self, model: str | None = None) -> list[RunTrendReport]:
        """A report for each model (or only `model`) with at least two runs, sorted by model."""
        analysis = self._analyze()
        return [
            RunTrendReport(
                model=t.model,
                run_count=t.run_count,
                window=self.window,
                slope=t.slope,
                points=[_point(r) for r in t.runs],
                regression_detected=t.verdict == "regression",
                regression_threshold=self.regression_threshold,
            )
            for t in analysis.trends
            if t.slope is not None and (not model or t.model == model)
        ]

    def _settings(self) -> Settings:
        # min_runs 2: the proposal reports every model with at least two runs.
        return Settings(window=self.window, threshold=self.regression_threshold, min_runs=2)

    def _analyze(self, *, whole_history: bool = False) -> Analysis:
        self.analysis = analyze(self.results_dir, self._settings(), whole_history=whole_history)
        return self.analysis


def _point(run: Run) -> RunPoint:
    # The proposal falls back to the file name's stem for a run without a run_id.
    run_id = run.run_id or PurePosixPath(run.path).stem
    return RunPoint(run_id, run.timestamp, run.model, run.score_pct, run.task_count)
