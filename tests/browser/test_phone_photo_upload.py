"""A citizen on a cheap phone (360 × 740) on a slow link (throttled through Chrome's DevTools
protocol) files a report with a 12 MP camera photo that carries EXIF orientation 6 and a GPS
position. The browser turns it upright and scales it to 2560 px before upload, so the request
is a few hundred KB instead of several MB; the upload shows its progress; the report page says
"sedang diproses" until the cleaning task ran; then the photo is served clean (no EXIF,
upright). Without JavaScript the same form still files the report with the photo as it came.

The figures (bytes before and after, the task's time) are printed and written to
test-results/phone-photo-upload.json for BENCHMARKS.md. Screenshots at 360 and 1280 px go to
the folder named by LAPOR_SCREENSHOTS, else to test-results/."""

from __future__ import annotations

import io
import json
import os
import random
import time
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageDraw

from complaints import attachments, tasks
from complaints.models import Attachment, Report
from tests.browser.checks import check_page
from tests.browser.conftest import ARTIFACTS
from tests.browser.steps import fill_report_with_photo, signed_in
from tests.complaints.images import GPS_IFD
from tests.conftest import make_user

pytestmark = pytest.mark.browser

SHOTS = Path(os.environ.get("LAPOR_SCREENSHOTS", "") or ARTIFACTS)
# A 3G link in a remote regency: 750 kbit/s up, 1.6 Mbit/s down, 300 ms round trips.
SLOW_3G = {"offline": False, "latency": 300, "uploadThroughput": 750_000 / 8,
           "downloadThroughput": 1_600_000 / 8}
WIDTH, HEIGHT = 4000, 3000  # 12 MP, as the sensor stores it (landscape, orientation 6)
MARK = 600  # a red square in the sensor's top-left corner


def twelve_megapixel_photo() -> bytes:
    """A camera JPEG (quality 97, about 5 MB): gradients, shapes and sensor noise, EXIF
    orientation 6 (shown rotated 90° clockwise), a GPS position and a camera serial."""
    rng = random.Random(17)
    red = Image.linear_gradient("L").rotate(90).resize((WIDTH, HEIGHT))
    green = Image.linear_gradient("L").rotate(45).resize((WIDTH, HEIGHT))
    blue = Image.linear_gradient("L").resize((WIDTH, HEIGHT))
    image = Image.merge("RGB", (red, green, blue))
    draw = ImageDraw.Draw(image)
    for _shape in range(300):
        x, y, side = rng.randrange(WIDTH), rng.randrange(HEIGHT), rng.randrange(20, 300)
        draw.ellipse((x, y, x + side, y + side // 2),
                     fill=(rng.randrange(256), rng.randrange(256), rng.randrange(256)))
    image = ImageChops.add(image, Image.effect_noise((WIDTH, HEIGHT), 3).convert("RGB"),
                           scale=1.0, offset=-128)
    ImageDraw.Draw(image).rectangle((0, 0, MARK, MARK), fill=(255, 0, 0))
    exif = Image.Exif()
    exif[0x0110] = "SerialCam 3000"
    exif[0x0112] = 6
    exif[GPS_IFD] = {1: "S", 2: (6.0, 58.0, 0.0), 3: "E", 4: (110.0, 25.0, 0.0)}
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=97, exif=exif)
    return buffer.getvalue()


def _is_red(pixel: tuple[int, ...]) -> bool:
    return pixel[0] > 200 and pixel[1] < 60 and pixel[2] < 60


def _assert_clean_and_upright(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    assert dict(image.getexif()) == {} and b"SerialCam" not in data
    assert not dict(image.getexif().get_ifd(GPS_IFD))
    # turned upright: portrait, the sensor's top-left corner now at the top right
    assert (image.width, image.height) == (1920, 2560)
    rgb = image.convert("RGB")
    assert _is_red(rgb.getpixel((image.width - 40, 40)))
    assert not _is_red(rgb.getpixel((40, 40)))
    return image


def _fill_report(page, photo: Path) -> None:
    fill_report_with_photo(
        page, photo, title="Jembatan gantung putus di Distrik Wamena",
        text="Tali jembatan gantung putus sejak hujan deras minggu lalu; anak sekolah "
             "menyeberang sungai dengan perahu.")


@pytest.fixture
def queued(monkeypatch):
    """The cleaning tasks the server published, held here (a worker that has not got to them
    yet), so the page can be seen before and after the task runs."""
    held: list[int] = []
    monkeypatch.setattr(tasks.clean_attachment, "delay", held.append)
    return held


def test_a_phone_on_a_slow_link_files_a_report_with_a_12_mp_photo(
        live_server, agency_tree, browser, tmp_path, settings, queued):
    settings.MEDIA_ROOT = tmp_path / "media"
    SHOTS.mkdir(parents=True, exist_ok=True)
    raw = twelve_megapixel_photo()
    photo = tmp_path / "IMG_20261202_081500.jpg"
    photo.write_bytes(raw)
    citizen = make_user("warga.wamena@example.id", "Yakob Wenda")
    citizen.is_email_confirmed = True
    citizen.save(update_fields=["is_email_confirmed"])

    context = browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=2,
                                  is_mobile=True, has_touch=True, locale="id-ID")
    page = context.new_page()
    signed_in(page, live_server.url, citizen)
    page.goto(live_server.url + "/lapor/")
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", SLOW_3G)

    posts = []
    page.on("requestfinished", lambda request: posts.append(request)
            if request.method == "POST" and request.url.endswith("/lapor/") else None)
    _fill_report(page, photo)
    prepared = page.locator("[data-prepared-file]")
    prepared.wait_for(timeout=30_000)
    assert "dikecilkan dari" in prepared.inner_text()
    page.get_by_role("button", name="Kirim laporan").click()

    # the upload's progress, seen on its way (between 1 and 99 %) on the throttled link
    page.wait_for_function(
        "() => { const p = document.querySelector('[data-upload-progress]');"
        " return p && p.value > 0 && p.value < 100; }", timeout=30_000)
    shown = page.locator("[data-upload-message]").inner_text()
    assert "Mengunggah" in shown and "%" in shown and " dari " in shown
    page.locator("[data-upload-status]").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "phone-photo-uploading-360.png"))

    # the link drops mid-way: the page stays, with everything typed, and offers a retry
    cdp.send("Network.emulateNetworkConditions", {**SLOW_3G, "offline": True})
    retry = page.get_by_role("button", name="Coba kirim lagi")
    retry.wait_for(timeout=30_000)
    assert "Pengiriman gagal" in page.locator("[data-upload-message]").inner_text()
    assert page.get_by_label("Judul").input_value() == "Jembatan gantung putus di Distrik Wamena"
    page.screenshot(path=str(SHOTS / "phone-photo-retry-360.png"))
    check_page(page, label="report form, upload failed, retry offered (360 px)")
    cdp.send("Network.emulateNetworkConditions", SLOW_3G)
    retry.click()
    page.wait_for_function(
        "() => { const p = document.querySelector('[data-upload-progress]');"
        " return p && p.value > 0; }", timeout=30_000)

    page.wait_for_url("**/terkirim/", timeout=60_000)
    number = page.locator("#tracking-number").inner_text().strip()
    report = Report.objects.get(tracking_number=number)
    # the first try (finished on the wire or not) and the retry, each the same few hundred KB;
    # the retry was sent to the receipt of the report the first one filed, if it filed one
    assert 1 <= len(posts) <= 2
    assert posts[-1].redirected_to is not None
    assert posts[-1].redirected_to.url.endswith(f"/lapor/{number}/terkirim/")
    assert len({p.all_headers()["content-length"] for p in posts}) == 1
    # Playwright keeps no multipart body with a file (post_data_buffer and requestBodySize
    # are empty then), so the bytes sent are the request's Content-Length as Chrome sent it,
    # checked against what reached the server.
    sizes = posts[-1].sizes()
    sent = int(posts[-1].all_headers()["content-length"])
    # whether the first try reached the server before its answer was lost or not: one report
    assert Report.objects.filter(reporter=citizen).count() == 1
    (stored,) = Attachment.objects.filter(report=report)
    uploaded_photo = stored.size  # the JPEG the canvas made, stored as it came
    assert uploaded_photo < sent < uploaded_photo + 8_000, (uploaded_photo, sent, sizes)
    assert sent < 1_000_000 and sent * 5 < len(raw), (sent, len(raw))
    with stored.file.open("rb") as handle:
        arrived = handle.read()
    assert b"SerialCam" not in arrived  # the canvas copy carries no EXIF either
    assert Image.open(io.BytesIO(arrived)).size == (1920, 2560)  # already upright, 2560 px

    # the report page: "sedang diproses", and the file is not served yet
    assert queued == [stored.pk] and stored.is_processing
    cdp.send("Network.emulateNetworkConditions", {**SLOW_3G, "latency": 0,
             "uploadThroughput": -1, "downloadThroughput": -1})
    page.goto(live_server.url + f"/laporan-saya/{number}/")
    assert page.get_by_text("sedang diproses").first.is_visible()
    page.screenshot(path=str(SHOTS / "phone-photo-processing-360.png"), full_page=True)
    check_page(page, label="my report, photo being processed (360 px)")
    assert page.request.get(live_server.url + f"/lampiran/{stored.pk}/").status == 404

    # the worker gets to it
    started = time.perf_counter()
    assert attachments.process(attachment_id=stored.pk) == "clean"
    task_ms = (time.perf_counter() - started) * 1000
    stored.refresh_from_db()
    page.reload()
    thumbnail = page.locator(f"img[src='/lampiran/{stored.pk}/kecil/']")
    thumbnail.wait_for()
    thumbnail.scroll_into_view_if_needed()  # a lazy image loads once it is near the screen
    page.wait_for_function("(img) => img.complete && img.naturalWidth > 0",
                           arg=thumbnail.element_handle(), timeout=15_000)
    assert page.get_by_text("sedang diproses").count() == 0
    page.screenshot(path=str(SHOTS / "phone-photo-clean-360.png"), full_page=True)
    check_page(page, label="my report, photo clean (360 px)")
    served = page.request.get(live_server.url + f"/lampiran/{stored.pk}/")
    assert served.status == 200
    _assert_clean_and_upright(served.body())

    wide = browser.new_context(viewport={"width": 1280, "height": 800}, locale="id-ID")
    desktop = wide.new_page()
    signed_in(desktop, live_server.url, citizen)
    desktop.goto(live_server.url + f"/laporan-saya/{number}/")
    desktop.screenshot(path=str(SHOTS / "phone-photo-clean-1280.png"), full_page=True)
    desktop.goto(live_server.url + "/lapor/")
    desktop.get_by_label("Tambah berkas").set_input_files(str(photo))
    desktop.locator("[data-prepared-file]").wait_for(timeout=30_000)
    desktop.screenshot(path=str(SHOTS / "photo-prepared-1280.png"), full_page=True)
    check_page(desktop, label="report form, photo prepared (1280 px)")
    wide.close()

    figures = {"raw_bytes": len(raw), "request_bytes": sent, "photo_uploaded_bytes": uploaded_photo,
               "request_headers_bytes": sizes["requestHeadersSize"],
               "stored_clean_bytes": stored.size, "ratio": round(len(raw) / sent, 1),
               "cleaning_task_ms": round(task_ms)}
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "phone-photo-upload.json").write_text(json.dumps(figures, indent=2))
    print("phone photo upload:", figures)
    context.close()


def test_without_javascript_the_form_still_files_the_photo(
        live_server, agency_tree, browser, tmp_path, settings, queued):
    settings.MEDIA_ROOT = tmp_path / "media"
    raw = twelve_megapixel_photo()
    photo = tmp_path / "IMG_20261202_081500.jpg"
    photo.write_bytes(raw)
    citizen = make_user("warga.tanpa.js@example.id", "Maria Kogoya")
    citizen.is_email_confirmed = True
    citizen.save(update_fields=["is_email_confirmed"])
    context = browser.new_context(viewport={"width": 360, "height": 740},
                                  java_script_enabled=False, locale="id-ID")
    page = context.new_page()
    signed_in(page, live_server.url, citizen)
    page.goto(live_server.url + "/lapor/")
    assert page.locator("[data-upload-status]").is_hidden()
    page.get_by_label("Aduan").check()
    page.get_by_label("Judul").fill("Jembatan gantung putus di Distrik Wamena")
    page.get_by_label("Isi laporan").fill(
        "Tali jembatan gantung putus sejak hujan deras minggu lalu; anak sekolah menyeberang "
        "sungai dengan perahu.")
    page.get_by_label("Kategori").select_option(label="Infrastruktur dan Jalan")
    page.get_by_label("Provinsi").select_option(label="Jawa Tengah")
    page.get_by_role("button", name="Perbarui pilihan wilayah").click()
    page.get_by_label("Kabupaten/kota").select_option(value="33.74")
    page.get_by_label("Tambah berkas").set_input_files(str(photo))
    page.get_by_role("button", name="Kirim laporan").click()
    page.wait_for_url("**/terkirim/")
    (stored,) = Attachment.objects.filter(report__reporter=citizen)
    assert stored.size == len(raw) and stored.is_processing  # as it came, until cleaned
    started = time.perf_counter()
    assert attachments.process(attachment_id=stored.pk) == "clean"
    task_ms = (time.perf_counter() - started) * 1000
    stored.refresh_from_db()
    with stored.file.open("rb") as handle:
        _assert_clean_and_upright(handle.read())
    figures = {"raw_bytes": len(raw), "stored_clean_bytes": stored.size,
               "cleaning_task_ms_12mp": round(task_ms)}
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "phone-photo-upload-no-js.json").write_text(json.dumps(figures, indent=2))
    print("photo upload without JavaScript:", figures)
    context.close()


def test_staff_public_and_draft_pages_show_processing_and_refused_files(
        live_server, agency_tree, browser, tmp_path, settings, queued):
    """The staff page and the public page say "sedang diproses" for a photo not yet clean and
    link no file; a draft shows a refused file with its reason, everything typed kept."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from complaints.services import intake
    from tests.conftest import verified_device
    from tests.factories import ReportFactory, public_report

    settings.MEDIA_ROOT = tmp_path / "media"
    SHOTS.mkdir(parents=True, exist_ok=True)
    report = public_report(title="Jembatan gantung putus di Distrik Wamena")
    photo = intake.add_attachment(
        report=report, actor=report.reporter,
        upload=SimpleUploadedFile("jembatan.jpg", twelve_megapixel_photo()))
    operator = make_user("operator.semarang@example.id", "Operator Semarang", "operator",
                         "regency-33.74")
    verified_device(operator)
    draft = ReportFactory(status="draft", tracking_number=None, submitted_at=None,
                          title="Lampu jalan mati", reporter=report.reporter)
    refused = intake.add_attachment(
        report=draft, actor=report.reporter,
        upload=SimpleUploadedFile("rusak.jpg", b"\xff\xd8\xff\xe0" + b"x" * 2000))
    assert attachments.process(attachment_id=refused.pk) == "failed"
    refused.refresh_from_db()
    for width, height in ((360, 740), (1280, 800)):
        context = browser.new_context(viewport={"width": width, "height": height},
                                      locale="id-ID")
        page = context.new_page()
        signed_in(page, live_server.url, operator)
        page.goto(live_server.url + f"/petugas/laporan/{report.tracking_number}/")
        assert page.get_by_text("sedang diproses").first.is_visible()
        assert page.locator(f"a[href='/lampiran/{photo.pk}/']").count() == 0
        page.screenshot(path=str(SHOTS / f"staff-photo-processing-{width}.png"), full_page=True)
        check_page(page, label=f"staff report, photo being processed ({width} px)")
        context.clear_cookies()
        page.goto(live_server.url + f"/publik/{report.tracking_number}/")
        assert page.get_by_text("sedang diproses").first.is_visible()
        assert page.locator(f"a[href='/lampiran/{photo.pk}/']").count() == 0
        page.screenshot(path=str(SHOTS / f"public-photo-processing-{width}.png"), full_page=True)
        check_page(page, label=f"public report, photo being processed ({width} px)")
        signed_in(page, live_server.url, report.reporter)
        page.goto(live_server.url + f"/lapor/draf/{draft.pk}/")
        assert page.get_by_text(refused.failure).is_visible()
        assert page.get_by_label("Judul").input_value() == "Lampu jalan mati"
        page.screenshot(path=str(SHOTS / f"draft-photo-refused-{width}.png"), full_page=True)
        check_page(page, label=f"draft with a refused photo ({width} px)")
        context.close()


def test_a_refused_submission_shows_the_form_again_with_the_uploaded_photo(
        live_server, agency_tree, browser, tmp_path, settings, queued):
    """With JavaScript, a submission the server refuses (a field missing) shows its answer as
    the browser would: the form with the message, the draft keeping the photo; fixed and sent
    again (through the script once more), it is filed, the photo not uploaded twice."""
    settings.MEDIA_ROOT = tmp_path / "media"
    photo = tmp_path / "IMG_0002.jpg"
    photo.write_bytes(twelve_megapixel_photo())
    citizen = make_user("warga.lupa@example.id", "Lupa Judul")
    citizen.is_email_confirmed = True
    citizen.save(update_fields=["is_email_confirmed"])
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="id-ID")
    page = context.new_page()
    signed_in(page, live_server.url, citizen)
    page.goto(live_server.url + "/lapor/")
    _fill_report(page, photo)
    page.get_by_label("Judul").fill("")
    page.locator("[data-prepared-file]").wait_for(timeout=30_000)
    page.get_by_role("button", name="Kirim laporan").click()
    page.locator("#form-errors").wait_for(timeout=30_000)
    assert page.get_by_text("sedang diproses").first.is_visible()  # kept in the draft
    (draft,) = Report.objects.filter(reporter=citizen)
    assert page.evaluate("() => document.querySelector('form[data-photo-upload]')"
                         ".getAttribute('action')") == f"/lapor/draf/{draft.pk}/"
    page.get_by_label("Judul").fill("Jembatan gantung putus di Distrik Wamena")
    page.get_by_role("button", name="Kirim laporan").click()
    page.wait_for_url("**/terkirim/", timeout=30_000)
    draft.refresh_from_db()
    assert draft.status == "submitted" and draft.attachments.count() == 1
    context.close()
