"""crossing: the bisection's own answer, from far fewer rates."""

from __future__ import annotations

import math
from collections.abc import Callable

import pytest
from scipy import special

from trendgate.judge.crossing import crossing


def plain_bisection(rate: Callable[[float], float], level: float) -> float:
    """The bisection crossing answers for, a rate at every step."""
    low, high = 0.0, 1.0
    while rate(high) > level:
        low, high = high, 2 * high
    for _ in range(60):
        mid = (low + high) / 2
        if rate(mid) > level:
            low = mid
        else:
            high = mid
        if high - low < 1e-7 * high:
            break
    return high


RATES: dict[str, Callable[[float], float]] = {
    "normal tail": lambda c: 0.5 * special.erfc(c / math.sqrt(2)),
    "cauchy tail": lambda c: 0.5 - math.atan(c) / math.pi,
    "power": lambda c: (1 + c) ** -3,
    "above one": lambda c: 4 / (1 + c) ** 2,  # not a probability: no log(-log rate) near c = 1
}


@pytest.mark.parametrize("name", sorted(RATES))
@pytest.mark.parametrize("level", [0.45, 0.2, 1e-2, 3.3e-4, 1e-6, 1e-9])
def test_crossing_is_the_plain_bisection_to_the_bit_with_fewer_rates(
    name: str, level: float
) -> None:
    asked: list[float] = []

    def rate(c: float) -> float:
        asked.append(c)
        return float(RATES[name](c))

    expected = plain_bisection(RATES[name], level)
    assert crossing(rate, level) == expected
    assert len(asked) < len(_asks(RATES[name], level))


def _asks(rate: Callable[[float], float], level: float) -> list[float]:
    asked: list[float] = []

    def counted(c: float) -> float:
        asked.append(c)
        return rate(c)

    plain_bisection(counted, level)
    return asked


def test_a_level_above_every_rate_bisects_down_to_zero_as_before() -> None:
    def rate(c: float) -> float:
        return 0.5 / (1 + c)

    assert crossing(rate, 0.9) == plain_bisection(rate, 0.9)
