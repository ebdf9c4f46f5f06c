"""Playwright against Debian's Chromium (/usr/bin/chromium); never downloads a browser.

Without Chromium the browser tests are skipped, except where LAPOR_REQUIRE_BROWSER=1 (CI),
where its absence is a failure."""

import os
from pathlib import Path

import pytest
from django.core.cache import cache

from tests.browser.checks import check_no_csp_violation, watch_csp

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-results"


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("LAPOR_REQUIRE_BROWSER") == "1":
            pytest.fail(f"Chromium is required but missing at {CHROMIUM}")
        pytest.skip(f"Chromium not installed at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread while the browser lives; the ORM
    # calls that fixtures make around it (live server set-up and flush) are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def phone(browser):
    """A page on a phone-sized screen (360 × 740, touch), in Indonesian."""
    context = browser.new_context(
        viewport={"width": 360, "height": 740},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="id-ID",
    )
    violations = watch_csp(context)
    page = context.new_page()
    yield page
    context.close()
    check_no_csp_violation(violations)


def screenshot(page, name: str) -> Path:
    """A full-page PNG in test-results/, or in the folder LAPOR_SCREENSHOTS names."""
    folder = Path(os.environ.get("LAPOR_SCREENSHOTS") or ARTIFACTS)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.fixture
def site(live_server, agency_tree, settings, tmp_path):
    """The live server as the site: links in emails point at it, uploads go to a temporary
    folder, and no rate-limit count is left from another test."""
    settings.SITE_URL = live_server.url
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield live_server.url
    cache.clear()


def main_menu(page):
    """The main navigation, opened first where it is folded into the phone's "Menu"."""
    menu = page.locator("details.nav-menu")
    summary = menu.locator("> summary")
    if summary.is_visible() and menu.get_attribute("open") is None:
        summary.click()
    return page.get_by_role("navigation", name="Navigasi utama")
