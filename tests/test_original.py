"""trendgate against the original RunTrendAnalyzer proposal (pinchbench/skill#101).

`proposal_verdicts` restates that proposal's arithmetic as an independent oracle: per file,
the sum of `grading.mean` over task entries divided by the entry count, times 100; runs
sorted by timestamp; `statistics.linear_regression` over the last `window` run indices;
regression when the slope is below the threshold. On every directory the proposal can
read, trendgate must give the same slopes (to 1e-9) and verdicts.
"""

from __future__ import annotations

import json
import random
import statistics
from pathlib import Path

import pytest

from tests.builders import result_doc, task_entry, write_doc
from trendgate.judge.analysis import analyze
from trendgate.settings import Settings


def proposal_verdicts(
    directory: Path, window: int, threshold: float
) -> dict[str, tuple[float, bool]]:
    by_model: dict[str, list[tuple[float, float]]] = {}
    for path in directory.glob("*.json"):
        data = json.loads(path.read_text())
        entries = data["tasks"]
        total = sum(e["grading"]["mean"] for e in entries if "grading" in e)
        by_model.setdefault(data["model"], []).append(
            (data["timestamp"], total / len(entries) * 100)
        )
    verdicts = {}
    for model, points in by_model.items():
        points.sort(key=lambda p: p[0])
        ys = [score for _, score in points[-window:]]
        if len(ys) >= 2:
            slope = statistics.linear_regression(list(range(len(ys))), ys).slope
            verdicts[model] = (slope, slope < threshold)
    return verdicts


def random_directory(directory: Path, rng: random.Random) -> None:
    timestamps = rng.sample(range(1_770_000_000, 1_790_000_000), 60)
    for i in range(rng.randint(1, 60)):
        model = rng.choice(["a/x-1", "b/y-2:free", "c", "agent:main"])
        n_tasks = rng.randint(1, 8)
        repeats = rng.choice([1, 1, 3])
        doc = result_doc(
            model, f"{i:04d}", timestamps[i] + rng.random(), [0.0], runs_per_task=repeats
        )
        doc["tasks"] = [
            task_entry(f"t{t}", score)
            for t in range(n_tasks)
            for score in [round(rng.random(), 4)]
            for _ in range(repeats)
        ]
        write_doc(directory, f"{i:04d}_{model.replace('/', '-')}.json", doc)


@pytest.mark.parametrize("seed", range(30))
def test_same_slopes_and_verdicts_as_the_proposal(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    random_directory(tmp_path, rng)
    window = rng.randint(2, 12)
    threshold = rng.choice([-0.5, -2.0, 0.0, -5.0])
    expected = proposal_verdicts(tmp_path, window, threshold)
    analysis = analyze(tmp_path, Settings(window=window, threshold=threshold))
    judged = {t.model: t for t in analysis.trends if t.slope is not None}
    assert judged.keys() == expected.keys()
    for model, (slope, regressed) in expected.items():
        assert judged[model].slope == pytest.approx(slope, abs=1e-9)
        assert (judged[model].verdict == "regression") == regressed


def test_partial_files_do_not_count(tmp_path: Path) -> None:
    # The proposal reads a killed run's partial file as a finished run with a low score.
    for i, score in enumerate([0.8, 0.8, 0.8]):
        write_doc(tmp_path, f"{i}.json", result_doc("m", f"{i:04d}", 1.0e9 + i, [score]))
    write_doc(
        tmp_path,
        "3.json",
        result_doc("m", "0003", 1.0e9 + 3, [0.1], in_progress=True, completed_tasks=1),
    )
    (trend,) = analyze(tmp_path).trends
    assert trend.verdict == "stable"
    assert trend.run_count == 3
