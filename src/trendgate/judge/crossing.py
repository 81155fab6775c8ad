"""Where a falling function crosses a level: a bisection whose comparisons a bracket answers."""

from __future__ import annotations

import math
from collections.abc import Callable

# The bracket is narrowed to this much of c: far finer than the bisection's 1e-7, so a midpoint
# rarely lands inside it, and far coarser than the noise of a rate summed over 10,000 terms.
NARROW = 1e-9


def crossing(rate: Callable[[float], float], level: float) -> float:
    """The c >= 0 at which `rate` (falling as c grows) falls to `level`: the upper end of a
    bisection, doubling from 1, stopped at 1e-7 of c.

    The bisection's answer is kept to the bit, but its comparisons come from a bracket that a
    regula falsi narrows first: about 10 rates instead of 26 (a year's site asks for 63
    critical values of the budget's step tests, each rate a 10,000-term integral). Only a
    midpoint inside that bracket needs a rate of its own.
    """
    known = _Bracket(rate, level)
    low, high = 0.0, 1.0
    while known.exceeds(high):
        low, high = high, 2 * high
    known.narrow()
    for _ in range(60):
        mid = (low + high) / 2
        if known.exceeds(mid):
            low = mid
        else:
            high = mid
        if high - low < 1e-7 * high:
            break
    return high


class _Bracket:
    """rate(c) > level, from the nearest rates computed so far.

    The rate falls as c grows: a c at or below one whose rate exceeded the level exceeds it
    too, and one at or above a c whose rate did not, does not.
    """

    def __init__(self, rate: Callable[[float], float], level: float) -> None:
        self.rate, self.level = rate, level
        self.over = (-math.inf, math.inf)  # (c, rate): the largest c with a rate above the level
        self.under = (math.inf, 0.0)  # the smallest c with a rate at or below it

    def exceeds(self, c: float) -> bool:
        """Whether rate(c) > level."""
        if c <= self.over[0]:
            return True
        if c >= self.under[0]:
            return False
        return self._rate(c) > self.level

    def _rate(self, c: float) -> float:
        rate = self.rate(c)
        if rate > self.level:
            self.over = (c, rate)
        else:
            self.under = (c, rate)
        return rate

    def narrow(self) -> None:
        """Shrink the bracket around the crossing to NARROW of it, by the Illinois variant of
        regula falsi on log(rate / level), in log c (a t's tail falls as a power of c)."""
        if self.over[0] == -math.inf:
            self._rate(0.0)  # the bisection's low end, never computed when c = 1 was enough
        (a, rate_a), (b, rate_b) = self.over, self.under
        if not (math.isfinite(a) and rate_b > 0):
            return  # nothing exceeds the level, or a rate too small for a log: bisect as is
        fa, fb = math.log(rate_a / self.level), math.log(rate_b / self.level)
        side = 0
        for _ in range(40):
            if b - a <= NARROW * b:
                return
            if a > 0:
                c = b * math.exp(-fb * math.log(b / a) / (fb - fa))
            else:
                c = b - fb * (b - a) / (fb - fa)
            # A step at least a third of the width wanted from either end: once one end sits
            # on the crossing, a plain step would land on it again and again.
            least = NARROW * b / 3
            c = min(max(c, a + least), b - least) if c == c else (a + b) / 2
            rate = self._rate(c)
            if rate <= 0:
                return
            fc = math.log(rate / self.level)
            if rate > self.level:
                a, fa = c, fc
                if side == -1:
                    fb /= 2  # Illinois: the end kept twice counts half
                side = -1
            else:
                b, fb = c, fc
                if side == 1:
                    fa /= 2
                side = 1
