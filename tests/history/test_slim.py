"""Slim runs: every key the parser reads is kept, nothing else, and every reader agrees."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from bench import corpus
from examples.pinchbench import task_entry
from tests.builders import result_doc
from tests.command import Command
from trendgate.app.proposal import RunTrendAnalyzer
from trendgate.history.slim import slim
from trendgate.read import pinchbench, strict_json
from trendgate.read.pinchbench import parse_run
from trendgate.read.place import read_head

Path_ = tuple[Any, ...]


class Tracked(dict[str, Any]):
    """A decoded JSON object that logs each key the code under test looks up or tests for."""

    def __init__(self, data: dict[str, Any], at: Path_, log: set[Path_]) -> None:
        super().__init__(data)
        self.at, self.log = at, log

    def _seen(self, key: object) -> None:
        self.log.add((*self.at, key))

    def __getitem__(self, key: str) -> Any:
        self._seen(key)
        return super().__getitem__(key)

    def get(self, key: str, default: Any = None) -> Any:
        self._seen(key)
        return super().get(key, default)

    def __contains__(self, key: object) -> bool:
        self._seen(key)
        return super().__contains__(key)


def tracked(value: Any, at: Path_, log: set[Path_]) -> Any:
    if isinstance(value, dict):
        return Tracked({k: tracked(v, (*at, k), log) for k, v in value.items()}, at, log)
    if isinstance(value, list):
        return [tracked(v, (*at, i), log) for i, v in enumerate(value)]
    return value


def keys_read(data: bytes, monkeypatch: pytest.MonkeyPatch) -> set[Path_]:
    """Every object key the parser looks at in `data`, found by watching it parse."""
    log: set[Path_] = set()
    decode = strict_json.decode_json
    with monkeypatch.context() as patch:
        patch.setattr(pinchbench, "decode_json", lambda raw: tracked(decode(raw), (), log))
        parse_run("x.json", data)
    return log


def value_at(doc: Any, path: Path_) -> Any:
    for step in path:
        doc = doc[step]
    return doc


def has(doc: Any, path: Path_) -> bool:
    try:
        value_at(doc, path)
    except (KeyError, IndexError, TypeError):
        return False
    return True


def key_paths(doc: Any, at: Path_ = ()) -> Iterator[Path_]:
    """Every path to an object key in `doc` (list indexes included)."""
    if isinstance(doc, dict):
        for key, value in doc.items():
            yield (*at, key)
            yield from key_paths(value, (*at, key))
    elif isinstance(doc, list):
        for index, value in enumerate(doc):
            yield from key_paths(value, (*at, index))


def trap_docs() -> list[dict[str, Any]]:
    """Shapes the samples lack: February-2026 grades, category only in frontmatter, timeouts,
    `in_progress: false`, the efficiency totals, runs_per_task 2."""
    old = task_entry("t_old", 0.5)
    old["grading"] = {"score": 0.25, "max_score": 1.0, "notes": "x"}
    lower = task_entry("t_lower", 0.75)
    lower.pop("category", None)
    lower["frontmatter"]["category"] = "Coding"
    timeout = task_entry("t_timeout", 0.0, status="timeout", category="c")
    error = task_entry("t_error", 0.0, status="error")
    error["timed_out"] = True
    ungraded = task_entry("t_none", 0.0)
    ungraded["grading"] = None
    return [
        result_doc(
            "m/é-1",
            "0007",
            1770000000.123456,
            [0.5, 0.5],
            in_progress=False,
            efficiency={"total_tokens": 123, "total_cost_usd": 0.5, "per_task": [{"x": 1}]},
            runs_per_task=2,
        )
        | {"tasks": [old, lower, timeout, error, ungraded, task_entry("t_twice", 1.0)] * 2}
    ]


def documents(samples: Path) -> list[tuple[str, bytes]]:
    found = [(p.name, p.read_bytes()) for p in sorted(samples.glob("*.json"))]
    found.append(
        (
            "corpus.json",
            json.dumps(corpus.result_document("a/b", "0001", 1.7e9, 0.7, 1), indent=2).encode(),
        )
    )
    found += [
        (f"trap{i}.json", json.dumps(d, indent=2).encode()) for i, d in enumerate(trap_docs())
    ]
    return found


def test_the_slim_copy_keeps_every_key_the_parser_reads(
    samples: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, raw in documents(samples):
        read = keys_read(raw, monkeypatch)
        raw_doc, slim_doc = json.loads(raw), json.loads(slim(name, raw, {}))
        # The source is the slim copy's own addition, checked on its own below.
        for path in (p for p in read if p[0] != "source"):
            assert has(slim_doc, path) == has(raw_doc, path), (name, path)
            if has(raw_doc, path):
                kept, was = value_at(slim_doc, path), value_at(raw_doc, path)
                # A container's own members are checked as paths of their own.
                assert type(kept) is type(was), (name, path)
                if not isinstance(was, (dict, list)):
                    assert kept == was, (name, path)
        # ... and nothing the parser does not read, but for the source, and the suite that
        # place.read_head needs to place a file from its first bytes without parsing it.
        extra = {p for p in key_paths(slim_doc) if p[0] != "source"} - read - {("suite",)}
        assert not extra, (name, sorted(map(str, extra))[:5])
        cut = parse_run(name, slim(name, raw, {}))
        assert replace(cut, source=()) == parse_run(name, raw)
        assert dict(cut.source) == json.loads(slim(name, raw, {}))["source"]
        (tmp_path / name).write_bytes(raw)
        (tmp_path / "slim.json").write_bytes(slim(name, raw, {}))
        head = read_head(tmp_path, name)
        if head is not None:
            assert read_head(tmp_path, "slim.json") == replace(head, path="slim.json")


def test_the_watch_sees_what_the_issue_names(monkeypatch: pytest.MonkeyPatch) -> None:
    """The traps of pinchbench-format.md are among the keys read (the watch itself works)."""
    read = keys_read(json.dumps(trap_docs()[0]).encode(), monkeypatch)
    for path in [
        ("in_progress",),
        ("efficiency", "total_cost_usd"),
        ("efficiency", "total_tokens"),
        ("tasks", 0, "grading", "score"),
        ("tasks", 1, "frontmatter", "category"),
        ("tasks", 0, "timed_out"),
    ]:
        assert path in read, path


def test_source_names_the_raw_file_and_the_night(samples: Path) -> None:
    import hashlib

    raw = (samples / "0005_main.json").read_bytes()
    env = {
        "GITHUB_ACTIONS": "true",
        "GITHUB_SERVER_URL": "https://github.com",
        "GITHUB_REPOSITORY": "acme/bench",
        "GITHUB_RUN_ID": "991",
        "GITHUB_RUN_ATTEMPT": "2",
    }
    cut = slim("new/0005_main.json", raw, env)
    assert json.loads(cut)["source"] == {
        "file": "0005_main.json",
        "bytes": 85315,
        "sha256": hashlib.sha256(raw).hexdigest(),
        "server_url": "https://github.com",
        "repository": "acme/bench",
        "workflow_run_id": "991",
        "workflow_run_attempt": "2",
    }
    assert slim("other.json", cut, {}) == cut  # a slim file slims to itself
    assert len(cut) < len(raw) / 5


def write_pair(raw_dir: Path, slim_dir: Path, files: list[tuple[str, bytes]]) -> None:
    raw_dir.mkdir()
    slim_dir.mkdir()
    for name, data in files:
        (raw_dir / name).write_bytes(data)
        (slim_dir / name).write_bytes(slim(name, data, {}))


def corpus_files(tmp_path: Path) -> list[tuple[str, bytes]]:
    out = tmp_path / "corpus"
    corpus.write_corpus(out, 36, model_count=3)
    found = [(p.name, p.read_bytes()) for p in sorted(out.iterdir())]
    # and a model that declines, so that the reports show a regression too
    for night in range(12):
        doc = result_doc(
            "acme/drift", f"{night:04d}", 1.75e9 + night * 86400, [0.9 - night / 50] * 3
        )
        found.append((f"{night:04d}_acme-drift.json", json.dumps(doc, indent=2).encode()))
    return found


def without_source(path: Path) -> str:
    """A report's text, and for the JSON report without what only a slim copy knows: its
    source (a raw file's is null)."""
    if path.suffix != ".json":
        return path.read_text()
    report = json.loads(path.read_text())
    for model in report["models"]:
        for run in model.get("runs", ()):
            assert run.pop("source") is None or path.parent.name.endswith("slim")
    return json.dumps(report)


@pytest.mark.parametrize("command", ["gate", "backtest"])
def test_every_report_is_the_same_on_slim_copies(
    samples: Path, tmp_path: Path, trendgate: Command, command: str
) -> None:
    files = corpus_files(tmp_path) + [(p.name, p.read_bytes()) for p in samples.glob("*.json")]
    write_pair(tmp_path / "raw", tmp_path / "slim", files)
    outputs = {}
    for kind in ("raw", "slim"):
        reports = tmp_path / f"reports-{kind}"
        reports.mkdir()
        args: list[str | Path] = [kind, "--window", "10", "--threshold", "-0.5", "--min-runs", "2"]
        # One clock for both runs: the freshness line names "now" to the second.
        args += ["--now", "2026-12-01T00:00:00Z", "--json", reports / "r.json"]
        if command == "gate":
            args += ["--junit", reports / "r.xml", "--markdown", reports / "r.md", "--verbose"]
        ran = trendgate(*([command] if command == "backtest" else []), *args, cwd=tmp_path)
        written = [without_source(reports / f) for f in sorted(p.name for p in reports.iterdir())]
        outputs[kind] = (ran.returncode, ran.stdout, ran.stderr, *written)
    # The directory's name is the one difference: the same length, so tables line up alike.
    assert outputs["raw"] == tuple(
        o.replace("slim", "raw") if isinstance(o, str) else o for o in outputs["slim"]
    )
    assert outputs["raw"][0] == (1 if command == "gate" else 0)  # the corpus has a decline


def test_the_proposal_reads_slim_copies_alike(samples: Path, tmp_path: Path) -> None:
    files = corpus_files(tmp_path) + [(p.name, p.read_bytes()) for p in samples.glob("*.json")]
    write_pair(tmp_path / "raw", tmp_path / "slim", files)
    raw, cut = RunTrendAnalyzer(tmp_path / "raw"), RunTrendAnalyzer(tmp_path / "slim")
    assert [r.summary() for r in raw.analyze()] == [r.summary() for r in cut.analyze()]
    assert raw.load_points() == cut.load_points()


def test_a_raw_and_a_slim_copy_are_one_run(
    samples: Path, tmp_path: Path, trendgate: Command
) -> None:
    history = tmp_path / "history"
    history.mkdir()
    for path in samples.glob("*.json"):
        shutil.copy(path, history / path.name)
        (history / f"slim-{path.name}").write_bytes(slim(path.name, path.read_bytes(), {}))
    ran = trendgate(history, "--allow-unjudged", "--json", tmp_path / "r.json", "--verbose")
    assert ran.returncode == 0, ran.stderr
    report = json.loads((tmp_path / "r.json").read_text())
    assert "differ" not in ran.stdout + ran.stderr + json.dumps(report)
    runs = {m["model"]: len(m["runs"]) for m in report["models"]}
    assert all(count == 1 for count in runs.values()), runs


def test_add_files_a_slim_copy_once_whatever_copy_comes(
    samples: Path, tmp_path: Path, trendgate: Command
) -> None:
    history = tmp_path / "history"
    first = trendgate("add", samples, "--to", history, "--slim")
    assert first.returncode == 0, first.stderr
    filed = sorted(history.iterdir())
    assert len(filed) == 4
    for path in filed:
        doc = json.loads(path.read_bytes())
        raw = (samples / doc["source"]["file"]).read_bytes()
        assert path.read_bytes() == slim(doc["source"]["file"], raw, {})
    # The raw files again, and a slim copy made on another night: all filed already.
    again = tmp_path / "again"
    again.mkdir()
    night = {"GITHUB_ACTIONS": "true", "GITHUB_RUN_ID": "7"}
    for path in samples.glob("*.json"):
        (again / f"s-{path.name}").write_bytes(slim(path.name, path.read_bytes(), night))
    ran = trendgate("add", samples, again, "--to", history, "--strict")
    assert ran.returncode == 0, ran.stderr
    assert sorted(history.iterdir()) == filed
    assert "were filed already" in ran.stderr
