"""The open data page in a real browser: a visitor comes from /statistik/, sees the latest set
with its files, licence and data dictionary, and downloads the reports as CSV; the page passes
axe-core and has no sideways scroll at 360 px (``steps.seen``). Screenshots at 360 and 1280 px
go to LAPOR_SCREENSHOTS (else test-results/)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.cache import cache
from django.utils import timezone

from complaints.models import ReportStatus
from routing import opendata_files
from tests.browser.conftest import screenshot
from tests.browser.steps import DESKTOP, PHONE, click_through, screen, visit
from tests.conftest import body
from tests.factories import ReportFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def site(live_server, agency_tree, settings, tmp_path):
    settings.SITE_URL = live_server.url
    settings.OPEN_DATA_DIR = tmp_path / "open-data"
    cache.clear()
    now = timezone.now()
    for i in range(5):
        ReportFactory(status=ReportStatus.IN_PROGRESS, holder_body=body("regency-33.74"),
                      verified_at=now, is_confidential=(i == 0),
                      submitted_at=now - dt.timedelta(days=i),
                      description="NIK 3374015705900003, HP 0812-3456-7890.")
    opendata_files.build(now=now - dt.timedelta(days=1))
    opendata_files.build(now=now)
    yield live_server.url


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_visitor_finds_and_downloads_the_open_data(browser, site, size):
    with screen(browser, PHONE if size == "phone" else DESKTOP) as page:
        visit(page, f"{site}/statistik/")
        click_through(page, page.locator("main a[href='/data-terbuka/']"))
        assert page.get_by_role("heading", name="Data terbuka", level=1).is_visible()
        assert page.locator("#latest-files a", has_text="reports.csv").is_visible()
        assert page.locator("#earlier-sets tbody tr").count() == 1
        assert page.locator("a[rel=license]").inner_text().endswith("(CC BY 4.0)")
        assert page.locator("#dictionary tbody tr").count() == 22
        screenshot(page, f"data-terbuka-{size}")
        with page.expect_download() as download:
            page.locator("#latest-files a", has_text="reports.csv").click()
        rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text())))
        assert len(rows) == 4  # the confidential one left out
        assert {r["public_description"] for r in rows} == {
            "NIK [NIK disamarkan], HP [nomor telepon disamarkan]."}
        assert page.locator("footer a[href='/data-terbuka/']").count() == 1
