"""The two admin lists added for the workers' and the bodies' work, walked in Chromium at
360 px and at desktop width: the system admin finds the email outbox from the admin's index,
sends a failed email again and lands back on the list with what happened; a supervisor finds
the joint cases of the bodies below, opens one and follows "Lihat di situs" to its staff page.
axe-core and the CSP check run on every page."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from agencies.models import Role
from complaints.models import OutgoingEmail
from routing.services import cases, verification
from tests.browser.conftest import screenshot
from tests.browser.steps import DESKTOP, PHONE, click_through, screen, signed_in, visit
from tests.conftest import body, make_user
from tests.factories import ReportFactory

pytestmark = pytest.mark.browser

SIZES = {"phone": PHONE, "desktop": DESKTOP}


@pytest.fixture(autouse=True)
def _no_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.mark.parametrize("size", SIZES)
def test_the_system_admin_sends_a_failed_email_again(site, browser, size):
    admin = make_user("admin@example.id", "Admin Sistem", Role.SYSTEM_ADMIN, "kemenpanrb")
    failed = OutgoingEmail.objects.create(
        address="gagal@contoh.id", subject="Laporan Anda diterima", text="RAHASIA isi",
        state="failed", attempts=20, last_error="SMTPRecipientsRefused: 550")
    with screen(browser, SIZES[size]) as page:
        signed_in(page, site, admin)
        visit(page, site + "/admin/")
        click_through(page, page.get_by_role("link", name="Email keluar"))
        listing = page.locator("#result_list").inner_text()
        assert "gagal@contoh.id" in listing and "550" in listing
        assert "RAHASIA" not in page.content()
        screenshot(page, f"admin-outbox-{size}")
        page.locator(f"input[name=_selected_action][value='{failed.pk}']").check()
        page.locator("select[name=action]").select_option("send_again")
        click_through(page, page.locator(".actions button[name=index]"))
        assert "/admin/complaints/outgoingemail/" in page.url  # back on the list
        notice = page.locator(".messagelist").inner_text()
        assert "1 email dijadwalkan untuk dikirim ulang" in notice
        screenshot(page, f"admin-outbox-sent-again-{size}")
    failed.refresh_from_db()
    assert failed.state in {"pending", "sending", "sent"}  # queued again (and maybe sent)


@pytest.mark.parametrize("size", SIZES)
def test_a_supervisor_opens_a_case_and_follows_it_to_the_staff_page(site, browser, size):
    verifier = make_user("verif@example.id", "Verifikator Nasional", Role.VERIFIER, "kemenpanrb")
    operator = make_user("operator.a@example.id", "Operator A", Role.OPERATOR, "regency-33.74")
    supervisor = make_user("pimpinan.a@example.id", "Pimpinan Jateng", Role.SUPERVISOR,
                           "province-33")
    reports = [verification.disposition_report(
        report=ReportFactory(title=f"Jembatan Kali Garang rusak ({i})"),
        to_body=body("regency-33.74"), actor=verifier) for i in range(2)]
    case = cases.group_reports(numbers=[r.tracking_number for r in reports],
                               title="Jembatan Kali Garang", actor=operator)
    with screen(browser, SIZES[size]) as page:
        signed_in(page, site, supervisor)
        visit(page, site + "/admin/")
        click_through(page, page.get_by_role("link", name="Kasus bersama"))
        assert "Jembatan Kali Garang" in page.locator("#result_list").inner_text()
        click_through(page, page.locator("#result_list").get_by_role(
            "link", name="Jembatan Kali Garang"))
        content = page.locator("#content").inner_text()
        assert all(r.tracking_number in content for r in reports)
        assert page.get_by_role("button", name="Simpan").count() == 0  # read-only
        screenshot(page, f"admin-case-{size}")
        click_through(page, page.get_by_role("link", name="Lihat di situs"))
        assert page.url.endswith(f"/petugas/kasus/{case.pk}/")
        screenshot(page, f"admin-case-staff-page-{size}")
