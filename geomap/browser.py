"""Opening a map in Debian's Chromium, with every network request blocked: screenshots, tests, benchmarks.

Playwright (from PyPI) drives /usr/bin/chromium (`apt-get install chromium chromium-driver`);
Playwright's own browser download does not work on our machines.
"""

from __future__ import annotations

import os
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from geomap.files import atomic_target

__all__ = ["CHROMIUM", "BrowserMissing", "MapNotReady", "PageLog", "load_map", "open_page", "screenshot"]

CHROMIUM = os.environ.get("GEOMAP_CHROMIUM", "/usr/bin/chromium")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    # belt and braces: no host name resolves, whatever slips past the request filter
    "--host-resolver-rules=MAP * ~NOTFOUND",
]


class BrowserMissing(Exception):
    """Chromium or Playwright is not installed."""


class MapNotReady(Exception):
    """A map page did not finish drawing its layers."""


@dataclass
class PageLog:
    """What a page did that a self-contained map must not do."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)  # requests to anything but file: and data:
    failed: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not (self.console_errors or self.page_errors or self.blocked or self.failed or self.dialogs)


@contextmanager
def open_page(width: int = 1600, height: int = 1000):
    """Yield (page, log): a Chromium page that may read only local files, and what it logged."""
    if not Path(CHROMIUM).exists():
        raise BrowserMissing(f"{CHROMIUM} is missing: apt-get install -y chromium chromium-driver")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as e:
        raise BrowserMissing("the playwright package is missing: uv sync --group dev") from e

    log = PageLog()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS, headless=True)
        try:
            context = browser.new_context(
                viewport={"width": width, "height": height}, service_workers="block"
            )

            def only_local(route):
                url = route.request.url
                if url.startswith(("file:", "data:", "blob:", "about:")):
                    route.continue_()
                else:
                    log.blocked.append(url)
                    route.abort("blockedbyclient")

            context.route("**/*", only_local)
            page = context.new_page()
            page.on("console", lambda m: m.type == "error" and log.console_errors.append(m.text))
            page.on("pageerror", lambda e: log.page_errors.append(str(e)))
            page.on("requestfailed", lambda r: log.failed.append(f"{r.url} {r.failure}"))

            def dialog(d):
                log.dialogs.append(d.message)
                d.dismiss()

            page.on("dialog", dialog)
            yield page, log
        finally:
            browser.close()


def load_map(page, html_path, timeout_s: float = 60, log: PageLog | None = None) -> float:
    """Open a map page and wait until its script has drawn every layer; return the seconds taken."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    url = Path(html_path).resolve().as_uri()
    start = time.perf_counter()
    page.goto(url, wait_until="load", timeout=timeout_s * 1000)
    try:
        page.wait_for_function("window.geomapReady === true", timeout=timeout_s * 1000)
    except PlaywrightTimeout as e:
        errors = log.page_errors + log.console_errors if log else []
        raise MapNotReady(
            f"{html_path} was not drawn within {timeout_s} s; errors: {errors or 'see the console'}"
        ) from e
    return time.perf_counter() - start


def screenshot(html_path, png_path, width: int = 1600, height: int = 1000) -> Path:
    """Save a PNG of the map as Chromium draws it offline; return its path."""
    png_path = Path(png_path)
    png_path.parent.mkdir(parents=True, exist_ok=True)
    with open_page(width, height) as (page, log):
        load_map(page, html_path, log=log)
        page.wait_for_timeout(300)  # let marker cluster animations settle
        with atomic_target(png_path, suffix=".png") as tmp:  # the suffix tells Chromium the format
            page.screenshot(path=str(tmp))
    return png_path
