"""Twelve nights on fresh runners: every run is 0001, filed by `add` into the history judged."""

from __future__ import annotations

import json
from pathlib import Path

from tests.builders import result_doc, write_doc
from tests.command import Command

T0 = 1_778_000_000.0
MODELS = {"acme/drifting": 90.0, "acme/flat-a": 70.0, "acme/flat-b": 55.0}


def score(model: str, night: int) -> float:
    """The drifting model loses 3 points a night; the others are exactly flat."""
    return MODELS[model] - 3 * (night - 1) if model == "acme/drifting" else MODELS[model]


def bench(directory: Path, night: int, models: list[str], *, sub_folders: bool = False) -> None:
    """What a fresh runner leaves: `0001_<slug>.json` per model (in one folder per artifact)."""
    for model in models:
        slug = model.replace("/", "-")
        where = directory / slug if sub_folders else directory
        doc = result_doc(model, "0001", T0 + night * 86_400, [score(model, night) / 100])
        write_doc(where, f"0001_{slug}.json", doc)


def test_twelve_nights_through_add_and_the_gate(tmp_path: Path, trendgate: Command) -> None:
    history = tmp_path / "history"
    for night in range(1, 13):
        tonight = tmp_path / f"night-{night}"
        bench(tonight, night, list(MODELS), sub_folders=night == 5)
        if night == 7:  # a run killed half-way leaves a partial file: never filed
            doc = {**result_doc("acme/flat-a", "0002", T0 + night * 86_400, [0.1])}
            write_doc(tonight, "0002_acme-flat-a.json", doc | {"in_progress": True})
        ran = trendgate(history, "--add", tonight, "--format", "json")
        report = json.loads(ran.stdout)
        assert len(report["added"]) == 3, (night, ran.stderr)
        assert len(list(history.glob("*.json"))) == 3 * night  # one run per model per night
        status = {m["model"]: m["status"] for m in report["models"]}
        if night <= 2:
            # One or two runs each: the default rule needs 3 (a slope with a residual), so
            # nothing can be judged yet, which fails closed unless allowed.
            assert ran.returncode == 2, ran.stderr
            assert report["error"].startswith("no model has enough runs to judge in ")
            assert set(status.values()) == {"insufficient_data"}
            allowed = trendgate(history, "--add", tonight, "--allow-unjudged")
            assert allowed.returncode == 0, allowed.stderr
            continue
        assert status["acme/flat-a"] == status["acme/flat-b"] == "stable", night
        assert status["acme/drifting"] == "regression", night  # from its third run on
        assert ran.returncode == 1, ran.stderr
        if night == 7:
            [left] = report["left_out"]
            assert left["path"] == f"{tonight}/0002_acme-flat-a.json"
            assert left["reason"].startswith("partial file (in_progress: true)")

    # A re-run of the job adds night 12 again: nothing changes, and a notice says why.
    before = sorted(p.name for p in history.iterdir())
    again = trendgate("add", tmp_path / "night-12", "--to", history)
    assert again.returncode == 0
    assert again.stderr.startswith(
        f"trendgate add: {history}: 0 filed, 3 filed already, 0 left out"
    )
    rerun = trendgate(history, "--add", tmp_path / "night-12")
    assert rerun.returncode == 1
    assert "notice: all 3 runs in" in rerun.stderr and "(a re-run?)" in rerun.stderr
    assert sorted(p.name for p in history.iterdir()) == before

    # A night whose benchmark produced nothing fails closed, unless the user opts out.
    (tmp_path / "night-13").mkdir()
    empty = trendgate(history, "--add", tmp_path / "night-13")
    assert empty.returncode == 2
    assert empty.stderr.endswith(
        "trendgate: error: tonight's benchmark produced nothing: no complete result file in "
        f"{tmp_path}/night-13 (PinchBench writes no file when its sanity task scores 0)\n"
    )
    assert trendgate(history, "--add", tmp_path / "night-13", "--allow-empty").returncode == 1
    assert sorted(p.name for p in history.iterdir()) == before


def test_a_model_missing_tonight_is_a_warning_and_strict_fails(
    tmp_path: Path, trendgate: Command
) -> None:
    history = tmp_path / "history"
    for night in (1, 2):
        bench(tmp_path / f"n{night}", night, ["acme/flat-a", "acme/flat-b"])
        ran = trendgate(history, "--add", tmp_path / f"n{night}", "--allow-unjudged")
        assert ran.returncode == 0
    bench(tmp_path / "n3", 3, ["acme/flat-a"])
    ran = trendgate(history, "--add", tmp_path / "n3", "--format", "json")
    assert ran.returncode == 0
    warning = f"acme/flat-b has no run in {tmp_path}/n3: its last run was on 2026-05-07 (UTC)"
    assert [w["message"] for w in json.loads(ran.stdout)["warnings"]] == [warning]
    assert (
        warning in trendgate(history).stdout + trendgate(history, "--add", tmp_path / "n3").stdout
    )
    # The morning after night 3, so that the history is not behind the clock.
    clock = {"SOURCE_DATE_EPOCH": str(1_778_000_000 + 4 * 86_400)}
    strict = trendgate(history, "--add", tmp_path / "n3", "--strict", env=clock)
    assert strict.returncode == 2
    assert strict.stderr.endswith(f"trendgate: error: --strict: {warning}\n")


def test_add_needs_its_history_and_a_source(tmp_path: Path, trendgate: Command) -> None:
    bench(tmp_path / "n1", 1, ["acme/flat-a"])
    missing = trendgate("add", tmp_path / "n1", cwd=tmp_path)
    assert missing.returncode == 2
    assert missing.stderr == (
        "trendgate: error: name the history: --to HISTORY, or results_dir in the config file\n"
    )
    (tmp_path / "trendgate.yml").write_text("results_dir: kept\n")
    assert trendgate("add", "n1", cwd=tmp_path).returncode == 0
    assert len(list((tmp_path / "kept").iterdir())) == 1

    absent = trendgate("add", tmp_path / "absent", "--to", tmp_path / "h")
    assert (absent.returncode, absent.stderr) == (
        2,
        f"trendgate: error: SOURCE not found: {tmp_path}/absent\n",
    )
    assert trendgate("add", "--to", tmp_path / "h").returncode == 2  # argparse: SOURCE required
    keep = trendgate("add", "n1", "--to", "h", "--keep-runs", "3", cwd=tmp_path)
    assert keep.returncode == 2 and "keep at least 15" in keep.stderr
