"""Redraw the README's pictures, docs/summary-light.png and docs/summary-dark.png, by hand.

They show the demo directory's job summary as GitHub draws it (tests/e2e/render_summary.py:
cmark-gfm, then Mermaid in headless Chromium), so this needs the browser tier's setup in
CONTRIBUTING.md. The rendering tests draw the same summary into a temporary file and fail
when it no longer has the committed picture's size; no test writes into docs/.

Usage: python -m scripts.render_pictures
"""

from __future__ import annotations

import sys

from tests.e2e.render_summary import PICTURES, ROOT, SummaryBrowser, demo_summary

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
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
