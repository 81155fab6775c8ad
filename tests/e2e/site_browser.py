"""Open the history site's pages in headless Chromium from file://, recording what goes wrong.

Every request that is not to a file of the site (or a data: URL) is refused and recorded, as
are console errors (a Content-Security-Policy violation is one) and uncaught exceptions.
axe-core, from tests/e2e/node_modules, checks a page's accessibility; it is evaluated through
the DevTools protocol, which the page's policy does not govern, so the page stays as served.
Needs what tests/e2e/render_summary.py needs, and `npm ci --prefix tests/e2e`.
"""

from __future__ import annotations

from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from tests.e2e.chromium import SETUP, chromium
from tests.e2e.render_summary import NODE_MODULES, ROOT, Theme, missing

if TYPE_CHECKING:
    from playwright.sync_api import ConsoleMessage, Page, Request, Route, ViewportSize

AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
# The README's pictures of the demo directory's site: its regressing model's page.
SITE_PICTURES: dict[Theme, Path] = {
    theme: ROOT / "docs" / f"site-{theme}.png" for theme in ("light", "dark")
}
PICTURED_MODEL = "openrouter/anthropic/claude-sonnet-4.5"
VIEWPORT: ViewportSize = {"width": 1200, "height": 900}
# WCAG 2.1 A and AA, which covers contrast, names of controls and keyboard use.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@dataclass
class Opened:
    """One page as loaded, and what it did wrong."""

    page: Page
    errors: list[str] = field(default_factory=list)  # console errors and uncaught exceptions
    requests: list[str] = field(default_factory=list)  # requests to anything but the site

    def axe(self) -> list[dict[str, Any]]:
        """axe-core's violations on the page as it is now (an empty list when it passes)."""
        self.page.evaluate(AXE_JS.read_text(encoding="utf-8"))
        result: list[dict[str, Any]] = self.page.evaluate(
            """async (tags) => {
              const found = await axe.run(document, {runOnly: {type: "tag", values: tags}});
              return found.violations.map((v) => ({id: v.id, help: v.help,
                nodes: v.nodes.map((n) => n.target.join(" "))}));
            }""",
            AXE_TAGS,
        )
        return result


def site_missing() -> list[str]:
    """What the site's browser tests need and this machine lacks."""
    return missing() + ([str(AXE_JS)] if not AXE_JS.exists() else [])


class SiteBrowser:
    """A headless Chromium with a fresh profile; `open` loads one page of a site."""

    def __init__(self) -> None:
        lacking = site_missing()
        if lacking:
            raise RuntimeError(f"the site's browser tests need {', '.join(lacking)}: {SETUP}")
        self._stack = ExitStack()

    def __enter__(self) -> SiteBrowser:
        # New York: the pages must say UTC whatever the reader's zone.
        self._context = self._stack.enter_context(chromium(VIEWPORT, "America/New_York"))
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._stack.close()

    def open(self, path: Path, theme: Theme = "light") -> Opened:
        """Load a page of the site from disk in `theme`, in a new tab."""
        for old in self._context.pages:
            old.close()
        page = self._context.new_page()
        opened = Opened(page)

        def refuse(route: Route) -> None:
            url = route.request.url
            if url.startswith(("file://", "data:")):
                route.continue_()
            else:
                opened.requests.append(url)
                route.abort()

        def console(message: ConsoleMessage) -> None:
            if message.type == "error":
                opened.errors.append(message.text)

        def request(sent: Request) -> None:
            if not sent.url.startswith(("file://", "data:")):
                opened.requests.append(sent.url)

        page.route("**/*", refuse)
        page.on("console", console)
        page.on("pageerror", lambda exc: opened.errors.append(str(exc)))
        page.on("request", request)
        page.emulate_media(color_scheme=theme)
        page.goto(path.resolve().as_uri(), wait_until="load")
        return opened
