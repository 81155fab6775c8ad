"""Bad result files: each gets a clear one-line reason, never a traceback, never a silent pass.

The corpus is generated here rather than committed: each case is a function that creates one
file (or other file-system object) at the path it is given.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.builders import result_doc, write_doc, write_series
from trendgate.judge.analysis import analyze
from trendgate.read.files import LoadError, read_bytes
from trendgate.read.place import place_run
from trendgate.read.strict_json import MAX_NESTING

Maker = Callable[[Path], object]


def _valid() -> dict[str, Any]:
    return result_doc("acme/model", "0042", 1_778_000_000.5, [0.5, 1.0])


def _bytes(data: bytes) -> Maker:
    return lambda path: path.write_bytes(data)


def _doc(**changes: Any) -> Maker:
    """A valid document with top-level keys replaced (a value of ... deletes the key)."""
    doc = _valid()
    for key, value in changes.items():
        if value is ...:
            del doc[key]
        else:
            doc[key] = value
    return _bytes(json.dumps(doc).encode())


def _task(**changes: Any) -> Maker:
    """A valid document whose first task has keys replaced (... deletes the key)."""
    doc = _valid()
    for key, value in changes.items():
        if value is ...:
            del doc["tasks"][0][key]
        else:
            doc["tasks"][0][key] = value
    return _bytes(json.dumps(doc).encode())


def _score(value: Any) -> Maker:
    doc = _valid()
    doc["tasks"][0]["grading"]["mean"] = value
    return _bytes(json.dumps(doc).encode())


def _raw_timestamp(text: str) -> Maker:
    """Put `text` verbatim where the timestamp value goes (for NaN, 1e400, huge integers)."""
    encoded = json.dumps(_valid()).replace("1778000000.5", text, 1)
    return _bytes(encoded.encode())


def _nested(depth: int) -> Maker:
    """A valid document carrying an extra value `depth` arrays deep (the object is level 1)."""
    inner = "[" * (depth - 1) + "]" * (depth - 1)
    encoded = json.dumps(_valid())[:-1] + f', "extra": {inner}}}'
    return _bytes(encoded.encode())


def _sparse(size: int) -> Maker:
    def make(path: Path) -> None:
        with path.open("wb") as handle:
            handle.truncate(size)  # sparse: no disk space, no commit

    return make


def _symlink(target: Callable[[Path], Path]) -> Maker:
    return lambda path: path.symlink_to(target(path))


def _outside(path: Path) -> Path:
    return write_doc(path.parent.parent / "outside", "secret.json", _valid())


def _loop(path: Path) -> Path:
    partner = path.with_suffix(".link")
    partner.symlink_to(path)
    return partner


# (case, maker, reason) for every file that must be skipped, with the reason it must give.
SKIPPED: list[tuple[str, Maker, str]] = [
    ("truncated", _bytes(json.dumps(_valid()).encode()[:700]), "not valid JSON (Unterminated"),
    ("empty", _bytes(b""), "empty file"),
    ("blank", _bytes(b" \n\t\n"), "empty file"),
    ("bom-only", _bytes(b"\xef\xbb\xbf"), "not valid JSON (Expecting value at line 1 column 1)"),
    ("invalid-utf8", _bytes(b'{"model": "a\xff"}'), "not UTF-8 text (byte 12)"),
    ("utf16", _bytes(json.dumps(_valid()).encode("utf-16")), "not UTF-8 text (byte 0)"),
    ("top-array", _bytes(b"[]"), "not a JSON object (top level is an array)"),
    ("top-string", _bytes(b'"x"'), "not a JSON object (top level is a string)"),
    ("top-null", _bytes(b"null"), "not a JSON object (top level is null)"),
    ("nested-arrays", _bytes(b"[" * 10**5 + b"]" * 10**5), "nested deeper than the 100-level"),
    ("nested-objects", _bytes(b'{"a":' * 10**5 + b"1" + b"}" * 10**5), "nested deeper"),
    ("unclosed-brackets", _bytes(b"[" * 10**5), "nested deeper than the 100-level limit"),
    ("nested-just-over", _nested(MAX_NESTING + 1), "nested deeper than the 100-level limit"),
    ("nan", _raw_timestamp("NaN"), "non-finite number NaN"),
    ("infinity", _raw_timestamp("-Infinity"), "non-finite number -Infinity"),
    ("1e400", _raw_timestamp("1e400"), "number out of range (1e400)"),
    ("huge-integer", _raw_timestamp("9" * 5000), "number out of range (9999"),
    ("timestamp-string", _doc(timestamp="1778000000"), "'timestamp' is a string, expected Unix"),
    ("timestamp-iso", _doc(timestamp="2026-05-05T12:00:00Z"), "'timestamp' is a string"),
    ("timestamp-bool", _doc(timestamp=True), "'timestamp' is a boolean, expected Unix seconds"),
    ("timestamp-missing", _doc(timestamp=...), "missing 'timestamp'"),
    ("timestamp-zero", _doc(timestamp=0), "'timestamp' 0 is not a plausible Unix time"),
    ("timestamp-negative", _doc(timestamp=-86400), "'timestamp' -86400 is not a plausible"),
    ("timestamp-far-future", _doc(timestamp=1e15), "'timestamp' 1000000000000000.0 is not"),
    ("score-string", _score("0.5"), "tasks[0].grading.mean is a string, expected a number"),
    ("score-bool", _score(True), "tasks[0].grading.mean is a boolean, expected a number"),
    ("score-null", _score(None), "tasks[0].grading.mean is null, expected a number"),
    ("score-huge", _score(1e308), "task task_0 scores 1e+308, outside 0..1"),
    ("score-negative", _score(-0.5), "task task_0 scores -0.5, outside 0..1"),
    ("score-above-one", _score(3), "task task_0 scores 3, outside 0..1 (a score is a fraction"),
    ("score-percent", _score(65), "outside 0..1 (a score is a fraction; percent scale?)"),
    (
        "too-many-tasks",
        _doc(tasks=[{"task_id": f"t{i}", "grading": {"mean": 1}} for i in range(10_001)]),
        "10001 tasks, more than the 10000-task limit",
    ),
    ("timestamp-milliseconds", _doc(timestamp=1_778_000_000_000), "(milliseconds? divide by 1000)"),
    (
        "duplicate-key",
        _bytes(json.dumps(_valid()).replace('"model"', '"model": "x", "model"', 1).encode()),
        "duplicate key 'model'",
    ),
    ("tasks-object", _doc(tasks={"task_0": {}}), "no non-empty 'tasks' list"),
    ("tasks-empty", _doc(tasks=[]), "no non-empty 'tasks' list"),
    ("tasks-missing", _doc(tasks=...), "no non-empty 'tasks' list"),
    ("task-not-object", _doc(tasks=[1]), "tasks[0] is a number, expected an object"),
    ("task-without-id", _task(task_id=...), "tasks[0] has no string 'task_id'"),
    ("task-id-number", _task(task_id=7), "tasks[0] has no string 'task_id'"),
    ("model-missing", _doc(model=...), "missing or non-string 'model'"),
    ("model-blank", _doc(model="  "), "missing or non-string 'model'"),
    ("run-id-number", _doc(run_id=42), "'run_id' is a number, expected a string"),
    ("in-progress", _doc(in_progress=True), "partial file (in_progress: true)"),
    ("200-mb", _sparse(200 * 1024 * 1024), "larger than the 64 MiB limit"),
    ("directory", lambda path: path.mkdir(), "a directory, not a file"),
    ("fifo", os.mkfifo, "not a regular file"),
    ("symlink-outside", _symlink(_outside), "symbolic link that leaves the results directory"),
    ("symlink-loop", _symlink(_loop), "symbolic link loop"),
    ("symlink-self", _symlink(lambda path: path), "symbolic link loop"),
    ("symlink-broken", _symlink(lambda path: path.parent / "absent"), "broken symbolic link"),
    ("symlink-to-dir", _symlink(lambda path: path.parent), "a directory, not a file"),
]


@pytest.mark.parametrize(("case", "make", "reason"), SKIPPED, ids=[c[0] for c in SKIPPED])
def test_a_bad_file_is_skipped_with_its_reason(
    tmp_path: Path, case: str, make: Maker, reason: str
) -> None:
    results = tmp_path / "results"
    results.mkdir()
    make(results / "case.json")
    analysis = analyze(results)
    assert [s.path for s in analysis.skipped] == ["case.json"]
    got = analysis.skipped[0].reason
    assert reason in got
    assert "\n" not in got and len(got) < 200
    assert analysis.trends == ()


# Files that look odd but are real runs: read, and warned about where the score is odd.
READ: list[tuple[str, Maker, float, str | None]] = [
    ("bom", _bytes(b"\xef\xbb\xbf" + json.dumps(_valid()).encode()), 75.0, None),
    ("nested-at-limit", _nested(MAX_NESTING), 75.0, None),
    ("timestamp-integer", _doc(timestamp=1_778_000_000), 75.0, None),
    (
        "symlink-inside",
        _symlink(lambda path: write_doc(path.parent / "sub", "real.json", _valid())),
        75.0,
        None,
    ),
]


@pytest.mark.parametrize(("case", "make", "score", "warning"), READ, ids=[c[0] for c in READ])
def test_an_odd_but_real_run_is_read(
    tmp_path: Path, case: str, make: Maker, score: float, warning: str | None
) -> None:
    results = tmp_path / "results"
    results.mkdir()
    make(results / "case.json")
    analysis = analyze(results)
    assert analysis.skipped == ()
    [run] = analysis.trends[0].runs
    assert run.score_pct == pytest.approx(score)  # (0.5 + 1.0) / 2, or the odd score and 1.0
    assert [n.message for n in analysis.notes] == ([warning] if warning else [])


def test_a_file_name_that_is_not_utf8_is_read_and_shown_reversibly(tmp_path: Path) -> None:
    results = tmp_path / "results"
    results.mkdir()
    (Path(os.fsdecode(results)) / os.fsdecode(b"0001_\xff.json")).write_text(json.dumps(_valid()))
    analysis = analyze(results)
    assert analysis.skipped == ()
    assert analysis.trends[0].runs[0].path == "0001_\udcff.json"


@pytest.mark.parametrize("reader", ["read_bytes", "place_run"])
def test_reading_a_fifo_never_blocks(tmp_path: Path, reader: str) -> None:
    # discover() skips FIFOs; this is the file swapped for one between discovery and reading.
    # place_run reads a file's head first, read_bytes all of it: neither may wait for a writer.
    fifo = tmp_path / "case.json"
    os.mkfifo(fifo)
    outcome: list[BaseException] = []

    def read() -> None:
        try:
            if reader == "read_bytes":
                read_bytes(fifo)
            else:
                place_run(tmp_path, "case.json")
        except BaseException as exc:
            outcome.append(exc)

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    thread.join(timeout=10)
    if thread.is_alive():
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))  # free the thread, then fail
        pytest.fail("reading a FIFO blocked")
    assert len(outcome) == 1 and isinstance(outcome[0], LoadError)
    assert str(outcome[0]) == "not a regular file"


def _corpus(results: Path) -> None:
    """Every bad case under its own name, beside two good models."""
    for case, make, _ in SKIPPED:
        make(results / f"{case}.json")
    write_series(results, "acme/falling", [90, 85, 80, 75])
    write_series(results, "acme/steady", [70, 70, 70, 70], first_run=11)


_WARM_UP = """
import contextlib, io
with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
    main(sys.argv[1:])
"""


def _run(*args: str, user: int | None = None) -> subprocess.CompletedProcess[str]:
    """Run the real command; with `user`, drop to that uid first (as root only)."""
    code = "import sys; from trendgate.app.cli import main\n"
    if user is not None:
        # Modules load lazily, from an interpreter the dropped user may not be allowed to
        # read: one run as root first loads every module the real run needs.
        code += _WARM_UP + f"import os; os.setgid({user}); os.setuid({user})\n"
    code += "sys.exit(main(sys.argv[1:]))"
    # The clock a day or two after the runs here, so that no history is behind it.
    env = os.environ | {"SOURCE_DATE_EPOCH": "1778400000"}
    return subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=120, env=env
    )


def test_the_command_lists_every_bad_file_and_never_crashes(tmp_path: Path) -> None:
    results = tmp_path / "results"
    results.mkdir()
    _corpus(results)
    expected = {f"{case}.json": reason for case, _, reason in SKIPPED}

    text = _run(str(results))
    assert text.returncode == 1, text.stderr  # acme/falling regresses; bad files do not hide it
    assert text.stderr == ""
    listed = [
        line
        for line in text.stdout.split("skipped files:\n")[1].splitlines()
        if line.startswith("  - ")
    ]
    assert len(listed) == len(expected)
    for line in listed:
        name, reason = line.removeprefix("  - ").split(": ", 1)
        assert expected[name] in reason

    report = _run(str(results), "--format", "json")
    assert report.returncode == 1, report.stderr
    skipped = {s["path"]: s["reason"] for s in json.loads(report.stdout)["skipped"]}
    assert skipped.keys() == expected.keys()
    assert all(expected[name] in reason for name, reason in skipped.items())


def test_strict_turns_any_skipped_file_into_exit_2(tmp_path: Path) -> None:
    results = tmp_path / "results"
    write_series(results, "acme/steady", [70, 70, 70])
    assert _run(str(results), "--strict").returncode == 0

    (results / "0009_partial.json").write_text('{"model": "acme/steady", "in_progress": true}')
    assert _run(str(results)).returncode == 0  # skipped and listed, but not fatal by default
    strict = _run(str(results), "--strict", "--no-fail")
    assert strict.returncode == 2
    assert strict.stderr == (
        "trendgate: error: --strict: 0009_partial.json was skipped (partial file "
        "(in_progress: true), left by a run that did not finish)\n"
    )
    assert "0009_partial.json: partial file" in strict.stdout  # the report is still printed

    (results / "0010_bad.json").write_text("[")
    assert _run(str(results), "--strict").stderr.endswith(" and 1 more file\n")


def test_an_unreadable_file_and_directory_give_a_reason(tmp_path: Path) -> None:
    # Root reads everything, so the command drops to nobody (65534) when the suite runs as root.
    user = 65534 if os.geteuid() == 0 else None
    base = Path(tempfile.mkdtemp(prefix="trendgate-"))  # pytest's tmp is private to its owner
    try:
        base.chmod(0o755)
        results = base / "results"
        write_series(results, "acme/steady", [70, 70, 70])
        results.chmod(0o755)
        (results / "locked.json").write_text(json.dumps(_valid()))
        (results / "locked.json").chmod(0)

        run = _run(str(results), "--format", "json", user=user)
        assert run.returncode == 0, run.stderr
        skipped = json.loads(run.stdout)["skipped"]
        assert skipped == [{"path": "locked.json", "reason": "cannot read: Permission denied"}]

        results.chmod(0)
        run = _run(str(results), user=user)
        assert run.returncode == 2
        assert run.stderr == f"trendgate: error: cannot list {results}: Permission denied\n"
    finally:
        subprocess.run(["chmod", "-R", "u+rwx", str(base)], check=True)
        subprocess.run(["rm", "-rf", str(base)], check=True)
