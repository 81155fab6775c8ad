"""Redraw the README's pictures by hand: docs/summary-{light,dark}.png, docs/site-{light,dark}.png.

The first two show the demo directory's job summary as GitHub draws it
(tests/e2e/render_summary.py: cmark-gfm, then Mermaid in headless Chromium); the others the
page of the demo's regressing model in its history site (tests/e2e/site_browser.py, with the
mouse over one failed night). This needs the browser tier's setup in CONTRIBUTING.md. The
rendering tests draw the same summary into a temporary file and fail when it no longer has the
committed picture's size; no test writes into docs/.

Usage: python -m scripts.render_pictures
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from tests.e2e.render_summary import PICTURES, ROOT, SummaryBrowser, demo_summary
from tests.e2e.site_browser import PICTURED_MODEL, SITE_PICTURES, SiteBrowser
from trendgate.report.site import build
from trendgate.report.site.gather import gather
from trendgate.report.site.names import page_names
from trendgate.report.site.publish import publish
from trendgate.settings import budget_settings

USAGE = "usage: python -m scripts.render_pictures"


def main(argv: list[str]) -> int:
    """Draw both pictures; 1 when a chart does not draw (that picture is not written)."""
    if argv:
        print(USAGE, file=sys.stderr)
        return 2
    markdown = demo_summary()
    with SummaryBrowser() as browser:
        for theme in PICTURES:
            rendered = browser.render(markdown, theme)
            if rendered.mermaid_errors:
                print(f"render_pictures: {theme}: {rendered.mermaid_errors}", file=sys.stderr)
                return 1
            rendered.screenshot(PICTURES[theme])
            print(f"wrote {PICTURES[theme].relative_to(ROOT)}")
    with tempfile.TemporaryDirectory() as folder, SiteBrowser() as browser:
        site = Path(folder) / "site"
        publish(build(gather(ROOT / "examples" / "results", budget_settings())), site)
        for theme, picture in SITE_PICTURES.items():
            page = browser.open(site / page_names([PICTURED_MODEL])[PICTURED_MODEL], theme).page
            page.locator("svg.chart").focus()
            page.keyboard.press("Home")
            for _ in range(4):  # the fourth night, one the gate failed
                page.keyboard.press("ArrowRight")
            page.screenshot(path=str(picture), clip={"x": 0, "y": 0, "width": 1200, "height": 640})
            print(f"wrote {picture.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
