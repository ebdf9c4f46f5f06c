"""Two-step sign-in in a real browser: a system admin who has no authenticator app yet signs
in, sets one up in the middle of it (QR code, key, first code, recovery codes) and lands on the
page they were heading for, on a phone and at desktop width, every page passing axe-core; and
an operator whose second factor is reset while typing an answer sends it on afterwards."""

from __future__ import annotations

import pytest

from agencies import two_factor
from agencies.models import Role
from complaints.models import ReportEvent
from routing.services import verification
from tests.browser.conftest import screenshot
from tests.browser.steps import (
    DESKTOP,
    PHONE,
    app_code,
    click_through,
    main_text,
    message,
    screen,
    second_step,
    sign_in,
    visit,
)
from tests.conftest import PASSWORD, body, make_user
from tests.factories import ReportFactory, UserFactory

pytestmark = pytest.mark.browser



@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_system_admin_sets_up_the_app_mid_sign_in_and_lands_where_they_were_going(
    live_server, agency_tree, browser, size, settings
):
    # The wait after a wrong code is pinned in tests/agencies/test_two_factor.py; here the
    # right code follows the wrong one at once.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    admin = make_user("admin.sistem@example.id", "Admin Sistem", Role.SYSTEM_ADMIN, "kemenpanrb")
    width = size["viewport"]["width"]
    with screen(browser, size) as page:
        visit(page, live_server.url + "/akun/masuk/?next=/admin/agencies/body/")
        page.locator("#id_username").fill(admin.email)
        page.locator("#id_password").fill(PASSWORD)
        click_through(page, page.locator("main").get_by_role("button", name="Masuk"))
        assert page.url.endswith("/akun/dua-langkah/pasang/?next=%2Fadmin%2Fagencies%2Fbody%2F")
        assert page.locator("figure.qr svg").is_visible()
        screenshot(page, f"setup-{width}")

        page.locator("#id_code").fill("000000")
        click_through(page, page.locator("main").get_by_role("button", name="Aktifkan"),
                      status=400)
        assert "Kode salah" in main_text(page)
        assert page.locator("figure.qr svg").is_visible()  # the same app, still to confirm
        secret = page.locator("[data-secret]").inner_text()
        page.locator("#id_code").fill(app_code(secret))
        click_through(page, page.locator("main").get_by_role("button", name="Aktifkan"))
        codes = page.locator(".recovery-codes code").all_inner_texts()
        assert len(codes) == two_factor.RECOVERY_CODE_COUNT
        screenshot(page, f"recovery-codes-{width}")

        click_through(page, page.get_by_role("link", name="Saya sudah menyimpannya, lanjutkan"))
        assert page.url == live_server.url + "/admin/agencies/body/"
        assert two_factor.has_second_factor(admin)
        visit(page, live_server.url + "/akun/profil/")
        assert "Tersisa 10 kode pemulihan" in main_text(page)
        screenshot(page, f"profile-{width}")


def test_an_answer_typed_while_the_second_factor_is_reset_is_sent_on_afterwards(
    live_server, agency_tree, browser
):
    verifier = make_user("verif@example.id", "Verifikator", Role.VERIFIER, "kemenpanrb")
    operator = make_user("op@example.id", "Operator Semarang", Role.OPERATOR, "regency-33.74")
    admin = make_user("admin@example.id", "Admin Sistem", Role.SYSTEM_ADMIN, "kemenpanrb")
    report = verification.disposition_report(
        report=ReportFactory(reporter=UserFactory(), title="Lampu jalan mati di Tembalang"),
        to_body=body("regency-33.74"), actor=verifier)
    base = live_server.url
    answer = "Lampu di Jalan Banjarsari diganti petugas Dinas Perhubungan Kamis pagi."
    with screen(browser, PHONE) as page:
        sign_in(page, base, operator)  # sets the app up on the way
        # The next sign-in asks for the app's code (the page passes the same checks).
        page.context.clear_cookies()
        visit(page, f"{base}/akun/masuk/?next=/petugas/antrean/")
        page.locator("#id_username").fill(operator.email)
        page.locator("#id_password").fill(PASSWORD)
        click_through(page, page.locator("main").get_by_role("button", name="Masuk"))
        assert page.url.startswith(f"{base}/akun/dua-langkah/?next=")
        screenshot(page, "verify-360")
        second_step(page, operator)
        assert page.url == f"{base}/petugas/antrean/"
        visit(page, f"{base}/petugas/laporan/{report.tracking_number}/")
        panel = page.locator("details.action", has=page.locator("summary",
                                                                has_text="Tanggapi pelapor"))
        panel.locator("> summary").click()
        panel.locator("[name=note]").fill(answer)
        # Meanwhile, the phone is reported lost and a system admin resets the second factor.
        two_factor.reset(user=operator, actor=admin)
        click_through(page, panel.get_by_role("button", name="Tanggapi pelapor", exact=True))
        assert "/akun/dua-langkah/pasang/" in page.url
        assert "Isian Anda tersimpan" in message(page)
        assert not ReportEvent.objects.filter(report=report, note=answer).exists()
        page.locator("#id_code").fill(app_code(page.locator("[data-secret]").inner_text()))
        click_through(page, page.locator("main").get_by_role("button", name="Aktifkan"))
        click_through(page, page.get_by_role("link", name="Saya sudah menyimpannya, lanjutkan"))
        assert page.url.endswith("/akun/dua-langkah/lanjutkan/")
        assert answer in main_text(page)  # what was typed, to recognise it
        screenshot(page, "continue-360")
        click_through(page, page.get_by_role("button", name="Kirim isian saya"))
        assert f"Tanggapan untuk {report.tracking_number} terkirim." in message(page)
        assert ReportEvent.objects.filter(report=report, note=answer, actor=operator).exists()
