"""On a phone: a visitor goes from the home page's "Buat laporan" through registration to the
filing form; another signs up from "Masuk untuk mendukung" and comes back to support that
report."""

import re

import pytest
from django.core import mail

from tests.browser.conftest import screenshot
from tests.factories import public_report

pytestmark = pytest.mark.browser

PASSWORD = "Semarang-Hebat-2026"


def _register(page, name, email):
    page.get_by_label("Nama lengkap").fill(name)
    page.get_by_label("Alamat email").fill(email)
    page.get_by_label("Kata sandi", exact=True).fill(PASSWORD)
    page.get_by_label("Ulangi kata sandi").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Daftar").click()
    page.wait_for_url("**/akun/konfirmasi/**")


def _open_confirmation_link(page, base, email):
    """The link confirms the address, then asks to sign in (registering signs nobody in)."""
    link = re.search(r"https?://\S+/akun/konfirmasi/\S+", mail.outbox[-1].body).group(0)
    page.goto(base + link[link.index("/akun/"):])
    page.wait_for_url("**/akun/masuk/**")
    page.locator("#id_username").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Masuk").click()


def test_visitor_goes_from_the_home_page_to_the_filing_form(live_server, agency_tree, phone):
    base = live_server.url
    phone.goto(base + "/")
    start = phone.get_by_role("link", name="Buat laporan", exact=True)
    assert start.bounding_box()["y"] < 740  # on the first screen
    screenshot(phone, "home-visitor-phone")
    start.click()
    phone.wait_for_url("**/akun/masuk/?next=/lapor/")
    phone.get_by_role("link", name="Daftar di sini").click()
    _register(phone, "Siti Aminah", "siti.aminah@example.id")
    _open_confirmation_link(phone, base, "siti.aminah@example.id")
    phone.wait_for_url("**/lapor/")
    assert phone.get_by_role("heading", level=1).inner_text() == "Buat laporan"
    assert phone.get_by_label("Judul").is_visible()


def test_signing_up_to_support_comes_back_to_the_report_and_supports_it(
    live_server, agency_tree, phone
):
    base = live_server.url
    report = public_report(title="Trotoar rusak di Jalan Pandanaran")
    phone.goto(base + f"/publik/{report.tracking_number}/")
    phone.get_by_role("link", name="Masuk untuk mendukung").click()
    phone.get_by_role("link", name="Daftar di sini").click()
    _register(phone, "Budi Warga", "budi.warga@example.id")
    _open_confirmation_link(phone, base, "budi.warga@example.id")
    phone.wait_for_url(f"**/publik/{report.tracking_number}/")
    assert phone.get_by_role("heading", level=1).inner_text() == report.title
    phone.get_by_role("button", name="Dukung").click()
    phone.wait_for_url(f"**/publik/{report.tracking_number}/")
    assert phone.get_by_text("Terima kasih, dukungan Anda sudah tercatat.").is_visible()
    assert phone.get_by_text("1 dukungan").is_visible()
    report.refresh_from_db()
    assert report.support_count == 1
