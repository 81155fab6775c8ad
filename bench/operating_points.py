"""Operating points of the default gate, measured by running trendgate's own judging code.

Usage: nice -n 10 python bench/operating_points.py [--series 11000] [--seed 24]

Every series is 30 nightly runs of one model with normal run-to-run noise (sd 4.3 points, the
spread of a real PinchBench model), judged by trendgate.judge.trend.rule_on night by night on
each prefix, exactly as the gate judges a results directory after each run. The family is 20
models run once a day, so the default budget of 1 false alarm a month is a level of
1 / (20 * 365.25 / 12) a model-night, and each night the family is pooled over the 20 models'
runs so far, as trendgate pools it (judge/pooled.py): the flat histories
are families of 20 themselves, a history with a signal sits among 19 flat ones. Prints the
Markdown tables of docs/statistics.md; the defaults (11,000 flat histories: 10,842
model-months) take about ten minutes on one core.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from trendgate.judge import autocorrelation
from trendgate.judge.trend import rule_on
from trendgate.model import Run, Series
from trendgate.report.budget_line import expected_false_alarms
from trendgate.settings import Family, Pooled, Settings, budget_settings

HISTORY = 30
SD = 4.3
MODELS = 20
MONTH = 365.25 / 12
FAMILY = Family(MODELS, 1.0)
DEFAULT = budget_settings(family=FAMILY)
PROPOSAL = Settings(rule="proposal")

Scores = Callable[[random.Random], list[float]]


def flat(rho: float = 0.0) -> Scores:
    """No trend; AR(1) noise with autocorrelation rho (0: independent runs)."""

    def scores(rng: random.Random) -> list[float]:
        out, e = [], rng.gauss(0, SD)
        for _ in range(HISTORY):
            out.append(70 + e)
            e = rho * e + rng.gauss(0, SD * (1 - rho * rho) ** 0.5)
        return out

    return scores


def drift(slope: float, last: int = HISTORY) -> Scores:
    """A linear drift over the last `last` runs (the whole history by default)."""
    start = HISTORY - last
    return lambda rng: [
        70 + slope * max(0, i - start + 1) + rng.gauss(0, SD) for i in range(HISTORY)
    ]


def bad_night(drop: float = 15.0) -> Scores:
    """No trend, the latest run alone `drop` points low."""
    return lambda rng: [
        70 + rng.gauss(0, SD) - (drop if i == HISTORY - 1 else 0) for i in range(HISTORY)
    ]


def stepped(size: float, at: int = 20) -> Scores:
    """Flat, then `size` points lower from run index `at` on, for good."""
    return lambda rng: [70 + (size if i >= at else 0.0) + rng.gauss(0, SD) for i in range(HISTORY)]


@dataclass(frozen=True)
class Model:
    """One model's history and, night by night, its family pooled."""

    series: Series
    pooled: tuple[Pooled, ...]  # after run k: pooled[k - 1]


def mixed_family(count: int, seed: int) -> list[list[float]]:
    """Families of MODELS: the first half of each AR(1) at rho 0.3, the others independent."""
    rng = random.Random(f"{seed}:mixed")
    half = MODELS // 2
    return [(flat(0.3) if i % MODELS < half else flat())(rng) for i in range(count)]


def series(scores: Sequence[float]) -> Series:
    """One model's runs, a day apart, with the given scores."""
    runs = tuple(
        Run(f"{i:04d}.json", "m", f"{i:04d}", 1.7e9 + i * 86_400, s, (), None, None, None, ())
        for i, s in enumerate(scores)
    )
    return Series("m", runs)


def shares(scores: Sequence[float]) -> list[Pooled]:
    """A model's share of the family's estimate after each run (of its look-back)."""
    depth = DEFAULT.look_back
    return [
        autocorrelation.share(autocorrelation.lags(scores[max(0, k - depth) : k]))
        for k in range(1, len(scores) + 1)
    ]


def pooled(members: Sequence[list[Pooled]]) -> tuple[Pooled, ...]:
    """The family pooled after each night, from its members' shares."""
    out = []
    for k in range(HISTORY):
        total = Pooled()
        for member in members:
            total = total + member[k]
        out.append(total)
    return tuple(out)


def families(made: Sequence[list[float]], mates: Sequence[list[float]] = ()) -> list[Model]:
    """The histories as families of MODELS; with `mates` (flat histories), each one sits among
    MODELS - 1 of them instead."""
    own = [shares(scores) for scores in made]
    if mates:
        others = [shares(scores) for scores in mates]
        groups = len(others) // (MODELS - 1)
        out = []
        for i, (scores, share) in enumerate(zip(made, own, strict=True)):
            g = i % groups
            rho = pooled([share, *others[g * (MODELS - 1) : (g + 1) * (MODELS - 1)]])
            out.append(Model(series(scores), rho))
        return out
    out = []
    for start in range(0, len(made) - MODELS + 1, MODELS):
        rho = pooled(own[start : start + MODELS])
        out += [Model(series(scores), rho) for scores in made[start : start + MODELS]]
    return out


def simulate(make: Scores, label: str, count: int, seed: int) -> list[list[float]]:
    """`count` histories' scores from one seeded generator per scenario."""
    rng = random.Random(f"{seed}:{label}")
    return [make(rng) for _ in range(count)]


def night(m: Model, k: int, settings: Settings) -> str:
    """The verdict after the k-th run, with the family pooled as of that night (each model's
    tests allow for the others' autocorrelation)."""
    if settings.family is not None:
        settings = replace(settings, family=replace(settings.family, pooled=m.pooled[k - 1]))
    return rule_on(Series(m.series.model, m.series.runs[:k]), settings).verdict


def alarms(made: Sequence[Model], settings: Settings) -> tuple[float, float, float]:
    """False alarms a month across MODELS models, its standard error, nights per episode.

    Every night of every history is judged; the standard error comes from the histories'
    own counts, since alarms on consecutive nights of one history are not independent.
    """
    counts, episodes = [], 0
    for s in made:
        failed = [night(s, k, settings) == "regression" for k in range(1, HISTORY + 1)]
        counts.append(sum(failed))
        episodes += sum(f and not (i and failed[i - 1]) for i, f in enumerate(failed))
    scale = MODELS * MONTH / HISTORY
    mean = statistics.fmean(counts) * scale
    se = statistics.stdev(counts) / len(counts) ** 0.5 * scale
    return mean, se, sum(counts) / max(1, episodes)


def share(made: Sequence[Model], status: str, settings: Settings = DEFAULT) -> float:
    """Percentage of series whose verdict after their last run is `status`."""
    return 100 * sum(night(s, HISTORY, settings) == status for s in made) / len(made)


def delays(made: Sequence[Model], start: int = 20) -> list[int]:
    """For each series, the night (1 = the first run after the step) the gate first fails."""
    out = []
    for s in made:
        first = next(
            (
                k
                for k in range(1, HISTORY - start + 1)
                if night(s, start + k, DEFAULT) == "regression"
            ),
            HISTORY,
        )
        out.append(first)
    return out


def main() -> None:
    """Print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--series", type=int, default=11_000, help="flat histories")
    parser.add_argument("--seed", type=int, default=24)
    args = parser.parse_args()
    started = time.perf_counter()
    n, small = args.series, max(100, args.series // 5)
    stated = expected_false_alarms(DEFAULT)
    assert stated is not None
    print(f"Default gate: {DEFAULT.window} runs, level {DEFAULT.level:.6f} a model-night\n")
    print("| scenario (30 nightly runs, sd 4.3, 20 models) | target | measured |")
    print("|---|--:|--:|")
    n, small = n - n % MODELS, small - small % MODELS  # whole families
    mates = simulate(flat(), "mates", 50 * (MODELS - 1), args.seed)
    flats = families(simulate(flat(), "flat", n, args.seed))
    mean, se, episode = alarms(flats, DEFAULT)
    months = n * HISTORY / MONTH
    print(
        f"| false alarms a month across 20 flat models ({months:,.0f} model-months) | ≤ 1.5 | "
        f"{mean:.2f} ± {se:.2f} |"
    )
    print(
        f"| stated family rate (budget line) against measured | within 20 % or 2 SE | "
        f"{stated:.2f} ({100 * (mean / stated - 1):+.0f} %) |"
    )
    print(f"| nights per false-alarm episode | about 1.3 | {episode:.2f} |")
    for rho in (0.3, 0.5):
        made = families(simulate(flat(rho), f"ar{rho}", small, args.seed))
        ar_mean, ar_se, _ = alarms(made, DEFAULT)
        target = "≤ 2 (twice the budget)" if rho == 0.3 else "report"
        print(f"| AR(1) rho {rho}: false alarms a month | {target} | {ar_mean:.2f} ± {ar_se:.2f} |")
    mixed = families(mixed_family(small, args.seed))
    half = MODELS // 2
    ar_part, _, _ = alarms([m for i, m in enumerate(mixed) if i % MODELS < half], DEFAULT)
    plain, _, _ = alarms([m for i, m in enumerate(mixed) if i % MODELS >= half], DEFAULT)
    print(
        f"| mixed family, {half} AR(1) rho 0.3 and {MODELS - half} independent: false alarms a "
        f"month (the AR ones, the others) | report | {(ar_part + plain) / 2:.2f} "
        f"({ar_part / 2:.2f}, {plain / 2:.2f}) |"
    )
    last = families(simulate(flat(), "flat-last", small, args.seed))
    print(f"| flat: called improving (after run 30) | ≤ 5 % | {share(last, 'improving'):.1f} % |")
    for label, make, target in (
        ("drift -1.5/run over all 30 runs: caught", drift(-1.5), "≥ 88 %"),
        ("drift -1.5/run over the last 10 runs only: caught", drift(-1.5, 10), "≥ 85 %"),
        ("drift -1.0/run over all 30 runs: caught", drift(-1.0), "report"),
        ("flat, latest run 15 points low: fails", bad_night(), "≤ 5 %"),
    ):
        made = families(simulate(make, label, small, args.seed), mates)
        print(f"| {label} | {target} | {share(made, 'regression'):.1f} % |")
    for size, within, percent in ((-17.0, 3, 90), (-13.0, 5, 90), (-43.0, 2, 99)):
        found = delays(families(simulate(stepped(size), f"step{size}", small, args.seed), mates))
        caught = 100 * sum(d <= within for d in found) / len(found)
        print(
            f"| lasting step of {size:+.0f} points: caught within {within} nights "
            f"(median night) | ≥ {percent} % | {caught:.1f} % ({statistics.median(found):g}) |"
        )
    proposal, proposal_se, _ = alarms(flats[:small], PROPOSAL)
    print(
        f"| `--rule proposal`: false alarms a month across 20 flat models | (reference) | "
        f"{proposal:.1f} ± {proposal_se:.1f} |"
    )
    print(
        f"\n_{n:,} flat histories ({small:,} for every other row), seed {args.seed}, "
        f"{time.perf_counter() - started:.0f} s._"
    )


if __name__ == "__main__":
    main()
