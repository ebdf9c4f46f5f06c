"""Uploads are stored at once and cleaned by a Celery task: nothing is served before it is
clean, a killed worker's file is cleaned by the redelivered task or the beat sweep, a file the
cleaner refuses is reported to its uploader, and the bomb guard and size limits hold on the
server whatever the client sent."""

from __future__ import annotations

import io
import struct
import zlib
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError
from PIL import Image

from complaints import attachments, resubmission, tasks
from complaints.models import (
    Attachment,
    AttachmentState,
    Category,
    Notification,
    Report,
    ReportStatus,
)
from complaints.services import intake
from lapor import outages
from tests.complaints.images import GPS_IFD, cleaned, jpeg_with_gps, png
from tests.factories import ReportFactory, public_report

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    outages.forget_failures()
    yield
    outages.forget_failures()


def _png_header_only(width: int, height: int) -> bytes:
    """A valid PNG that claims ``width``×``height`` pixels in a few dozen bytes."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b""))


def _file_urls(pk: int) -> list[str]:
    return [f"/lampiran/{pk}/", f"/lampiran/{pk}/kecil/",
            f"/lampiran/{pk}/publik/", f"/lampiran/{pk}/publik/kecil/",
            f"/api/v1/attachments/{pk}/file/", f"/api/v1/attachments/{pk}/thumbnail/"]


def test_an_unprocessed_upload_is_served_to_nobody(client, operator_a):
    report = public_report()
    photo = intake.add_attachment(report=report, upload=jpeg_with_gps(), actor=report.reporter)
    assert photo.state == AttachmentState.PROCESSING
    pages = {
        "visitor": [reverse("public:detail", args=[report.tracking_number])],
        "owner": [reverse("complaints:my-report", args=[report.tracking_number])],
        "staff": [reverse("routing:report", args=[report.tracking_number])],
    }
    for who, user in (("visitor", None), ("owner", report.reporter), ("staff", operator_a)):
        client.logout()
        if user is not None:
            client.force_login(user)
        for url in _file_urls(photo.pk):
            assert client.get(url).status_code == 404, (who, url)
        for url in pages[who]:
            html = client.get(url).content.decode()
            assert "sedang diproses" in html, (who, url)
            assert f"/lampiran/{photo.pk}/" not in html, (who, url)
        meta = client.get(f"/api/v1/attachments/{photo.pk}/")
        assert meta.status_code == 200, who  # its metadata, with its state: no bytes
        assert (meta.json()["state"], meta.json()["file_url"], meta.json()["thumbnail_url"]) == (
            "processing", None, None), who
        if user is report.reporter:
            listed = client.get(f"/api/v1/reports/{report.pk}/attachments/").json()
            assert [(a["id"], a["file_url"]) for a in listed] == [(photo.pk, None)]
        public = client.get(f"/api/v1/public/reports/{report.tracking_number}/")
        assert [(item["state"], item["url"], item["thumbnail_url"])
                for item in public.json()["attachments"]] == [("processing", None, None)], who
    # once clean, the same people get it
    cleaned(photo)
    client.force_login(report.reporter)
    assert client.get(f"/lampiran/{photo.pk}/").status_code == 200
    assert client.get(f"/api/v1/attachments/{photo.pk}/thumbnail/").status_code == 200
    client.logout()
    assert client.get(f"/lampiran/{photo.pk}/").status_code == 200  # a public report's photo


def test_the_upload_is_answered_without_decoding_the_photo(client, monkeypatch):
    draft = ReportFactory(status=ReportStatus.DRAFT, tracking_number=None, submitted_at=None)
    client.force_login(draft.reporter)

    def no_decoding(*args, **kwargs):
        raise AssertionError("Pillow ran inside the request")

    monkeypatch.setattr(attachments.Image, "open", no_decoding)
    queued: list[int] = []
    monkeypatch.setattr(tasks.clean_attachment, "delay", queued.append)
    response = client.post(f"/api/v1/reports/{draft.pk}/attachments/",
                           {"file": jpeg_with_gps()})
    assert response.status_code == 201, response.content
    assert (response.json()["state"], response.json()["file_url"]) == ("processing", None)
    assert queued == []  # the test's transaction never commits: nothing published yet
    stored = Attachment.objects.get(pk=response.json()["id"])
    with stored.file.open("rb") as handle:
        assert b"SerialCam" in handle.read()  # as it came, private, in incoming/
    assert stored.file.name.startswith("incoming/")


def test_the_task_is_published_after_commit_and_cleans_the_photo(
        django_capture_on_commit_callbacks):
    draft = ReportFactory(status=ReportStatus.DRAFT, tracking_number=None, submitted_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        photo = intake.add_attachment(report=draft, upload=jpeg_with_gps(size=(4000, 3000)),
                                      actor=draft.reporter)
    photo.refresh_from_db()
    assert photo.state == AttachmentState.CLEAN
    assert (photo.width, photo.height) == (1920, 2560)  # upright, at most 2560 px
    with photo.file.open("rb") as handle:
        data = handle.read()
    image = Image.open(io.BytesIO(data))
    assert not dict(image.getexif()) and b"SerialCam" not in data
    assert not dict(image.getexif().get_ifd(GPS_IFD))
    assert not photo.file.name.startswith("incoming/")
    assert photo.thumbnail and photo.size == len(data)


def test_processing_twice_is_harmless():
    draft = ReportFactory(status=ReportStatus.DRAFT, tracking_number=None, submitted_at=None)
    photo = cleaned(intake.add_attachment(report=draft, upload=png(), actor=draft.reporter))
    name = photo.file.name
    assert attachments.process(attachment_id=photo.pk) == "skipped"
    photo.refresh_from_db()
    assert (photo.file.name, photo.attempts) == (name, 1)


def _killed_once(monkeypatch):
    """The first cleaning dies mid-way as a killed worker does (nothing after it runs)."""
    real = attachments.clean_content
    calls = []

    def dying(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise SystemExit("worker killed")
        return real(*args, **kwargs)

    monkeypatch.setattr(attachments, "clean_content", dying)


def test_a_killed_workers_photo_is_cleaned_by_the_redelivered_task(monkeypatch):
    draft = ReportFactory(status=ReportStatus.DRAFT, tracking_number=None, submitted_at=None)
    photo = intake.add_attachment(report=draft, upload=jpeg_with_gps(), actor=draft.reporter)
    _killed_once(monkeypatch)
    with pytest.raises(SystemExit):
        tasks.clean_attachment.delay(photo.pk)
    photo.refresh_from_db()
    assert (photo.state, photo.attempts) == (AttachmentState.PROCESSING, 1)
    # acks_late + reject_on_worker_lost: the broker hands the same message to another worker
    assert tasks.clean_attachment.acks_late
    tasks.clean_attachment.delay(photo.pk)
    photo.refresh_from_db()
    assert (photo.state, photo.attempts) == (AttachmentState.CLEAN, 2)


def test_a_killed_workers_photo_is_cleaned_by_the_sweep(monkeypatch, settings):
    settings.ATTACHMENT_STALE_SECONDS = 120
    draft = ReportFactory(status=ReportStatus.DRAFT, tracking_number=None, submitted_at=None)
    photo = intake.add_attachment(report=draft, upload=jpeg_with_gps(), actor=draft.reporter)
    _killed_once(monkeypatch)
    with pytest.raises(SystemExit):
        attachments.process(attachment_id=photo.pk)
    soon = timezone.now() + timedelta(seconds=60)
    assert tasks.sweep_attachments.delay().get() == {}  # nothing is due yet
    assert not attachments.due_for_sweep(soon).exists()  # its worker may still be at it
    later = timezone.now() + timedelta(seconds=300)
    assert list(attachments.due_for_sweep(later)) == [photo]
    assert attachments.sweep(now=later) == {"clean": 1}
    photo.refresh_from_db()
    assert photo.state == AttachmentState.CLEAN


def test_an_upload_the_broker_never_got_is_cleaned_by_the_sweep(
        monkeypatch, django_capture_on_commit_callbacks):
    def broker_down(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(tasks.clean_attachment, "delay", broker_down)
    draft = ReportFactory(status=ReportStatus.DRAFT, tracking_number=None, submitted_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        photo = intake.add_attachment(report=draft, upload=png(), actor=draft.reporter)
    photo.refresh_from_db()
    assert (photo.state, photo.attempts) == (AttachmentState.PROCESSING, 0)  # answered anyway
    assert attachments.sweep(now=timezone.now() + timedelta(minutes=5)) == {"clean": 1}
    photo.refresh_from_db()
    assert photo.is_clean


def test_a_file_that_kills_every_worker_is_refused_after_the_last_try(monkeypatch, settings):
    settings.ATTACHMENT_MAX_ATTEMPTS = 2
    draft = ReportFactory(status=ReportStatus.DRAFT, tracking_number=None, submitted_at=None)
    photo = intake.add_attachment(report=draft, upload=png("berat.png"), actor=draft.reporter)

    def dying(*args, **kwargs):
        raise SystemExit("worker killed")

    monkeypatch.setattr(attachments, "clean_content", dying)
    for _try in range(2):
        with pytest.raises(SystemExit):
            attachments.process(attachment_id=photo.pk)
    assert attachments.process(attachment_id=photo.pk) == "failed"
    photo.refresh_from_db()
    assert photo.has_failed and "berat.png" in photo.failure
    assert Notification.objects.filter(user=draft.reporter, report=draft).exists()


def test_a_file_that_fails_cleaning_is_reported_to_its_uploader_and_nothing_else_is_lost(
        client, mailoutbox, django_capture_on_commit_callbacks):
    draft = ReportFactory(status=ReportStatus.DRAFT, tracking_number=None, submitted_at=None,
                          title="Lampu jalan mati", description="Sudah dua minggu gelap.")
    broken = SimpleUploadedFile("rusak.jpg", b"\xff\xd8\xff\xe0" + b"bukan foto" * 100)
    with django_capture_on_commit_callbacks(execute=True):
        refused = intake.add_attachment(report=draft, upload=broken, actor=draft.reporter)
        fine = intake.add_attachment(report=draft, upload=png(), actor=draft.reporter)
    refused.refresh_from_db()
    assert refused.has_failed and not refused.file
    assert "rusak.jpg" in refused.failure and "tidak dapat dibaca" in refused.failure
    fine.refresh_from_db()
    assert fine.is_clean
    notice = Notification.objects.get(user=draft.reporter)
    assert "rusak.jpg" in notice.title and notice.url == f"/lapor/draf/{draft.pk}/"
    assert any("tidak dapat dibaca" in m.body for m in mailoutbox)
    draft.refresh_from_db()
    assert (draft.title, draft.description) == ("Lampu jalan mati", "Sudah dua minggu gelap.")
    client.force_login(draft.reporter)
    html = client.get(f"/lapor/draf/{draft.pk}/").content.decode()
    assert "rusak.jpg" in html and refused.failure in html and "Lampu jalan mati" in html
    assert client.get(f"/lampiran/{refused.pk}/").status_code == 404
    # a refused file does not count against the five a report may carry
    for index in range(4):
        intake.add_attachment(report=draft, upload=png(f"{index}.png"), actor=draft.reporter)


@pytest.mark.parametrize("side", [10_000, 30_000])  # warning level (>89 MP) and error level
def test_a_decompression_bomb_is_refused_by_the_task_whatever_the_client_sent(client, side):
    assert Image.MAX_IMAGE_PIXELS is not None  # the guard is on
    draft = ReportFactory(status=ReportStatus.DRAFT, tracking_number=None, submitted_at=None)
    client.force_login(draft.reporter)
    bomb = SimpleUploadedFile("kecil.png", _png_header_only(side, side))
    response = client.post(f"/api/v1/reports/{draft.pk}/attachments/", {"file": bomb})
    assert response.status_code == 201  # a few bytes of a valid PNG: accepted, then cleaned
    photo = Attachment.objects.get(pk=response.json()["id"])
    assert attachments.process(attachment_id=photo.pk) == "failed"
    photo.refresh_from_db()
    assert "tidak dapat dibaca" in photo.failure
    assert client.get(f"/api/v1/attachments/{photo.pk}/file/").status_code == 404


def test_the_size_limit_holds_at_upload_whatever_the_size_the_client_claims(client, settings):
    settings.ATTACHMENT_MAX_BYTES = 1_048_576
    draft = ReportFactory(status=ReportStatus.DRAFT, tracking_number=None, submitted_at=None)
    client.force_login(draft.reporter)
    big = SimpleUploadedFile("besar.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 1_100_000)
    response = client.post(f"/api/v1/reports/{draft.pk}/attachments/", {"file": big})
    assert response.status_code == 400
    assert "besar.jpg" in response.content.decode() and "terlalu besar" in (
        response.content.decode())
    liar = SimpleUploadedFile("bohong.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 1_100_000)
    liar.size = 100  # a client may claim any size: the bytes read decide
    with pytest.raises(attachments.Invalid, match="terlalu besar"):
        attachments.accept_upload(liar)
    assert not Attachment.objects.filter(report=draft).exists()


def test_the_size_limit_holds_in_the_task_too(settings):
    draft = ReportFactory(status=ReportStatus.DRAFT, tracking_number=None, submitted_at=None)
    photo = intake.add_attachment(report=draft, upload=jpeg_with_gps(), actor=draft.reporter)
    settings.ATTACHMENT_MAX_BYTES = 100  # whatever reached the storage is checked again
    assert attachments.process(attachment_id=photo.pk) == "failed"
    photo.refresh_from_db()
    assert "terlalu besar" in photo.failure


def _filing_form(**overrides):
    data = {
        "action": "submit", "kind": "complaint", "title": "Jembatan gantung putus",
        "description": "Tali jembatan putus sejak hujan deras; anak sekolah naik perahu.",
        "category": str(Category.objects.get(slug="infrastruktur").pk),
        "province": "33", "regency": "33.74", "district": "33.74.01",
        "latitude": "", "longitude": "", "event_on": "2026-11-20",
    }
    data.update(overrides)
    return data


def test_a_form_sent_again_after_its_answer_was_lost_is_not_filed_twice(client, citizen):
    cache.clear()
    citizen.is_email_confirmed = True
    citizen.save(update_fields=["is_email_confirmed"])
    client.force_login(citizen)
    page = client.get("/lapor/").content.decode()
    key = page.split('name="submission_key" value="', 1)[1].split('"', 1)[0]
    first = client.post("/lapor/", {**_filing_form(submission_key=key), "attachments": png()})
    again = client.post("/lapor/", {**_filing_form(submission_key=key), "attachments": png()})
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"] and first["Location"].endswith("/terkirim/")
    (report,) = Report.objects.filter(reporter=citizen)
    assert report.attachments.count() == 1
    # a fresh form (a new key) files a new report
    other = client.post("/lapor/", _filing_form(submission_key="another-key"))
    assert other.status_code == 302 and Report.objects.filter(reporter=citizen).count() == 2


def test_a_form_sent_again_while_the_first_is_still_handled_is_asked_to_wait(client, citizen):
    cache.clear()
    citizen.is_email_confirmed = True
    citizen.save(update_fields=["is_email_confirmed"])
    client.force_login(citizen)
    assert resubmission.claim(user_id=citizen.pk, key="in-flight") is None  # the first try
    response = client.post("/lapor/", _filing_form(submission_key="in-flight"))
    assert response.status_code == 409
    assert "sedang dikirim" in response.content.decode()
