"""What GitHub would show for a job summary: GFM rendered by cmarkgfm, read back as HTML.

cmarkgfm is the Python binding of cmark-gfm, the engine GitHub renders Markdown with. It is
run with raw HTML allowed (GitHub keeps raw HTML, then sanitises it), so anything that input
could smuggle through our escaping shows up here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import cmarkgfm
from cmarkgfm.cmark import Options

# The elements and attributes the summary itself is made of; everything else came from input.
OUR_TAGS = frozenset(
    "h3 h4 p em strong ul li table thead tbody tr th td details summary pre code br".split()  # noqa: SIM905
)
OUR_ATTRIBUTES = frozenset(
    {("th", "align", "center"), ("th", "align", "right"), ("td", "align", "center")}
    | {("td", "align", "right"), ("pre", "lang", "mermaid"), ("details", "open", None)}
)
# GitHub turns `@name` in text (outside code) into a mention link; see html-pipeline's
# MentionFilter. Any `@` followed by a name character is counted, which is stricter.
MENTION = re.compile(r"@[A-Za-z0-9_-]")


@dataclass
class Page:
    """The parts of rendered HTML the injection tests look at."""

    elements: list[tuple[str, tuple[tuple[str, str | None], ...]]] = field(default_factory=list)
    tables: list[list[list[str]]] = field(default_factory=list)  # rows of cell texts
    prose: list[str] = field(default_factory=list)  # text outside code and pre

    def foreign(self) -> list[str]:
        """Elements and attributes that the summary does not make itself."""
        found = [tag for tag, _ in self.elements if tag not in OUR_TAGS]
        for tag, attributes in self.elements:
            found += [f"{tag} {k}={v}" for k, v in attributes if (tag, k, v) not in OUR_ATTRIBUTES]
        return found

    def mentions(self) -> list[str]:
        """Places where GitHub would create a mention from the text."""
        return [m.group() for text in self.prose for m in MENTION.finditer(text)]


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self.code_depth = 0
        self.cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.page.elements.append((tag, tuple(attrs)))
        if tag in ("code", "pre"):
            self.code_depth += 1
        elif tag == "table":
            self.page.tables.append([])
        elif tag == "tr":
            self.page.tables[-1].append([])
        elif tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("code", "pre"):
            self.code_depth -= 1
        elif tag in ("td", "th") and self.cell is not None:
            self.page.tables[-1][-1].append("".join(self.cell))
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)
        if not self.code_depth:
            self.page.prose.append(data)


def render(markdown: str) -> str:
    """GFM to HTML as GitHub's engine does it, raw HTML kept."""
    html: str = cmarkgfm.github_flavored_markdown_to_html(
        markdown, options=Options.CMARK_OPT_UNSAFE
    )
    return html


def read_page(markdown: str) -> Page:
    """Render Markdown and take the result apart."""
    reader = _Reader()
    reader.feed(render(markdown))
    reader.close()
    return reader.page
