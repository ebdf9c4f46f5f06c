"""A citizen on a phone registers, confirms the email, files a report with a photo, sees the
tracking number and finds the report in "my reports"."""

import re

import pytest
from django.core import mail

from complaints.models import Report
from tests.browser.conftest import main_menu, screenshot
from tests.complaints.images import jpeg_with_gps

pytestmark = pytest.mark.browser


def test_citizen_registers_files_a_report_with_a_photo_and_finds_it(
    live_server, agency_tree, phone, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    photo = tmp_path / "jalan-rusak.jpg"
    photo.write_bytes(jpeg_with_gps().read())
    page = phone

    page.goto(live_server.url + "/")
    main_menu(page).get_by_role("link", name="Daftar").click()
    page.get_by_label("Nama lengkap").fill("Siti Aminah")
    page.get_by_label("Alamat email").fill("siti.aminah@example.id")
    page.get_by_label("Kata sandi", exact=True).fill("Semarang-Hebat-2026")
    page.get_by_label("Ulangi kata sandi").fill("Semarang-Hebat-2026")
    page.get_by_role("button", name="Daftar").click()
    page.wait_for_url("**/akun/konfirmasi/")

    # the confirmation link from the email
    link = re.search(r"https?://\S+/akun/konfirmasi/\S+/\S+/", mail.outbox[-1].body).group(0)
    page.goto(live_server.url + link[link.index("/akun/"):])
    assert page.get_by_role("status").first.is_visible() or "konfirmasi" in page.content().lower()
    # confirmed; registering signs nobody in, so sign in now
    page.wait_for_url("**/akun/masuk/**")
    page.locator("#id_username").fill("siti.aminah@example.id")
    page.locator("#id_password").fill("Semarang-Hebat-2026")
    page.locator("main").get_by_role("button", name="Masuk").click()
    page.wait_for_url("**/lapor/")

    page.goto(live_server.url + "/lapor/")
    page.get_by_label("Aduan").check()
    page.get_by_label("Judul").fill("Jalan berlubang di Jalan Pemuda")
    page.get_by_label("Isi laporan").fill(
        "Lubang besar di depan SD Negeri 3 sejak sebulan lalu; motor sering jatuh saat malam."
    )
    page.get_by_label("Kategori").select_option(label="Infrastruktur dan Jalan")
    page.get_by_label("Provinsi").select_option(label="Jawa Tengah")
    # the regencies come from the regions API
    page.wait_for_selector("#id_regency option[value='33.74']", state="attached")
    page.get_by_label("Kabupaten/kota").select_option(value="33.74")
    page.wait_for_selector("#id_district option[value='33.74.01']", state="attached")
    page.get_by_label("Kecamatan (jika tahu)").select_option(value="33.74.01")
    page.get_by_label("Tambah berkas").set_input_files(str(photo))
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "report-form-phone")
    page.get_by_role("button", name="Kirim laporan").click()

    page.wait_for_url("**/terkirim/")
    number = page.locator("#tracking-number").inner_text().strip()
    report = Report.objects.get(tracking_number=number)
    assert report.attachments.count() == 1
    assert report.reporter.email == "siti.aminah@example.id"
    screenshot(page, "receipt-phone")

    main_menu(page).get_by_role("link", name="Laporan saya").click()
    assert page.get_by_text(number).is_visible()
    assert page.get_by_role("link", name="Jalan berlubang di Jalan Pemuda").is_visible()
