"""Property tests: the loader and every escaper against arbitrary input.

Run longer with `HYPOTHESIS_PROFILE=long pytest tests/test_fuzz.py` (profiles in conftest.py).
"""

from __future__ import annotations

import contextlib
import json
import math
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import assume, example, given
from hypothesis import strategies as st

from tests.builders import result_doc, write_doc
from tests.html_rules import read_page
from tests.runner import (
    DOTNET_SPACE,
    Command,
    any_command,
    executed_commands,
    log_lines,
    parse_outputs,
)
from tests.test_injection import is_bidi_control
from trendgate.app import github
from trendgate.escape import md_text, terminal_safe
from trendgate.judge.analysis import analyze
from trendgate.model import Run
from trendgate.read.files import LoadError
from trendgate.read.pinchbench import parse_run
from trendgate.report import Ending
from trendgate.report.json import render_json
from trendgate.report.markdown import render_markdown
from trendgate.report.text import render_text

# Any text Python can hold, lone surrogates included (file names that are not UTF-8).
ANY_TEXT = st.text(st.characters(exclude_categories=()), max_size=60)
# Text built from the characters that mean something to Markdown, HTML and the runner.
SYNTAX = st.lists(
    st.sampled_from([*list("|`<>&#@:[]()!*_~\\/%-=\"' \r\n\t.wx1"), "##[", "::", "www.", "://"]),
    max_size=40,
).map("".join)
NAMES = st.one_of(ANY_TEXT, SYNTAX)

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()  # NaN and infinities included: json.dumps writes them as NaN / Infinity
    | ANY_TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(ANY_TEXT, inner, max_size=4),
    max_leaves=20,
)


def _check_run(run: Run) -> None:
    """What every run the loader accepts must satisfy."""
    assert isinstance(run.model, str) and run.model.strip()
    assert isinstance(run.run_id, str)
    assert 0 < run.timestamp < 253402300800
    assert math.isfinite(run.score_pct)
    assert run.task_count >= 1


@given(st.binary(max_size=300))
def test_any_bytes_give_a_run_or_a_load_error(data: bytes) -> None:
    try:
        _check_run(parse_run("x.json", data))
    except LoadError as exc:
        assert "\n" not in str(exc)


@given(JSON_VALUES)
def test_any_json_value_gives_a_run_or_a_load_error(value: Any) -> None:
    with contextlib.suppress(LoadError):
        _check_run(parse_run("x.json", json.dumps(value).encode("utf-8", "surrogatepass")))


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value inside a document."""
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*prefix, index))
    return found


DOCUMENT = result_doc("acme/model", "0001", 1.778e9, [0.5, 0.75])
PATHS = _paths(DOCUMENT)[1:]


@given(st.sampled_from(PATHS), JSON_VALUES)
def test_a_valid_document_with_any_part_replaced_gives_a_run_or_a_load_error(
    path: tuple[Any, ...], value: Any
) -> None:
    doc = json.loads(json.dumps(DOCUMENT))
    parent = doc
    for step in path[:-1]:
        parent = parent[step]
    parent[path[-1]] = value
    with contextlib.suppress(LoadError):
        _check_run(parse_run("x.json", json.dumps(doc).encode("utf-8", "surrogatepass")))


SYMBOLS = {"▼ ", "? ", "▲ ", "→ ", "· "}
FORBIDDEN_IN_LOG = [chr(c) for c in [*range(0x20), *range(0x7F, 0xA0), 0x2028, 0x2029]]


@given(NAMES)
@example("##[add-mask]x")
@example(" \u3000::error::x")
@example("\udcff\u202e\u2028")
def test_terminal_safe_keeps_text_on_one_inert_line(text: str) -> None:
    safe = terminal_safe(text)
    assert not any(c in safe for c in FORBIDDEN_IN_LOG)
    assert not any(is_bidi_control(c) or "\ud800" <= c <= "\udfff" for c in safe)
    safe.encode("utf-8")  # printable as UTF-8
    assert len(("x " + safe).splitlines()) == 1  # every Unicode line break, not only CR/LF
    assert any_command(safe) is None  # even where a report starts a line with it
    assert any_command("trendgate: " + safe) is None
    assert any_command("  - " + safe + ": reason") is None


@given(NAMES)
@example("user@example.com @everyone www.example.com")
@example("\udcff")
def test_md_text_in_a_table_cell_stays_in_its_cell(text: str) -> None:
    cell = md_text(text)
    cell.encode("utf-8")
    page = read_page(f"| a | b |\n|---|---|\n| {cell} | after |\n")
    assert page.foreign() == [] and page.mentions() == []
    [table] = page.tables
    assert len(table) == 2 and table[1][1] == "after"


@given(NAMES)
def test_md_text_in_a_paragraph_and_a_summary_stays_text(text: str) -> None:
    page = read_page(
        f"Read from {md_text(text)} · 3 runs\n\n"
        f"<details>\n<summary>{md_text(text)}: 2 runs</summary>\n\nbody\n\n</details>\n"
    )
    assert page.foreign() == [] and page.mentions() == []
    assert [tag for tag, _ in page.elements] == ["p", "details", "summary", "p"]


@given(st.lists(NAMES, min_size=1, max_size=4, unique=True), NAMES)
def test_reports_of_any_model_names(models: list[str], run_id: str) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        results = Path(scratch)
        for i, model in enumerate(models):
            for run in (1, 2):
                doc = result_doc(model, run_id, 1.778e9 + run, {run_id or "t": 0.5 + i / 10})
                write_doc(results, f"{i}{run}.json", doc)
        analysis = analyze(results)
    models = [m for m in models if m.strip()]  # a blank model name is a skip reason
    assume(models)
    assert len(analysis.trends) == len(models)

    page = read_page(render_markdown(analysis, Ending()))
    assert page.foreign() == [] and page.mentions() == []
    assert len(page.tables[0]) == 1 + len(models)

    for report in (render_text(analysis, Ending()), render_json(analysis, Ending())):
        lines = log_lines(report)
        assert [line for line in lines if any_command(line)] == []
    verdicts = [line for line in log_lines(render_text(analysis, Ending())) if line[:2] in SYMBOLS]
    assert len(verdicts) == len(models)
    assert [m["model"] for m in json.loads(render_json(analysis, Ending()))["models"]] == sorted(
        models
    )


LONG_TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=5000)


@given(LONG_TEXT, LONG_TEXT)
@example("%0A%25%3A", "a:b,c=d%2C\r\n")
@example("x" * 5000, "%" * 5000)
def test_an_annotation_reads_back_as_written_up_to_the_runners_limit(
    message: str, title: str
) -> None:
    line = github.command("error", message, title=title)
    assert len(log_lines(line)) == 1
    # The runner trims the end of the last property, so trailing blanks of a title go.
    shown_title = title[:4096].rstrip(DOTNET_SPACE.replace("\r", "").replace("\n", ""))
    properties = {"title": shown_title} if shown_title else {}
    assert executed_commands(line) == [Command("error", properties, message[:4096])]


@given(
    st.dictionaries(
        st.from_regex(r"[a-z][a-z0-9-]{0,20}", fullmatch=True),
        st.text(st.characters(exclude_categories=["Cs"]), max_size=200),
        max_size=5,
    )
)
def test_step_outputs_read_back_as_written(outputs: dict[str, str]) -> None:
    # The runner drops the CR of a final CRLF, so a value cannot end in CR; ours never do.
    assume(not any(value.endswith("\r") for value in outputs.values()))
    assert parse_outputs(github.format_outputs(outputs)) == outputs
