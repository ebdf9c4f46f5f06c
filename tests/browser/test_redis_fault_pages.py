"""The pages a person meets when a shared part is down: registration while Redis cannot be
reached (refused with a sentence, every field kept), an export whose worker died (the reason
on its page) and the per-person export limit. Each passes axe-core and fits 360 px."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from routing import exports as export_service
from routing.models import ExportJob
from tests.browser.steps import DESKTOP, PHONE, screen, seen, signed_in, visit
from tests.conftest import make_user
from tests.redis_faults import pointed_at, stopped_redis_url

pytestmark = pytest.mark.browser

SHOTS = Path(os.environ.get("LAPOR_SHOTS", Path(__file__).resolve().parents[3] / "faults-shots"))
SIZES = {"phone": PHONE, "desktop": DESKTOP}


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("size", SIZES)
def test_registration_while_redis_is_down_says_so_and_keeps_the_form(
        live_server, agency_tree, browser, size):
    with pointed_at(stopped_redis_url()), screen(browser, SIZES[size]) as page:
        visit(page, live_server.url + "/akun/daftar/")
        page.get_by_label("Nama lengkap").fill("Siti Rahmawati")
        page.get_by_label("Alamat email").fill("siti@example.id")
        page.get_by_label("Kata sandi", exact=True).fill("Jembatan-Merah-1945")
        page.get_by_label("Ulangi kata sandi").fill("Jembatan-Merah-1945")
        with page.expect_navigation() as navigation:
            page.locator("main").get_by_role("button", name="Daftar").click()
        seen(page, navigation.value, status=503)
        assert "Layanan sedang terganggu sebentar" in page.locator("main").inner_text()
        assert page.get_by_label("Nama lengkap").input_value() == "Siti Rahmawati"
        assert page.get_by_label("Alamat email").input_value() == "siti@example.id"
        _shot(page, f"register-redis-down-{size}")


@pytest.mark.parametrize("size", SIZES)
def test_an_export_whose_worker_died_shows_why_and_the_limit_says_when(
        live_server, agency_tree, browser, settings, size):
    settings.EXPORT_MAX_ATTEMPTS = 1
    settings.EXPORT_LIMIT_PER_HOUR = 1
    operator = make_user(f"op.{size}@example.id", "Operator Kota", "operator", "regency-33.74")
    job = ExportJob.objects.create(requested_by=operator, format="csv", filters={},
                                   state="running", attempts=1)
    ExportJob.objects.filter(pk=job.pk).update(
        heartbeat_at=timezone.now() - timedelta(seconds=settings.EXPORT_STALE_AFTER_SECONDS + 5))
    assert export_service.reclaim_stale_exports()["failed"] == 1
    with screen(browser, SIZES[size]) as page:
        signed_in(page, live_server.url, operator)
        visit(page, live_server.url + f"/petugas/ekspor/{job.pk}/")
        assert "pekerja server berhenti" in page.locator("main").inner_text()
        _shot(page, f"export-worker-died-{size}")
        visit(page, live_server.url + "/petugas/ekspor/baru/")
        with page.expect_navigation() as navigation:
            page.locator("main").get_by_role("button", name="Buat berkas").click()
        seen(page, navigation.value, status=429)
        assert "ekspor per jam" in page.locator("main").inner_text()
        _shot(page, f"export-limit-{size}")
