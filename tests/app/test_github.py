"""The runner's protocol, checked against the runner's own reading rules (tests/runner.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.runner import Command, RunnerError, executed_commands, parse_outputs
from trendgate import escape
from trendgate.app import github
from trendgate.errors import UsageError

HOSTILE = [
    "",
    "plain",
    "two\nlines",
    "trailing newline\n",
    "\n",
    "cr\r\nlf",
    "a=b",
    "x<<EOF",
    "EOF",
    "ghadelimiter_",
    "regression<<ghadelimiter_0\ntrue\nghadelimiter_0",
    "::error::x",
    "%0A%25",
    "ünïcødé ❌",
]


def test_input_names_keep_hyphens_and_are_upper_cased() -> None:
    env = {"INPUT_RESULTS-DIR": " bench ", "INPUT_RESULTS_DIR": "wrong"}
    assert github.get_input(env, "results-dir") == "bench"


@pytest.mark.parametrize("env", [{}, {"INPUT_WINDOW": ""}, {"INPUT_WINDOW": "  \n"}])
def test_absent_or_empty_input_is_not_given(env: dict[str, str]) -> None:
    assert github.get_input(env, "window") is None


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("true", True),
        ("True", True),
        ("TRUE", True),
        ("false", False),
        ("False", False),
        ("FALSE", False),
        (" true\n", True),
        ("", None),
    ],
)
def test_booleans_follow_the_toolkit(text: str, value: bool | None) -> None:
    env = {"INPUT_FAIL-ON-REGRESSION": text}
    for default in (True, False):
        expected = default if value is None else value
        assert github.get_bool_input(env, "fail-on-regression", default) is expected


@pytest.mark.parametrize("text", ["yes", "1", "tRUE", "on", "true false"])
def test_other_booleans_are_errors(text: str) -> None:
    with pytest.raises(UsageError, match=r"^fail-on-regression must be true or false"):
        github.get_bool_input({"INPUT_FAIL-ON-REGRESSION": text}, "fail-on-regression", True)


def test_outputs_survive_the_runners_reading_whatever_they_hold() -> None:
    outputs = {f"out{i}": value for i, value in enumerate(HOSTILE)}
    assert parse_outputs(github.format_outputs(outputs)) == outputs


def test_outputs_are_appended(tmp_path: Path) -> None:
    path = tmp_path / "output"
    path.write_text("earlier=step\n")
    github.append_file(str(path), github.format_outputs({"a": "1"}))
    github.append_file(str(path), github.format_outputs({"b": "2\n3"}))
    assert parse_outputs(path.read_text()) == {"earlier": "step", "a": "1", "b": "2\n3"}


def test_delimiters_are_random() -> None:
    first, second = github.format_outputs({"a": "1"}), github.format_outputs({"a": "1"})
    assert first != second


@pytest.mark.parametrize(
    "text",
    ["a<<EOF\nvalue\n", "a<<EOF\nvalue\nEOF", "=value\n", "<<EOF\nEOF\n", "no separator\n"],
)
def test_the_runner_model_rejects_broken_files(text: str) -> None:
    with pytest.raises(RunnerError):
        parse_outputs(text)


def test_escaping_by_hand() -> None:
    assert escape.escape_data("100% done\r\nnext: a,b") == "100%25 done%0D%0Anext: a,b"
    assert escape.escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"


@pytest.mark.parametrize("text", [*HOSTILE, "title: with, separators", "%3A%2C"])
def test_commands_read_back_as_written(text: str) -> None:
    line = github.command("error", f"message {text}", title=f"title [{text}]")
    assert "\n" not in line and "\r" not in line
    assert executed_commands(line) == [
        Command("error", {"title": f"title [{text}]"}, f"message {text}")
    ]


def test_messages_are_cut_at_the_runners_limit_before_escaping() -> None:
    [command] = executed_commands(github.command("error", "%" * 5000, title="t" * 5000))
    assert command.data == "%" * 4096
    assert command.properties["title"] == "t" * 4096


def test_annotations_capped_per_kind_with_one_notice_for_the_rest() -> None:
    notes = [github.Annotation("error", f"t{i}", f"m{i}") for i in range(13)]
    notes += [github.Annotation("warning", f"w{i}", "m") for i in range(3)]
    commands = executed_commands("\n".join(github.annotation_commands(notes)))
    assert [c.data for c in commands if c.name == "error"] == [f"m{i}" for i in range(10)]
    assert len([c for c in commands if c.name == "warning"]) == 3
    [notice] = [c for c in commands if c.name == "notice"]
    assert notice.data.startswith("3 more error annotations were not shown")


def test_exactly_ten_needs_no_notice() -> None:
    notes = [github.Annotation("error", "t", "m")] * 10
    assert [c.name for c in executed_commands("\n".join(github.annotation_commands(notes)))] == [
        "error"
    ] * 10


def test_wrapped_text_runs_no_command() -> None:
    hostile = "\n".join(
        [
            "::error::forged",
            "  ::warning title=x::forged",
            "text ##[add-mask]secret",
            "::stop-commands::abc",
            "::abc::",
            "##[set-output name=regression;]false",
            "cr\r::error::after a carriage return",
        ]
    )
    wrapped = github.without_commands(hostile)
    commands = executed_commands(wrapped + "::notice::after\n")
    assert [c.name for c in commands] == ["stop-commands", "notice"]
    assert hostile in wrapped


def test_the_runner_model_ignores_case_as_the_runner_does() -> None:
    log = "::ERROR::forged\nx ##[Add-Mask]secret\n::stop-commands::Tok\n::error::no\n::TOK::\n"
    assert [c.name for c in executed_commands(log)] == ["ERROR", "Add-Mask", "stop-commands"]


def test_unwrapped_text_would_run_them() -> None:
    # The runner model sees the danger the wrapping removes.
    names = [c.name for c in executed_commands("::error::forged\nx ##[add-mask]secret")]
    assert names == ["error", "add-mask"]
