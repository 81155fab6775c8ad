"""The history site's overview, first paint in headless Chromium: python bench/site_paint.py SITE.

Opens SITE/index.html from file:// in a fresh tab `--repeat` times (the browser started
once, as the browser tier starts it) and prints the median and largest first-contentful-paint
and load-event times that the page itself reports (Performance API), in milliseconds. Build
the site first, for example with bench/site_build.py (a year of 20 models).
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.e2e.site_browser import SiteBrowser


def main() -> int:
    """Print the first paint and the load time of SITE/index.html, median and worst."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    paints, loads = [], []
    with SiteBrowser() as browser:
        for _ in range(args.repeat):
            opened = browser.open(args.site / "index.html")
            # The paint entry may be recorded after the load event: wait for it.
            paint, load = opened.page.evaluate(
                """() => new Promise((resolve) => {
                  new PerformanceObserver((list) => {
                    const paint = list.getEntriesByName("first-contentful-paint")[0];
                    const navigation = performance.getEntriesByType("navigation")[0];
                    if (paint) { resolve([paint.startTime, navigation.loadEventEnd]); }
                  }).observe({type: "paint", buffered: true});
                })"""
            )
            if opened.errors or opened.requests:
                raise SystemExit(f"the page failed: {opened.errors} {opened.requests}")
            paints.append(paint)
            loads.append(load)
    print("| first paint ms (median, max) | load ms (median, max) |")
    print("|--:|--:|")
    print(
        f"| {statistics.median(paints):.0f}, {max(paints):.0f} | "
        f"{statistics.median(loads):.0f}, {max(loads):.0f} |"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
