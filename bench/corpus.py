"""Write realistic PinchBench v2 result directories: 147 tasks, the real key order, judge notes.

Deterministic: the same arguments give the same bytes. A file is about 250 KB, as a real
v2.0.0 run is (see ../shared/research/pinchbench-format.md, sections 3 and 3.6).
"""

from __future__ import annotations

import os
import random
from pathlib import Path
from typing import Any

from examples import pinchbench
from examples.pinchbench import file_name, file_text, task_entry

START = 1_746_489_600.0  # 2025-05-06T00:00:00Z, so a 500-night corpus ends in 2026
DAY = 86_400.0
# The v2.0.0 manifest: category and its task count (147 in all).
CATEGORIES = {
    "productivity": 8,
    "research": 12,
    "writing": 6,
    "coding": 14,
    "analysis": 12,
    "csv_analysis": 26,
    "log_analysis": 30,
    "meeting_analysis": 28,
    "memory": 2,
    "skills": 6,
    "integrations": 3,
}
VENDORS = ("anthropic", "openai", "google", "qwen", "meta-llama", "mistralai", "deepseek", "x-ai")
NOTE_TEXT = (
    "the agent parsed the log file correctly but missed two error bursts in the second half of "
    "the window and did not cite line numbers; its summary was clear, well structured and "
    "mostly accurate, though the recommendation section repeated the findings instead of "
    "prioritising them. Stakeholders (NTIA, DoD) were named; \u201cconflicts\u201d were shallow"
)


def models(count: int) -> list[str]:
    """`count` distinct OpenRouter-style model names."""
    return [
        f"openrouter/{VENDORS[i % len(VENDORS)]}/model-{i:02d}.{i % 3}" + (":free" * (i % 5 == 4))
        for i in range(count)
    ]


def _tasks() -> list[tuple[str, str, str]]:
    kinds = ["hybrid"] * 101 + ["automated"] * 25 + ["llm_judge"] * 21
    random.Random(7).shuffle(kinds)
    names = [(cat, i) for cat, n in CATEGORIES.items() for i in range(n)]
    return [(f"task_{cat}_{i:02d}", cat, kinds[k]) for k, (cat, i) in enumerate(names)]


TASKS = _tasks()


def _notes(rng: random.Random) -> str:
    words = NOTE_TEXT.split()
    return " ".join(rng.choice(words) for _ in range(rng.randint(8, 30))).capitalize() + "."


def _breakdown(rng: random.Random, grading_type: str, score: float) -> dict[str, float]:
    keys: list[str] = []
    if grading_type in ("automated", "hybrid"):
        keys += [f"automated.check_{k}" for k in range(rng.randint(1, 4))]
    if grading_type in ("llm_judge", "hybrid"):
        keys += [f"llm_judge.Criterion {k} Quality" for k in range(4)]
    if grading_type == "automated":
        keys = [k.removeprefix("automated.") for k in keys]
    return {k: round(min(1.0, max(0.0, score + rng.uniform(-0.3, 0.3))), 2) for k in keys}


def _task(rng: random.Random, run_id: str, task: tuple[str, str, str], level: float) -> Any:
    task_id, category, grading_type = task
    score = round(min(1.0, max(0.0, level + rng.gauss(0, 0.15))), 4)
    status = "timeout" if rng.random() < 0.02 else "success"
    tokens = rng.randint(2_000, 90_000)
    # Keyword arguments are evaluated in order: this is the order of the draws from `rng`.
    return task_entry(
        task_id,
        score,
        category=category,
        status=status,
        grading_type=grading_type,
        breakdown=_breakdown(rng, grading_type, score),
        notes="" if grading_type == "automated" else _notes(rng),
        execution_time=round(rng.uniform(5, 180), 6),
        transcript_length=rng.randint(4, 40),
        usage={
            "input_tokens": tokens * 9 // 10,
            "output_tokens": tokens // 10,
            "cache_read_tokens": 0,
            "cache_write_tokens": 0,
            "total_tokens": tokens,
            "cost_usd": round(tokens * 3e-6, 6),
            "request_count": rng.randint(1, 12),
        },
        run_id=run_id,
        name=task_id.replace("_", " ").title(),
        timeout_seconds=180,
        grading_weights={"automated": 0.5, "llm_judge": 0.5} if grading_type == "hybrid" else None,
        workspace_files=[{"source": f"{category}/input.md", "dest": "input.md"}],
    )


def result_document(model: str, run_id: str, timestamp: float, level: float, seed: int) -> Any:
    """One final v2.0.0 result file, keys in the order benchmark.py writes them."""
    rng = random.Random(seed)
    tasks = [_task(rng, run_id, t, level) for t in TASKS]
    categories: dict[str, Any] = {}
    for t in tasks:
        c = categories.setdefault(t["category"].upper(), {"score": 0.0, "n": 0})
        c["score"] += t["grading"]["mean"]
        c["n"] += 1
    total_tokens = sum(t["usage"]["total_tokens"] for t in tasks)
    total_cost = sum(t["usage"]["cost_usd"] for t in tasks)
    score_sum = sum(t["grading"]["mean"] for t in tasks)
    return pinchbench.result_document(
        model,
        run_id,
        timestamp,
        tasks,
        category_scores={
            name: {
                "score": round(c["score"], 6),
                "max_score": float(c["n"]),
                "pct": round(c["score"] / c["n"] * 100, 1),
                "task_count": c["n"],
            }
            for name, c in categories.items()
        },
        efficiency={
            "total_tokens": total_tokens,
            "total_input_tokens": sum(t["usage"]["input_tokens"] for t in tasks),
            "total_output_tokens": sum(t["usage"]["output_tokens"] for t in tasks),
            "total_cost_usd": round(total_cost, 6),
            "total_requests": sum(t["usage"]["request_count"] for t in tasks),
            "total_execution_time_seconds": round(sum(t["execution_time"] for t in tasks), 2),
            "tasks_with_usage_data": len(tasks),
            "tokens_per_task": round(total_tokens / len(tasks), 1),
            "cost_per_task_usd": round(total_cost / len(tasks), 6),
            "score_per_1k_tokens": round(score_sum / (total_tokens / 1000), 6),
            "score_per_dollar": round(score_sum / total_cost, 4),
            "per_task": [
                {
                    "task_id": t["task_id"],
                    "score": round(t["grading"]["mean"], 4),
                    "total_tokens": t["usage"]["total_tokens"],
                    "cost_usd": t["usage"]["cost_usd"],
                    "tokens_per_score_point": round(
                        t["usage"]["total_tokens"] / max(t["grading"]["mean"], 1e-9), 1
                    ),
                }
                for t in tasks
            ],
        },
    )


def write_corpus(out: Path, files: int, model_count: int = 20) -> list[Path]:
    """Write `files` runs, one night of `model_count` models after another, into `out`.

    Runs already present (same name) are kept, so a larger corpus reuses a smaller one's
    bytes through hard links made by the caller.
    """
    out.mkdir(parents=True, exist_ok=True)
    names = models(model_count)
    paths = []
    for n in range(files):
        night, index = divmod(n, model_count)
        model = names[index]
        run_id = f"{n + 1:04d}"
        path = out / file_name(run_id, model)
        paths.append(path)
        if path.exists():
            continue
        level = 0.75 - 0.02 * (index % 4 == 0) * (night % 30) / 10 + 0.01 * (index % 3)
        timestamp = START + night * DAY + index * 600.0 + (n % 997) / 1000
        doc = result_document(model, run_id, timestamp, level, seed=n)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(file_text(doc))
        os.replace(tmp, path)
    return paths
