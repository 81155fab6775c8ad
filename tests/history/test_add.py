"""history.add: each run filed once under a name from its content, atomically, never overwriting."""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from examples.pinchbench import file_text
from tests.builders import result_doc, write_doc
from tests.test_hostile_files import SKIPPED
from trendgate.errors import InputError, UsageError
from trendgate.history.add import add
from trendgate.rules import ModelRule, Rules
from trendgate.settings import Settings

# 2026-05-05T16:53:20Z, and 0.123456 s after it.
T0 = 1_778_000_000.0


def night(
    directory: Path, model: str, score: float, timestamp: float, run_id: str = "0001"
) -> Path:
    """One run as a fresh runner writes it: `0001_<slug>.json`."""
    slug = model.replace("/", "-").lower()
    return write_doc(
        directory, f"{run_id}_{slug}.json", result_doc(model, run_id, timestamp, [score])
    )


def names(history: Path) -> list[str]:
    return sorted(p.name for p in history.iterdir())


def test_a_run_is_filed_verbatim_under_a_name_from_its_content(tmp_path: Path) -> None:
    source = night(tmp_path / "new", "OpenRouter/Qwen3-Coder:free", 0.5, T0 + 0.123456)
    added = add([str(tmp_path / "new")], str(tmp_path / "history"))
    data = source.read_bytes()
    digest = hashlib.sha256(data).hexdigest()[:12]
    name = f"20260505T165320.123456Z_openrouter-qwen3-coder-free_0001_{digest}.json"
    assert names(tmp_path / "history") == [name]
    assert (tmp_path / "history" / name).read_bytes() == data
    assert [(f.source, f.name) for f in added.filed] == [(str(source), name)]
    assert added.already == () and added.left_out == () and added.empty == ()
    assert added.created == (tmp_path / "history", tmp_path / "history" / name)


def test_labels_are_cut_to_64_characters_of_a_to_z_0_to_9_and_dashes(tmp_path: Path) -> None:
    model = "Ünï/" + "x" * 100
    write_doc(tmp_path / "new", "a.json", result_doc(model, "Run #7 ✓", T0, [0.5]))
    [filed] = add([str(tmp_path / "new")], str(tmp_path / "h")).filed
    _, slug, run_id, _ = filed.name.split("_")
    assert slug == "n-" + "x" * 61 and run_id == "run-7"  # "-n-" and 61 x, then stripped


def test_adding_twice_changes_nothing_and_a_different_copy_is_left_out(tmp_path: Path) -> None:
    night(tmp_path / "n1", "acme/m", 0.5, T0)
    history = tmp_path / "history"
    add([str(tmp_path / "n1")], str(history))
    before = {p.name: p.read_bytes() for p in history.iterdir()}

    again = add([str(tmp_path / "n1")], str(history))
    assert again.filed == () and again.already == (str(tmp_path / "n1" / "0001_acme-m.json"),)
    assert again.notice is not None and "filed already (a re-run?)" in again.notice

    # Same model, run id and timestamp, other bytes: the filed copy stays as it was.
    night(tmp_path / "n2", "acme/m", 0.9, T0)
    other = add([str(tmp_path / "n2")], str(history))
    assert other.filed == () and other.already == ()
    [left] = other.left_out
    assert left.reason.startswith("a different copy of this run (same model, run id and timestamp)")
    assert left.reason.endswith("nothing is overwritten")
    assert {p.name: p.read_bytes() for p in history.iterdir()} == before


def test_one_identity_whatever_the_name_a_file_arrived_with(tmp_path: Path) -> None:
    source = night(tmp_path / "n1", "acme/m", 0.5, T0)
    history = tmp_path / "history"
    history.mkdir()
    (history / "whatever.json").write_bytes(source.read_bytes())  # filed by hand, long ago
    added = add([str(source)], str(history))
    assert added.filed == () and len(added.already) == 1
    assert names(history) == ["whatever.json"]


def test_directories_are_walked_and_only_complete_json_runs_are_filed(tmp_path: Path) -> None:
    new = tmp_path / "new"
    night(new / "artifact-a", "acme/a", 0.5, T0)
    night(new / "artifact-b" / "deeper", "acme/b", 0.5, T0)
    night(new / ".judge_cache", "acme/cache", 0.5, T0)
    night(new / "0001_transcripts", "acme/transcript", 0.5, T0)
    (new / "notes.txt").write_text("not a result")
    write_doc(
        new, "0002_acme-a.json", {**result_doc("acme/a", "0002", T0, [0.5]), "in_progress": True}
    )
    outside = night(tmp_path / "elsewhere", "acme/out", 0.5, T0)
    (new / "out.json").symlink_to(outside)
    (new / "linked-dir").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    (new / "in.json").symlink_to(new / "artifact-a" / "0001_acme-a.json")

    added = add([str(new)], str(tmp_path / "history"))
    # Top down, in name order: the link inside SOURCE comes first, its target is the same run.
    assert [f.source for f in added.filed] == [
        f"{new}/in.json",
        f"{new}/artifact-b/deeper/0001_acme-b.json",
    ]
    assert added.already == (f"{new}/artifact-a/0001_acme-a.json",)
    assert {k.path: k.reason for k in added.left_out} == {
        f"{new}/0002_acme-a.json": (
            "partial file (in_progress: true), left by a run that did not finish"
        ),
        f"{new}/linked-dir": "symbolic link to a directory (not followed)",
        f"{new}/out.json": "symbolic link that leaves the results directory (not followed)",
    }
    assert len(names(tmp_path / "history")) == 2


def test_a_source_named_as_a_file_is_taken_whatever_its_name(tmp_path: Path) -> None:
    path = tmp_path / "result.txt"
    path.write_text(file_text(result_doc("acme/m", "0001", T0, [0.5])))
    assert len(add([str(path)], str(tmp_path / "h")).filed) == 1


def test_a_source_without_a_complete_result_is_empty(tmp_path: Path) -> None:
    (tmp_path / "new").mkdir()
    write_doc(tmp_path / "new", "0001_m.json", {"model": "m", "in_progress": True})
    added = add([str(tmp_path / "new")], str(tmp_path / "h"))
    assert added.empty == (str(tmp_path / "new"),) and len(added.left_out) == 1
    assert added.notice is None


def test_errors_name_the_source_or_the_history(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=rf"^SOURCE not found: {tmp_path}/absent$"):
        add([str(tmp_path / "absent")], str(tmp_path / "h"))
    assert not (tmp_path / "h").exists()  # nothing is created for a job that cannot run
    (tmp_path / "file").write_text("")
    (tmp_path / "new").mkdir()
    with pytest.raises(InputError, match=r"^cannot create the history .*/file/h: Not a directory$"):
        add([str(tmp_path / "new")], str(tmp_path / "file" / "h"))
    with pytest.raises(InputError, match=r"^the history is not a directory: .*/file$"):
        add([str(tmp_path / "new")], str(tmp_path / "file"))


def test_missing_parents_are_created_and_reported_outermost_first(tmp_path: Path) -> None:
    night(tmp_path / "new", "acme/m", 0.5, T0)
    added = add([str(tmp_path / "new")], str(tmp_path / "a" / "b"))
    assert added.created[:2] == (tmp_path / "a", tmp_path / "a" / "b")


def test_files_get_the_umask_mode_and_leftover_temporaries_are_removed(tmp_path: Path) -> None:
    night(tmp_path / "new", "acme/m", 0.5, T0)
    history = tmp_path / "history"
    history.mkdir()
    (history / ".trendgate-abc123.tmp").write_text('{"half": ')
    (history / ".other.tmp").write_text("not ours")
    umask = os.umask(0o027)
    try:
        [filed] = add([str(tmp_path / "new")], str(history)).filed
    finally:
        os.umask(umask)
    assert (history / filed.name).stat().st_mode & 0o777 == 0o640
    assert names(history) == [".other.tmp", filed.name]


def test_keep_runs_keeps_the_newest_runs_of_each_model(tmp_path: Path) -> None:
    for day in range(5):
        night(tmp_path / "new" / f"d{day}", "acme/a", 0.5, T0 + day * 86_400)
    night(tmp_path / "new" / "d9", "acme/b", 0.5, T0)
    history = tmp_path / "history"
    add([str(tmp_path / "new")], str(history))
    kept_before = sorted(names(history))
    added = add(
        [str(tmp_path / "new")], str(history), keep_runs=3, settings=Settings(window=3, min_runs=2)
    )
    oldest_a = [n for n in kept_before if "acme-a" in n][:2]  # names start with the UTC time
    assert added.removed == tuple(oldest_a)
    assert sorted(names(history)) == sorted(set(kept_before) - set(oldest_a))


def test_keep_runs_below_the_largest_window_is_refused(tmp_path: Path) -> None:
    rules = Rules(models=(ModelRule("acme/*", window=20),))
    with pytest.raises(UsageError, match=r"keep-runs 12 would remove runs the gate needs.* 20"):
        add([str(tmp_path)], str(tmp_path / "h"), keep_runs=12, settings=Settings(), rules=rules)
    with pytest.raises(UsageError, match=r"keep at least 10$"):
        add([str(tmp_path)], str(tmp_path / "h"), keep_runs=9, settings=Settings())


def test_a_model_without_a_run_tonight_is_absent_with_its_last_run(tmp_path: Path) -> None:
    night(tmp_path / "n1", "acme/a", 0.5, T0)
    night(tmp_path / "n1", "acme/b", 0.5, T0 + 60)
    history = tmp_path / "history"
    add([str(tmp_path / "n1")], str(history))
    night(tmp_path / "n2", "acme/a", 0.5, T0 + 86_400)
    added = add([str(tmp_path / "n2")], str(history))
    [absent] = added.absent
    assert (absent.model, absent.last) == ("acme/b", T0 + 60)
    assert absent.message(["n2"]) == "acme/b has no run in n2: its last run was on 2026-05-05 (UTC)"
    ignored = Rules(models=(ModelRule("acme/b", ignore=True),))
    assert add([str(tmp_path / "n2")], str(history), rules=ignored).absent == ()


# --- hostile input: the gate's corpus, each case a one-line reason, never a traceback

# A recursive walk enters a directory named `case.json` (empty here) rather than skip it.
WALKED = {"directory"}
REASONS = {case: reason for case, _, reason in SKIPPED if case not in WALKED}
REASONS["symlink-to-dir"] = "symbolic link to a directory (not followed)"


def test_every_hostile_file_is_left_out_with_a_one_line_reason(tmp_path: Path) -> None:
    source = tmp_path / "source"
    source.mkdir()
    for case, make, _ in SKIPPED:
        make(source / f"{case}.json")
    night(source, "acme/good", 0.5, T0)
    odd = [b"bad-\xff-utf8.json", b"new\nline.json"]
    for name in odd:
        (Path(os.fsdecode(source)) / os.fsdecode(name)).write_bytes(b"[")
    proc = subprocess.run(
        [sys.executable, "-m", "trendgate", "add", str(source), "--to", str(tmp_path / "h")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.split("left out:\n")[1].splitlines()
    reasons = dict(line.removeprefix("  - ").split(": ", 1) for line in lines)
    expected = {f"{source}/{case}.json": reason for case, reason in REASONS.items()}
    expected[f"{source}/bad-\\udcff-utf8.json"] = "not valid JSON"
    expected[f"{source}/new\\x0aline.json"] = "not valid JSON"
    assert reasons.keys() == expected.keys()
    for path, reason in reasons.items():
        assert expected[path] in reason, path
    assert len(names(tmp_path / "h")) == 1


# --- killed at random points: the history holds only complete result files

_ADDER = """
import sys
from pathlib import Path
from trendgate.history.add import add
print("ready", flush=True)
while True:  # file every night, empty the history, again: a kill lands anywhere in a write
    for source in sys.argv[2:]:
        add([source], sys.argv[1])
    for path in Path(sys.argv[1]).glob("*.json"):
        path.unlink()
"""


def test_a_killed_add_leaves_only_complete_result_files(tmp_path: Path) -> None:
    sources = []
    for i in range(40):
        directory = tmp_path / "nights" / f"{i:02d}"
        doc = result_doc("acme/m", "0001", T0 + i * 86_400, [0.5] * 400)  # about 400 KB
        write_doc(directory, "0001_acme-m.json", doc)
        sources.append(str(directory))
    history = tmp_path / "history"
    rng = random.Random(13)
    for _ in range(8):
        adder = subprocess.Popen(
            [sys.executable, "-c", _ADDER, str(history), *sources],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert adder.stdout is not None and adder.stdout.readline() == "ready\n"
        time.sleep(rng.uniform(0.0, 0.4))
        adder.send_signal(signal.SIGKILL)
        adder.wait()
        for path in history.glob("*.json"):
            json.loads(path.read_bytes())  # complete: every published name holds all its bytes
    add(sources, str(history))
    assert all(p.suffix == ".json" for p in history.iterdir())  # the temporaries are gone
    assert len(list(history.iterdir())) == len(sources)
