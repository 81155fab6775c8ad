"""The GitHub Actions runner's protocol: inputs, outputs, annotations, log commands, summary.

Every rule here is the runner's (actions/runner) or the actions toolkit's, not ours; see
the README's "Use in GitHub Actions" section for what trendgate does with them.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from trendgate.errors import UsageError
from trendgate.escape import escape_data, escape_property

TRUE_WORDS = ("true", "True", "TRUE")
FALSE_WORDS = ("false", "False", "FALSE")
# The runner attaches at most this many annotations of each kind to a step; the rest only
# reach the log, where nobody looks.
MAX_ANNOTATIONS_PER_KIND = 10
MAX_ANNOTATION_CHARS = 4096  # the runner cuts messages here


def get_input(env: Mapping[str, str], name: str) -> str | None:
    """An action input, trimmed, or None when it is absent or empty.

    The runner names the variable `INPUT_` + the upper-cased input name, keeping hyphens,
    and gives an empty string both for "not given" and for a `with:` value that evaluated
    to nothing (which also suppresses the action.yml default), so empty means "use the
    default".
    """
    value = env.get("INPUT_" + name.replace(" ", "_").upper(), "").strip()
    return value or None


def get_bool_input(env: Mapping[str, str], name: str, default: bool) -> bool:
    """A boolean input by the toolkit's rules: true/True/TRUE, false/False/FALSE, else an error."""
    value = get_input(env, name)
    if value is None:
        return default
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    raise UsageError(f"{name} must be true or false (got {value!r})")


def format_outputs(outputs: Mapping[str, str]) -> str:
    """Outputs in the heredoc form the runner reads from GITHUB_OUTPUT, as the toolkit writes it.

    Each value gets a fresh random delimiter, so no value can end its own block early and
    smuggle in another output, whatever it contains.
    """
    blocks = []
    for name, value in outputs.items():
        delimiter = _token("ghadelimiter_")
        while delimiter in value:  # never in practice; a value cannot guess 128 random bits
            delimiter = _token("ghadelimiter_")
        blocks.append(f"{name}<<{delimiter}\n{value}\n{delimiter}\n")
    return "".join(blocks)


def append_file(path: str, text: str) -> None:
    """Append UTF-8 text to a runner file (GITHUB_OUTPUT, GITHUB_STEP_SUMMARY)."""
    with Path(path).open("a", encoding="utf-8", newline="\n") as handle:
        handle.write(text)


@dataclass(frozen=True)
class Annotation:
    """One annotation: `kind` is error, warning or notice."""

    kind: str
    title: str
    message: str


def annotation_commands(annotations: Iterable[Annotation]) -> list[str]:
    """Workflow command lines for the annotations, at most MAX_ANNOTATIONS_PER_KIND per kind.

    The runner would drop the rest silently; one notice per kind says how many there were.
    """
    lines: list[str] = []
    count: dict[str, int] = {}
    for note in annotations:
        count[note.kind] = count.get(note.kind, 0) + 1
        if count[note.kind] <= MAX_ANNOTATIONS_PER_KIND:
            lines.append(command(note.kind, note.message, title=note.title))
    for kind, n in count.items():
        if n > MAX_ANNOTATIONS_PER_KIND:
            more = n - MAX_ANNOTATIONS_PER_KIND
            lines.append(
                command(
                    "notice",
                    f"{more} more {kind} annotations were not shown (GitHub shows "
                    f"{MAX_ANNOTATIONS_PER_KIND} per step); the job summary lists them all.",
                    title="trendgate",
                )
            )
    return lines


def command(kind: str, message: str, *, title: str | None = None) -> str:
    """One workflow command line; message and title escaped, cut to the runner's limit."""
    properties = f" title={escape_property(title[:MAX_ANNOTATION_CHARS])}" if title else ""
    return f"::{kind}{properties}::{escape_data(message[:MAX_ANNOTATION_CHARS])}"


def without_commands(text: str) -> str:
    """Wrap untrusted log text so that no line of it can run as a workflow command.

    Between `::stop-commands::TOKEN` and `::TOKEN::` the runner executes nothing; the token
    is random, so the text cannot contain the line that resumes command processing.
    """
    token = _token("trendgate-")
    while token in text:  # never in practice; a result file cannot guess 128 random bits
        token = _token("trendgate-")
    if not text.endswith("\n"):
        text += "\n"
    return f"::stop-commands::{token}\n{text}::{token}::\n"


def _token(prefix: str) -> str:
    return prefix + os.urandom(16).hex()
