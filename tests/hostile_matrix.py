"""Issue 23's hostile-file matrix: a declining model plus one hostile file, under every flag set.

One definition for both of its runs, so that they cannot drift: tests/test_fail_closed.py runs
it through the command in this process, tests/e2e/container.py through the built image's own
`trendgate` and its Action entrypoint. The corpus is tests/test_hostile_files.py's SKIPPED (every
file the reader must skip) and the files below that are read or refused later.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.builders import result_doc, write_doc, write_series
from tests.test_hostile_files import SKIPPED

DAY = 86_400.0
START = 1_778_000_000.0  # 2026-05-05T16:53:20Z, the first night of every series here
SCORES = [90, 85, 80, 75, 70, 65]  # a clear decline: -5 points a night
RULE = ("--window", "6", "--threshold", "-0.5")
# "Now" for the clock rules: the day after the sixth night (2026-05-11T16:53:20Z).
NOW = START + 6 * DAY
CLOCK = {"SOURCE_DATE_EPOCH": str(int(NOW))}

Maker = Callable[[Path], object]


def declining(results: Path, model: str = "acme/falling", **kw: Any) -> list[Path]:
    """The six nights of the declining model."""
    return write_series(results, model, SCORES, **kw)


def night(model: str, n: int, scores: list[float], **extra: Any) -> dict[str, Any]:
    """The result document of night `n` (0 is the first) with these task scores (0..1)."""
    return result_doc(model, f"{n + 1:04d}", START + n * DAY, scores, **extra)


def _hostile_files() -> list[tuple[str, Maker]]:
    def doc(name: str, make: Callable[[], dict[str, Any]], file: str | None = None) -> Any:
        return name, lambda path: write_doc(path.parent, file or path.name, make())

    falling_latest = night("acme/falling", 5, [0.65])
    zeroed = night("acme/falling", 5, [0.65])
    zeroed["tasks"][0]["grading"]["mean"] = 0.0

    new = [
        doc("huge-score", lambda: night("acme/falling", 6, [1.7e306])),
        doc("overflowing-score", lambda: night("acme/falling", 6, [1e306])),
        doc("percent-scale", lambda: night("acme/falling", 6, [100.0])),
        doc("negative-score", lambda: night("acme/falling", 6, [-5.0])),
        doc("from-2099", lambda: result_doc("acme/falling", "2099", 4_070_908_800.0, [1.0])),
        doc("zeroed-copy", lambda: zeroed, "0000_zeroed.json"),  # wins the name tie-break
        doc("identical-copy", lambda: falling_latest),
        doc("old-clock", lambda: result_doc("acme/falling", "old", START - 9 * DAY, [1.0])),
    ]
    return [(case, make) for case, make, _ in SKIPPED] + new


# (case, maker): the maker creates the hostile file (or other file-system object) at the path
# it is given, in the results directory, beside the declining model's six nights.
HOSTILE_FILES: list[tuple[str, Maker]] = _hostile_files()

# Every combination of the flags that change how a model is judged or what fails: --strict,
# --confidence (the budget's level a night), --x time. As (strict, confidence, x).
FlagSet = tuple[bool, str | None, str | None]
FLAG_SETS: list[FlagSet] = [
    (strict, confidence, x)
    for strict in (False, True)
    for confidence in (None, "0.95")
    for x in (None, "time")
]

# The rules each flag set is judged under. The default is the false-alarm budget (window 15,
# min runs 3): the six nights fill less than its window but are more than its minimum, and a
# noiseless -5 points a night fails its slope test at any level, so the decline must fail under
# it as under the explicit window of 6 with a -0.5 floor.
RULES: dict[str, tuple[str, ...]] = {"default": (), "window 6, threshold -0.5": RULE}


def cli_flags(flags: FlagSet) -> tuple[str, ...]:
    """The command-line flags of a flag set."""
    strict, confidence, x = flags
    return (
        *(("--strict",) if strict else ()),
        *(("--confidence", confidence) if confidence else ()),
        *(("--x", x) if x else ()),
    )


def action_inputs(flags: FlagSet) -> dict[str, str]:
    """The Action inputs of a flag set (those left out keep their action.yml default)."""
    strict, confidence, x = flags
    return {
        **({"strict": "true"} if strict else {}),
        **({"confidence": confidence} if confidence else {}),
        **({"x": x} if x else {}),
    }


def lay_out(root: Path) -> dict[str, Path]:
    """Each case's results directory under `root`: root/CASE/results holds the six nights and
    the hostile file 9CASE.json (whatever lies outside it stays under root/CASE)."""
    directories = {}
    for case, make in HOSTILE_FILES:
        results = root / case / "results"
        declining(results)
        make(results / f"9{case}.json")
        directories[case] = results
    return directories
