"""The whole analysis in one call: discover, load, series, trend."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from trendgate.discover import Discovery, Skipped, discover
from trendgate.load import LoadError, Run, load_run
from trendgate.series import build_series
from trendgate.settings import Settings
from trendgate.trend import Trend, judge


@dataclass(frozen=True)
class Note:
    """Something odd in a file that was still used."""

    path: str
    message: str


@dataclass(frozen=True)
class Analysis:
    """Everything the reports and the gate need, and nothing they must recompute."""

    results_dir: str
    settings: Settings
    files_read: int
    trends: tuple[Trend, ...]
    skipped: tuple[Skipped, ...]
    notes: tuple[Note, ...]
    directory_error: str | None = None

    @property
    def regressed(self) -> tuple[Trend, ...]:
        """The models whose verdict is a regression."""
        return tuple(t for t in self.trends if t.status == "regression")

    @property
    def regression(self) -> bool:
        """True when at least one model regresses."""
        return bool(self.regressed)

    @property
    def nothing_to_gate(self) -> str | None:
        """Why there is no run to judge at all, or None when there is one."""
        if self.trends:
            return None
        if self.directory_error:
            return self.directory_error
        if not self.skipped:
            return f"no result files (*.json) in {self.results_dir}"
        return f"no readable run in {self.results_dir}: all {len(self.skipped)} files were skipped"


def analyze(
    results_dir: Path, settings: Settings | None = None, *, models: Sequence[str] = ()
) -> Analysis:
    """Read a results directory and judge every model's (or only `models`') recent trend."""
    settings = settings or Settings()
    found = discover(results_dir)
    runs, skipped = _load_all(found)
    return Analysis(
        results_dir=str(results_dir),
        settings=settings,
        files_read=len(runs),
        trends=tuple(judge(s, settings) for s in build_series(runs, models)),
        skipped=skipped,
        notes=tuple(Note(r.path, note) for r in runs for note in r.notes),
        directory_error=found.error,
    )


def _load_all(found: Discovery) -> tuple[list[Run], tuple[Skipped, ...]]:
    runs: list[Run] = []
    skipped = list(found.skipped)
    for name in found.files:
        try:
            runs.append(load_run(found.root, name))
        except LoadError as exc:
            skipped.append(Skipped(name, str(exc)))
    return runs, tuple(sorted(skipped, key=lambda s: s.path))
