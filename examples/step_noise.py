"""How often the step-or-drift test sees a step where there is none, or misses one that is there.

Usage: python examples/step_noise.py   (deterministic: fixed seed; takes a few seconds)
"""

from __future__ import annotations

import random

from trendgate.judge.stats import step_or_drift

TRIALS = 4000


def rate(rng: random.Random, n: int, jump: float) -> float:
    """Share of windows of n runs (unit noise, a `jump` halfway) in which a step is reported."""
    xs = [float(i) for i in range(n)]
    hits = 0
    for _ in range(TRIALS):
        ys = [rng.gauss(0, 1) + (jump if i >= n // 2 else 0.0) for i in range(n)]
        hits += step_or_drift(xs, ys) is not None
    return hits / TRIALS


def main() -> None:
    """Print the rates for a few window lengths."""
    rng = random.Random(2026)
    print("runs  pure noise  jump of 3 noise sd")
    for n in (6, 10, 20):
        print(f"{n:4d}  {rate(rng, n, 0.0):10.1%}  {rate(rng, n, -3.0):18.1%}")


if __name__ == "__main__":
    main()
