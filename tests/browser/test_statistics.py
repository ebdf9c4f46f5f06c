"""The statistics in a real browser: a visitor opens the national page, drills to a province,
a regency/city and a body, downloads a table, and the numbers equal those recomputed from the
reports of the test; a body with fewer reports than the minimum is not ranked. Every page
passes axe-core and has no sideways scroll at 360 px (``steps.seen``); screenshots at 360 and
1280 px go to LAPOR_SCREENSHOTS (else test-results/)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from django.core.cache import cache
from django.utils import timezone

from agencies.models import Region
from complaints.models import Report, ReportStatus
from complaints.services import solved
from routing import statistics as stats
from routing.services import statistics as rollups
from tests.browser.conftest import screenshot
from tests.browser.steps import DESKTOP, PHONE, click_through, screen, signed_in, visit
from tests.conftest import body, make_user
from tests.factories import ReportFactory

pytestmark = pytest.mark.browser

@pytest.fixture
def site(live_server, agency_tree, settings):
    settings.SITE_URL = live_server.url
    cache.clear()
    now = timezone.now()
    semarang, surabaya = body("regency-33.74"), body("regency-35.78")
    jatim = {"province": Region.objects.get(code="35"), "regency": Region.objects.get(code="35.78")}
    for i in range(stats.RANKING_MINIMUM + 2):
        ReportFactory(status=ReportStatus.IN_PROGRESS if i % 3 else ReportStatus.RESOLVED,
                      holder_body=semarang, verified_at=now, is_confidential=(i % 5 == 0),
                      submitted_at=now - dt.timedelta(days=i * 5),
                      first_dispositioned_at=now - dt.timedelta(days=i * 5))
    for i in range(4):
        ReportFactory(status=ReportStatus.IN_PROGRESS, holder_body=surabaya, verified_at=now,
                      submitted_at=now - dt.timedelta(days=i * 7), **jatim)
    ReportFactory(status=ReportStatus.ARCHIVED, submitted_at=now)
    rollups.refresh()
    yield live_server.url


def received(**where) -> int:
    return Report.objects.exclude(status__in=[ReportStatus.DRAFT, ReportStatus.ARCHIVED]).filter(
        **where).count()


def figure(page) -> int:
    return int(page.locator("td[data-figure=received]").first.inner_text())


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_visitor_drills_down_downloads_and_the_numbers_add_up(browser, site, size):
    semarang = body("regency-33.74")
    with screen(browser, PHONE if size == "phone" else DESKTOP) as page:
        visit(page, f"{site}/statistik/")
        assert figure(page) == received()
        assert page.locator("svg[role=img]").count() >= 2
        screenshot(page, f"statistik-nasional-{size}")
        click_through(page, page.get_by_role("link", name="Jawa Tengah", exact=True))
        assert figure(page) == received(province__code="33")
        click_through(page, page.get_by_role("link", name="Kota Semarang", exact=True))
        assert figure(page) == received(regency__code="33.74")
        screenshot(page, f"statistik-wilayah-{size}")
        click_through(page, page.get_by_role("link", name=semarang.name, exact=True))
        assert page.url.endswith(f"/statistik/instansi/{semarang.pk}/")
        assert figure(page) == received(holder_body=semarang)
        screenshot(page, f"statistik-instansi-{size}")
        with page.expect_download() as download:
            page.locator("a[href*='tabel=tren'][href*='unduh=json']").click()
        rows = json.loads(Path(download.value.path()).read_text())
        assert sum(r["received"] for r in rows) == received(holder_body=semarang)
        with page.expect_download() as download:
            page.locator("a[href*='tabel=ringkasan'][href*='unduh=csv']").click()
        text = Path(download.value.path()).read_text()
        assert f"received,{received(holder_body=semarang)}" in text
        # The ranking: Semarang has the minimum, Surabaya (4 reports) is listed unranked.
        visit(page, f"{site}/statistik/peringkat/?tingkat=kabupaten-kota")
        ranked = page.locator("#table-peringkat")
        unranked = page.locator("#table-belum-diperingkat")
        assert ranked.locator(f"tr[data-id='{semarang.pk}']").count() == 1
        surabaya = body("regency-35.78")
        assert ranked.locator(f"tr[data-id='{surabaya.pk}']").count() == 0
        assert unranked.locator(f"tr[data-id='{surabaya.pk}']").count() == 1
        assert f"paling sedikit {stats.RANKING_MINIMUM} laporan" in page.locator(
            "#ranking-rule").inner_text()
        screenshot(page, f"statistik-peringkat-{size}")
        # The body's own page carries its card.
        visit(page, f"{site}/instansi/{semarang.pk}/")
        assert int(page.locator("#kinerja dd[data-figure=received]").inner_text()) == received(
            holder_body=semarang)
        screenshot(page, f"instansi-kartu-{size}")


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_supervisor_reaches_the_reports_behind_a_number(browser, site, size):
    supervisor = make_user(f"pimpinan.{size}@example.id", "Pimpinan Jateng", "supervisor",
                           "province-33")
    semarang = body("regency-33.74")
    with screen(browser, PHONE if size == "phone" else DESKTOP) as page:
        signed_in(page, site, supervisor)
        visit(page, f"{site}/petugas/statistik/")
        row = page.locator(f"tr[data-id='{semarang.pk}']")
        assert int(row.locator("td").first.inner_text()) == received(holder_body=semarang)
        screenshot(page, f"petugas-statistik-{size}")
        click_through(page, row.locator("td").first.get_by_role("link"))
        assert f"body={semarang.pk}" in page.url and "/petugas/antrean/" in page.url


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_citizen_answers_sudah_tuntas_and_no_points_to_the_dispute(browser, site, size,
                                                                  settings):
    settings.SOLVED_CHECK_AFTER_DAYS = 7
    old = timezone.now() - dt.timedelta(days=8)
    report = ReportFactory(status=ReportStatus.RESOLVED, holder_body=body("regency-33.74"),
                           verified_at=old, resolved_at=old, submitted_at=old)
    solved.ask_due()
    with screen(browser, PHONE if size == "phone" else DESKTOP) as page:
        signed_in(page, site, report.reporter)
        visit(page, f"{site}/laporan-saya/{report.tracking_number}/")
        panel = page.locator("#sudah-tuntas")
        panel.get_by_label("Belum").check()
        panel.locator("textarea").fill("Lubangnya masih ada.")
        screenshot(page, f"sudah-tuntas-{size}")
        click_through(page, panel.get_by_role("button", name="Kirim jawaban"))
        assert "Jawaban Anda: Belum." in page.locator("#sudah-tuntas").inner_text()
        assert page.locator("#sudah-tuntas a[href='#dispute-note']").count() == 1
    report.refresh_from_db()
    assert report.solved_answer == "no" and report.solved_comment == "Lubangnya masih ada."
