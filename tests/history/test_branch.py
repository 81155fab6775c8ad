"""The branch store against a real git remote on disk: nights, races, kills, typos (git tier)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.builders import result_doc
from tests.command import outside_github
from trendgate.read.files import LoadError
from trendgate.read.pinchbench import parse_run

pytestmark = pytest.mark.git

BRANCH = "trendgate-history"
DAY = 86_400.0
ACTION_MAIN = "import sys; from trendgate.app.action import main; sys.exit(main())"
START = 1_780_000_000.0


def git(*args: str | Path, cwd: Path | None = None) -> str:
    return subprocess.run(
        ["git", *map(str, args)], cwd=cwd, check=True, capture_output=True, text=True
    ).stdout


def origin(tmp_path: Path) -> Path:
    bare = tmp_path / "origin.git"
    git("init", "--quiet", "--bare", bare)
    return bare


def fresh_clone(bare: Path, where: Path) -> Path:
    """A fresh runner's checkout: a new clone, no history directory."""
    git("clone", "--quiet", bare, where)
    return where


def tonight(clone: Path, night: int, models: dict[str, float]) -> Path:
    """The night's results as a fresh runner names them: 0001_<slug>.json."""
    out = clone / "new-results"
    out.mkdir()
    for index, (model, level) in enumerate(models.items()):
        doc = result_doc(model, "0001", START + night * DAY + index, [level] * 4)
        slug = model.replace("/", "-").replace(".", "-").lower()
        (out / f"0001_{slug}.json").write_text(json.dumps(doc, indent=2))
    return out


def trendgate(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "trendgate", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=outside_github(None),
        timeout=120,
    )


def branch_files(bare: Path) -> list[str]:
    return git("ls-tree", "--name-only", BRANCH, cwd=bare).split()


def complete_runs_only(bare: Path, history: Path | None) -> None:
    """Every result file on the branch and in the history parses as a whole run."""
    for name in branch_files(bare):
        parse_run(name, subprocess.check_output(["git", "show", f"{BRANCH}:{name}"], cwd=bare))
    if history and history.exists():
        for path in history.glob("*.json"):
            parse_run(path.name, path.read_bytes())


def test_thirty_fresh_runner_nights(tmp_path: Path) -> None:
    bare = origin(tmp_path)
    for night in range(1, 31):
        clone = fresh_clone(bare, tmp_path / f"night{night}")
        models = {"acme/drift": 0.9 - night / 100, "acme/flat": 0.8, "acme/steady": 0.7}
        source = tonight(clone, night, models)
        start = ("--start-history",) if night == 1 else ()
        ran = trendgate(
            "history",
            "--add",
            source,
            "--history-branch",
            BRANCH,
            *start,
            "--json",
            clone / "r.json",
            cwd=clone,
        )
        report = json.loads((clone / "r.json").read_text())
        regressed = [m["model"] for m in report["models"] if m["status"] == "regression"]
        if night == 1:
            assert ran.returncode == 0, ran.stderr
            assert "history started on this night" in ran.stdout
            assert any("history started" in w["message"] for w in report["warnings"])
        elif night == 2:
            # Two runs a model, fewer than the default rule judges: a young history passes.
            assert ran.returncode == 0, ran.stderr
            assert regressed == [] and "history started" not in ran.stdout
        else:
            # The drift falls a point a night on a perfect line: the default gate fails it from
            # its third run on, the flat ones never.
            assert ran.returncode == 1, ran.stderr
            assert regressed == ["acme/drift"], night
            assert "history started" not in ran.stdout
        assert len(branch_files(bare)) == 3 * night
        assert len(git("rev-list", BRANCH, cwd=bare).split()) == night
        assert (
            git("status", "--porcelain", cwd=clone) == "?? history/\n?? new-results/\n?? r.json\n"
        )
    message = git("log", "-1", "--format=%B", BRANCH, cwd=bare)
    assert message.startswith("trendgate: 3 runs of ") and "acme-drift_0001" in message
    for name in branch_files(bare):
        assert len(git("cat-file", "-s", f"{BRANCH}:{name}", cwd=bare)) and "source" in git(
            "show", f"{BRANCH}:{name}", cwd=bare
        )


def test_a_misspelt_branch_is_exit_2(tmp_path: Path) -> None:
    bare = origin(tmp_path)
    clone = fresh_clone(bare, tmp_path / "a")
    source = tonight(clone, 1, {"acme/flat": 0.8})
    assert (
        trendgate(
            "add",
            source,
            "--to",
            "history",
            "--history-branch",
            BRANCH,
            "--start-history",
            cwd=clone,
        ).returncode
        == 0
    )
    clone = fresh_clone(bare, tmp_path / "b")
    source = tonight(clone, 2, {"acme/flat": 0.8})
    ran = trendgate("history", "--add", source, "--history-branch", "trendgate-histroy", cwd=clone)
    assert ran.returncode == 2
    assert "trendgate-histroy does not exist on origin" in ran.stderr
    assert branch_files(bare) == branch_files(bare)[:1]  # nothing pushed anywhere


def test_a_failed_fetch_is_exit_2(tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    git("init", "--quiet", clone)
    git("remote", "add", "origin", tmp_path / "nowhere.git", cwd=clone)
    source = tonight(clone, 1, {"acme/flat": 0.8})
    ran = trendgate(
        "history",
        "--add",
        source,
        "--history-branch",
        BRANCH,
        "--start-history",
        cwd=clone,
    )
    assert ran.returncode == 2 and "cannot read the history branch" in ran.stderr


def test_a_refused_push_is_exit_2_after_the_verdict(tmp_path: Path) -> None:
    bare = origin(tmp_path)
    seed = fresh_clone(bare, tmp_path / "seed")
    source = tonight(seed, 0, {"acme/flat": 0.8})
    args = ("--history-branch", BRANCH)
    assert (
        trendgate("add", source, "--to", "history", *args, "--start-history", cwd=seed).returncode
        == 0
    )
    hook = bare / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'protected branch' >&2\nexit 1\n")
    hook.chmod(0o755)
    clone = fresh_clone(bare, tmp_path / "night")
    ran = trendgate("history", "--add", tonight(clone, 1, {"acme/flat": 0.8}), *args, cwd=clone)
    assert ran.returncode == 2
    assert "acme/flat" in ran.stdout  # the verdict, printed before the push failed
    assert "trendgate: error: cannot push" in ran.stderr
    assert len(branch_files(bare)) == 1  # the seed's run only


def test_two_jobs_of_one_night_both_land(tmp_path: Path) -> None:
    bare = origin(tmp_path)
    seed = fresh_clone(bare, tmp_path / "seed")
    source = tonight(seed, 0, {"acme/seed": 0.5})
    assert (
        trendgate(
            "add",
            source,
            "--to",
            "history",
            "--history-branch",
            BRANCH,
            "--start-history",
            cwd=seed,
        ).returncode
        == 0
    )
    for night in range(1, 6):
        jobs = []
        for model in ("acme/left", "acme/right"):
            clone = fresh_clone(bare, tmp_path / f"{night}-{model[5:]}")
            source = tonight(clone, night, {model: 0.5})
            jobs.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "trendgate",
                        "add",
                        str(source),
                        "--to",
                        "history",
                        "--history-branch",
                        BRANCH,
                    ],
                    cwd=clone,
                    env=outside_github(None),
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                )
            )
        for job in jobs:
            _, err = job.communicate(timeout=120)
            assert job.returncode == 0, err
        assert len(branch_files(bare)) == 1 + 2 * night
    assert len(git("rev-list", BRANCH, cwd=bare).split()) == 11


@pytest.mark.parametrize("delay", [0.02 * k for k in range(1, 40, 3)])
def test_sigkill_leaves_complete_runs_only(tmp_path: Path, delay: float) -> None:
    bare = origin(tmp_path)
    seed = fresh_clone(bare, tmp_path / "seed")
    for night in range(3):
        source = tonight(seed, night, {"acme/a": 0.5, "acme/b": 0.6})
        start = ("--start-history",) if night == 0 else ()
        ran = trendgate(
            "add", source, "--to", "history", "--history-branch", BRANCH, *start, cwd=seed
        )
        assert ran.returncode == 0, ran.stderr
        # What the store did is said on stderr, by the shell, one line each.
        said = [line for line in ran.stderr.splitlines() if line.startswith("trendgate: ")]
        assert any("pushed 2 runs as " in line for line in said), ran.stderr
        assert ("history started on this night" in ran.stderr) == (night == 0)
        os.rename(source, seed / f"done{night}")
    before = set(branch_files(bare))
    clone = fresh_clone(bare, tmp_path / "killed")
    source = tonight(clone, 9, {"acme/a": 0.5, "acme/b": 0.6})
    job = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "trendgate",
            "history",
            "--add",
            str(source),
            "--history-branch",
            BRANCH,
        ],
        cwd=clone,
        env=outside_github(None),
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(delay)
    os.killpg(job.pid, signal.SIGKILL)
    job.wait()
    after = set(branch_files(bare))
    assert after == before or len(after - before) == 2  # tonight's push is whole or absent
    try:
        complete_runs_only(bare, clone / "history")
    except LoadError as exc:
        pytest.fail(f"a partial run after SIGKILL at {delay} s: {exc}")
    # The next try files what is missing, and loses nothing.
    ran = trendgate("history", "--add", source, "--history-branch", BRANCH, cwd=clone)
    assert ran.returncode in (0, 1), ran.stderr
    assert set(branch_files(bare)) >= before and len(branch_files(bare)) == len(before) + 2


def test_the_action_pushes_only_from_schedule_and_keeps_its_token_out(tmp_path: Path) -> None:
    from trendgate.app import action

    bare = origin(tmp_path)
    clone = fresh_clone(bare, tmp_path / "ws")
    seeded = trendgate(
        "add",
        tonight(clone, 0, {"acme/a": 0.5}),
        "--to",
        "h0",
        "--history-branch",
        BRANCH,
        "--start-history",
        cwd=clone,
    )
    assert seeded.returncode == 0, seeded.stderr
    os.rename(clone / "new-results", clone / "night0")
    source = tonight(clone, 1, {"acme/a": 0.5})
    token = "ghs_NeverShowThisToken0123456789"
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"repository": {"default_branch": "main"}}))
    base = {
        "GITHUB_ACTIONS": "true",
        "GITHUB_WORKSPACE": str(clone),
        "GITHUB_EVENT_PATH": str(event),
        "INPUT_RESULTS-DIR": "history",
        "INPUT_ADD": source.name,
        "INPUT_HISTORY-BRANCH": BRANCH,
        "INPUT_GITHUB-TOKEN": token,
        "INPUT_JSON-REPORT": "r.json",
    }
    outputs = []
    for event_name, ref, pushes in [
        ("pull_request", "refs/pull/1/merge", False),
        ("workflow_dispatch", "refs/heads/topic", False),
        ("schedule", "refs/heads/main", True),
    ]:
        env = base | {"GITHUB_EVENT_NAME": event_name, "GITHUB_REF": ref}
        proc = subprocess.run(
            [sys.executable, "-c", ACTION_MAIN],
            cwd=clone,
            env=outside_github(env),
            capture_output=True,
            text=True,
            timeout=120,
        )
        outputs.append(proc.stdout + proc.stderr + (clone / "r.json").read_text())
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert (len(branch_files(bare)) == 2) == pushes, event_name
        if not pushes:
            assert "not pushed: a " + event_name in proc.stdout
    assert action  # the module the step runs
    seen = "".join(outputs) + (clone / ".git" / "config").read_text()
    assert token not in seen
    assert not list((clone / ".git").glob("trendgate*"))  # nothing of ours in the clone's git


def runs_on_branch(bare: Path) -> set[tuple[str, str, float]]:
    """Every run on the branch by identity (model, run id, time), parsed from its file."""
    found = set()
    for name in branch_files(bare):
        data = subprocess.check_output(["git", "show", f"{BRANCH}:{name}"], cwd=bare)
        run = parse_run(name, data)
        found.add((run.model, run.run_id, run.timestamp))
    return found


def test_deleting_the_branch_and_restoring_it_loses_no_run(tmp_path: Path) -> None:
    bare = origin(tmp_path)
    models = {"acme/a": 0.5, "acme/b": 0.6}
    artifacts = tmp_path / "artifacts"  # each night's raw results, as uploaded artifacts
    saved = tmp_path / "saved"  # one runner's pulled history, as a cache would keep it
    artifacts.mkdir()
    for night in range(1, 7):
        clone = fresh_clone(bare, tmp_path / f"night{night}")
        source = tonight(clone, night, models)
        start = ("--start-history",) if night == 1 else ()
        ran = trendgate(
            "add", source, "--to", "history", "--history-branch", BRANCH, *start, cwd=clone
        )
        assert ran.returncode == 0, ran.stderr
        os.rename(source, artifacts / f"night{night}")
        if night == 4:
            os.rename(clone / "history", saved)
    before = runs_on_branch(bare)
    assert len(before) == 12
    git("branch", "-D", BRANCH, cwd=bare)  # a person deletes it
    clone = fresh_clone(bare, tmp_path / "after")
    source = tonight(clone, 7, models)
    lost = trendgate("history", "--add", source, "--history-branch", BRANCH, cwd=clone)
    assert lost.returncode == 2 and "does not exist" in lost.stderr  # loud, not a pass
    assert not (clone / "history").exists() or not list((clone / "history").glob("*.json"))
    # Restored from the cached history (nights 1-4, slim) and every night's artifacts (raw):
    # the overlap is one run each, not two.
    restore = fresh_clone(bare, tmp_path / "restore")
    ran = trendgate(
        "add",
        saved,
        artifacts,
        "--to",
        "history",
        "--history-branch",
        BRANCH,
        "--start-history",
        "--strict",
        cwd=restore,
    )
    assert ran.returncode == 0, ran.stderr
    assert runs_on_branch(bare) == before
    assert len(branch_files(bare)) == 12
    ran = trendgate("history", "--add", source, "--history-branch", BRANCH, cwd=clone)
    assert ran.returncode in (0, 1), ran.stderr
    after = runs_on_branch(bare)
    assert before < after and len(after - before) == 2
    assert len(list((clone / "history").glob("*.json"))) == 14
