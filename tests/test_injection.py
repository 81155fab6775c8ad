"""Hostile text in result files cannot shape the job summary, the log, the JSON report, or
the Action's step outputs and annotations.

Every string a result file controls (model, run id, task id, category, benchmark version,
file name, and the keys quoted in skip reasons) is set to each hostile value, and the
outputs are read back the way GitHub reads them: Markdown through cmarkgfm, the log and
GITHUB_OUTPUT through the runner's own parsing rules (tests/runner.py).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from tests.builders import result_doc, write_doc
from tests.html_rules import read_page
from tests.runner import Command, any_command, executed_commands, log_lines, parse_outputs
from trendgate.escape import terminal_safe
from trendgate.judge.analysis import analyze
from trendgate.model import Analysis
from trendgate.report import Ending
from trendgate.report.markdown import MAX_TABLE_NAME, render_markdown

HOSTILE = [
    "a|b|c",
    "\\|",
    "&#124; &amp; &lt;b&gt;",
    "`code` ``` ~~~",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="https://evil.example">x</a>',
    "</td></tr></table></details>",
    "<details><summary>x",
    "<!-- open comment",
    "@everyone",
    "@octo-org/team please look",
    "user@example.com",
    "[click](javascript:alert(1))",
    "](javascript:alert(1))",
    "![x](https://evil.example/pixel.png)",
    "www.evil.example",
    "https://evil.example/path?q=1",
    "line\r\nbreak",
    "carriage\rreturn",
    "%0A::error::forged",
    "::error file=x,line=1::forged",
    "::add-mask::slope",
    "::stop-commands::resume-token",
    "##[error]legacy command",
    "##[add-mask]legacy",
    "###[set-output name=regression;]false",
    "*bold* _it_ **x** ~~s~~",
    "# heading",
    "- item",
    "> quote",
    "\u202eevil\u202c",
    "sep\u2028arator\u2029",
    "nul\x00bell\x07esc\x1b[31m",
    "\udcff lone surrogate",
    ":rocket: :+1:",
    "x" * 5000,
]


def _write_directory(results: Path) -> None:
    """For each hostile value: a model, run ids, tasks and file names made of it, two runs."""
    for i, value in enumerate(HOSTILE):
        safe_name = value.replace("/", "_").replace("\x00", "_")[:80]
        for run in (1, 2):
            doc = result_doc(value, f"{value}-{run}", 1.778e9 + i * 100 + run, {value: 0.5})
            doc["tasks"][0]["category"] = value
            if run == 2:  # a comparability break, quoted in the warnings
                doc["benchmark_version"] = value
            doc["tasks"].append({"task_id": f"{value}-ungraded", "grading": {}})
            write_doc(results, f"{i:02d}{run}_{safe_name}.json", doc)
        # Skipped files: a hostile name, and a hostile key quoted in the reason.
        (results / f"{i:02d}9_{safe_name}.json").write_text(
            json.dumps({"model": "m", value: 1, "x": 2}).replace('"x"', json.dumps(value))
        )


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    results = tmp_path / "results"
    results.mkdir()
    _write_directory(results)
    return results


def test_the_directory_really_holds_every_value(hostile: Path) -> None:
    analysis = analyze(hostile)
    assert [t.model for t in analysis.trends] == sorted(HOSTILE)
    assert len(analysis.skipped) == len(HOSTILE)
    assert all("duplicate key" in s.reason for s in analysis.skipped)


def test_summary_has_one_row_per_model_and_nothing_from_input(hostile: Path) -> None:
    analysis = analyze(hostile)
    page = read_page(render_markdown(analysis, Ending()))

    assert page.foreign() == []  # no element or attribute but the summary's own
    assert page.mentions() == []
    models, *details, skipped, warnings = page.tables
    assert len(models) == 1 + len(HOSTILE)  # the header and one row per model
    assert {len(row) for row in models} == {len(models[0])}
    assert len(details) == len(HOSTILE)
    assert all(len(t) == 1 + 2 and {len(r) for r in t} == {4} for t in details)
    assert len(skipped) == 1 + len(HOSTILE) and {len(r) for r in skipped} == {2}
    assert len(warnings) == 1 + 2 * len(HOSTILE) and {len(r) for r in warnings} == {2}


def test_summary_shows_each_name_as_its_own_text(hostile: Path) -> None:
    # Escaping must not garble what a reader sees: the cell reads as the name, with line
    # breaks and controls as spaces, an invisible word joiner after @, and long names cut.
    analysis = analyze(hostile)
    rows = read_page(render_markdown(analysis, Ending())).tables[0][1:]
    shown = [row[1].replace("@\u2060", "@").removesuffix("⚠️").strip() for row in rows]
    for name, cell in zip(sorted(HOSTILE), shown, strict=True):
        if len(name) > MAX_TABLE_NAME:
            assert cell == "".join(_as_shown(c) for c in name[: MAX_TABLE_NAME - 1]) + "…"
        else:
            assert cell == "".join(_as_shown(c) for c in name).strip()


def _as_shown(c: str) -> str:
    category = unicodedata.category(c)
    if category == "Cs":
        return "\ufffd"
    if category in ("Cc", "Zl", "Zp") or is_bidi_control(c):
        return " "
    return c


def is_bidi_control(c: str) -> bool:
    """The explicit bidirectional formatting characters and the three direction marks."""
    explicit = ("LRE", "RLE", "PDF", "LRO", "RLO", "LRI", "RLI", "FSI", "PDI")
    return unicodedata.bidirectional(c) in explicit or c in "\u061c\u200e\u200f"


# The hostile histories have two runs a model, too few for the default rule; the proposal rule
# judges them, so every hostile name reaches every line of every report.
PROPOSAL = ("--rule", "proposal")


def _command(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "trendgate", *args, *PROPOSAL],
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    "args",
    [
        ["--no-fail"],
        ["--no-fail", "--format", "json"],
        ["--strict"],
        ["--model", "@x"],
        ["backtest"],
        ["backtest", "--format", "json"],
    ],
)
def test_no_printed_line_is_a_workflow_command(hostile: Path, args: list[str]) -> None:
    if args[0] == "backtest":
        run = _command("backtest", str(hostile), *args[1:])
    else:
        run = _command(str(hostile), *args)
    assert run.returncode in (0, 2)
    lines = log_lines(run.stdout) + log_lines(run.stderr)
    assert lines
    assert [line for line in lines if any_command(line)] == []


def test_text_report_lines_all_start_as_the_report_writes_them(hostile: Path) -> None:
    run = _command(str(hostile), "--no-fail")
    lines = run.stdout.splitlines()  # every Unicode line break, not only the runner's
    analysis: Analysis = analyze(hostile)
    verdicts = [line for line in lines if line.startswith(("▼ ", "? ", "▲ ", "→ ", "· "))]
    listed = [line for line in lines if line.startswith("  - ")]
    evidence = [line for line in lines if line.startswith("    ")]
    headings = ["warnings:", "skipped files:"]
    assert lines[0].startswith("trendgate: ")
    assert lines[-1] == f"PASS: 0 of {len(HOSTILE)} models regress"
    assert len(verdicts) == len(HOSTILE)
    assert len(listed) == len(analysis.notes) + len(analysis.skipped)
    assert 1 + len(verdicts) + len(evidence) + len(headings) + len(listed) + 1 == len(lines)


def test_json_report_keeps_names_exactly(hostile: Path) -> None:
    run = _command(str(hostile), "--no-fail", "--format", "json")
    assert run.stdout.isascii()
    report = json.loads(run.stdout)
    assert [m["model"] for m in report["models"]] == sorted(HOSTILE)


# The GitHub Action: its log, step outputs and annotations, read back by the runner's rules.


def _regressing(results: Path, values: list[str] = HOSTILE) -> list[str]:
    """Each value as a model that regresses; returns the models, sorted."""
    for i, value in enumerate(values):
        for run, score in ((1, 0.9), (2, 0.5)):
            write_doc(results, f"{i:02d}{run}.json", result_doc(value, "r", 1.778e9 + run, [score]))
    return sorted(values)


def _action(workspace: Path, **inputs: str) -> tuple[subprocess.CompletedProcess[str], Path]:
    """Run the entrypoint in a step environment as the runner sets it up."""
    output = workspace / "set_output"
    output.write_text("")
    env = {
        "PATH": os.environ["PATH"],
        "GITHUB_ACTIONS": "true",
        "GITHUB_WORKSPACE": str(workspace),
        "GITHUB_OUTPUT": str(output),
        "GITHUB_STEP_SUMMARY": str(workspace / "step_summary"),
    }
    inputs = {"rule": "proposal", **inputs}  # as PROPOSAL above
    env |= {f"INPUT_{name.replace('_', '-').upper()}": value for name, value in inputs.items()}
    run = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from trendgate.app.action import main; sys.exit(main())",
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=workspace,
        timeout=120,
    )
    return run, output


@pytest.mark.parametrize("first", range(0, len(HOSTILE), 10))
def test_action_log_runs_only_its_own_commands(tmp_path: Path, first: int) -> None:
    # Ten models a run, so that each one gets its annotation (GitHub shows ten per step).
    models = _regressing(tmp_path / "results", HOSTILE[first : first + 10])
    run, _ = _action(tmp_path, results_dir="results")
    assert run.returncode == 1, run.stderr
    assert run.stderr == ""

    executed = executed_commands(run.stdout)
    assert [c.name for c in executed] == ["stop-commands", *["error"] * len(models)]
    # Stricter than the runner: outside the stop-commands block, no line holds any command
    # but those (whatever its name, in either syntax, at any position).
    lines = log_lines(run.stdout)
    start = lines.index("::stop-commands::" + executed[0].data)
    end = lines.index(f"::{executed[0].data}::")
    outside = [any_command(line) for line in lines[:start] + lines[end + 1 :]]
    assert [c.name if c else None for c in outside] == [*["error"] * len(models), None]

    for command, model in zip(executed[1:], models, strict=True):
        # The title and message arrive as written: escaping survived `%`, CR, LF, `:` and `,`.
        assert set(command.properties) == {"title"}
        assert command.properties["title"] == f"Score regression: {terminal_safe(model)}"[:4096]
        assert command.data.startswith(f"{terminal_safe(model)}: score slope -40.00"[:4096])
        assert len(command.data) <= 4096


def test_action_annotates_ten_and_counts_the_rest(tmp_path: Path) -> None:
    models = _regressing(tmp_path / "results")
    run, _ = _action(tmp_path, results_dir="results")
    executed = executed_commands(run.stdout)
    assert [c.name for c in executed] == ["stop-commands", *["error"] * 10, "notice"]
    assert executed[-1].data.startswith(f"{len(models) - 10} more error annotations")


def test_action_outputs_are_exactly_the_declared_ones(tmp_path: Path) -> None:
    models = _regressing(tmp_path / "results")
    run, output = _action(tmp_path, results_dir="results", json_report="report.json")
    assert run.returncode == 1, run.stderr
    outputs = parse_outputs(output.read_text(encoding="utf-8"))
    assert set(outputs) == {
        "regression",
        "regressed-models",
        "models-analyzed",
        "report",
        "runs-added",
    }
    assert outputs["regression"] == "true"
    assert json.loads(outputs["regressed-models"]) == models  # every name exactly as stored
    assert outputs["models-analyzed"] == str(len(models))
    assert outputs["report"] == "report.json"


def test_action_strict_fails_on_a_skipped_file_in_one_annotation(tmp_path: Path) -> None:
    results = tmp_path / "results"
    _regressing(results)
    (results / "::error::forged,\r\n%0A.json").write_text("[]")

    run, _ = _action(tmp_path, results_dir="results", fail_on_regression="false")
    assert run.returncode == 0, run.stderr
    run, output = _action(tmp_path, results_dir="results", strict="true")
    assert run.returncode == 2
    [*_, failure] = executed_commands(run.stdout)
    assert failure == Command(
        "error",
        {"title": "trendgate"},
        "trendgate: --strict: ::error::forged,\\x0d\\x0a%0A.json was skipped "
        "(not a JSON object (top level is an array))",
    )
    assert parse_outputs(output.read_text())["regression"] == "true"  # written before failing


@pytest.mark.parametrize("report", ["json_report", "junit_report"])
def test_action_never_writes_its_report_into_the_results_directory(
    tmp_path: Path, report: str
) -> None:
    _regressing(tmp_path / "results")
    run, _ = _action(tmp_path, results_dir="results", **{report: "results/report"})
    assert run.returncode == 2
    [failure] = executed_commands(run.stdout)
    assert failure.data == (
        "trendgate: will not write results/report inside the results directory results"
    )
    assert not (tmp_path / "results" / "report").exists()
