"""The citizen's own report page: whose files are whose, and what the rating form says about
who reads its comment (checked against where the comment really shows)."""

import re

import pytest
from django.urls import reverse

from complaints.models import ReportStatus
from complaints.services import citizen, intake
from tests.complaints.images import cleaned, jpeg_with_gps, pdf, png
from tests.conftest import body, make_user
from tests.factories import ReportFactory, UserFactory, public_report

pytestmark = pytest.mark.django_db

PUBLIC_HINT = "Komentar Anda tampil untuk umum di riwayat halaman publik laporan ini"
PRIVATE_HINT = "komentar Anda hanya dibaca oleh Anda dan petugas yang menangani laporan ini"


def _section(html: str, title: str) -> str:
    """The <section> of the page headed ``title`` ("" if there is none)."""
    for section in re.findall(r"<section.*?</section>", html, flags=re.S):
        if f">{title}</h2>" in section:
            return section
    return ""


def test_my_report_page_says_who_attached_each_file(client, operator_a, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    report = public_report()
    intake.add_attachment(report=report, upload=pdf("kwitansi-saya.pdf"), actor=report.reporter)
    intake.add_staff_attachment(report=report, upload=pdf("berita-acara.pdf"), actor=operator_a)
    intake.add_staff_attachment(
        report=report, upload=pdf("memo-internal.pdf"), actor=operator_a, is_staff_only=True
    )
    client.force_login(report.reporter)
    page = client.get(reverse("complaints:my-report", args=[report.tracking_number]))
    html = page.content.decode()

    own, theirs = _section(html, "Lampiran Anda"), _section(html, "Lampiran dari instansi")
    assert "kwitansi-saya.pdf" in own and "berita-acara.pdf" not in own
    assert "berita-acara.pdf" in theirs and "kwitansi-saya.pdf" not in theirs
    assert "memo-internal.pdf" not in html
    assert ">Lampiran</h2>" not in html


def test_files_typed_in_by_staff_for_a_citizen_count_as_the_citizens(
    client, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    clerk = make_user("loket@example.id", "Petugas Loket", "operator", "regency-33.74")
    reporter = UserFactory()
    report = ReportFactory(reporter=reporter, entered_by=clerk, holder_body=body("regency-33.74"),
                           status=ReportStatus.IN_PROGRESS)
    intake.add_attachment(report=report, upload=png("denah-lokasi.png"), actor=clerk)
    client.force_login(reporter)
    html = client.get(reverse("complaints:my-report", args=[report.tracking_number])).content
    assert "denah-lokasi.png" in _section(html.decode(), "Lampiran Anda")
    assert _section(html.decode(), "Lampiran dari instansi") == ""


def test_rating_form_says_the_comment_is_public_and_the_public_page_shows_it(client):
    report = public_report(status=ReportStatus.CLOSED)
    client.force_login(report.reporter)
    page = client.get(reverse("complaints:my-report", args=[report.tracking_number]))
    assert PUBLIC_HINT in page.content.decode()

    client.post(reverse("complaints:rate", args=[report.tracking_number]),
                {"rating": "4", "comment": "Petugasnya cepat dan ramah."})
    client.logout()
    public = client.get(reverse("public:detail", args=[report.tracking_number]))
    assert public.status_code == 200
    assert "Petugasnya cepat dan ramah." in public.content.decode()


def test_rating_form_of_a_confidential_report_says_only_staff_read_the_comment(
    client, operator_a
):
    report = public_report(status=ReportStatus.CLOSED, is_confidential=True)
    client.force_login(report.reporter)
    page = client.get(reverse("complaints:my-report", args=[report.tracking_number]))
    assert PRIVATE_HINT in page.content.decode()
    assert PUBLIC_HINT not in page.content.decode()

    citizen.rate_report(report=report, actor=report.reporter, rating=2,
                        comment="Lambat sekali.")
    client.logout()
    assert client.get(reverse("public:detail", args=[report.tracking_number])).status_code == 404
    client.force_login(operator_a)
    staff_page = client.get(reverse("routing:report", args=[report.tracking_number]))
    assert "Lambat sekali." in staff_page.content.decode()


def test_photo_attachments_keep_their_thumbnails_in_their_group(client, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    report = public_report()
    photo = cleaned(
        intake.add_attachment(report=report, upload=jpeg_with_gps(), actor=report.reporter))
    client.force_login(report.reporter)
    html = client.get(reverse("complaints:my-report", args=[report.tracking_number])).content
    own = _section(html.decode(), "Lampiran Anda")
    assert reverse("complaints:attachment-thumbnail", args=[photo.pk]) in own
