"""Operating points of the gate, measured by running its own judging code on simulated series.

Usage: nice -n 10 python bench/operating_points.py [--series 4000] [--seed 16]

Every series is 30 nightly runs of one model with independent normal run-to-run noise (sd 4.3
points, the spread of a real PinchBench model, or 2.0), seeded per table cell. Each is judged
by trendgate.judge.trend (rule_on for the verdict, judge where the reported evidence is measured),
exactly as the gate judges a results directory, and the tables count the verdicts. Prints the
Markdown tables of docs/statistics.md; 4,000 series a cell take about five minutes on one core.
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import replace

from trendgate.judge import stats
from trendgate.judge.trend import Ruling, rule_on, judge
from trendgate.model import Run, Series
from trendgate.settings import Settings

HISTORY = 30
SD = 4.3
WINDOWS = (5, 10, 13, 15)
DRIFTS = (-0.5, -1.0, -1.5, -2.0)
MODELS = 20
GATES = {
    "default": Settings(),
    "--confidence 0.95": Settings(confidence=0.95),
    "--confidence 0.95 --noise-runs 30": Settings(confidence=0.95, noise_runs=30),
}

Scores = Callable[[random.Random], list[float]]


def flat(sd: float = SD, rho: float = 0.0) -> Scores:
    """No trend; AR(1) noise with autocorrelation rho (0: independent runs)."""

    def scores(rng: random.Random) -> list[float]:
        out, e = [], rng.gauss(0, sd)
        for _ in range(HISTORY):
            out.append(70 + e)
            e = rho * e + rng.gauss(0, sd * (1 - rho * rho) ** 0.5)
        return out

    return scores


def drift(slope: float, last: int = HISTORY, sd: float = SD) -> Scores:
    """A linear drift over the last `last` runs (the whole history by default)."""
    start = HISTORY - last

    def scores(rng: random.Random) -> list[float]:
        return [70 + slope * max(0, i - start + 1) + rng.gauss(0, sd) for i in range(HISTORY)]

    return scores


def bad_night(drop: float = 15.0, slope: float = 0.0) -> Scores:
    """A trend (none by default) whose latest run alone is `drop` points low."""

    def scores(rng: random.Random) -> list[float]:
        ys = drift(slope)(rng)
        ys[-1] -= drop
        return ys

    return scores


def step(size: float, at: int) -> Scores:
    """Flat, then a jump of `size` points from run index `at` on."""

    def scores(rng: random.Random) -> list[float]:
        return [70 + (size if i >= at else 0.0) + rng.gauss(0, SD) for i in range(HISTORY)]

    return scores


def series(scores: Sequence[float]) -> Series:
    """One model's runs, a day apart, with the given scores."""
    runs = tuple(
        Run(f"{i:04d}.json", "m", f"{i:04d}", 1.7e9 + i * 86_400, s, (), None, None, None, ())
        for i, s in enumerate(scores)
    )
    return Series("m", runs)


def simulate(make: Scores, label: str, count: int, seed: int) -> list[Series]:
    """`count` series from one seeded generator per cell, so every gate sees the same series."""
    rng = random.Random(f"{seed}:{label}")
    return [series(make(rng)) for _ in range(count)]


def share(judged: Sequence[Ruling], status: str) -> float:
    """Percentage of verdicts with this status."""
    return 100 * sum(j.verdict == status for j in judged) / len(judged)


def guard_blocked(j: Ruling, settings: Settings) -> bool:
    """A verdict the single-run guard turned from regression into inconclusive."""
    if j.verdict != "inconclusive" or j.influence is None or j.influence.regression_without:
        return False
    assert j.fit is not None and j.noise is not None and settings.confidence is not None
    return stats.interval(j.fit, j.noise, settings.confidence)[1] < 0


def operating_table(count: int, seed: int, sd: float) -> list[str]:
    """False alarms per model-night and for 20 models, detection by drift, flat improving."""
    flats = simulate(flat(sd), f"flat{sd}", count, seed)
    drifts = {d: simulate(drift(d, sd=sd), f"drift{d}:{sd}", count, seed) for d in DRIFTS}
    lines = [
        f"| window | gate | flat fails | ≥1 of {MODELS} flat fails | "
        + " | ".join(f"{d:+.1f}/run caught" for d in DRIFTS)
        + " | flat called improving |",
        "|---|---|--:|--:|" + "--:|" * len(DRIFTS) + "--:|",
    ]
    for window in WINDOWS:
        for name, gate in GATES.items():
            settings = replace(gate, window=window)
            on_flat = [rule_on(s, settings) for s in flats]
            alarm = share(on_flat, "regression")
            family = 100 * (1 - (1 - alarm / 100) ** MODELS)
            caught = [
                share([rule_on(s, settings) for s in drifts[d]], "regression") for d in DRIFTS
            ]
            lines.append(
                f"| {window} | `{name}` | {alarm:.1f} | {family:.1f} | "
                + " | ".join(f"{c:.1f}" for c in caught)
                + f" | {share(on_flat, 'improving'):.1f} |"
            )
    return lines


TARGETS = (
    ("flat: fails", flat(), "regression", "≤ 3"),
    ("-1.5/run over all 30 runs: caught", drift(-1.5), "regression", "≥ 88"),
    ("-1.5/run over the last 10 runs only: caught", drift(-1.5, last=10), "regression", "≥ 88"),
    ("flat, latest run 15 points low: fails", bad_night(), "regression", "≤ 5"),
    ("flat: called improving", flat(), "improving", "≤ 5"),
)


def target_table(count: int, seed: int) -> list[str]:
    """The issue's targets at windows 13 and 10, with the window's noise and the history's."""
    cells = [(w, n) for w in (13, 10) for n in (None, 30)]
    lines = [
        "| scenario (30 runs, sd 4.3) | target at window 13 | "
        + " | ".join(
            f"window {w}{', noise-runs ' + str(n) if n else ''}: % (no guard)" for w, n in cells
        )
        + " |",
        "|---|--:|" + "--:|" * len(cells),
    ]
    for label, make, status, target in TARGETS:
        made = simulate(make, label, count, seed)
        row = []
        for window, noise_runs in cells:
            settings = Settings(window=window, confidence=0.95, noise_runs=noise_runs)
            judged = [rule_on(s, settings) for s in made]
            measured = share(judged, status)
            if status == "regression":
                blocked = 100 * sum(guard_blocked(j, settings) for j in judged) / count
                row.append(f"{measured:.1f} ({measured + blocked:.1f})")
            else:
                row.append(f"{measured:.1f}")
        lines.append(f"| {label} | {target} | " + " | ".join(row) + " |")
    return lines


def rate_table(count: int, seed: int) -> list[str]:
    """Mean reported expected_false_alarm_rate against the measured rate on flat series."""
    lines = [
        "| sd | window | gate | measured false alarms | mean expected_false_alarm_rate "
        "| difference (target ≤ 3 default, ≤ 1.5 confidence) |",
        "|--:|--:|---|--:|--:|--:|",
    ]
    for sd in (2.0, SD):
        made = simulate(flat(sd), f"rate{sd}", count, seed)
        for window in (10, 13):
            for name in ("default", "--confidence 0.95"):
                settings = replace(GATES[name], window=window)
                trends = [judge(s, settings) for s in made]
                measured = 100 * sum(t.verdict == "regression" for t in trends) / count
                rates = [t.expected_false_alarm_rate for t in trends]
                mean = 100 * sum(r for r in rates if r is not None) / count
                lines.append(
                    f"| {sd} | {window} | `{name}` | {measured:.2f} | {mean:.2f} "
                    f"| {mean - measured:+.2f} |"
                )
    return lines


def step_table(count: int, seed: int) -> list[str]:
    """How often a step is reported: on pure noise, on a true drift, on a true step."""
    cases = (
        ("no trend", flat()),
        ("drift -1.5/run", drift(-1.5)),
        ("step of -13 points (3 sd) at the window's middle", None),
    )
    lines = [
        "| series (sd 4.3) | window 10: % with a step | window 13: % with a step |",
        "|---|--:|--:|",
    ]
    for label, make in cases:
        row = []
        for window in (10, 13):
            made = simulate(
                make or step(-13.0, HISTORY - window // 2), f"{label}{window}", count, seed
            )
            found = 0
            for s in made:
                ys = [r.score_pct for r in s.runs[-window:]]
                xs = [float(i) for i in range(window)]
                found += stats.step_or_drift(xs, ys) is not None
            row.append(f"{100 * found / count:.1f}")
        lines.append(f"| {label} | " + " | ".join(row) + " |")
    return lines


def autocorrelation_table(count: int, seed: int) -> list[str]:
    """False alarms when runs are not independent: AR(1) noise."""
    lines = [
        "| autocorrelation | window | default: flat fails | --confidence 0.95: flat fails |",
        "|--:|--:|--:|--:|",
    ]
    for rho in (0.0, 0.3, 0.5):
        made = simulate(flat(rho=rho), f"ar{rho}", count, seed)
        for window in (10, 13):
            cells = [
                share([rule_on(s, replace(GATES[g], window=window)) for s in made], "regression")
                for g in ("default", "--confidence 0.95")
            ]
            lines.append(f"| {rho} | {window} | {cells[0]:.1f} | {cells[1]:.1f} |")
    return lines


def main() -> None:
    """Print every table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--series", type=int, default=4000, help="series per cell")
    parser.add_argument("--seed", type=int, default=16)
    args = parser.parse_args()
    started = time.perf_counter()
    sections: tuple[tuple[str, Callable[[], list[str]]], ...] = (
        (f"Operating points, sd {SD}", lambda: operating_table(args.series, args.seed, SD)),
        ("Operating points, sd 2.0", lambda: operating_table(args.series, args.seed, 2.0)),
        ("Targets, --confidence 0.95", lambda: target_table(args.series, args.seed)),
        ("Reported false-alarm rate", lambda: rate_table(args.series // 2, args.seed)),
        ("Step or drift", lambda: step_table(args.series, args.seed)),
        ("Autocorrelated runs", lambda: autocorrelation_table(args.series, args.seed)),
    )
    for title, table in sections:
        print(f"### {title}\n")
        print("\n".join(table()) + "\n", flush=True)
    print(
        f"_{args.series} series a cell ({args.series // 2} for the reported rate), "
        f"seed {args.seed}, {time.perf_counter() - started:.0f} s._"
    )


if __name__ == "__main__":
    main()
