"""Benchmark trendgate against a full parse of every file, the single-process bound and the floor.

Usage: python bench/run.py [--sizes 5000 10000] [--repeat 5] [--dir DIR] [--cache both]
                           [--also NAME=SRC ...]

Writes realistic corpora (bench/corpus.py: 147 tasks, about 270 KB a file, 20 models) once
into DIR, then for each size and page-cache state runs each command once per round, in a
fresh process each, the order rotating from round to round: trendgate's default gate, the
full-parse baseline (bench/baseline.py), the bound (bench/bound.py: about the least a
Python gate that parses its windows in full can do, in one process; and with trendgate's
strict decoder, the strict bound), the floor
(bench/floor.py: read every byte), and trendgate and the bound with a window of 30. Each is
started from bench/launch.py, which reports its wall time, CPU time and peak RSS. Prints the
medians, the ratios the targets are about, and the load average over each row's rounds, as
a Markdown table; then trendgate's start-up, and whether each target is met.

"cold" drops the page cache before every run (root only: it writes /proc/sys/vm/drop_caches,
and stops with a message where that is error_outcome). "warm" reads every file once per round
first, so all runs find the files in memory, as a CI job does right after it restores or
writes them. --also NAME=SRC adds trendgate imported from another source tree (a directory
holding the trendgate package), to compare a variant in the same interleaved rounds.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import corpus

HERE = Path(__file__).resolve().parent
MODELS = 20
WINDOW = 10
WIDE = 30  # the larger window whose cost is reported separately
STARTUP_RUNS = 11


@dataclass(frozen=True)
class Sample:
    """One run of one command."""

    wall: float  # seconds
    cpu: float  # user + system seconds, the process and the children it waited for
    rss_mb: float  # peak resident set of the largest of those processes


def python_for(src: str | None) -> list[str]:
    """The Python command that imports trendgate from `src` when given."""
    env = [] if src is None else ["/usr/bin/env", f"PYTHONPATH={src}"]
    return [*env, sys.executable]


def gate(*args: str, src: str | None = None) -> list[str]:
    """The trendgate command line, imported from `src` when given."""
    return [*python_for(src), "-m", "trendgate", *args]


def commands(results: Path, also: dict[str, str]) -> dict[str, list[str]]:
    """Each measured command, by the name the table gives it."""
    python = sys.executable
    report = [str(results), "--format", "json", "--no-fail"]
    measured = {
        "trendgate": gate(*report),
        "baseline": [python, str(HERE / "baseline.py"), str(results), str(WINDOW)],
        "bound": [python, str(HERE / "bound.py"), str(results), str(WINDOW)],
        "strict bound": [python, str(HERE / "bound.py"), str(results), str(WINDOW), "--strict"],
        "floor": [python, str(HERE / "floor.py"), str(results)],
        f"trendgate w{WIDE}": gate(*report, "--window", str(WIDE)),
        f"bound w{WIDE}": [python, str(HERE / "bound.py"), str(results), str(WIDE)],
    }
    for name, src in also.items():
        measured[name] = gate(*report, src=src)
    return measured


def compile_trendgate(src: str | None) -> None:
    """Byte-compile the trendgate that `gate(src=src)` imports, as `pip install` does.

    Where PYTHONDONTWRITEBYTECODE is set (as on this VM) nothing imported from a source tree
    is cached, so every run would compile trendgate again, which no installed copy does: pip
    compiles a wheel's modules at install whatever that variable says.
    """
    code = (
        "import compileall, os, trendgate; "
        "compileall.compile_dir(os.path.dirname(trendgate.__file__), quiet=1)"
    )
    subprocess.run([*python_for(src), "-c", code], check=True)


def measure(argv: list[str]) -> Sample:
    """Run a command to its end and read its wall time, CPU time and peak RSS."""
    launch = [sys.executable, "-S", str(HERE / "launch.py"), "0"]
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


def same_slopes(results: Path, window: int) -> None:
    """Check, outside the timing, that trendgate and the baseline agree on every slope."""
    argv = gate(str(results), "--format", "json", "--no-fail", "--window", str(window))
    ours = json.loads(subprocess.run(argv, capture_output=True, check=True).stdout)
    baseline = [sys.executable, str(HERE / "baseline.py"), str(results), str(window)]
    theirs = json.loads(subprocess.run(baseline, capture_output=True, check=True).stdout)
    slopes = {m["model"]: m["slope"] for m in ours["models"]}
    if slopes.keys() != theirs.keys() or any(abs(slopes[m] - theirs[m]) > 1e-9 for m in theirs):
        raise SystemExit(f"trendgate and the baseline disagree on {results} (window {window})")


def rounds(
    measured: dict[str, list[str]], repeat: int, cold: bool, warm_up: list[str] | None
) -> tuple[dict[str, list[Sample]], list[float]]:
    """`repeat` rounds of every command, the order rotating; the 1-minute load before each."""
    samples: dict[str, list[Sample]] = {name: [] for name in measured}
    loads = []
    for i in range(repeat):
        loads.append(os.getloadavg()[0])
        if warm_up:
            measure(warm_up)  # every file in the page cache
        order = list(measured.items())
        for name, argv in order[i % len(order) :] + order[: i % len(order)]:
            if cold and not drop_page_cache():
                raise SystemExit("cannot drop the page cache (not root?): use --cache warm")
            samples[name].append(measure(argv))
    loads.append(os.getloadavg()[0])
    return samples, loads


def median(samples: list[Sample], field: str = "wall") -> float:
    """The median of one field over a command's samples."""
    return float(statistics.median(getattr(s, field) for s in samples))


def run(
    base: Path, sizes: Sequence[int], repeat: int, caches: Sequence[str], also: dict[str, str]
) -> None:
    """Measure every size and cache state; print the tables and the targets."""
    dirs = prepare(base, sizes)
    for src in [None, *also.values()]:
        compile_trendgate(src)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.platform()}")
    print(f"python {platform.python_version()}; {repeat} rounds each, medians")
    print("trendgate byte-compiled before timing, as pip install does")
    print("RSS is the peak of the measured process; load is the 1-minute load average\n")
    print(
        "| files | cache | trendgate s | baseline s | bound s | floor s "
        "| baseline / tg | tg / bound | tg / strict bound "
        "| CPU s (tg / bound / base) | RSS MB (tg / base) "
        f"| tg w{WIDE} s | bound w{WIDE} s | tg w{WIDE} / bound w{WIDE} | RSS MB w{WIDE} "
        + "".join(f"| {name} s " for name in also)
        + "| load |"
    )
    rule = "|--:|---|--:|--:|--:|--:|--:|--:|--:|---|---|--:|--:|--:|--:|"
    print(rule + "--:|" * len(also) + "---|")
    targets: list[str] = []
    for size in sizes:
        results = dirs[size]
        same_slopes(results, WINDOW)
        same_slopes(results, WIDE)
        measured = commands(results, also)
        for cache in caches:
            warm_up = None if cache == "cold" else measured["floor"]
            samples, loads = rounds(measured, repeat, cache == "cold", warm_up)
            print(_row(size, cache, samples, loads, also), flush=True)
            targets += _targets(size, cache, samples)
    print()
    startup = _startup(repeat_startup=STARTUP_RUNS, also=also)
    for line in startup + targets:
        print(line)


def _row(
    size: int, cache: str, s: dict[str, list[Sample]], loads: list[float], also: dict[str, str]
) -> str:
    tg, base, bound, floor = (median(s[n]) for n in ("trendgate", "baseline", "bound", "floor"))
    strict = median(s["strict bound"])
    wide, bound_wide = median(s[f"trendgate w{WIDE}"]), median(s[f"bound w{WIDE}"])
    cpu = " / ".join(f"{median(s[n], 'cpu'):.2f}" for n in ("trendgate", "bound", "baseline"))
    rss = " / ".join(f"{median(s[n], 'rss_mb'):.0f}" for n in ("trendgate", "baseline"))
    rss_wide = median(s[f"trendgate w{WIDE}"], "rss_mb")
    variants = "".join(f"| {median(s[n]):.2f} " for n in also)
    return (
        f"| {size:,} | {cache} | {tg:.2f} | {base:.2f} | {bound:.2f} | {floor:.2f} "
        f"| {base / tg:.1f}x | {tg / bound:.2f}x | {tg / strict:.2f}x | {cpu} | {rss} "
        f"| {wide:.2f} | {bound_wide:.2f} | {wide / bound_wide:.2f}x | {rss_wide:.0f} "
        f"{variants}| {min(loads):.2f}-{max(loads):.2f} |"
    )


def _targets(size: int, cache: str, s: dict[str, list[Sample]]) -> list[str]:
    """The issue's targets that this size and cache state decide."""
    tg = median(s["trendgate"])
    faster = median(s["baseline"]) / tg
    lines = []
    if cache == "warm" and size == 5000:
        lines.append(_target("5,000 cached: at least 8x faster than the baseline", faster, 8, True))
        ratio = tg / median(s["bound"])
        lines.append(_target("5,000 cached: within 2.5x of the bound", ratio, 2.5, False))
    if cache == "warm" and size == 10000:
        lines.append(_target("10,000 cached: at least 15x faster", faster, 15, True))
        rss = max(x.rss_mb for x in s["trendgate"])
        lines.append(_target("10,000 cached: peak RSS under 100 MB (largest)", rss, 100, False))
    return lines


def _target(what: str, value: float, limit: float, at_least: bool) -> str:
    met = value >= limit if at_least else value < limit
    return f"target {what}: {value:.2f} ({'met' if met else 'NOT met'})"


def _startup(repeat_startup: int, also: dict[str, str]) -> list[str]:
    """Medians of `trendgate --version` and of a run over an empty directory, interleaved."""
    with tempfile.TemporaryDirectory() as empty:
        measured = {"": gate("--version"), "empty": gate(empty, "--allow-empty")}
        for name, src in also.items():
            measured[f"{name}"] = gate("--version", src=src)
            measured[f"{name} empty"] = gate(empty, "--allow-empty", src=src)
        samples, loads = rounds(measured, repeat_startup, cold=False, warm_up=None)
    shown = ", ".join(
        f"{name or 'trendgate'} {'' if 'empty' in name else '--version '}"
        f"{median(runs) * 1000:.0f} ms"
        for name, runs in samples.items()
    )
    return [f"start-up ({repeat_startup} rounds, load {min(loads):.2f}-{max(loads):.2f}): {shown}"]


def main() -> None:
    """Parse the options and run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 10000])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--dir", type=Path, default=Path("/var/tmp/trendgate-bench"))
    parser.add_argument("--cache", choices=("warm", "cold", "both"), default="both")
    parser.add_argument("--also", nargs="*", default=[], metavar="NAME=SRC")
    args = parser.parse_args()
    caches = ("warm", "cold") if args.cache == "both" else (args.cache,)
    also = dict(item.split("=", 1) for item in args.also)
    run(args.dir, args.sizes, args.repeat, caches, also)


if __name__ == "__main__":
    main()
