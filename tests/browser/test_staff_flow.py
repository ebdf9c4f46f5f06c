"""No wrong door, in a real browser: a verifier sends a new report to a regency, its operator
responds and redirects it to a ministry, the ministry's operator resolves it, the citizen
accepts, and the citizen's timeline shows each step."""

import pytest

from complaints.models import Report, ReportStatus
from tests.browser.conftest import screenshot
from tests.browser.steps import second_step
from tests.conftest import make_user
from tests.factories import ReportFactory

pytestmark = pytest.mark.browser


def _sign_in(page, base, user):
    page.context.clear_cookies()
    page.goto(base + "/akun/masuk/")
    page.get_by_label("Alamat email").fill(user.email)
    page.get_by_label("Kata sandi").fill("rahasia-uji-123")
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_load_state()
    second_step(page, user)


def _act(page, label, fields, button=None):
    page.get_by_text(label, exact=True).first.click()  # opens the <details>
    form = page.locator("details[open] form")
    for name, value in fields.items():
        form.locator(f"[name={name}]").fill(value)
    form.get_by_role("button", name=button or label).click()
    page.wait_for_load_state()


def test_report_travels_from_verifier_to_regency_to_ministry_and_back_to_the_citizen(
    live_server, agency_tree, phone, settings
):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    base = live_server.url
    verifier = make_user("verif@example.id", "Verifikator Nasional", "verifier", "kemenpanrb")
    semarang = make_user("op.smg@example.id", "Operator Semarang", "operator", "regency-33.74")
    hub = make_user("op.hub@example.id", "Operator Kemenhub", "operator", "kemenhub")
    report = ReportFactory(title="Jembatan retak di jalan nasional Kaligawe")
    citizen = report.reporter
    page = phone

    _sign_in(page, base, verifier)
    page.goto(base + "/petugas/verifikasi/")
    page.get_by_role("link", name=report.title).click()
    _act(page, "Teruskan ke instansi", {"to_body_query": "Pemkot Semarang"})
    report.refresh_from_db()
    assert report.holder_body.source_key == "regency-33.74"

    _sign_in(page, base, semarang)
    page.goto(base + "/petugas/antrean/")
    page.get_by_role("link", name=report.title).click()
    _act(page, "Tanggapi pelapor", {"note": "Terima kasih, kami periksa kewenangannya."})
    _act(page, "Alihkan ke instansi lain",
         {"to_body_query": "Kemenhub",
          "reason": "Jalan nasional, kewenangan Kementerian Perhubungan."})
    report.refresh_from_db()
    assert report.holder_body.source_key == "kemenhub"
    # the report left Semarang's reach: its operator is back on the queue, told it went
    assert page.url.endswith("/petugas/antrean/")
    assert page.get_by_text(f"{report.tracking_number} dialihkan.").is_visible()
    screenshot(page, "staff-queue-phone")

    _sign_in(page, base, hub)
    page.goto(base + "/petugas/antrean/")
    page.get_by_role("link", name=report.title).click()
    screenshot(page, "staff-report-phone")
    _act(page, "Beri jawaban akhir",
         {"answer": "Jembatan sudah diperbaiki BBPJN pada 20 November."})
    report.refresh_from_db()
    assert report.status == ReportStatus.RESOLVED

    _sign_in(page, base, citizen)
    page.goto(base + f"/laporan-saya/{report.tracking_number}/")
    page.get_by_role("button", name="Ya, terima jawaban").click()
    page.wait_for_load_state()
    assert Report.objects.get(pk=report.pk).status == ReportStatus.CLOSED
    timeline = page.get_by_label("Riwayat laporan, terbaru di atas").inner_text()
    for step in ("Diteruskan ke instansi", "Tanggapan pertama", "Dialihkan ke instansi lain",
                 "Jawaban akhir", "Pelapor menerima jawaban", "Pemerintah Kota Semarang",
                 "Kementerian Perhubungan"):
        assert step in timeline, step
    for staff_name in ("Operator Semarang", "Operator Kemenhub", "Verifikator Nasional"):
        assert staff_name not in timeline
    screenshot(page, "citizen-timeline-phone")
