"""The GitHub runner's own rules, re-implemented as test oracles.

Ported from actions/runner: `ActionCommand.TryParseV2` / `TryParse` (src/Runner.Common/
ActionCommand.cs), which decide whether a log line is a workflow command. The oracle is
stricter than the runner: it ignores the runner's list of registered command names, so any
name counts, including the resume token of a `::stop-commands::`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Command:
    """A workflow command as the runner would parse it from one log line."""

    name: str
    properties: dict[str, str]
    data: str


def log_lines(output: str) -> list[str]:
    """Split output into the lines the runner reads (it ends a line at CR, LF or CRLF).

    str.splitlines() also splits at a few more characters (VT, FF, NEL, U+2028...), which
    only makes the oracle stricter.
    """
    return output.splitlines()


def parse_command(line: str) -> Command | None:
    """The command the runner sees in `line`, in either syntax, or None."""
    return _parse_v2(line) or _parse_legacy(line)


def _parse_v2(line: str) -> Command | None:
    # `::name props::data`, only at the start of the line after leading white space.
    message = line.lstrip()
    if not message.startswith("::"):
        return None
    end = message.find("::", 2)
    if end < 0:
        return None
    info = message[2:end]
    name, _, props = info.partition(" ")
    if not name:
        return None
    properties = {}
    for prop in props.strip().split(","):
        key, sep, value = prop.partition("=")
        if sep and key and value:
            properties[key] = unescape_property(value)
    return Command(name, properties, unescape_data(message[end + 2 :]))


def _parse_legacy(line: str) -> Command | None:
    # `##[name props]data`, found ANYWHERE in the line (the runner uses IndexOf).
    start = line.find("##[")
    if start < 0:
        return None
    close = line.find("]", start)
    if close < 0:
        return None
    name = line[start + 3 : close].partition(" ")[0]
    return Command(name, {}, line[close + 1 :]) if name else None


def unescape_data(text: str) -> str:
    """The runner's unescaping of a command's message."""
    return text.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")


def unescape_property(text: str) -> str:
    """The runner's unescaping of a command's property value."""
    for escaped, plain in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        text = text.replace(escaped, plain)
    return text
