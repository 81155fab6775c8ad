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
import re
import subprocess
import sys
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.builders import result_doc, write_doc
from tests.html_rules import read_page
from tests.runner import Command, any_command, executed_commands, log_lines, parse_outputs
from trendgate import Settings
from trendgate.escape import terminal_safe
from trendgate.judge.analysis import analyze
from trendgate.model import Analysis
from trendgate.report import Ending
from trendgate.report.junit import render as render_junit
from trendgate.report.markdown import MAX_TABLE_NAME
from trendgate.report.markdown import render as render_markdown
from trendgate.report.text import render as render_text

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
    # The clock a day after the hostile runs, so that the history is not behind it.
    env = os.environ | {"SOURCE_DATE_EPOCH": str(int(1.778e9 + 86_400 * 2))}
    return subprocess.run(
        [sys.executable, "-m", "trendgate", *args, *PROPOSAL],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
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


# The history site: every tag and attribute it writes; a name that became markup would add one.
SITE_TAGS = {
    "html", "head", "meta", "link", "title", "style", "body", "header", "main", "nav", "h1", "h2",
    "p", "a", "time", "div", "label", "input", "table", "caption", "thead", "tbody", "tr", "th",
    "td", "ul", "li", "figure", "figcaption", "details", "summary", "script", "svg", "g", "line",
    "text", "polyline", "path", "circle",
}  # fmt: skip
SITE_ATTRIBUTES = {
    "lang", "charset", "http-equiv", "content", "name", "rel", "href", "id", "hidden", "for",
    "type", "autocomplete", "class", "scope", "viewbox", "role", "aria-label", "aria-hidden",
    "aria-live", "x", "y", "x1", "x2", "y1", "y2", "points", "d", "cx", "cy", "r",
}  # fmt: skip
PAGE_LINK = re.compile(r"(\.\./index\.html|m/[a-z0-9-]+\.html)")


def _site_shown(text: str) -> str:
    """How a page must show a name: clipped to 200, controls, line and bidirectional
    characters as spaces, lone surrogates as U+FFFD."""
    if len(text) > 200:
        text = text[:199] + "…"
    text = re.sub(
        "[\x00-\x1f\x7f-\x9f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]", " ", text
    )
    return re.sub("[\ud800-\udfff]", "\ufffd", text)


def test_site_pages_show_each_name_as_its_text_and_run_only_their_script(hostile: Path) -> None:
    from tests.report.test_site import Page
    from trendgate.report.site import build
    from trendgate.report.site.gather import gather
    from trendgate.report.site.names import page_names
    from trendgate.report.site.shell import SCRIPT

    pages = build(gather(hostile, Settings()))
    models = {path: model for model, path in page_names(HOSTILE).items()}
    assert sorted(pages) == sorted(["index.html", *models])
    headings = []
    for path, text in pages.items():
        page = Page(text)
        assert {tag for tag, _ in page.tags} <= SITE_TAGS, path
        for tag, attributes in page.tags:
            assert set(attributes) <= SITE_ATTRIBUTES, (path, tag, attributes)
            if tag == "a":
                assert PAGE_LINK.fullmatch(attributes["href"] or ""), attributes
        code = [body for attrs, body in page.scripts if attrs.get("type") != "application/json"]
        assert code == [SCRIPT]
        if path == "index.html":
            continue
        # The JSON island reads back as the names shown, and nothing in it could end it.
        island_text = next(b for a, b in page.scripts if a.get("type") == "application/json")
        assert "<" not in island_text and ">" not in island_text and "&" not in island_text
        model_runs = page.island()["runs"]
        assert isinstance(model_runs, list)
        name = models[path]
        assert [r[0] for r in model_runs] == [_site_shown(f"{name}-{run}") for run in (1, 2)]
        h1 = text.split("<h1>")[1].split("</h1>")[0]
        headings.append(Page(h1).text[0] if Page(h1).text else "")
        svg_labels = [a["aria-label"] for t, a in page.tags if t == "svg" and "aria-label" in a]
        assert svg_labels and all(str(label).startswith("Scores of ") for label in svg_labels)
    assert sorted(headings) == sorted(_site_shown(v) for v in HOSTILE)


# Every verdict state (issue 23): the text a state adds (why a decline is inconclusive, which
# run a regression rests on, since when a model is stale) carries run ids and file names too.

STATE_VALUES = [
    "\n::error::x <img src=x> \x1b[31m",
    "<script>alert(1)</script>",
    "##[error]legacy command",
    "@everyone",
    "\u202eevil\u202c",
]
DAY = 86_400.0
LAST = 1.778e9 + 7 * DAY  # the last night of every series but the stale one


def _every_state(results: Path, value: str) -> dict[str, str]:
    """One model in each verdict state, its name, run ids and task ids made of `value`;
    returns the model of each state. Every state but inconclusive is the default gate's (with
    `--window 8`); inconclusive is the guarded rule's of the Python API (GUARDED)."""
    rests_on_one = [73.0] + [70 - 0.45 * i for i in range(1, 8)]  # "rests on one run"
    series: dict[str, tuple[list[float], float]] = {
        "regression": ([90, 85, 80, 75, 70, 65, 60, 55], 0.0),
        "inconclusive": (rests_on_one, 0.0),
        "insufficient_data": ([70], 0.0),
        "improving": ([50, 55, 60, 65, 70, 75, 80, 85], 0.0),
        "stale": ([70] * 8, -20 * DAY),
    }
    models = {}
    for state, (scores, shift) in series.items():
        model = f"{state} {value}"
        models[state] = model
        for i, pct in enumerate(scores):
            when = LAST - (len(scores) - 1 - i) * DAY + shift
            doc = result_doc(model, f"{value}-{i}", when, {f"{value} task": pct / 100})
            write_doc(results, f"{state}-{i:02d}.json", doc)
    return models


STATE_FLAGS = ("--window", "8")
GUARDED = Settings(window=8, threshold=-0.5, confidence=0.95)  # the only rule with inconclusive
NOW = LAST + DAY / 2


@pytest.mark.parametrize("value", STATE_VALUES)
def test_every_verdict_state_is_escaped_in_every_format(tmp_path: Path, value: str) -> None:
    results = tmp_path / "results"
    models = _every_state(results, value)
    markdown, junit, report = tmp_path / "s.md", tmp_path / "j.xml", tmp_path / "r.json"
    files = ("--markdown", str(markdown), "--junit", str(junit), "--json", str(report))
    run = subprocess.run(
        [sys.executable, "-m", "trendgate", str(results), *STATE_FLAGS, "--no-fail", *files],
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": os.environ["PATH"], "SOURCE_DATE_EPOCH": str(int(NOW))},
    )
    assert run.returncode == 0, run.stderr
    states = {t["model"]: t["status"] for t in json.loads(report.read_text())["models"]}
    judged = {s: models[s] for s in ("regression", "insufficient_data", "improving")}
    assert {m: states[m] for m in judged.values()} == {m: s for s, m in judged.items()}
    assert states[models["stale"]] == "stable"

    # The log: no control character, no line a runner would read as a command.
    assert "\x1b" not in run.stdout and "\u202e" not in run.stdout
    assert [line for line in log_lines(run.stdout) if any_command(line)] == []

    page = read_page(markdown.read_text(encoding="utf-8"))
    assert page.foreign() == [] and page.mentions() == []

    ET.parse(junit)  # well-formed XML: no raw control character
    assert "\x1b" not in junit.read_text(encoding="utf-8")

    text = report.read_text(encoding="utf-8")
    assert text.isascii() and "##[" not in text
    assert {m["model"] for m in json.loads(text)["models"]} == set(models.values())


@pytest.mark.parametrize("value", STATE_VALUES)
def test_the_inconclusive_verdict_is_escaped_in_every_format(tmp_path: Path, value: str) -> None:
    models = _every_state(tmp_path, value)
    analysis = analyze(tmp_path, GUARDED, now=NOW)
    states = {t.model: t.verdict for t in analysis.trends}
    assert states == {m: s for s, m in models.items() if s != "stale"} | {models["stale"]: "stable"}
    assert [s.model for s in analysis.stale] == [models["stale"]]

    log = render_text(analysis, Ending())
    assert "\x1b" not in log and "\u202e" not in log
    assert [line for line in log_lines(log) if any_command(line)] == []
    assert "rests on one run" in log  # the inconclusive verdict's own words are there

    summary = render_markdown(analysis, Ending(report_only=True))  # as with --no-fail
    page = read_page(summary)
    assert page.foreign() == [] and page.mentions() == []
    assert "rests on one run" in summary

    junit = render_junit(analysis, Ending())
    ET.fromstring(junit)  # well-formed XML: no raw control character
    assert "\x1b" not in junit and "rests on one run" in junit


@pytest.mark.parametrize("value", STATE_VALUES)
def test_every_verdict_state_is_escaped_in_the_action(tmp_path: Path, value: str) -> None:
    models = _every_state(tmp_path / "results", value)
    flags = dict(window="8", fail_on_regression="false")
    run, output = _action(tmp_path, results_dir="results", **flags)
    assert run.returncode == 0, run.stderr
    executed = executed_commands(run.stdout)
    # The default gate fails the model whose decline "rests on one run" under the guarded
    # rule too: without its first run it still loses 0.45 points a night, with no noise.
    failed = sorted([models["regression"], models["inconclusive"]])
    assert [c.name for c in executed] == ["stop-commands", "error", "error"]
    titles = [c.properties["title"] for c in executed[1:]]
    assert titles == [f"Score regression: {terminal_safe(m)}" for m in failed]
    assert json.loads(parse_outputs(output.read_text())["regressed-models"]) == failed
