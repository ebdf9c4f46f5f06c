"""A citizen files a report with a photo of a person (scikit-image's astronaut, shipped in its
wheel); once verified, the public page shows the photo with the face blurred and says
"wajah disamarkan", at 360 and 1280 px; the citizen's own page shows the photo as they sent
it. Screenshots go to the folder LAPOR_SCREENSHOTS names, else to test-results/."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from skimage import data as skimage_data

from agencies.models import Body
from complaints import attachments, tasks
from complaints.models import Attachment, Report, ReportStatus
from tests.browser.checks import check_page
from tests.browser.conftest import screenshot
from tests.browser.steps import fill_report_with_photo, signed_in
from tests.conftest import make_user

pytestmark = pytest.mark.browser


def _read(stored) -> bytes:
    with stored.open("rb") as handle:
        return handle.read()


def test_the_public_page_shows_the_photo_with_the_face_blurred(
        site, browser, tmp_path, monkeypatch):
    held: list[int] = []
    monkeypatch.setattr(tasks.clean_attachment, "delay", held.append)
    photo = tmp_path / "IMG_20261202_warga.jpg"
    # 1024 px, as a phone photo of a person standing in front of the broken facility
    Image.fromarray(skimage_data.astronaut()).resize((1024, 1024)).save(photo, "JPEG",
                                                                       quality=92)
    citizen = make_user("warga.foto@example.id", "Sari Wulandari")
    citizen.is_email_confirmed = True
    citizen.save(update_fields=["is_email_confirmed"])

    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
    page = context.new_page()
    signed_in(page, site, citizen)
    page.goto(site + "/lapor/")
    fill_report_with_photo(
        page, photo, title="Lampu penerangan jalan mati di depan sekolah",
        text="Sudah dua minggu lampu jalan di depan SD Negeri 3 mati; anak-anak pulang les "
             "dalam gelap. Foto saya ambil sore ini.")
    page.locator("[data-prepared-file]").wait_for(timeout=30_000)
    page.get_by_role("button", name="Kirim laporan").click()
    page.wait_for_url("**/terkirim/", timeout=60_000)
    number = page.locator("#tracking-number").inner_text().strip()
    report = Report.objects.get(tracking_number=number)
    (stored,) = Attachment.objects.filter(report=report)
    assert held == [stored.pk]

    # the worker cleans it and blurs the face in the public copy
    assert attachments.process(attachment_id=stored.pk) == "clean"
    stored.refresh_from_db()
    assert stored.faces_found == 1 and stored.faces_blurred
    # verified (as the verifier's step leaves it): the report is public now
    Report.objects.filter(pk=report.pk).update(
        status=ReportStatus.IN_PROGRESS, verified_at=timezone.now(),
        holder_body=Body.objects.get(source_key="regency-33.74"))

    # the citizen's own page: their photo as they sent it, and what the public sees
    page.goto(site + f"/laporan-saya/{number}/")
    own = page.locator(f"img[src='/lampiran/{stored.pk}/kecil/']")
    own.scroll_into_view_if_needed()
    assert page.get_by_text("wajah disamarkan di tampilan umum").is_visible()
    assert page.request.get(site + f"/lampiran/{stored.pk}/").body() == _read(stored.file)
    screenshot(page, "faces-own-report-1280")
    context.close()

    for width, height in ((360, 740), (1280, 900)):
        visitor = browser.new_context(viewport={"width": width, "height": height},
                                      locale="id-ID", is_mobile=width < 600,
                                      has_touch=width < 600)
        page = visitor.new_page()
        page.goto(site + reverse("public:detail", args=[number]))
        thumb = page.locator(f"img[src='/lampiran/{stored.pk}/publik/kecil/']")
        thumb.scroll_into_view_if_needed()
        page.wait_for_function(
            "img => img.complete && img.naturalWidth > 0", arg=thumb.element_handle())
        assert page.get_by_text("wajah disamarkan", exact=True).is_visible()
        assert page.request.get(site + f"/lampiran/{stored.pk}/publik/kecil/").body() == (
            _read(stored.public_thumbnail))
        # the original's address gives a visitor the blurred copy too
        served = page.request.get(site + f"/lampiran/{stored.pk}/").body()
        assert served == _read(stored.public_file) != _read(stored.file)
        screenshot(page, f"faces-public-report-{width}")
        check_page(page, label=f"public report with a blurred photo ({width} px)")
        page.get_by_role("link", name="Foto 1").click()
        page.wait_for_load_state()
        shown = Image.open(io.BytesIO(page.screenshot()))
        assert shown.size[0] == width
        screenshot(page, f"faces-public-photo-{width}")
        visitor.close()
