"""Result documents and directories for tests, built by examples/pinchbench.py."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from examples.pinchbench import file_name, file_text, result_document, task_entry

SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "pinchbench-samples"
REPO = Path(__file__).resolve().parents[1]


def result_doc(
    model: str,
    run_id: str,
    timestamp: float,
    scores: Sequence[float] | dict[str, float],
    **extra: Any,
) -> dict[str, Any]:
    """A whole result document; `scores` are per-task means (a list gets ids task_0, task_1...)."""
    if not isinstance(scores, dict):
        scores = {f"task_{i}": s for i, s in enumerate(scores)}
    tasks = [task_entry(t, s) for t, s in scores.items()]
    return result_document(model, run_id, timestamp, tasks, **extra)


def write_doc(directory: Path, name: str, doc: Any) -> Path:
    """Write `doc` into `directory` as PinchBench writes its files."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text(file_text(doc))
    return path


def write_series(
    directory: Path,
    model: str,
    scores_pct: Sequence[float],
    *,
    start: float = 1_778_000_000.0,
    step: float = 86_400.0,
    first_run: int = 1,
) -> list[Path]:
    """One file per run whose run score is exactly `scores_pct[i]` (a single task)."""
    paths = []
    for i, pct in enumerate(scores_pct):
        run_id = f"{first_run + i:04d}"
        doc = result_doc(model, run_id, start + i * step, [pct / 100])
        paths.append(write_doc(directory, file_name(run_id, model), doc))
    return paths


def hostile_directory(directory: Path) -> None:
    """A declining model whose task ids, category and benchmark version carry markup and breaks."""
    for i, score in enumerate([0.9, 0.8, 0.7]):
        doc = result_doc(
            "m", f"{i:04d}", 1e9 + i * 86_400, [], benchmark_version=f"v{i}\n| <b>@x</b>"
        )
        doc["tasks"] = [
            task_entry("t\n▼ REGRESSION: fake", score, category="<img src=x>|"),
            task_entry("ok", score),
        ]
        write_doc(directory, f"{i}.json", doc)


def with_scores(directory: Path, scores_pct: Sequence[float], settings: Any = None) -> Any:
    """The analysis of one model whose runs score `scores_pct`, absurd ones included.

    The reader refuses a task score outside 0..1, so the runs are read at 50 and given these
    scores afterwards: what a renderer must survive if a bad score ever got through.
    """
    from dataclasses import replace

    from trendgate.judge.analysis import analyze
    from trendgate.judge.trend import judge
    from trendgate.model import Series
    from trendgate.settings import Settings

    settings = settings or Settings()
    write_series(directory, "m", [50] * len(scores_pct))
    analysis = analyze(directory, settings, now=1_778_000_000.0 + len(scores_pct) * 86_400.0)
    runs = tuple(
        replace(r, score_pct=s) for r, s in zip(analysis.series[0].runs, scores_pct, strict=True)
    )
    series = Series("m", runs)
    return replace(analysis, series=(series,), trends=(judge(series, settings),))
