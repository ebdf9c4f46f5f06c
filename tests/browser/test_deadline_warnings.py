"""Deadlines in a real browser (issue 14): a warning before a breach, seen by the operator (the
in-app notice, the queue's "segera jatuh tempo" count and filter) and acted on before the
breach, so the sweep breaches nothing; the citizen's side shows when the first response is
expected, and a verification clock paused while the citizen is asked ("menunggu pelapor
sejak …"). Screenshots at 360 and 1280 px go to test-results/ (or LAPOR_SCREENSHOTS)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from agencies.models import Role
from complaints.models import Notification
from routing import clocks
from routing.models import Clock, ClockKind
from routing.services import verification
from routing.sweep import enforce_deadlines
from tests.browser.conftest import screenshot
from tests.browser.steps import (
    DESKTOP,
    PHONE,
    act,
    click_through,
    main_text,
    message,
    screen,
    signed_in,
    visit,
    words,
)
from tests.conftest import body, make_user
from tests.factories import ReportFactory

pytestmark = pytest.mark.browser

QUEUE = "/petugas/antrean/"


@pytest.fixture
def warned(agency_tree):
    """A report held by Kota Semarang for 19 hours (its first response due in 5), whose
    warning 6 hours before has just been sent; and another still in verification, whose
    verifier asked the citizen to complete it."""
    verifier = make_user("verif@example.id", "Verifikator", Role.VERIFIER, "kemenpanrb")
    operator = make_user("operator.a@example.id", "Operator A", Role.OPERATOR, "regency-33.74")
    citizen = make_user("warga@example.id", "Warga Biasa")
    now = timezone.now()
    held_at = now - dt.timedelta(hours=19)
    with time_machine.travel(held_at, tick=False):
        report = ReportFactory(reporter=citizen, title="Lampu jalan Pemuda mati",
                               submitted_at=held_at)
        clocks.start(report, ClockKind.VERIFICATION, at=held_at)
        verification.disposition_report(report=report, to_body=body("regency-33.74"),
                                        actor=verifier)
        asked = ReportFactory(reporter=citizen, title="Trotoar Simpang Lima retak",
                              submitted_at=held_at)
        clocks.start(asked, ClockKind.VERIFICATION, at=held_at)
        verification.request_completion(report=asked, actor=verifier,
                                        note="Mohon lampirkan foto trotoarnya.")
    result = enforce_deadlines(now)
    assert result.warned["first_response"] == 1 and not result.breached
    return report, asked, operator, citizen


def test_the_operator_sees_the_warning_and_responds_before_the_breach(
    live_server, browser, warned
):
    report, _asked, operator, _citizen = warned
    base = live_server.url
    assert Notification.objects.filter(user=operator, title__startswith="Segera jatuh tempo")
    with screen(browser, DESKTOP) as page:
        signed_in(page, base, operator)
        visit(page, base + "/notifikasi/")
        notice = page.locator(".notice", has_text=f"Segera jatuh tempo: {report.tracking_number}")
        assert notice.count() == 1
        assert "Tanggapan pertama" in notice.inner_text() and "6 jam lagi" in notice.inner_text()
        screenshot(page, "warning-notice-1280")
        click_through(page, notice.locator("a.notice-body"))
        assert page.url.endswith(f"/petugas/laporan/{report.tracking_number}/")

        visit(page, base + QUEUE)
        soon = page.locator(".status-counts a.soon")
        assert "Segera jatuh tempo: 1" in words(soon)
        click_through(page, soon)
        assert "due_soon=1" in page.url
        row = page.locator(".queue-row", has_text=report.tracking_number)
        assert row.count() == 1 and "Segera jatuh tempo" in words(row.locator(".flags"))
        assert "Tanggapan pertama: sisa 4 jam" in words(row) or (
            "Tanggapan pertama: sisa 5 jam" in words(row))
        screenshot(page, "queue-due-soon-1280")

        click_through(page, row.locator("h3 a"))
        assert "Tenggat berikutnya" in main_text(page)
        # Beside the deadline, how it is counted.
        assert "dalam jam, termasuk malam dan hari libur" in main_text(page)
        screenshot(page, "staff-report-before-response-1280")
        act(page, "Tanggapi pelapor", {"note": "Petugas kami akan memeriksa lampu hari ini."})
        assert "terkirim" in message(page)
        visit(page, base + QUEUE)
        assert "Segera jatuh tempo: 0" in words(page.locator(".status-counts a.soon"))

    with screen(browser, PHONE) as page:
        signed_in(page, base, operator)
        visit(page, base + QUEUE)
        screenshot(page, "queue-after-response-360")
        visit(page, base + "/notifikasi/")
        screenshot(page, "warning-notice-360")
        visit(page, base + f"/petugas/laporan/{report.tracking_number}/")
        assert "Tindak lanjut berkala" in main_text(page)  # the next step, now owed
        screenshot(page, "staff-report-after-response-360")

    # The deadline passes: nothing to breach, the first response was given in time.
    first = Clock.objects.get(report=report, kind=ClockKind.FIRST_RESPONSE)
    later = enforce_deadlines(first.due_at + dt.timedelta(minutes=1))
    assert later.breached["first_response"] == 0
    first.refresh_from_db()
    assert (first.state, first.outcome) == ("stopped", "met")


def test_the_citizen_sees_the_expected_response_time_and_the_paused_clock(
    live_server, browser, warned
):
    report, asked, _operator, citizen = warned
    base = live_server.url
    for size, width in ((PHONE, 360), (DESKTOP, 1280)):
        with screen(browser, size) as page:
            signed_in(page, base, citizen)
            visit(page, base + f"/laporan-saya/{report.tracking_number}/")
            text = main_text(page)
            assert "Tanggapan pertama instansi diharapkan paling lambat" in text
            assert "prioritas Biasa" in text
            assert "hari ke-1: hari kerja sesudah hari diterima" in text
            screenshot(page, f"citizen-expected-response-{width}")
            visit(page, base + f"/laporan-saya/{asked.tracking_number}/")
            assert "menunggu pelapor sejak" in main_text(page)
            screenshot(page, f"citizen-paused-{width}")
