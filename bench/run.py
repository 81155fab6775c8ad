"""Benchmark trendgate against a full parse of every file and against just reading the bytes.

Usage: python bench/run.py [--sizes 1000 5000 10000] [--repeat 5] [--dir DIR] [--cache both]

Writes realistic corpora (bench/corpus.py: 147 tasks, about 270 KB a file, 20 models) once
into DIR, then for each size and page-cache state runs, in turn and in a fresh process
each: trendgate on both cores, trendgate held to one core, the full-parse baseline
(bench/baseline.py), the bound (bench/bound.py: about the least a Python gate that parses
its windows in full can do) and the floor (bench/floor.py). Each is started from
bench/launch.py, which reports its wall time, CPU time and peak RSS. Prints the medians and
the ratios as a Markdown table.

"cold" drops the page cache before every run (root only: it writes /proc/sys/vm/drop_caches,
and stops with a message where that is refused). "warm" reads every file once first, so all
runs find the files in memory, as a CI job does right after it restores or writes them.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import corpus

HERE = Path(__file__).resolve().parent
MODELS = 20
WINDOW = 10


@dataclass(frozen=True)
class Sample:
    """One run of one command."""

    wall: float  # seconds
    cpu: float  # user + system seconds, the process and the children it waited for
    rss_mb: float  # peak resident set of the largest of those processes


def commands(results: Path) -> dict[str, tuple[list[str], bool]]:
    """Each measured command, and whether it is held to one core."""
    python = sys.executable
    trendgate = [python, "-m", "trendgate", str(results), "--format", "json", "--no-fail"]
    return {
        "trendgate": (trendgate, False),
        "trendgate 1 core": (trendgate, True),
        "baseline": ([python, str(HERE / "baseline.py"), str(results), str(WINDOW)], False),
        "bound": ([python, str(HERE / "bound.py"), str(results), str(WINDOW)], False),
        "floor": ([python, str(HERE / "floor.py"), str(results)], False),
    }


def measure(argv: list[str], one_core: bool) -> Sample:
    """Run a command to its end and read its wall time, CPU time and peak RSS."""
    launch = [sys.executable, "-S", str(HERE / "launch.py"), "1" if one_core else "0"]
    done = subprocess.run([*launch, *argv], stdout=subprocess.PIPE, text=True, check=True)
    wall, cpu, rss_kb, code = done.stdout.split()
    if code != "0":
        raise SystemExit(f"{argv} exited with {code}")
    return Sample(float(wall), float(cpu), int(rss_kb) / 1024)


def drop_page_cache() -> bool:
    """Empty the page cache (root only); False when the system refuses."""
    os.sync()
    try:
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
    except OSError:
        return False
    return True


def prepare(base: Path, sizes: Sequence[int]) -> dict[int, Path]:
    """Write the largest corpus once; smaller ones are hard links to its first files."""
    everything = corpus.write_corpus(base / "all", max(sizes), MODELS)
    dirs = {}
    for size in sizes:
        target = base / f"files-{size}"
        target.mkdir(parents=True, exist_ok=True)
        for path in everything[:size]:
            link = target / path.name
            if not link.exists():
                os.link(path, link)
        dirs[size] = target
    return dirs


def same_slopes(results: Path) -> None:
    """Check, outside the timing, that trendgate and the baseline agree on every slope."""
    import json

    argv, _ = commands(results)["trendgate"]
    ours = json.loads(subprocess.run(argv, capture_output=True, check=True).stdout)
    theirs = json.loads(
        subprocess.run(commands(results)["baseline"][0], capture_output=True, check=True).stdout
    )
    slopes = {m["model"]: m["slope"] for m in ours["models"]}
    if slopes.keys() != theirs.keys() or any(abs(slopes[m] - theirs[m]) > 1e-9 for m in theirs):
        raise SystemExit(f"trendgate and the baseline disagree on {results}")


def run(base: Path, sizes: Sequence[int], repeat: int, caches: Sequence[str]) -> None:
    """Measure every size and cache state; print the table."""
    dirs = prepare(base, sizes)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.platform()}")
    print(f"python {platform.python_version()}; load average at start {os.getloadavg()}")
    print(f"{repeat} runs each, medians; RSS is the largest process's peak\n")
    print(
        "| files | page cache | trendgate s | 1 core s | baseline s | bound s | floor s "
        "| baseline / trendgate | floor / trendgate | CPU s (tg / base / floor) "
        "| RSS MB (tg / base / floor) |"
    )
    print("|--:|---|--:|--:|--:|--:|--:|--:|--:|---|---|")
    for size in sizes:
        results = dirs[size]
        same_slopes(results)
        for cache in caches:
            samples: dict[str, list[Sample]] = {name: [] for name in commands(results)}
            cold = cache == "cold"
            for i in range(repeat):
                if not cold:
                    measure(commands(results)["floor"][0], False)  # make sure all is cached
                order = list(commands(results).items())
                order = order[i % len(order) :] + order[: i % len(order)]
                for name, (argv, one_core) in order:
                    if cold and not drop_page_cache():
                        raise SystemExit("cannot drop the page cache (not root?): use --cache warm")
                    samples[name].append(measure(argv, one_core))
            print(_row(size, cache, samples), flush=True)


def _row(size: int, cache: str, samples: dict[str, list[Sample]]) -> str:
    def med(name: str, field: str) -> float:
        return float(statistics.median(getattr(s, field) for s in samples[name]))

    tg, one, base, bound, floor = (med(n, "wall") for n in samples)
    cpu = " / ".join(f"{med(n, 'cpu'):.2f}" for n in ("trendgate", "baseline", "floor"))
    rss = " / ".join(f"{med(n, 'rss_mb'):.0f}" for n in ("trendgate", "baseline", "floor"))
    return (
        f"| {size:,} | {cache} | {tg:.2f} | {one:.2f} | {base:.2f} | {bound:.2f} | {floor:.2f} "
        f"| {base / tg:.1f}x | {floor / tg:.2f}x | {cpu} | {rss} |"
    )


def main() -> None:
    """Parse the options and run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 10000])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--dir", type=Path, default=Path("/var/tmp/trendgate-bench"))
    parser.add_argument("--cache", choices=("warm", "cold", "both"), default="both")
    args = parser.parse_args()
    caches = ("warm", "cold") if args.cache == "both" else (args.cache,)
    run(args.dir, args.sizes, args.repeat, caches)


if __name__ == "__main__":
    main()
