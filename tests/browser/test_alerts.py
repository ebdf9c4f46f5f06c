"""The email alerts in a real browser, at 360 and 1280 px: a visitor goes from a regency's
kecamatan list to "Peringatan email", subscribes, opens the confirmation link of the email in
the outbox, confirms, sees the manage page, and stops the alert by its one-click link (a
button, then the page saying so). Every page passes axe-core, has no sideways scroll and no CSP
violation (``steps.seen``); screenshots go to LAPOR_SCREENSHOTS."""

from __future__ import annotations

import re

import pytest

from complaints import alerts
from complaints.alert_models import AlertSubscription
from complaints.models import OutgoingEmail
from tests.browser.conftest import screenshot
from tests.browser.steps import DESKTOP, PHONE, click_through, screen, visit

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_subscribe_confirm_manage_and_stop(browser, site, size):
    email = f"ani.{size}@contoh.id"
    with screen(browser, PHONE if size == "phone" else DESKTOP) as page:
        visit(page, f"{site}/instansi/wilayah/?parent=33.74")
        assert page.locator('link[rel=alternate][type="application/atom+xml"]').count() == 2
        click_through(page, page.get_by_role("link", name="Peringatan email Semarang Tengah"))
        assert "Semarang Tengah" in page.locator("main").inner_text()
        page.get_by_label("Alamat email Anda").fill(email)
        page.get_by_label("Kategori (tidak wajib)").select_option("infrastruktur")
        screenshot(page, f"alerts-subscribe-{size}")
        click_through(page, page.get_by_role("button", name="Kirim tautan konfirmasi"))
        assert "Periksa email Anda" in page.locator("h1").inner_text()
        assert email in page.locator("main").inner_text()
        screenshot(page, f"alerts-sent-{size}")

        text = OutgoingEmail.objects.get(address=email).text
        link = re.search(r"http://\S+/peringatan/konfirmasi/\S+/", text).group(0)
        visit(page, link)
        screenshot(page, f"alerts-confirm-{size}")
        click_through(page, page.get_by_role("button", name="Ya, mulai peringatan"))
        assert AlertSubscription.objects.get(email=email).is_confirmed
        main = page.locator("main").inner_text()
        assert "Peringatan email aktif" in main and "Semarang Tengah" in main
        screenshot(page, f"alerts-manage-{size}")

        subscription = AlertSubscription.objects.get(email=email)
        visit(page, f"{site}/peringatan/berhenti/{alerts.unsubscribe_token(subscription)}/")
        assert AlertSubscription.objects.filter(email=email).exists()  # a GET only asks
        screenshot(page, f"alerts-unsubscribe-{size}")
        click_through(page, page.get_by_role("button", name="Ya, hentikan"))
        assert "dihentikan" in page.locator("main").inner_text()
        assert not AlertSubscription.objects.filter(email=email).exists()
        screenshot(page, f"alerts-stopped-{size}")

        visit(page, f"{site}/peringatan/konfirmasi/rusak/", status=400)
        assert "tidak sah" in page.locator("main").inner_text()
        screenshot(page, f"alerts-bad-link-{size}")
