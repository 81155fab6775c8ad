"""End to end: the Action's image run as the runner runs it, then the self-test workflow under act.

Needs a Docker-API engine (DOCKER_HOST) and act (ACT); `bash tests/e2e/run.sh` provides both.
Exits non-zero, saying why, when anything differs from what a user of the Action must get.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import cmarkgfm
import tomli
import yaml

from tests.hostile_matrix import CLOCK, FLAG_SETS, RULES, action_inputs, cli_flags, lay_out
from tests.runner import executed_commands, parse_outputs

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "e2e" / "fixtures"
# Another clone's run of this tier on the same engine can keep apart with a tag of its own.
IMAGE = os.environ.get("TRENDGATE_E2E_IMAGE", "localhost/trendgate-e2e:latest")
DRIVER = ROOT / "tests" / "e2e" / "hostile_driver.py"
WORKFLOW = ".github/workflows/self-test.yml"
RUNNER_IMAGE = "docker.io/library/python:3.12-slim"  # act's stand-in for ubuntu-latest
ACT_TIMEOUT = 600  # seconds for one act run, far more than one takes
OWNER = 4321  # the workspace belongs to the runner's user, never root
REMOTE_IN_WORKSPACE = "origin.git"  # where branch_tier mounts its bare remote
BRANCH = "trendgate-history"
TOKEN = "ghs_e2eNeverShownToken0123456789abcdef"


class Failed(Exception):
    """An end-to-end check that did not hold."""


def check(condition: bool, what: str) -> None:
    if not condition:
        raise Failed(what)


def docker(*args: str, check_exit: bool = True) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(["docker", *args], capture_output=True, text=True, encoding="utf-8")
    if check_exit and proc.returncode != 0:
        raise Failed(f"docker {args[0]} failed ({proc.returncode}): {proc.stderr.strip()}")
    return proc


@dataclass(frozen=True)
class Step:
    """What one `docker run` of the Action left behind."""

    exit_code: int
    log: str
    outputs: dict[str, str]
    summary: str
    workspace: Path


def run_like_the_runner(
    fixture: str, scratch: Path, config: str | None = None, **inputs: str
) -> Step:
    """`docker run` as actions/runner issues it for a Docker action (ContainerActionHandler).

    `config`, when given, is written to the workspace as trendgate.yml.
    """
    return run_step(fixture, scratch, inputs, config=config)


def run_step(
    fixture: str,
    scratch: Path,
    inputs: Mapping[str, str],
    *,
    config: str | None = None,
    remote: Path | None = None,
    runner_env: Mapping[str, str] | None = None,
) -> Step:
    """run_like_the_runner; with `remote` (a bare repository), the workspace is a clone whose
    origin is that repository, mounted into the workspace at REMOTE_IN_WORKSPACE, as
    actions/checkout leaves a clone (no credentials); `runner_env` adds to the runner's
    variables."""
    workspace, commands = scratch / fixture / "workspace", scratch / fixture / "file_commands"
    shutil.copytree(FIXTURES / fixture, workspace / "bench")
    if config is not None:
        (workspace / "trendgate.yml").write_text(config)
    mounts = []
    if remote is not None:
        subprocess.run(["git", "init", "-q", "-b", "main", str(workspace)], check=True)
        url = f"/github/workspace/{REMOTE_IN_WORKSPACE}"
        subprocess.run(["git", "-C", str(workspace), "remote", "add", "origin", url], check=True)
        mounts = ["-v", f"{remote}:{url}"]
    commands.mkdir()
    for path in (workspace, *workspace.rglob("*")):
        os.chown(path, OWNER, OWNER, follow_symlinks=False)
    step_id = uuid.uuid4()
    output, summary = f"set_output_{step_id}", f"step_summary_{step_id}"
    (commands / output).write_text("")
    (commands / summary).write_text("")
    # The runner sets every declared input, with its action.yml default when not given.
    declared = yaml.safe_load((ROOT / "action.yml").read_text())["inputs"]
    values = {name: spec.get("default", "") for name, spec in declared.items()}
    values |= {"results-dir": "bench", **inputs}
    env = {f"INPUT_{name.upper()}": value for name, value in values.items()}
    env |= {
        "GITHUB_ACTIONS": "true",
        "CI": "true",
        "HOME": "/github/home",
        "GITHUB_WORKSPACE": "/github/workspace",
        "GITHUB_OUTPUT": f"/github/file_commands/{output}",
        "GITHUB_STEP_SUMMARY": f"/github/file_commands/{summary}",
    } | dict(runner_env or {})
    name = f"trendgate-e2e-{step_id}"
    # No --rm: with podman's Docker API it reports exit 0 whatever the container returned.
    proc = subprocess.run(
        ["docker", "run", "--name", name, "--workdir", "/github/workspace"]
        + ["-v", f"{workspace}:/github/workspace", "-v", f"{commands}:/github/file_commands"]
        + mounts
        + [arg for key, value in env.items() for arg in ("-e", f"{key}={value}")]
        + [IMAGE],
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    state = docker("inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", name).stdout
    docker("rm", name)
    check(
        state.strip() == f"exited {proc.returncode}",
        f"docker run said {proc.returncode}, the engine {state.strip()!r}: {proc.stderr.strip()}",
    )
    return Step(
        proc.returncode,
        proc.stdout + proc.stderr,
        parse_outputs((commands / output).read_text(encoding="utf-8")),
        (commands / summary).read_text(encoding="utf-8"),
        workspace,
    )


def table_rows(summary: str) -> int:
    page = str(cmarkgfm.github_flavored_markdown_to_html(summary))
    table = page[page.index("<tbody>") : page.index("</tbody>")]
    return table.count("<tr>")


def version_check() -> None:
    """The image runs the version pyproject.toml declares, as a release's image tag says."""
    declared = tomli.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    name = f"trendgate-e2e-version-{uuid.uuid4()}"  # no --rm, as in run_like_the_runner
    shown = docker("run", "--name", name, "--entrypoint", "trendgate", IMAGE, "--version").stdout
    docker("rm", name)
    check(shown == f"trendgate {declared}\n", f"image says {shown!r}, pyproject.toml {declared}")
    print(f"container: image runs trendgate {declared}")


def container_tier(scratch: Path) -> None:
    regressing = run_like_the_runner("regressing", scratch, **{"json-report": "trendgate.json"})
    check(regressing.exit_code == 1, f"regressing: exit {regressing.exit_code}\n{regressing.log}")
    check(
        regressing.outputs
        == {
            "regression": "true",
            "regressed-models": '["acme/falling-1.0"]',
            "models-analyzed": "2",
            "runs-added": "0",
            "report": "trendgate.json",
        },
        f"regressing: outputs {regressing.outputs}",
    )
    check(
        regressing.summary.startswith(
            "### ❌ trendgate: 1 of 2 models regressing: acme/falling-1&#46;0\n"
        ),
        f"regressing: summary starts {regressing.summary[:80]!r}",
    )
    check(table_rows(regressing.summary) == 2, "regressing: not one table row per model")
    errors = [c for c in executed_commands(regressing.log) if c.name == "error"]
    check(
        [e.properties.get("title") for e in errors] == ["Score regression: acme/falling-1.0"],
        f"regressing: annotations {errors}",
    )
    check(
        {c.name for c in executed_commands(regressing.log)} == {"stop-commands", "error"},
        "regressing: a workflow command came from a result file",
    )
    report = regressing.workspace / "trendgate.json"
    owner = report.stat()
    check((owner.st_uid, owner.st_gid) == (OWNER, OWNER), f"report owned by {owner.st_uid}")
    check(json.loads(report.read_text())["regression"] is True, "report says no regression")
    print("container: regressing fixture: exit 1, outputs, summary, annotation, report owner ok")

    clean = run_like_the_runner("clean", scratch)
    check(clean.exit_code == 0, f"clean: exit {clean.exit_code}\n{clean.log}")
    check(
        clean.outputs
        == {
            "regression": "false",
            "regressed-models": "[]",
            "models-analyzed": "2",
            "runs-added": "0",
        },
        f"clean: outputs {clean.outputs}",
    )
    check(
        clean.summary.startswith("### ✅ trendgate: no regression in 2 models\n"), "clean summary"
    )
    check(not [c for c in executed_commands(clean.log) if c.name == "error"], "clean: error")
    print("container: clean fixture: exit 0, outputs, summary ok")

    # The image carries PyYAML: a config file in the workspace accepts the decline.
    accepted = run_like_the_runner(
        "regressing",
        scratch / "configured",
        config='accept:\n  - model: "acme/falling*"\n    after_run: "0006"\n    reason: r\n',
        **{"junit-report": "trendgate.xml"},
    )
    check(accepted.exit_code == 0, f"configured: exit {accepted.exit_code}\n{accepted.log}")
    check("accepted decline after run 0006" in accepted.log, "configured: rule not in the log")
    junit = accepted.workspace / "trendgate.xml"
    check(junit.stat().st_uid == OWNER, f"JUnit report owned by {junit.stat().st_uid}")
    check('name="acme/falling-1.0"' in junit.read_text(), "configured: no JUnit test case")
    print("container: config file and JUnit report ok")

    # Tonight's runs filed into a history the container creates, then judged.
    tonight = sorted((FIXTURES / "regressing").glob("*.json"))
    added = run_like_the_runner(
        "regressing", scratch / "added", add="bench", **{"results-dir": "history"}
    )
    check(added.exit_code == 1, f"add: exit {added.exit_code}\n{added.log}")
    check(added.outputs.get("runs-added") == str(len(tonight)), f"add: outputs {added.outputs}")
    history = added.workspace / "history"
    filed = sorted(history.iterdir())
    check(len(filed) == len(tonight), f"add: {len(filed)} files in the history, not {len(tonight)}")
    owners = {(p.stat().st_uid, p.stat().st_gid) for p in (history, *filed)}
    check(owners == {(OWNER, OWNER)}, f"add: history and its files owned by {owners}")
    print("container: add input: exit 1, runs-added, history size and owner ok")


def hostile_tier(scratch: Path) -> None:
    """Issue 23's hostile-file matrix (tests/hostile_matrix.py, which tests/test_fail_closed.py
    runs in process) in the built image: each case's directory, made here, is mounted at its
    own path, and tests/e2e/hostile_driver.py, run by the image's Python, runs the image's
    `trendgate` on it under every rule and flag set, then the image's entrypoint (the Action)
    with no inputs and with strict, confidence and x together. One container for all of it."""
    started = time.monotonic()
    cases = lay_out(scratch / "cases")
    (scratch / "commands").mkdir()
    entrypoint = json.loads(
        docker("image", "inspect", "--format", "{{json .Config.Entrypoint}}", IMAGE).stdout
    )
    declared = yaml.safe_load((ROOT / "action.yml").read_text())["inputs"]
    defaults = {name: spec.get("default", "") for name, spec in declared.items()}
    plan = []
    for case, results in cases.items():
        for rule in RULES.values():
            for flags in map(cli_flags, FLAG_SETS):
                argv = ["trendgate", str(results), *rule, *flags]
                plan.append({"id": shlex.join(argv), "argv": argv, "env": CLOCK, "cwd": "/"})
        for inputs in map(action_inputs, (FLAG_SETS[0], FLAG_SETS[-1])):
            step = f"{case}-{len(inputs)}"
            values = defaults | {"results-dir": "results"} | inputs
            env = {f"INPUT_{name.upper()}": value for name, value in values.items()}
            env |= {
                "GITHUB_ACTIONS": "true",
                "CI": "true",
                "GITHUB_WORKSPACE": str(results.parent),
                "GITHUB_OUTPUT": str(scratch / "commands" / f"output-{step}"),
                "GITHUB_STEP_SUMMARY": str(scratch / "commands" / f"summary-{step}"),
            } | CLOCK
            shown = f"action {case} {json.dumps(inputs)}"
            plan.append({"id": shown, "argv": entrypoint, "env": env, "cwd": str(results.parent)})
    (scratch / "plan.json").write_text(json.dumps(plan))
    name = f"trendgate-e2e-hostile-{uuid.uuid4()}"  # no --rm, as in run_like_the_runner
    proc = docker(
        "run",
        "--name",
        name,
        "--entrypoint",
        "python3",
        "-v",
        f"{scratch}:{scratch}",  # at its own path: symlink-outside's absolute target resolves
        "-v",
        f"{DRIVER}:/hostile_driver.py:ro",
        IMAGE,
        "/hostile_driver.py",
        str(scratch / "plan.json"),
        check_exit=False,
    )
    state = docker("inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", name).stdout
    docker("rm", name)
    (ROOT / ".e2e-hostile.log").write_text(proc.stdout, encoding="utf-8")  # a line a command
    check(state.strip() == "exited 0", f"hostile driver: {state.strip()}: {proc.stderr.strip()}")
    lines = [json.loads(line) for line in proc.stdout.splitlines()]
    check(
        [line["id"] for line in lines] == [entry["id"] for entry in plan],
        f"hostile driver: {len(lines)} lines for {len(plan)} commands",
    )
    wrong = [line for line in lines if line["exit"] not in (1, 2) or line["traceback"]]
    check(
        not wrong,
        f"hostile matrix: {len(wrong)} of {len(lines)} commands passed, crashed or printed a "
        "traceback (all in .e2e-hostile.log):\n" + "\n".join(map(json.dumps, wrong[:20])),
    )
    codes = {code: sum(line["exit"] == code for line in lines) for code in (1, 2)}
    print(
        f"container: hostile matrix: {len(cases)} cases, {len(lines)} commands "
        f"(trendgate under {len(RULES)} rules x {len(FLAG_SETS)} flag sets, the Action twice), "
        f"{codes[1]} exit 1, {codes[2]} exit 2, none 0, no traceback, "
        f"in {time.monotonic() - started:.0f} s"
    )


def branch_files(remote: Path) -> list[str]:
    listed = subprocess.run(
        ["git", "--git-dir", str(remote), "ls-tree", "--name-only", BRANCH],
        capture_output=True,
        text=True,
    )
    return listed.stdout.split() if listed.returncode == 0 else []


def branch_tier(scratch: Path) -> None:
    """The Action with history-branch against a bare remote mounted into the workspace: a
    first night starts the branch, the next night judges on it and pushes, a pull request
    reads without writing, a misspelt branch is exit 2; the token shows nowhere."""
    remote = scratch / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)
    night = {
        "GITHUB_EVENT_NAME": "schedule",
        "GITHUB_REF": "refs/heads/main",
        "GITHUB_SERVER_URL": "https://github.com",
        "GITHUB_REPOSITORY": "acme/bench",
        "GITHUB_RUN_ATTEMPT": "1",
    }
    inputs = {"add": "bench", "results-dir": "history", "history-branch": BRANCH}
    inputs |= {"github-token": TOKEN}
    steps = []
    first = run_step(
        "clean",
        scratch / "night1",
        inputs | {"start-history": "true"},
        remote=remote,
        runner_env=night | {"GITHUB_RUN_ID": "101"},
    )
    steps.append(first)
    check(first.exit_code == 0, f"branch night 1: exit {first.exit_code}\n{first.log}")
    check("history started on this night" in first.log, "branch night 1: not said started")
    check("history started on this night" in first.summary, "branch night 1: not in summary")
    check(len(branch_files(remote)) == 12, f"branch night 1: {branch_files(remote)}")
    second = run_step(
        "regressing",
        scratch / "night2",
        inputs | {"json-report": "r.json"},
        remote=remote,
        runner_env=night | {"GITHUB_RUN_ID": "102"},
    )
    steps.append(second)
    check(second.exit_code == 1, f"branch night 2: exit {second.exit_code}\n{second.log}")
    check(len(branch_files(remote)) == 24, f"branch night 2: {len(branch_files(remote))} files")
    pulled = second.workspace / "history"
    check(len(list(pulled.glob("*.json"))) == 24, "branch night 2: the history is not whole")
    owners = {(p.stat().st_uid, p.stat().st_gid) for p in (pulled, *pulled.iterdir())}
    check(owners == {(OWNER, OWNER)}, f"branch night 2: history owned by {owners}")
    link = "](https://github.com/acme/bench/actions/runs/102/attempts/1)"
    check(link in second.summary, "branch night 2: the regression's runs are not linked")
    runs = json.loads((second.workspace / "r.json").read_text())["models"]
    sources = {r["source"]["workflow_run_id"] for m in runs for r in m["runs"]}
    check(sources == {"101", "102"}, f"branch night 2: sources {sources}")
    commits = subprocess.run(
        ["git", "--git-dir", str(remote), "rev-list", BRANCH], capture_output=True, text=True
    ).stdout.split()
    check(len(commits) == 2, f"branch: {len(commits)} commits after two nights")
    review = run_step(
        "clean",
        scratch / "pull-request",
        inputs | {"add": ""},
        remote=remote,
        runner_env=night | {"GITHUB_EVENT_NAME": "pull_request", "GITHUB_REF": "refs/pull/7/merge"},
    )
    steps.append(review)
    check(review.exit_code == 1, f"branch pull request: exit {review.exit_code}\n{review.log}")
    check("not pushed: a pull_request run" in review.log, "branch pull request: not said")
    check(len(branch_files(remote)) == 24, "branch pull request: the branch was written")
    typo = run_step(
        "clean",
        scratch / "typo",
        inputs | {"history-branch": "trendgate-histroy"},
        remote=remote,
        runner_env=night | {"GITHUB_RUN_ID": "103"},
    )
    steps.append(typo)
    check(typo.exit_code == 2, f"branch typo: exit {typo.exit_code}\n{typo.log}")
    check("trendgate-histroy does not exist on origin" in typo.log, "branch typo: not said")
    for step in steps:
        seen = step.log + step.summary + (step.workspace / ".git" / "config").read_text()
        check(TOKEN not in seen, "branch: the token was shown or written")
        check(not list((step.workspace / ".git").glob("trendgate*")), "branch: left in .git")
    print("container: history branch: started, pushed, linked, read-only on a PR, typo exit 2")


EXPECTED_ACT_LINES = {
    "Regressing fixture fails the step": [
        "::error title=Score regression%3A acme/falling-1.0::",
        "Failure - Main ./",
        "Summary - ### ❌ trendgate: 1 of 2 models regressing",
        "::set-output:: regression=true",
        'outcome=failure regression=true regressed-models=["acme/falling-1.0"] '
        "models-analyzed=2 report=trendgate-report.json",
        "Success - Main Check outcome and outputs",
        "Job succeeded",
    ],
    "Clean fixture passes": [
        "Success - Main ./",
        "Summary - ### ✅ trendgate: no regression in 2 models",
        "::set-output:: regression=false",
        "outcome=success regression=false regressed-models=[] models-analyzed=2",
        "Success - Main Check outcome and outputs",
        "Job succeeded",
    ],
}


def act_tier(act: str, checkout: Path = ROOT) -> None:
    try:
        proc = subprocess.run(
            [act, "push", "-W", WORKFLOW, "--pull=false", "-P", f"ubuntu-latest={RUNNER_IMAGE}"],
            cwd=checkout,
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=ACT_TIMEOUT,
        )
    except subprocess.TimeoutExpired:
        # An engine that stops answering (podman once left a create unanswered) would
        # otherwise hold the tier, and CI, until CI's own limit.
        raise Failed(
            f"act did not finish in {ACT_TIMEOUT} s: the engine stopped answering?"
        ) from None
    log = proc.stdout + proc.stderr
    (ROOT / ".e2e-act.log").write_text(log, encoding="utf-8")
    check(proc.returncode == 0, f"act exited {proc.returncode}; log in .e2e-act.log")
    for job, expected in EXPECTED_ACT_LINES.items():
        lines = [line for line in log.splitlines() if re.match(rf"\[[^/]+/{job}\s*\]", line)]
        for phrase in expected:
            found = [line for line in lines if phrase in line]
            check(bool(found), f"act: job {job!r} has no line with {phrase!r}")
            print("act:", found[0])


def release_tier(act: str, scratch: Path) -> None:
    """The self-test workflow on a release commit: action.yml names the image, nothing is built."""
    declared = tomli.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    released = "ghcr.io/trendgate-e2e/trendgate"
    docker("tag", IMAGE, f"{released}:{declared}")  # stands in for the image the release pushes
    checkout = scratch / "release-commit"
    tracked = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, text=True, check=True
    )
    for name in tracked.stdout.split("\0"):
        if name and (ROOT / name).is_file():
            (checkout / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, checkout / name)
    subprocess.run(
        [sys.executable, "scripts/release.py", "--root", str(checkout), "pin-image", released],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    (checkout / "Dockerfile").unlink()  # a release commit that tried to build would fail
    # act names its containers after the workflow: a name of its own keeps this run's apart
    # from the previous tier's, which the engine may still be removing.
    workflow = checkout / WORKFLOW
    renamed, count = re.subn(
        r"^name: .*$", "name: Release commit self-test", workflow.read_text(), count=1, flags=re.M
    )
    check(count == 1, f"{WORKFLOW} has no top-level name")
    workflow.write_text(renamed)
    git = ["git", "-c", "user.name=e2e", "-c", "user.email=e2e@example.org"]
    subprocess.run([*git, "init", "-q"], cwd=checkout, check=True)
    subprocess.run([*git, "add", "-A"], cwd=checkout, check=True)
    subprocess.run([*git, "commit", "-qm", "release commit"], cwd=checkout, check=True)
    act_tier(act, checkout)


def main() -> int:
    """Run both tiers; return 0 when every check holds."""
    act = os.environ.get("ACT") or shutil.which("act")
    if act is None:
        print("e2e: act not found (set ACT)", file=sys.stderr)
        return 2
    try:
        started = time.monotonic()
        docker("build", "--tag", IMAGE, str(ROOT))
        print(f"container: image built in {time.monotonic() - started:.0f} s")
        version_check()
        with tempfile.TemporaryDirectory(prefix="trendgate-e2e-") as scratch:
            container_tier(Path(scratch))
        with tempfile.TemporaryDirectory(prefix="trendgate-e2e-") as scratch:
            branch_tier(Path(scratch))
        with tempfile.TemporaryDirectory(prefix="trendgate-e2e-") as scratch:
            hostile_tier(Path(scratch))
        started = time.monotonic()
        act_tier(act)
        print(f"act: both jobs as expected in {time.monotonic() - started:.0f} s")
        started = time.monotonic()
        with tempfile.TemporaryDirectory(prefix="trendgate-e2e-") as scratch:
            release_tier(act, Path(scratch))
        print(
            f"act: a release commit runs the prebuilt image in {time.monotonic() - started:.0f} s"
        )
    except Failed as exc:
        print(f"e2e: FAILED: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
