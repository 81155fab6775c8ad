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

    The bisection's answer is kept to the bit, but its comparisons come from a bracket that
    secant steps narrow first: about 8 rates instead of 26 (a year's site asks for 63
    critical values of the budget's step tests, each rate a 10,000-term integral). Only a
    comparison inside that bracket needs a rate of its own.
    """
    known = _Bracket(rate, level)
    known.narrow()
    low, high = 0.0, 1.0
    while known.exceeds(high):
        low, high = high, 2 * high
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

    def _gap(self, rate: float) -> float:
        """How far `rate` lies above the level, as log(-log level) - log(-log rate): a tail
        that falls as exp(-c^2 / 2) makes that a line of slope -2 in log c, and a t's tail
        (a power of c) one that bends slowly; either way secant steps land close."""
        return math.log(-math.log(self.level)) - math.log(-math.log(rate))

    def narrow(self) -> None:
        """Shrink the bracket around the crossing to NARROW of it: secant steps in log c from
        c = 1 until a rate falls to the level, then the Illinois variant of regula falsi."""
        if not 0 < self.level < 1:
            return  # no log of the level: bisect as is
        if self._rate(1.0) <= self.level:
            self._rate(0.0)  # the bisection's low end
        else:
            self._walk_out()
        (a, rate_a), (b, rate_b) = self.over, self.under
        if not (math.isfinite(a) and math.isfinite(b) and rate_b > 0):
            return  # nothing exceeds the level, or a rate too small for a log: bisect as is
        # Between the ends every rate lies between theirs: below 1 when the upper end's is.
        gap = self._gap if rate_a < 1 else lambda rate: math.log(rate / self.level)
        fa, fb = gap(rate_a), gap(rate_b)
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
            fc = gap(rate)
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

    def _walk_out(self) -> None:
        """From c = 1, whose rate exceeds the level, step up until a rate does not: the first
        step as if the tail were normal's, then secants, each at least 1 % and at most 4x."""
        c, rate = self.over
        previous: tuple[float, float] | None = None
        while self.under[0] == math.inf:
            if not 0 < rate < 1:
                factor = 2.0
            else:
                gap = self._gap(rate)
                slope = -2.0
                if previous is not None:
                    slope = (gap - previous[1]) / (math.log(c) - previous[0])
                factor = math.exp(-gap / slope) if slope < 0 else 4.0
                previous = (math.log(c), gap)
            c *= min(max(factor * 1.001, 1.01), 4.0)
            rate = self._rate(c)
