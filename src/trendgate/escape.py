"""Escape untrusted text (model names, task ids, file names) for each place it is shown.

One function per destination: a terminal or CI log, XML, GitHub-flavoured Markdown, a
Mermaid label, and the runner's workflow commands. Each is built from the named character
classes below, so a class is fixed once for every destination that must refuse it.
"""

from __future__ import annotations

import json
import re
from typing import NewType

# Text made safe for the destination it was escaped for: the escape functions below are the
# only makers outside the shared phrase builders (report/evidence.py), which take the
# destination's escape function and return this, so raw text cannot reach a renderer's
# phrases unnoticed: mypy rejects a str where Escaped is expected.
Escaped = NewType("Escaped", str)

# C0 and C1 controls and DEL: they move the cursor, recolour or erase a line.
CONTROLS = "\x00-\x1f\x7f-\x9f"
# What XML 1.0 cannot carry at all: C0 controls but tab, newline and return; U+FFFE/U+FFFF.
XML_FORBIDDEN = "\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff"
# Unicode's own line and paragraph breaks, which some viewers honour.
LINE_SEPARATORS = "\u2028\u2029"
# Bidirectional controls: they make a name display reversed or reorder a line.
BIDI_CONTROLS = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
# Lone surrogates, from file names that are not UTF-8: they cannot be written as UTF-8.
SURROGATES = "\ud800-\udfff"

# The runner obeys the legacy `##[command]` form anywhere in a line, not only at its start.
_TERMINAL = re.compile(f"[{CONTROLS}{LINE_SEPARATORS}{BIDI_CONTROLS}{SURROGATES}]|##\\[")
_XML = re.compile(f"[{XML_FORBIDDEN}\x7f-\x9f{LINE_SEPARATORS}{SURROGATES}]")
_MARKDOWN_BLANKED = re.compile(f"[{CONTROLS}{LINE_SEPARATORS}{BIDI_CONTROLS}]")
_SURROGATE = re.compile(f"[{SURROGATES}]")
# ASCII punctuation that forms nothing inside a Markdown paragraph and stays readable.
_MARKDOWN_PLAIN = frozenset(" /-,+=")
_MERMAID_PLAIN = frozenset(" ._/+-:@")
MAX_CELL_CHARS = 200
# A link's target: https, then only characters a URL carries unescaped and that can close
# neither the link nor a table cell (no parentheses, brackets, quotes, spaces or `|`).
_LINK_TARGET = re.compile(r"https://[A-Za-z0-9._~:/?=&%-]+")
MAX_CHART_TITLE = 60


def terminal_safe(text: str) -> Escaped:
    """Escape control characters so untrusted text stays on one visible line.

    Text that would start a `::command::` if it began a line gets its first `:` escaped,
    so it is safe wherever a report places it.
    """
    safe = _TERMINAL.sub(_terminal_escape, text)
    command = safe.lstrip()
    if command.startswith("::"):
        safe = safe[: len(safe) - len(command)] + "\\x3a" + command[1:]
    return Escaped(safe)


def _terminal_escape(match: re.Match[str]) -> str:
    found = match.group()
    if found == "##[":
        return "#\\x23["
    code = ord(found)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def xml_safe(text: str) -> Escaped:
    """Escape what XML cannot hold, so untrusted text always gives a well-formed file."""
    return Escaped(_XML.sub(lambda m: f"\\u{ord(m.group()):04x}", text))


def one_line(text: str) -> Escaped:
    """xml_safe, with line breaks escaped too (for names and messages)."""
    return Escaped(xml_safe(text).replace("\r", "\\r").replace("\n", "\\n"))


def md_text(text: str, limit: int = MAX_CELL_CHARS) -> Escaped:
    """Make untrusted text inert inside a GFM table cell or HTML block.

    ASCII punctuation becomes numeric character references: GFM splits table cells on a
    raw `|` only, and no Markdown, HTML, link or autolink syntax can be formed from
    references. `/ - , + =` form nothing inside a paragraph and stay readable. An `@`
    still reaches the page as `@`, where GFM makes e-mail links and GitHub mentions of it,
    so an invisible word joiner follows it. Control, line-break and bidirectional
    characters become spaces; lone surrogates (non-UTF-8 file names) become U+FFFD.
    """
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    text = _SURROGATE.sub("\ufffd", _MARKDOWN_BLANKED.sub(" ", text))
    return Escaped("".join(_inert(c) for c in text))


def md_link(text: str, url: str) -> str:
    """A Markdown link with the text made inert (md_text), or the text alone when the
    address is not a plain https one."""
    if not _LINK_TARGET.fullmatch(url):
        return md_text(text)
    return f"[{md_text(text)}]({url})"


def _inert(c: str) -> str:
    if c == "@":
        return "&#64;\u2060"
    if c.isascii() and not c.isalnum() and c not in _MARKDOWN_PLAIN:
        return f"&#{ord(c)};"
    return c


def mermaid_label(text: str, limit: int = MAX_CHART_TITLE) -> str:
    """Text that cannot break a quoted Mermaid string: letters, digits and ` ._/+-:@` only.

    Anything else (quotes, brackets, `#` and `;` that Mermaid reads as entities, `<`, control
    characters) becomes `_`, so a hostile model name still gets a chart under a readable label.
    """
    safe = "".join(c if c.isalnum() or c in _MERMAID_PLAIN else "_" for c in text)
    return safe if len(safe) <= limit else safe[: limit - 1] + "…"


def escape_data(text: str) -> str:
    """Escape a workflow command's message the way the runner unescapes it."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a workflow command property value (title, file): also `:` and `,`."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def yaml_quoted(text: str) -> str:
    """A YAML double-quoted scalar holding exactly `text`, in printable ASCII.

    JSON's string syntax is a subset of YAML's double-quoted one, and with every non-ASCII
    and control character escaped it cannot end a line, a code block or a terminal line early.
    """
    return json.dumps(text, ensure_ascii=True)


_HTML_BLANKED = re.compile(f"[{CONTROLS}{LINE_SEPARATORS}{BIDI_CONTROLS}\ufffe\uffff]")
_HTML_SPECIAL = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}
_HTML_SPECIALS = re.compile("[&<>\"']")


def html_text(text: str, limit: int = MAX_CELL_CHARS) -> Escaped:
    """Untrusted text made inert in HTML and inline SVG: element text and quoted attributes.

    Every character that can open a tag, an entity or end a quoted attribute value becomes a
    reference, so one function serves both places (attributes are always written quoted).
    Controls, line and bidirectional characters become spaces, lone surrogates U+FFFD.
    """
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    text = _SURROGATE.sub("\ufffd", _HTML_BLANKED.sub(" ", text))
    return Escaped(_HTML_SPECIALS.sub(lambda m: _HTML_SPECIAL[m.group()], text))


def plain_text(text: str, limit: int = MAX_CELL_CHARS) -> str:
    """Untrusted text for a JSON island's string (then shown with textContent): clipped,
    controls, line and bidirectional characters as spaces, lone surrogates as U+FFFD."""
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return _SURROGATE.sub("\ufffd", _HTML_BLANKED.sub(" ", text))


def json_island(value: object) -> str:
    """JSON for a `<script type="application/json">` element that no text inside can end.

    ASCII only, with `<`, `>` and `&` as \\u escapes: no `</script>` or `<!--` can form, and
    the JSON parser reads the same value back.
    """
    text = json.dumps(value, ensure_ascii=True, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
