"""How the GitHub runner reads what a step leaves behind, re-implemented from actions/runner.

Tests check trendgate's files and log through these, not through trendgate's own code:
`FileCommandManager.cs` (GITHUB_OUTPUT), `ActionCommand.cs` and `ActionCommandManager.cs`
(workflow commands in the log, including `::stop-commands::`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# The commands the runner registers; anything else in `::name::` form is plain text. The
# runner compares names ignoring case (StringComparer.OrdinalIgnoreCase).
REGISTERED = frozenset(
    [
        "set-env",
        "set-output",
        "save-state",
        "add-mask",
        "add-path",
        "add-matcher",
        "remove-matcher",
        "debug",
        "warning",
        "error",
        "notice",
        "group",
        "endgroup",
        "echo",
        "stop-commands",
    ]
)


# What .NET's Trim() removes (char.IsWhiteSpace); Python's strip() also removes \x1c-\x1f.
DOTNET_SPACE = "\t\n\v\f\r \x85\xa0\u1680" + "".join(map(chr, range(0x2000, 0x200B)))
DOTNET_SPACE += "\u2028\u2029\u202f\u205f\u3000"


class RunnerError(Exception):
    """The runner would reject the file."""


def parse_outputs(text: str) -> dict[str, str]:
    """GITHUB_OUTPUT as the runner reads it: `NAME=VALUE` lines and `NAME<<DELIM` blocks."""
    lines = text.split("\n")
    unterminated_last = not text.endswith("\n")
    if not unterminated_last:
        lines.pop()
    outputs: dict[str, str] = {}
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if not line:
            continue
        equals, heredoc = line.find("="), line.find("<<")
        if equals >= 0 and (heredoc < 0 or equals < heredoc):
            name, value = line.split("=", 1)
            if not name:
                raise RunnerError(f"empty name in {line!r}")
            outputs[name] = value
        elif heredoc >= 0:
            name, delimiter = line.split("<<", 1)
            if not name or not delimiter:
                raise RunnerError(f"empty name or delimiter in {line!r}")
            value_lines = []
            while True:
                if i >= len(lines):
                    raise RunnerError(f"Matching delimiter not found '{delimiter}'")
                candidate = lines[i]
                i += 1
                if candidate == delimiter:
                    if i == len(lines) and unterminated_last:
                        raise RunnerError("EOF marker missing new line")
                    break
                value_lines.append(candidate)
            outputs[name] = "\n".join(value_lines)
        else:
            raise RunnerError(f"Invalid format {line!r}")
    return outputs


@dataclass(frozen=True)
class Command:
    """A workflow command the runner executed."""

    name: str
    properties: dict[str, str] = field(default_factory=dict)
    data: str = ""


def _unescape(text: str, mappings: tuple[tuple[str, str], ...]) -> str:
    for escaped, plain in mappings:
        text = text.replace(escaped, plain)
    return text


_DATA = (("%0D", "\r"), ("%0A", "\n"), ("%25", "%"))
_PROPERTY = (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%"))
_LEGACY = (("%3B", ";"), ("%0D", "\r"), ("%0A", "\n"), ("%5D", "]"), ("%25", "%"))


def _parse_v2(line: str, registered: set[str] | None) -> Command | None:
    message = line.lstrip(DOTNET_SPACE)
    if not message.startswith("::"):
        return None
    end = message.find("::", 2)
    if end < 0:
        return None
    info = message[2:end]
    name = info.split(" ", 1)[0]
    if not _known(name, registered):
        return None
    properties = {}
    if " " in info:
        for pair in info.split(" ", 1)[1].strip(DOTNET_SPACE).split(","):
            key, sep, value = pair.partition("=")
            if key and sep and value:
                properties[key] = _unescape(value, _PROPERTY)
    return Command(name, properties, _unescape(message[end + 2 :], _DATA))


def _parse_legacy(line: str, registered: set[str] | None) -> Command | None:
    start = line.find("##[")
    if start < 0:
        return None
    end = line.find("]", start)
    if end < 0:
        return None
    info = line[start + 3 : end]
    name = info.split(" ", 1)[0]
    if not _known(name, registered):
        return None
    return Command(name, {}, _unescape(line[end + 1 :], _LEGACY))


def _known(name: str, registered: set[str] | None) -> bool:
    return bool(name) if registered is None else name.lower() in registered


def log_lines(log: str) -> list[str]:
    """The lines the runner reads: it uses .NET's ReadLine, so CR, LF and CRLF end a line."""
    return re.split(r"\r\n|\r|\n", log)


def any_command(line: str) -> Command | None:
    """The command `line` holds in either syntax, whatever its name, or None.

    Stricter than the runner, whose list of command names can grow: a line this finds
    nothing in is plain text to any runner.
    """
    return _parse_v2(line, None) or _parse_legacy(line, None)


def executed_commands(log: str) -> list[Command]:
    """The workflow commands the runner would execute from this log, in order."""
    registered = set(REGISTERED)
    stop_token: str | None = None
    executed = []
    for line in log_lines(log):
        command = _parse_v2(line, registered) or _parse_legacy(line, registered)
        if command is None:
            continue
        if stop_token is not None:
            if command.name.lower() == stop_token:
                registered.discard(stop_token)
                stop_token = None
            continue
        if command.name.lower() == "stop-commands":
            stop_token = command.data.lower()
            registered.add(stop_token)
        executed.append(command)
    return executed
