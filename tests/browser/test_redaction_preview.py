"""A citizen types their NIK, phone number and a plate into a report: before it is sent the
form shows what the public copy will mask (the preview step), the report is sent from there,
and once public its page shows the masks, never the data. On a phone (360 px) and a desktop;
every page passes axe-core and has no sideways scroll; screenshots at both sizes go to the
folder named by LAPOR_SCREENSHOTS (else test-results/)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from agencies.models import Body
from complaints.models import Report, ReportStatus
from tests.browser.conftest import screenshot
from tests.browser.steps import DESKTOP, PHONE, check, screen, signed_in
from tests.factories import UserFactory

pytestmark = pytest.mark.browser

NIK = "3374015705900003"
PHONE_NUMBER = "0812-3456-7890"
PLATE = "H 1234 XY"


@pytest.mark.parametrize("size, name", [(PHONE, "phone"), (DESKTOP, "desktop")])
def test_the_citizen_sees_what_will_be_masked_before_sending(browser, site, size, name):
    citizen = UserFactory(full_name="Siti Aminah", email=f"siti.{name}@example.id")
    with screen(browser, size) as page:
        signed_in(page, site, citizen)
        page.goto(site + "/lapor/")
        page.get_by_label("Aduan").check()
        page.get_by_label("Judul").fill(f"Mobil {PLATE} parkir di trotoar SD")
        page.get_by_label("Isi laporan").fill(
            f"Saya Siti, NIK {NIK}, HP {PHONE_NUMBER}. Mobil {PLATE} parkir di trotoar depan "
            "SD Negeri 3 setiap pagi sehingga anak-anak berjalan di jalan raya.")
        page.get_by_label("Kategori").select_option(label="Infrastruktur dan Jalan")
        page.get_by_label("Provinsi").select_option(label="Jawa Tengah")
        page.wait_for_selector("#id_regency option[value='33.74']", state="attached")
        page.get_by_label("Kabupaten/kota").select_option(value="33.74")
        page.locator("button[data-submit][value='submit']").click()

        # not sent yet: the preview of the public copy
        page.wait_for_selector("[data-public-preview]")
        panel = page.locator("[data-public-preview]")
        text = " ".join(panel.text_content().split())
        assert f"NIK: {NIK} → [NIK disamarkan]" in text
        assert f"Nomor telepon: {PHONE_NUMBER} → [nomor telepon disamarkan]" in text
        assert f"Pelat nomor kendaraan: {PLATE} → [pelat nomor disamarkan]" in text
        assert "Mobil [pelat nomor disamarkan] parkir di trotoar SD" in text
        assert not Report.objects.filter(reporter=citizen).exclude(
            status=ReportStatus.DRAFT).exists()
        # what was typed is still in the form
        assert page.get_by_label("Judul").input_value() == f"Mobil {PLATE} parkir di trotoar SD"
        check(page)
        screenshot(page, f"redaction-preview-{name}")

        panel.get_by_role("button", name="Kirim laporan").click()
        page.wait_for_url("**/terkirim/")
        report = Report.objects.get(reporter=citizen)
        assert report.status == ReportStatus.SUBMITTED

        # once verified, the public page shows the masks
        Report.objects.filter(pk=report.pk).update(
            status=ReportStatus.IN_PROGRESS, verified_at=timezone.now(),
            holder_body=Body.objects.get(source_key="regency-33.74"))
        page.goto(site + reverse("public:detail", args=[report.tracking_number]))
        main = page.locator("main").text_content()
        for secret in (NIK, PHONE_NUMBER, PLATE):
            assert secret not in main
        assert "[NIK disamarkan]" in main and "[pelat nomor disamarkan]" in main
        check(page)
        screenshot(page, f"redaction-public-page-{name}")
