"""How large a history branch gets in a year, how long a night takes, and the gate slim vs raw.

Usage: nice -n 10 python -m bench.branch_size [--nights 365] [--models 20] [--real 3] [--dir DIR]
                                               [--reuse] [--against SRC] [--nights-only]

A year of the README's nightly workflow against a bare repository on disk as the remote, with
the cache-size bench's realistic files (bench/cache_size.py's nights: 147 tasks, about 270 KB,
`0001_<slug>.json`). The first nights - --real are filed as the store files them, without a
process and a clone each (a year of those would take hours on 2 shared cores): each run cut by
history.slim.slim, named by history.add.filed_name, one commit a night through `git
fast-import`. The last --real nights are the real thing, each timed: a fresh shallow clone of
the remote's `main` (as actions/checkout makes one), then `trendgate history --add tonight
--history-branch trendgate-history` (pull, file slim, judge, commit, push). Then `git gc` in
the remote and `git count-objects -vH`, the largest file on the branch, its commits; and the
gate timed side by side on the year pulled slim and on the same runs raw (alternating, 7
rounds after an untimed one; the best and the median, wall and CPU seconds). Every timed
process runs with its bytecode compiled once, as installed (as_installed). Needs about 2.1 GB
free in DIR, and 0.2 GB more a night played. Not a test: pytest does not collect it.

Each night is timed in wall seconds and in user and system CPU seconds (the process and its git
children, `getrusage`): on this VM the system time of making the 7,300 files swings by seconds from
one night to the next (settle_disk). --reuse takes the year an earlier run built in DIR (building
it takes about 8 minutes here) and plays --real nights after it, the branch first set back to the
year (--nights is then the year's nights and these). --against SRC plays each real night twice,
once with the trendgate in SRC put first on PYTHONPATH (a `src` directory: `git archive main src |
tar -x -C /tmp/base` gives /tmp/base/src) and once with this one, in alternating order, the branch
set back between the two, so both play the same night on the same branch. --nights-only stops after
the nights (no `git gc`, no gate timing).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import cache_size, corpus
from trendgate.history.add import filed_name
from trendgate.history.slim import slim
from trendgate.read.pinchbench import parse_run
from trendgate.words import utc

BRANCH = "trendgate-history"
YEAR = "refs/bench/year"  # the branch as the fast nights left it, for --reuse
RULES = ["--window", "10", "--threshold", "-0.5"]
GATE_ROUNDS = 7  # each the gate on raw then on slim, after one untimed round
# The source a slim file records under Actions: what the real nights' runs would carry.
NIGHT_ENV = {
    "GITHUB_ACTIONS": "true",
    "GITHUB_SERVER_URL": "https://github.com",
    "GITHUB_REPOSITORY": "acme/nightly-bench",
    "GITHUB_RUN_ATTEMPT": "1",
}


def git(*args: str, cwd: Path | None = None, stdin: bytes | None = None) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, input=stdin
    ).stdout.decode()


def seed_remote(bare: Path) -> None:
    """A `main` with one file, as a repository that has code before it has a history branch."""
    work = bare.parent / "seed"
    git("init", "--quiet", "-b", "main", str(work))
    (work / "README.md").write_text("bench\n")
    git("add", "README.md", cwd=work)
    env = ["-c", "user.name=bench", "-c", "user.email=bench@example.com"]
    git(*env, "commit", "--quiet", "-m", "code", cwd=work)
    git("push", "--quiet", str(bare), "main", cwd=work)
    shutil.rmtree(work)


def night_files(tonight: Path, number: int, names: list[str], raw: Path) -> list[Path]:
    """Night `number`'s results in `tonight`, and a raw copy of each kept in `raw`."""
    cache_size.night(tonight, number, names)
    found = sorted(tonight.iterdir())
    for path in found:
        kept = raw / f"{number:04d}_{path.name}"
        kept.unlink(missing_ok=True)  # a real night played again (--reuse, --against)
        os.link(path, kept)
    return found


def fast_nights(bare: Path, nights: int, names: list[str], root: Path, raw: Path) -> None:
    """File nights 0..nights-1 as the branch store would, one commit each, in one stream."""
    importer = subprocess.Popen(["git", "fast-import", "--quiet"], cwd=bare, stdin=subprocess.PIPE)
    assert importer.stdin
    for number in range(nights):
        tonight = root / "tonight"
        shutil.rmtree(tonight, ignore_errors=True)
        entries = []
        for path in night_files(tonight, number, names, raw):
            data = path.read_bytes()
            cut = slim(path.name, data, NIGHT_ENV | {"GITHUB_RUN_ID": str(10_000 + number)})
            entries.append((filed_name(parse_run(path.name, data), cut), cut))
        when = utc(corpus.START + number * corpus.DAY, "%Y-%m-%d")
        message = f"trendgate: {len(entries)} runs of {when}\n\n"
        message += "".join(f"{name}\n" for name, _ in sorted(entries))
        stamp = int(corpus.START + number * corpus.DAY) + 3600
        out = [
            f"commit refs/heads/{BRANCH}\n".encode(),
            f"committer trendgate <trendgate@users.noreply.github.com> {stamp} +0000\n".encode(),
            f"data {len(message.encode())}\n{message}\n".encode(),
        ]
        for name, cut in entries:
            out.append(f"M 100644 inline {name}\ndata {len(cut)}\n".encode() + cut + b"\n")
        importer.stdin.write(b"".join(out) + b"\n")
        if number % 30 == 29:
            print(f"  night {number + 1} filed", file=sys.stderr, flush=True)
    importer.stdin.close()
    if importer.wait():
        raise SystemExit("git fast-import failed")


def real_night(
    bare: Path, number: int, names: list[str], root: Path, raw: Path, src: Path | None = None
) -> tuple[float, float, float]:
    """One night as the workflow plays it, with the trendgate in `src` when given: the wall,
    user CPU and system CPU seconds `trendgate` took (the clone apart)."""
    # A clone of its own each night, none deleted before every night is played (settle_disk).
    clone = root / "clones" / f"{number}-{'base' if src else 'this'}"
    if clone.exists():
        raise SystemExit(f"{clone} exists: remove {root / 'clones'} first")
    url = f"file://{bare}"
    git("clone", "--quiet", "--depth=1", "--single-branch", "--branch", "main", url, str(clone))
    night_files(clone / "tonight", number, names, raw)
    env = {k: v for k, v in as_installed(root).items() if not k.startswith("GITHUB_")}
    if src:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(src), env.get("PYTHONPATH")]))
    argv = ["history", "--add", "tonight", "--history-branch", BRANCH, *RULES]
    proc, took, user, system = timed_trendgate(argv, clone, env)
    if f"pushed {len(names)} runs".encode() not in proc.stdout:
        raise SystemExit(proc.stdout.decode() + proc.stderr.decode())
    return took, user, system


def play(
    bare: Path, number: int, names: list[str], root: Path, raw: Path, against: Path | None
) -> dict[str, tuple[float, float, float]]:
    """Night `number` played for real: by this trendgate, or by both in turn on one branch."""
    if against is None:
        return {"this": real_night(bare, number, names, root, raw)}
    tip = git("rev-parse", f"refs/heads/{BRANCH}", cwd=bare).strip()
    order = [("base", against), ("this", None)]
    out = {}
    for kind, src in order if number % 2 else order[::-1]:
        git("update-ref", f"refs/heads/{BRANCH}", tip, cwd=bare)
        out[kind] = real_night(bare, number, names, root, raw, src)
    return out


def settle_disk(clones: Path) -> None:
    """Remove what an earlier run left in `clones`, then make as many empty files there (kept
    until the next run): on this disk the first files made after many were deleted are slow
    (7,300 took 3-3.5 s instead of 0.2 s, even 15 s later; ext4 freeing the deleted ones, it
    seems, in kernel time, about one made for each deleted), a cost the bench's own clean-up
    would put on its nights and a fresh runner never pays. Each night then gets a clone of its
    own, none deleted before the next run."""
    deleted = sum(len(files) for _, _, files in os.walk(clones))
    shutil.rmtree(clones, ignore_errors=True)
    settle = clones / "settle"
    settle.mkdir(parents=True)
    for number in range(max(deleted, 7_300)):
        (settle / f"{number:06d}").touch()
    os.sync()


def as_installed(root: Path) -> dict[str, str]:
    """The environment of a timed trendgate process: its bytecode compiled once and kept, as an
    installed package (a wheel, the Action's image) has it. This sandbox sets
    PYTHONDONTWRITEBYTECODE, which made every timed process compile trendgate from source
    (about 50 ms)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(root / "pycache")
    return env


def timed_trendgate(
    argv: list[str], cwd: Path, env: dict[str, str]
) -> tuple[subprocess.CompletedProcess[bytes], float, float, float]:
    """`trendgate ARGV`, exit 0 or 1 or the bench stops: the process, and its wall, user CPU
    and system CPU seconds (with its children's: git, the parse's second process)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "trendgate", *argv], cwd=cwd, capture_output=True, env=env
    )
    took = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 1):
        raise SystemExit(proc.stdout.decode() + proc.stderr.decode())
    return proc, took, after.ru_utime - before.ru_utime, after.ru_stime - before.ru_stime


def gate(directory: Path, root: Path) -> tuple[float, float]:
    """The wall and CPU seconds of one gate over `directory`."""
    _, took, user, system = timed_trendgate([str(directory), *RULES], root, as_installed(root))
    return took, user + system


def load_average() -> str:
    """The machine's load, for the reader to judge the times by."""
    return f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--nights", type=int, default=365)
    parser.add_argument("--models", type=int, default=20)
    parser.add_argument("--real", type=int, default=3, help="nights played for real, at the end")
    parser.add_argument("--dir", type=Path)
    parser.add_argument("--reuse", action="store_true", help="the year built in --dir before")
    parser.add_argument("--against", type=Path, help="another trendgate's src, night by night")
    parser.add_argument("--nights-only", action="store_true", help="no gc, no gate timing")
    args = parser.parse_args()
    root = Path(args.dir or tempfile.mkdtemp(prefix="branch-size-"))
    bare, raw = root / "origin.git", root / "raw"
    names = corpus.models(args.models)
    fast = args.nights - args.real
    if args.reuse:
        git("update-ref", f"refs/heads/{BRANCH}", YEAR, cwd=bare)
        fast = int(git("rev-list", "--count", YEAR, cwd=bare))  # one commit a night
        args.nights = fast + args.real
    else:
        git("init", "--quiet", "--bare", "-b", "main", str(bare))
        raw.mkdir()
        seed_remote(bare)
        fast_nights(bare, fast, names, root, raw)
        git("update-ref", YEAR, f"refs/heads/{BRANCH}", cwd=bare)
    settle_disk(root / "clones")
    nights = [play(bare, n, names, root, raw, args.against) for n in range(fast, args.nights)]
    print(f"nights {args.nights} ({args.real} played for real), models {args.models}")
    for kind in nights[0]:
        print(
            f"one night ({kind}), pull + add + judge + push (clone apart), wall / user + system "
            "CPU: " + ", ".join("{:.2f} / {:.2f} + {:.2f} s".format(*n[kind]) for n in nights)
        )
    print(load_average())
    if args.nights_only:
        return
    slim_dir = root / "clones" / f"{args.nights - 1}-this" / "history"
    git("gc", "--quiet", cwd=bare)
    objects = git("count-objects", "-vH", cwd=bare)
    listed = git("ls-tree", "-l", BRANCH, cwd=bare).splitlines()
    sizes = [int(line.split()[3]) for line in listed]
    commits = len(git("rev-list", BRANCH, cwd=bare).split())
    times: dict[str, list[tuple[float, float]]] = {"raw": [], "slim": []}
    for round_ in range(GATE_ROUNDS + 1):  # the first compiles the bytecode and warms the cache
        for kind, directory in (("raw", raw), ("slim", slim_dir)):
            took = gate(directory, root)
            if round_:
                times[kind].append(took)
    print(f"files on the branch {len(sizes)}, in the pulled history {len(os.listdir(slim_dir))}")
    largest, median = max(sizes) / 1024, statistics.median(sizes) / 1024
    print(f"commits {commits}; largest file {largest:.1f} KiB, median {median:.1f} KiB")
    print("after git gc in the remote, git count-objects -vH:")
    print(objects.strip())
    for what, pick in (("best", min), ("median", statistics.median)):
        for measure, index in (("wall", 0), ("CPU", 1)):
            slow, fast = (pick(t[index] for t in times[kind]) for kind in ("raw", "slim"))
            print(
                f"gate, {what} {measure}: raw {slow:.3f} s, slim {fast:.3f} s: {slow / fast:.2f}x"
            )
    print(load_average())
    print(f"data left in {root}")


if __name__ == "__main__":
    main()
