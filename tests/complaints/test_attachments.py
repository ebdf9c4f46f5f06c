"""Uploaded files: type by content, EXIF removed, size limits, and who may fetch them."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from complaints.attachments import clean_upload, sniff
from complaints.services import intake
from lapor.errors import Invalid
from tests.complaints.images import GPS_IFD, cleaned, impostor, jpeg_with_gps, pdf, png
from tests.factories import ReportFactory, UserFactory, public_report

pytestmark = pytest.mark.django_db


def test_photo_with_gps_is_stored_without_exif_and_upright():
    original = jpeg_with_gps()
    original_exif = Image.open(io.BytesIO(original.read())).getexif()
    assert dict(original_exif.get_ifd(GPS_IFD))  # the test photo really carries GPS
    original.seek(0)

    clean = clean_upload(original)

    stored = Image.open(io.BytesIO(clean.content))
    assert dict(stored.getexif()) == {}
    assert not dict(stored.getexif().get_ifd(GPS_IFD))
    assert b"SerialCam" not in clean.content
    assert "exif" not in stored.info
    # orientation 6 applied: the 200×100 landscape is now 100×200 portrait
    assert (stored.width, stored.height) == (100, 200)
    assert clean.thumbnail is not None
    assert Image.open(io.BytesIO(clean.thumbnail)).format == "WEBP"


def test_stored_attachment_file_has_no_gps(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    draft = ReportFactory(status="draft", tracking_number=None, submitted_at=None)
    attachment = cleaned(
        intake.add_attachment(report=draft, upload=jpeg_with_gps(), actor=draft.reporter))
    with attachment.file.open("rb") as handle:
        data = handle.read()
    assert b"SerialCam" not in data
    assert not dict(Image.open(io.BytesIO(data)).getexif().get_ifd(GPS_IFD))
    assert attachment.original_name == "foto.jpg"
    assert attachment.content_type == "image/jpeg"


def test_file_named_jpg_that_is_not_an_image_is_refused_with_a_clear_message():
    with pytest.raises(Invalid) as error:
        clean_upload(impostor("bukti.jpg"))
    message = str(error.value)
    assert "bukti.jpg" in message
    assert "bukan foto" in message


def test_png_and_pdf_are_accepted_by_content():
    assert clean_upload(png()).content_type == "image/png"
    assert clean_upload(pdf()).content_type == "application/pdf"
    renamed = pdf("scan.jpg")  # a PDF with a photo's name is still a PDF
    assert clean_upload(renamed).content_type == "application/pdf"


def test_webp_is_recognised():
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, "WEBP")
    assert sniff(buffer.getvalue()[:16]) == "image/webp"


def test_file_over_ten_megabytes_is_refused(settings):
    settings.ATTACHMENT_MAX_BYTES = 1000
    with pytest.raises(Invalid, match="terlalu besar"):
        clean_upload(SimpleUploadedFile("besar.pdf", b"%PDF-" + b"0" * 2000 + b"%%EOF"))


def test_truncated_pdf_is_refused():
    with pytest.raises(Invalid, match="PDF yang rusak"):
        clean_upload(SimpleUploadedFile("rusak.pdf", b"%PDF-1.4 tidak lengkap"))


def test_at_most_five_attachments(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    draft = ReportFactory(status="draft", tracking_number=None, submitted_at=None)
    for index in range(5):
        intake.add_attachment(report=draft, upload=png(f"{index}.png"), actor=draft.reporter)
    with pytest.raises(Invalid, match="Paling banyak 5"):
        intake.add_attachment(report=draft, upload=png(), actor=draft.reporter)


@pytest.fixture
def confidential_with_photo(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    report = public_report(is_confidential=True)
    attachment = cleaned(
        intake.add_attachment(report=report, upload=jpeg_with_gps(), actor=report.reporter))
    return report, attachment


def test_confidential_attachment_is_unreachable_for_others(client, confidential_with_photo):
    report, attachment = confidential_with_photo
    for url in (
        f"/lampiran/{attachment.pk}/",
        f"/lampiran/{attachment.pk}/kecil/",
        f"/api/v1/attachments/{attachment.pk}/file/",
        f"/api/v1/attachments/{attachment.pk}/",
    ):
        assert client.get(url).status_code == 404, url
    stranger = UserFactory()
    client.force_login(stranger)
    assert client.get(f"/lampiran/{attachment.pk}/").status_code == 404


def test_confidential_attachment_reaches_its_reporter_and_the_holding_operator(
    client, confidential_with_photo, operator_a, operator_b
):
    report, attachment = confidential_with_photo
    client.force_login(report.reporter)
    response = client.get(f"/lampiran/{attachment.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert b"SerialCam" not in b"".join(response.streaming_content)
    client.logout()
    client.force_login(operator_a)  # Kota Semarang holds it
    assert client.get(f"/lampiran/{attachment.pk}/").status_code == 200
    client.logout()
    client.force_login(operator_b)
    assert client.get(f"/lampiran/{attachment.pk}/").status_code == 404


def test_public_report_attachment_is_public(client, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    report = public_report()
    attachment = cleaned(intake.add_attachment(report=report, upload=png(), actor=report.reporter))
    assert client.get(f"/lampiran/{attachment.pk}/").status_code == 200
    assert client.get(f"/lampiran/{attachment.pk}/kecil/")["Content-Type"] == "image/webp"


def test_submitted_report_attachment_cannot_be_removed(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    report = ReportFactory()
    attachment = intake.add_attachment(report=report, upload=png(), actor=report.reporter)
    with pytest.raises(Invalid, match="tidak dapat dihapus"):
        intake.remove_attachment(attachment=attachment, actor=report.reporter)
