"""Same directory, same bytes: whatever the listing order, locale, time zone or hash seed.

Also: reports are written atomically, with ordinary permissions, and never into the results
directory.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.builders import result_doc, write_doc, write_series
from trendgate.judge.analysis import analyze
from trendgate.report import Ending
from trendgate.report.json import render_json
from trendgate.report.markdown import render_markdown
from trendgate.report.text import render_text
from trendgate.report.write import write_atomic

LIGHT = "\u0131\u015f\u0131k"  # Turkish, with the dotless i that locales treat specially
MAY_11_2026 = 1_778_457_600  # 2026-05-11 00:00:00 UTC (`date -u -d @1778457600`)


@pytest.fixture
def results(tmp_path: Path) -> Path:
    """Runs with every kind of tie, non-ASCII names, skipped files and warnings."""
    directory = tmp_path / "results"
    write_series(directory, "acme/falling", [90, 85, 80, 75])
    write_series(directory, "acme/steady", [70, 70, 70], first_run=20)
    # Same time: the run id decides the order. b is a copy of a, d another copy of that run
    # with more tasks: one run, counted by d whatever the listing order.
    for name, run_id, tasks in [
        ("b-tie.json", "0007", [0.5]),
        ("a-tie.json", "0007", [0.5]),
        ("d-tie.json", "0007", [0.5, 0.5]),
        ("c-tie.json", "0006", [0.5]),
    ]:
        write_doc(directory, name, result_doc("acme/ties", run_id, MAY_11_2026, tasks))
    doc = result_doc(f"modèle/{LIGHT}-İ", "0001", MAY_11_2026 + 3600, {"tâche": 2.0})
    write_doc(directory, f"0001_modèle-{LIGHT}-i̇.json", doc)
    write_doc(directory, f"0002_modèle-{LIGHT}-i̇.json", {**doc, "timestamp": MAY_11_2026 + 7200})
    (directory / "0099_broken.json").write_text("{")
    (directory / "0098_é.json").write_text("[]")
    return directory


def _reports(results: Path) -> dict[str, str]:
    analysis = analyze(results)
    return {
        "text": render_text(analysis, Ending()),
        "json": render_json(analysis, Ending()),
        "markdown": render_markdown(analysis, Ending()),
    }


_REAL_SCANDIR = os.scandir


class _ShuffledListing:
    """os.scandir, but handing out the entries in a shuffled order."""

    def __init__(self, path: Any, rng: random.Random) -> None:
        self._listing = _REAL_SCANDIR(path)
        self._entries = list(self._listing)
        rng.shuffle(self._entries)

    def __enter__(self) -> Iterator[os.DirEntry[Any]]:
        return iter(self._entries)

    def __exit__(self, *exc: object) -> None:
        self._listing.close()


def test_listing_order_does_not_matter(results: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = _reports(results)
    assert "acme/ties" in expected["text"] and "0098_é.json" in expected["text"]
    rng = random.Random(5)
    for _ in range(8):
        monkeypatch.setattr(os, "scandir", lambda path: _ShuffledListing(path, rng))
        assert _reports(results) == expected
        monkeypatch.undo()


def test_ties_are_broken_by_run_id_and_copies_of_a_run_count_once(results: Path) -> None:
    analysis = analyze(results)
    [ties] = [t for t in analysis.trends if t.model == "acme/ties"]
    assert [r.path for r in ties.runs] == ["c-tie.json", "d-tie.json"]
    assert [(n.path, n.message) for n in analysis.notes if "tie" in n.path] == [
        (
            "d-tie.json",
            "copies of one run (same model, run id and timestamp) differ: d-tie.json (2 tasks) "
            "counted, a-tie.json, b-tie.json set aside (the copy with the most tasks, then the "
            "smallest file name, counts)",
        )
    ]


def _locale(tmp_path: Path, name: str, source: str, charmap: str) -> dict[str, str]:
    """Compile a locale into tmp (the machine ships only C and C.UTF-8) and select it."""
    locales = tmp_path / "locales"
    locales.mkdir(exist_ok=True)
    subprocess.run(
        ["localedef", "-i", source, "-f", charmap, str(locales / name)],
        check=True,
        capture_output=True,
    )
    return {"LOCPATH": str(locales), "LC_ALL": name}


_RENDER = """
import sys
from pathlib import Path
from trendgate.judge.analysis import analyze
from trendgate.report import Ending
from trendgate.report.markdown import render_markdown
from trendgate.report.write import write_atomic
write_atomic(Path(sys.argv[2]), render_markdown(analyze(Path(sys.argv[1])), Ending()))
"""


def _outputs(results: Path, out: Path, env: dict[str, str]) -> dict[str, bytes]:
    """Text on stdout, JSON through --json, Markdown through a file: as bytes."""
    full_env = {"PATH": os.environ["PATH"], **env}
    text = subprocess.run(
        [sys.executable, "-m", "trendgate", str(results), "--json", str(out / "r.json")],
        capture_output=True,
        env=full_env,
        timeout=120,
    )
    assert text.returncode == 1, text.stderr
    subprocess.run(
        [sys.executable, "-c", _RENDER, str(results), str(out / "r.md")],
        check=True,
        env=full_env,
        timeout=120,
    )
    return {
        "text": text.stdout,
        "json": (out / "r.json").read_bytes(),
        "markdown": (out / "r.md").read_bytes(),
    }


def test_locale_time_zone_and_hash_seed_do_not_matter(results: Path, tmp_path: Path) -> None:
    environments = [
        {"TZ": "UTC", "LC_ALL": "C.UTF-8", "PYTHONHASHSEED": "0"},
        {"TZ": "Pacific/Kiritimati", "LC_ALL": "C", "PYTHONHASHSEED": "1"},  # UTC+14
        {"TZ": "America/St_Johns", "PYTHONHASHSEED": "2"}  # UTC-3:30, no locale at all
        | {"LANG": "", "LC_ALL": ""},
        {"TZ": "Asia/Kathmandu", "PYTHONHASHSEED": "3"}  # UTC+5:45, Latin-1 file names
        | _locale(tmp_path, "de_DE.ISO-8859-1", "de_DE", "ISO-8859-1"),
        {"TZ": "Europe/Istanbul", "PYTHONHASHSEED": "4"}  # dotted and dotless i
        | _locale(tmp_path, "tr_TR.ISO-8859-9", "tr_TR", "ISO-8859-9"),
    ]
    seen = []
    for i, env in enumerate(environments):
        out = tmp_path / f"out{i}"
        out.mkdir()
        seen.append(_outputs(results, out, env))
    assert all(outputs == seen[0] for outputs in seen[1:])
    markdown = seen[0]["markdown"].decode()
    assert "| 2026-05-11 01:00 |" in markdown and "| 2026-05-11 02:00 |" in markdown
    paths = [r["path"] for m in json.loads(seen[0]["json"])["models"] for r in m["runs"]]
    assert f"0001_modèle-{LIGHT}-i̇.json" in paths


def test_an_interrupted_write_leaves_the_old_report(tmp_path: Path) -> None:
    report = tmp_path / "report.md"
    report.write_text("old report\n")
    # Fails half-way through: the text cannot be encoded once the writer reaches the end.
    with pytest.raises(UnicodeEncodeError):
        write_atomic(report, "x" * 1_000_000 + "\udcff")
    assert report.read_text() == "old report\n"
    assert [p.name for p in tmp_path.iterdir()] == ["report.md"]


_WRITER = """
import sys
from pathlib import Path
from trendgate.report.write import write_atomic
print("ready", flush=True)
n = 0
while True:
    write_atomic(Path(sys.argv[1]), str(n % 2) * 4_000_000)
    n += 1
"""


def test_a_killed_writer_never_leaves_a_partial_report(tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    write_atomic(report, "1" * 4_000_000)
    rng = random.Random(7)
    for _ in range(6):
        writer = subprocess.Popen(
            [sys.executable, "-c", _WRITER, str(report)], stdout=subprocess.PIPE, text=True
        )
        assert writer.stdout is not None and writer.stdout.readline() == "ready\n"
        time.sleep(rng.uniform(0.01, 0.3))
        writer.send_signal(signal.SIGKILL)
        writer.wait()
        content = report.read_text()
        assert content in ("0" * 4_000_000, "1" * 4_000_000)


def test_a_written_report_gets_ordinary_permissions(tmp_path: Path) -> None:
    umask = os.umask(0o022)
    try:
        write_atomic(tmp_path / "report.json", "{}\n")
    finally:
        os.umask(umask)
    assert (tmp_path / "report.json").stat().st_mode & 0o777 == 0o644


def _snapshot(directory: Path) -> dict[str, tuple[int, int, str]]:
    """Every entry's size, modification time and content hash."""
    snapshot = {}
    for path in sorted(directory.rglob("*")):
        info = path.lstat()
        digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""
        snapshot[str(path.relative_to(directory))] = (info.st_size, info.st_mtime_ns, digest)
    return snapshot


def test_the_results_directory_is_never_written(results: Path, tmp_path: Path) -> None:
    before = _snapshot(results)
    out = tmp_path / "out"
    out.mkdir()
    _outputs(results, out, {"LC_ALL": "C.UTF-8"})
    for extra in (["--strict"], ["--format", "json", "--allow-empty"]):
        subprocess.run([sys.executable, "-m", "trendgate", str(results), *extra], timeout=120)
    assert _snapshot(results) == before


@pytest.mark.parametrize("inside", ["report.json", "sub/report.json", "link/report.json"])
@pytest.mark.parametrize("option", ["--json", "--markdown"])
def test_a_report_path_inside_the_results_directory_is_refused(
    results: Path, inside: str, option: str
) -> None:
    (results / "sub").mkdir()
    (results.parent / "link").symlink_to(results)
    before = _snapshot(results)
    target = results / inside if not inside.startswith("link") else results.parent / inside
    run = subprocess.run(
        [sys.executable, "-m", "trendgate", str(results), option, str(target)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 2
    assert run.stderr == (
        f"trendgate: error: will not write {target} inside the results directory {results}\n"
    )
    assert run.stdout == ""
    assert _snapshot(results) == before
