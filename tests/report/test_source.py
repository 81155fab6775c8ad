"""A run's source in the reports: its fields in JSON, a link to its workflow run in Markdown
and on the site, all by one rule (report/source.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from examples.pinchbench import file_name, file_text
from tests.builders import result_doc
from trendgate.escape import md_link
from trendgate.history.slim import slim
from trendgate.judge.analysis import analyze
from trendgate.read.pinchbench import parse_run
from trendgate.report import Ending
from trendgate.report.json import render as render_json
from trendgate.report.markdown import render as render_markdown
from trendgate.report.source import WorkflowRun, workflow_run
from trendgate.settings import Settings

NIGHT = {
    "GITHUB_ACTIONS": "true",
    "GITHUB_SERVER_URL": "https://github.com",
    "GITHUB_REPOSITORY": "acme/bench",
    "GITHUB_RUN_ATTEMPT": "2",
}


def slim_series(directory: Path, model: str, scores: list[float], env: dict[str, str]) -> None:
    """One slim file a night, filed by workflow run 900 + night."""
    directory.mkdir(exist_ok=True)
    for night, score in enumerate(scores):
        run_id = f"{night + 1:04d}"
        raw = file_text(result_doc(model, run_id, 1.78e9 + night * 86_400, [score])).encode()
        name = file_name(run_id, model)
        cut = slim(name, raw, env | {"GITHUB_RUN_ID": str(900 + night)})
        (directory / name).write_bytes(cut)


def test_json_shows_the_source_and_markdown_links_the_regressing_runs(tmp_path: Path) -> None:
    slim_series(tmp_path, "acme/drift", [0.9, 0.8, 0.7], NIGHT)
    slim_series(tmp_path, "acme/flat", [0.5, 0.5, 0.5], NIGHT)
    analysis = analyze(tmp_path, Settings(window=3))
    report = json.loads(render_json(analysis, Ending(1)))
    drift = next(m for m in report["models"] if m["model"] == "acme/drift")
    last = drift["runs"][-1]
    assert last["workflow_run_url"] == "https://github.com/acme/bench/actions/runs/902/attempts/2"
    assert last["source"]["repository"] == "acme/bench"
    assert last["source"]["file"] == "0003_acme-drift.json"
    assert last["source"]["workflow_run_id"] == "902"
    markdown = render_markdown(analysis, Ending(1))
    for night in range(3):
        url = f"https://github.com/acme/bench/actions/runs/{900 + night}/attempts/2"
        assert f"| [000{night + 1}]({url}) |" in markdown
    # The flat model passes: its runs are listed, not linked.
    assert markdown.count("](https://github.com/acme/bench/actions/runs/") == 3


@pytest.mark.parametrize(
    "field, value",
    [
        ("GITHUB_SERVER_URL", "javascript:alert(1)"),
        ("GITHUB_SERVER_URL", "http://github.com"),
        ("GITHUB_SERVER_URL", "https://github.com/evil"),
        ("GITHUB_SERVER_URL", "https://user@evil.example"),
        ("GITHUB_SERVER_URL", "https://github.com)](https://evil.example"),
        ("GITHUB_REPOSITORY", "acme/bench)](https://evil.example"),
        ("GITHUB_REPOSITORY", "../../evil"),
        ("GITHUB_REPOSITORY", "acme"),
        ("GITHUB_RUN_ATTEMPT", "2 <b>"),
    ],
)
def test_a_source_that_is_not_a_plain_github_address_is_not_linked(
    tmp_path: Path, field: str, value: str
) -> None:
    slim_series(tmp_path, "acme/drift", [0.9, 0.8, 0.7], NIGHT | {field: value})
    analysis = analyze(tmp_path, Settings(window=3))
    markdown = render_markdown(analysis, Ending(1))
    report = json.loads(render_json(analysis, Ending(1)))
    [drift] = report["models"]
    url = drift["runs"][-1]["workflow_run_url"]
    if field == "GITHUB_RUN_ATTEMPT":  # the attempt is left out, the run still linked
        assert url == "https://github.com/acme/bench/actions/runs/902"
        assert "<b>" not in markdown
    else:
        assert url is None
        assert "evil" not in markdown and "](" not in markdown.split("Run by run")[1]
    # The record's own text is still reported as data, in JSON.
    assert value in json.dumps(drift["runs"][-1]["source"], ensure_ascii=False)


def run_with(source: object) -> WorkflowRun | None:
    """workflow_run of a file whose `source` is `source`, as the reader parses it."""
    return workflow_run(
        parse_run(
            "0001.json", file_text(result_doc("m", "1", 1.78e9, [0.5], source=source)).encode()
        )
    )


GHES = {"server_url": "https://ghe.example.com", "repository": "org/evals"}


def test_a_workflow_run_on_any_https_host_with_its_attempt_when_numeric() -> None:
    found = run_with({**GHES, "workflow_run_id": "123", "workflow_run_attempt": "2"})
    assert found == WorkflowRun("https://ghe.example.com", "org/evals", "123", "2")
    assert found.runs == "https://ghe.example.com/org/evals/actions/runs/"
    assert found.url == "https://ghe.example.com/org/evals/actions/runs/123/attempts/2"
    plain = run_with({**GHES, "server_url": "https://github.com", "workflow_run_id": "9"})
    assert plain is not None and plain.url == "https://github.com/org/evals/actions/runs/9"
    for attempt in ["0", "2 <b>", "/../x", 2, "9" * 21]:
        odd = run_with({**GHES, "workflow_run_id": "5", "workflow_run_attempt": attempt})
        assert odd == WorkflowRun("https://ghe.example.com", "org/evals", "5", None), attempt


@pytest.mark.parametrize(
    "source",
    [
        {"repository": "org/evals", "workflow_run_id": "1"},  # no server: no link
        {**GHES, "server_url": "javascript:alert(1)", "workflow_run_id": "1"},
        {**GHES, "server_url": "http://github.com", "workflow_run_id": "1"},
        {**GHES, "server_url": "https://github.com/evil", "workflow_run_id": "1"},
        {**GHES, "server_url": "https://github.com/../evil", "workflow_run_id": "1"},
        {**GHES, "server_url": "https://user@evil.example", "workflow_run_id": "1"},
        {**GHES, "server_url": "https://github.com:8443", "workflow_run_id": "1"},
        {**GHES, "server_url": "https://github.com.", "workflow_run_id": "1"},
        {**GHES, "server_url": "https://github.com\n", "workflow_run_id": "1"},
        {**GHES, "server_url": "https://-evil.example", "workflow_run_id": "1"},
        {**GHES, "server_url": "https://localhost", "workflow_run_id": "1"},
        {**GHES, "server_url": 'https://x.example"><script>', "workflow_run_id": "1"},
        {**GHES, "server_url": "//evil.example", "workflow_run_id": "1"},
        {**GHES, "server_url": "https://gíthub.com", "workflow_run_id": "1"},
        {**GHES, "server_url": 5, "workflow_run_id": "1"},
        {**GHES, "server_url": "https://" + "x" * 300 + ".example", "workflow_run_id": "1"},
        {**GHES, "repository": 'org/evals"><script>', "workflow_run_id": "1"},
        {**GHES, "repository": "../../evil", "workflow_run_id": "1"},
        {**GHES, "repository": "org/..", "workflow_run_id": "1"},
        {**GHES, "repository": "org/evals/../../x", "workflow_run_id": "1"},
        {**GHES, "repository": "https://evil.example/x", "workflow_run_id": "1"},
        {**GHES, "repository": "org/evals?x=1", "workflow_run_id": "1"},
        {**GHES, "repository": "org", "workflow_run_id": "1"},
        {**GHES, "workflow_run_id": "1/../../x"},
        {**GHES, "workflow_run_id": "0"},
        {**GHES, "workflow_run_id": "012"},
        {**GHES, "workflow_run_id": "9" * 21},
        {**GHES, "workflow_run_id": 1},
        {"file": "0001.json", "sha256": "00"},  # filed outside GitHub Actions
        "org/evals",
        None,
    ],
)
def test_no_workflow_run_unless_every_part_has_its_shape(source: object) -> None:
    assert run_with(source) is None


def test_md_link_refuses_an_address_that_could_leave_the_link() -> None:
    assert md_link("a|b", "https://github.com/o/r/actions/runs/1") == (
        "[a&#124;b](https://github.com/o/r/actions/runs/1)"
    )
    for url in ["https://x/a(b)", "https://x/a b", "https://x/a|b", "javascript:x", "https://x/<"]:
        assert md_link("a", url) == "a"
