"""Render a job summary the way GitHub does, in headless Chromium, and read back what it drew.

The Markdown goes through cmark-gfm (GitHub's own engine, via cmarkgfm) with GitHub's
extensions; every ```mermaid block is then drawn by the Mermaid library from the npm package
in tests/e2e/node_modules, as GitHub's viewer does in the browser. Nothing is fetched at run
time: scripts and styles are injected from local files and every network request is error_outcome
and recorded. Needs Debian's chromium (/usr/bin/chromium) and `npm ci --prefix tests/e2e`.

Usage: python -m tests.e2e.render_summary SUMMARY.md OUT.png [--dark]
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
from contextlib import ExitStack
from dataclasses import asdict, dataclass
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Literal

import cmarkgfm
from cmarkgfm.cmark import Options

from tests.e2e.chromium import CHROMIUM, SETUP, chromium

if TYPE_CHECKING:  # imported when a browser starts: without it the unit tests still collect
    from playwright.sync_api import Page, Route, ViewportSize

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
NODE_MODULES = HERE / "node_modules"
MERMAID_JS = NODE_MODULES / "mermaid" / "dist" / "mermaid.min.js"
MARKDOWN_CSS = NODE_MODULES / "github-markdown-css" / "github-markdown.css"
# GitHub's job summary column is about this wide on a desktop screen.
VIEWPORT: ViewportSize = {"width": 1012, "height": 800}

Theme = Literal["light", "dark"]
# The README's pictures of the demo directory's summary (python -m scripts.render_pictures).
PICTURES: dict[Theme, Path] = {
    theme: ROOT / "docs" / f"summary-{theme}.png" for theme in ("light", "dark")
}

# GitHub's viewer draws a block with Mermaid's default theme, or its dark theme in dark mode,
# and shows a box instead of the chart when the block does not parse.
_DRAW_CHARTS = """
async (theme) => {
  mermaid.initialize({startOnLoad: false, securityLevel: "strict",
                      theme: theme === "dark" ? "dark" : "default"});
  const errors = [];
  const blocks = [...document.querySelectorAll('pre[lang="mermaid"]')];
  for (const [index, pre] of blocks.entries()) {
    const source = pre.textContent;
    const box = document.createElement("div");
    try {
      await mermaid.parse(source);
      const {svg} = await mermaid.render(`chart-${index}`, source);
      box.className = "mermaid-chart";
      box.innerHTML = svg;
    } catch (error) {
      const message = String((error && error.message) || error);
      errors.push(message);
      box.className = "mermaid-error";
      box.textContent = "Unable to render rich display: " + message;
    }
    pre.replaceWith(box);
  }
  return errors;
}
"""

# For each chart: its title, x-axis labels, the vertices of each plotted line, and the
# summary line of the <details> it sits in ("" outside any) and whether that starts open.
_READ_CHARTS = """
() => [...document.querySelectorAll(".mermaid-chart svg")].map((svg) => {
  const details = svg.closest("details");
  return {
    title: [...svg.querySelectorAll(".chart-title text")].map((t) => t.textContent).join(""),
    x_labels: [...svg.querySelectorAll(".bottom-axis .label text")].map((t) => t.textContent),
    line_points: [...svg.querySelectorAll("[class^='line-plot'] path")]
      .map((p) => (p.getAttribute("d").match(/[ML]/g) || []).length),
    details: details ? details.querySelector("summary").textContent : "",
    folded: details !== null && !details.hasAttribute("open"),
  };
})
"""


def demo_summary() -> str:
    """The demo directory's job summary, its path written as the README's quickstart types it."""
    from trendgate.judge.analysis import analyze
    from trendgate.report import Ending
    from trendgate.report.markdown import render as render_markdown

    here = Path.cwd()
    os.chdir(ROOT)
    try:
        # The README's quickstart judges the demo as of the morning after its last night.
        now = 1_779_321_600.0  # 2026-05-21T00:00:00Z
        return render_markdown(analyze(Path("examples/results"), now=now), Ending())
    finally:
        os.chdir(here)


def summary_html(markdown: str) -> str:
    """The summary as GitHub's cmark-gfm turns it into HTML (raw HTML kept, as GitHub does)."""
    html: str = cmarkgfm.github_flavored_markdown_to_html(
        markdown, options=Options.CMARK_OPT_UNSAFE
    )
    return html


def page_html(markdown: str) -> str:
    """A whole page: the summary inside GitHub's Markdown styles."""
    return (
        '<!doctype html><html><head><meta charset="utf-8"><title>job summary</title>'
        '<meta name="color-scheme" content="light dark">'
        "<style>body{margin:0;padding:16px 24px}</style></head>"
        f'<body><article class="markdown-body">{summary_html(markdown)}</article></body></html>'
    )


@dataclass(frozen=True)
class Chart:
    """One drawn chart as read back from its SVG."""

    title: str
    x_labels: list[str]
    line_points: list[int]  # vertices of each plotted line, in drawing order
    details: str  # the text of the summary line of the <details> holding the chart
    folded: bool  # inside a <details> that starts closed


@dataclass(frozen=True)
class Rendered:
    """What the browser made of one summary."""

    page: Page
    mermaid_errors: list[str]
    charts: list[Chart]
    requests: list[str]  # every network request the page tried (all error_outcome)

    def screenshot(self, path: Path) -> None:
        """Save the summary, as tall as it is, as a PNG."""
        self.page.locator("article").screenshot(path=str(path), animations="disabled")


def missing() -> list[str]:
    """What rendering needs and this machine lacks (empty when a browser can start)."""
    lacking = [str(p) for p in (CHROMIUM, MERMAID_JS, MARKDOWN_CSS) if not p.exists()]
    if importlib.util.find_spec("playwright") is None:
        lacking.append("the playwright package")
    return lacking


class SummaryBrowser:
    """A headless Chromium with a fresh profile; `render` opens one summary in a new tab."""

    def __init__(self) -> None:
        lacking = missing()
        if lacking:
            raise RuntimeError(f"rendering needs {', '.join(lacking)}: {SETUP}")
        self._requests: list[str] = []
        self._stack = ExitStack()

    def __enter__(self) -> SummaryBrowser:
        self._context = self._stack.enter_context(chromium(VIEWPORT, "UTC"))
        self._context.route("**/*", self._refuse)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._stack.close()

    def _refuse(self, route: Route) -> None:
        self._requests.append(route.request.url)
        route.abort()

    def render(self, markdown: str, theme: Theme = "light") -> Rendered:
        """Open the summary as GitHub shows it in `theme` and draw its charts."""
        self._requests.clear()
        for open_page in self._context.pages:
            open_page.close()
        page = self._context.new_page()
        page.emulate_media(color_scheme=theme)
        page.set_content(page_html(markdown))
        page.add_style_tag(path=str(MARKDOWN_CSS))
        page.add_script_tag(path=str(MERMAID_JS))
        errors: list[str] = page.evaluate(_DRAW_CHARTS, theme)
        charts = [Chart(**c) for c in page.evaluate(_READ_CHARTS)]
        return Rendered(page, errors, charts, list(self._requests))


def main(argv: list[str]) -> int:
    """Render one summary file to a PNG and print what was drawn."""
    if len(argv) not in (2, 3) or (len(argv) == 3 and argv[2] != "--dark"):
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    markdown = Path(argv[0]).read_text(encoding="utf-8")
    with SummaryBrowser() as browser:
        rendered = browser.render(markdown, "dark" if len(argv) == 3 else "light")
        rendered.screenshot(Path(argv[1]))
        report = {
            "mermaid_errors": rendered.mermaid_errors,
            "charts": [asdict(c) for c in rendered.charts],
            "requests": rendered.requests,
        }
    print(json.dumps(report, indent=2))
    return 1 if rendered.mermaid_errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
