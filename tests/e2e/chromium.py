"""The browser tier's one headless Chromium: Debian's binary, a fresh profile, no chatter."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported when a browser starts: without it the unit tests still collect
    from playwright.sync_api import BrowserContext, ViewportSize

CHROMIUM = Path("/usr/bin/chromium")
# Without the background-networking flags Chromium keeps dialling Google on a closed network.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SETUP = "apt-get install chromium; npm ci --prefix tests/e2e; pip install -e '.[dev]'"


@contextmanager
def chromium(viewport: ViewportSize, timezone: str) -> Iterator[BrowserContext]:
    """A headless Chromium with a fresh profile at `viewport`; closed and its profile removed."""
    from playwright.sync_api import sync_playwright

    with (
        tempfile.TemporaryDirectory(prefix="trendgate-chromium-") as profile,
        sync_playwright() as playwright,
    ):
        context = playwright.chromium.launch_persistent_context(
            profile,
            executable_path=str(CHROMIUM),
            headless=True,
            chromium_sandbox=False,
            args=CHROMIUM_FLAGS,
            viewport=viewport,
            device_scale_factor=1,
            locale="en-US",
            timezone_id=timezone,
        )
        try:
            yield context
        finally:
            context.close()
