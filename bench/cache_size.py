"""How large a year of nightly history is, on disk and as the Actions cache stores it.

Usage: nice -n 10 python -m bench.cache_size [--nights 365] [--models 20] [--dir DIR]
                                              [--at 30 91 182 365]

Plays the README's nightly workflow: each night writes one realistic PinchBench v2 result per
model (bench/corpus.py: 147 tasks, about 270 KB a file, no transcripts) into DIR/tonight under
the name a fresh runner gives it, `0001_<slug>.json`, and files the night with
`trendgate add DIR/tonight --to DIR/history`, so the history holds the files under the names
`add` gives them. After the nights listed in --at it measures DIR/history: the sum of the file
sizes, `du` (blocks allocated), and the bytes of `tar --posix -cf - history | zstd -T0
--long=30`, which is how actions/cache archives a path before uploading it (GNU tar and zstd
on the runner; zstd's default level 3). Prints a Markdown table. Needs `tar` and `zstd` on
PATH (Debian: `apt-get install -y zstd`) and about 2 GB free in DIR for a year of 20 models.
Not a test: pytest does not collect it.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench import corpus
from examples.pinchbench import file_name, file_text

MIB = 1024 * 1024
RUN_ID = "0001"  # a fresh runner's counter under /tmp/pinchbench is empty every night


@dataclass(frozen=True)
class Size:
    """The history after some nights."""

    nights: int
    files: int
    raw: int  # sum of the file sizes, bytes
    du: int  # blocks allocated, bytes
    cache: int  # tar | zstd -T0 --long=30, bytes
    seconds: float  # to archive and compress


def night(tonight: Path, number: int, names: list[str]) -> None:
    """Write night `number`'s results as PinchBench on a fresh runner names them."""
    tonight.mkdir(parents=True)
    for index, model in enumerate(names):
        level = 0.75 - 0.02 * (index % 4 == 0) * (number % 30) / 10 + 0.01 * (index % 3)
        timestamp = corpus.START + number * corpus.DAY + index * 600.0 + (number % 997) / 1000
        seed = number * len(names) + index
        doc = corpus.result_document(model, RUN_ID, timestamp, level, seed=seed)
        (tonight / file_name(RUN_ID, model)).write_text(file_text(doc))


def add(tonight: Path, history: Path) -> None:
    """`trendgate add tonight --to history`, as the benchmark job runs it."""
    argv = [sys.executable, "-m", "trendgate", "add", str(tonight), "--to", str(history)]
    subprocess.run(argv, check=True, capture_output=True)


def measure(history: Path, nights: int) -> Size:
    """The history's size raw, allocated, and archived as actions/cache archives it."""
    files = [p for p in history.iterdir() if p.is_file()]
    raw = sum(p.stat().st_size for p in files)
    du = subprocess.run(
        ["du", "-s", "--block-size=1", str(history)], check=True, capture_output=True, text=True
    )
    start = time.perf_counter()
    tar = subprocess.Popen(
        ["tar", "--posix", "-cf", "-", "-C", str(history.parent), history.name],
        stdout=subprocess.PIPE,
    )
    zstd = subprocess.Popen(
        ["zstd", "-T0", "--long=30", "-c"], stdin=tar.stdout, stdout=subprocess.PIPE
    )
    assert tar.stdout is not None and zstd.stdout is not None
    tar.stdout.close()  # zstd holds the pipe now
    cache = 0
    while chunk := zstd.stdout.read(1 << 20):
        cache += len(chunk)
    if tar.wait() or zstd.wait():
        raise SystemExit("tar | zstd failed")
    seconds = time.perf_counter() - start
    return Size(nights, len(files), raw, int(du.stdout.split()[0]), cache, seconds)


def main() -> None:
    """Play the nights, measure the history at each --at, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--nights", type=int, default=365)
    parser.add_argument("--models", type=int, default=20)
    parser.add_argument("--at", type=int, nargs="+", default=[30, 91, 182, 365])
    parser.add_argument("--dir", type=Path, help="where to write (default: a new temporary one)")
    args = parser.parse_args()
    for tool in ("tar", "zstd", "du"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is missing (Debian: apt-get install -y {tool})")
    version = subprocess.run(["zstd", "--version"], capture_output=True, text=True).stdout
    root = args.dir or Path(tempfile.mkdtemp(prefix="trendgate-cache-size-"))
    history, tonight = root / "history", root / "tonight"
    if history.exists():
        raise SystemExit(f"{history} exists: give an empty --dir")
    names = corpus.models(args.models)
    checkpoints = sorted({n for n in args.at if n <= args.nights} | {args.nights})
    sizes = []
    for number in range(1, args.nights + 1):
        night(tonight, number, names)
        add(tonight, history)
        shutil.rmtree(tonight)
        if number in checkpoints:
            sizes.append(measure(history, number))
            print(f"measured after night {number}", file=sys.stderr)
    print(f"{args.models} models, one run each a night, in {history}; {version.strip()}")
    print()
    print("| nights | files | raw (sum of sizes) | du | tar \\| zstd -T0 --long=30 | ratio |")
    print("|---:|---:|---:|---:|---:|---:|")
    for s in sizes:
        print(
            f"| {s.nights} | {s.files:,} | {s.raw / MIB:,.0f} MiB | {s.du / MIB:,.0f} MiB "
            f"| {s.cache / MIB:,.1f} MiB | {s.raw / s.cache:.1f}x |"
        )
    last = sizes[-1]
    print()
    print(f"archiving the last took {last.seconds:.0f} s on {os.cpu_count()} cores")
    raw, cached = last.raw / last.files / 1024, last.cache / last.files / 1024
    print(f"per run: {raw:.0f} KiB raw, {cached:.1f} KiB cached")


if __name__ == "__main__":
    main()
