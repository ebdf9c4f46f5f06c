"""Notifications in a real browser: the citizen on a phone and an operator on a desktop each see
short notices, unread first, and each notice's link opens the report's page for that person."""

import datetime as dt

import pytest
from django.utils import timezone

from agencies.models import Role
from complaints.models import Notification
from routing.services import handling, verification
from tests.browser.conftest import screenshot
from tests.browser.steps import second_step
from tests.conftest import body, make_user
from tests.factories import ReportFactory

pytestmark = pytest.mark.browser

ANSWER = (
    'Petugas kami sudah memeriksa "Jalan Pemuda" & sekitarnya pada hari Senin. Perbaikan '
    "dijadwalkan pekan depan; mohon berhati-hati saat melintas. Terima kasih."
)


def _sign_in(page, base, user):
    page.context.clear_cookies()
    page.goto(base + "/akun/masuk/")
    page.get_by_label("Alamat email").fill(user.email)
    page.get_by_label("Kata sandi").fill("rahasia-uji-123")
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_load_state()
    second_step(page, user)


@pytest.fixture
def notified(agency_tree):
    """A report verified to Kota Semarang and answered, plus older read notices."""
    verifier = make_user("verif@example.id", "Verifikator", Role.VERIFIER, "kemenpanrb")
    operator = make_user("operator.a@example.id", "Operator A", Role.OPERATOR, "regency-33.74")
    citizen = make_user("warga@example.id", "Warga Biasa")
    report = ReportFactory(reporter=citizen, title='Lampu "mati" & jalan berlubang di Pemuda')
    verification.disposition_report(report=report, to_body=body("regency-33.74"), actor=verifier)
    handling.respond(report=report, actor=operator, note=ANSWER)
    long_ago = timezone.now() - dt.timedelta(days=3)
    for i in range(6):
        Notification.objects.create(
            user=citizen, report=report, title=f"Laporan {report.tracking_number}: Diverifikasi",
            message="Laporan Anda kini ditangani oleh Pemerintah Kota Semarang.",
            url=f"/laporan-saya/{report.tracking_number}/",
            created_at=long_ago - dt.timedelta(hours=i), read_at=long_ago,
        )
    return report, citizen, operator


def test_the_citizen_on_a_phone_sees_short_notices_and_follows_one_to_the_report(
    live_server, phone, notified
):
    report, citizen, _operator = notified
    page = phone
    _sign_in(page, live_server.url, citizen)
    page.goto(live_server.url + "/notifikasi/")
    notices = page.locator(".notice")
    assert notices.count() == 8
    assert page.locator(".notice.unread").count() == 2  # the disposition and the answer
    first = notices.first
    assert "Baru" in first.inner_text()
    assert 'Petugas kami sudah memeriksa "Jalan Pemuda" & sekitarnya pada hari Senin.' in (
        first.inner_text()
    )
    assert "Perbaikan dijadwalkan" not in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    # eight notices fit in about two phone screens (the whole email used to be 8,000 px)
    assert page.evaluate("document.documentElement.scrollHeight") < 3 * 740
    screenshot(page, "notifications-citizen-phone")

    first.locator("a.notice-body").click()
    page.wait_for_url(f"**/laporan-saya/{report.tracking_number}/")
    assert "Perbaikan dijadwalkan pekan depan" in page.inner_text("main")
    page.goto(live_server.url + "/notifikasi/")
    assert page.locator(".notice.unread").count() == 1


def test_an_operator_follows_a_new_report_notice_to_the_staff_page(
    live_server, browser, notified
):
    report, _citizen, operator = notified
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="id-ID")
    page = context.new_page()
    _sign_in(page, live_server.url, operator)
    page.goto(live_server.url + "/notifikasi/")
    notice = page.locator(".notice").first
    assert f"Laporan baru: {report.tracking_number}" in notice.inner_text()
    screenshot(page, "notifications-operator-desktop")
    notice.get_by_role("button", name="Tandai dibaca").click()
    page.wait_for_url("**/notifikasi/?page=1")
    assert page.locator(".notice.unread").count() == 0
    page.locator(".notice a.notice-body").first.click()
    page.wait_for_url(f"**/petugas/laporan/{report.tracking_number}/")
    assert report.title in page.inner_text("main")
    context.close()
