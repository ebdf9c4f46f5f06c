"""A report and its photos in one request (``POST /api/v1/reports/`` as multipart with
``files`` and ``submit``), as a phone on a slow link sends it: the lean path writes the report,
its first event, its clock and the files' rows in one transaction; each file is stored
privately as it came and cleaned by the task after commit; a refused file, a limit or a
failed draw keeps the draft with every file the rules let through, and names what was
refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.cache import cache
from PIL import Image

from agencies import config_cache
from complaints import tracking_numbers
from complaints.models import Attachment, AttachmentState, Report, ReportEvent, ReportStatus
from complaints.services import intake
from tests.complaints.images import cleaned, impostor, jpeg_with_gps, png
from tests.complaints.test_filing_cost import API_FILING_STATEMENTS, _assert_filed_in_full
from tests.factories import ReportFactory

pytestmark = pytest.mark.django_db

# as a filing without files, and one INSERT for all its files' rows
PHOTO_FILING_STATEMENTS = API_FILING_STATEMENTS + 1


@pytest.fixture(autouse=True)
def _fresh(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    cache.clear()
    config_cache.cache.clear()


def _form(files, **overrides):
    data = {
        "kind": "complaint", "title": "Jembatan gantung putus",
        "description": "Jembatan gantung di Kampung Harapan putus sejak banjir, anak-anak "
                       "menyeberang sungai untuk sekolah.",
        "category": "infrastruktur", "province": "33", "regency": "33.74",
        "district": "33.74.01", "submit": "true", "files": files,
    }
    data.update(overrides)
    return data


def _incoming(root: Path) -> list[Path]:
    return sorted((root / "incoming").glob("*")) if (root / "incoming").exists() else []


def test_a_report_and_its_photos_are_filed_in_one_request_of_few_statements(
        api_citizen, django_assert_max_num_queries, django_capture_on_commit_callbacks):
    api_citizen.post("/api/v1/reports/", _form([png()]), format="multipart")  # warms caches
    with django_capture_on_commit_callbacks() as callbacks:
        with django_assert_max_num_queries(PHOTO_FILING_STATEMENTS):
            response = api_citizen.post(
                "/api/v1/reports/", _form([jpeg_with_gps(size=(400, 200)), png()]),
                format="multipart")
    assert response.status_code == 201, response.content
    answer = response.json()
    assert answer["status"] == "submitted" and answer["tracking_number"]
    assert [(a["original_name"], a["state"], a["file_url"], a["thumbnail_url"])
            for a in answer["attachments"]] == [
        ("foto.jpg", "processing", None, None), ("denah.png", "processing", None, None)]
    assert len(callbacks) == 3  # the email, and one cleaning task per file, after commit
    report = Report.objects.get(pk=answer["id"])
    _assert_filed_in_full(report, api_citizen.user)
    photo = Attachment.objects.get(pk=answer["attachments"][0]["id"])
    assert (photo.report_id, photo.uploaded_by_id, photo.is_staff_only) == (
        report.pk, api_citizen.user.pk, False)
    assert photo.file.name.startswith("incoming/")
    with photo.file.open("rb") as handle:
        assert b"SerialCam" in handle.read()  # kept as it came, served to nobody
    assert api_citizen.get(f"/api/v1/attachments/{photo.pk}/file/").status_code == 404
    photo = cleaned(photo)
    assert photo.state == AttachmentState.CLEAN
    with photo.file.open("rb") as handle, Image.open(handle) as image:
        assert image.size == (200, 400)  # turned upright
        assert not image.getexif()
    assert api_citizen.get(f"/api/v1/attachments/{photo.pk}/file/").status_code == 200


def test_one_request_writes_what_draft_upload_and_submit_write(api_citizen):
    one = api_citizen.post("/api/v1/reports/", _form([jpeg_with_gps()]),
                           format="multipart").json()
    draft = api_citizen.post("/api/v1/reports/", _form([], submit="false"),
                             format="multipart").json()
    api_citizen.post(f"/api/v1/reports/{draft['id']}/attachments/", {"file": jpeg_with_gps()},
                     format="multipart")
    three = api_citizen.post(f"/api/v1/reports/{draft['id']}/submit/").json()
    a, b = Report.objects.get(pk=one["id"]), Report.objects.get(pk=three["id"])
    fields = ("status", "version", "channel", "reporter_id", "category_id", "district_id",
              "priority", "due_at", "due_clock_kind", "title", "public_description")
    assert [getattr(a, f) for f in fields] == [getattr(b, f) for f in fields]
    event_fields = ("seq", "kind", "actor_id", "data", "visibility", "prev_hash")
    assert list(ReportEvent.objects.filter(report=a).values_list(*event_fields)) == list(
        ReportEvent.objects.filter(report=b).values_list(*event_fields))
    file_fields = ("original_name", "content_type", "size", "uploaded_by_id", "is_staff_only",
                   "state", "attempts")
    assert list(a.attachments.values_list(*file_fields)) == list(
        b.attachments.values_list(*file_fields))


def test_a_refused_file_keeps_the_draft_with_the_others_and_names_it(api_citizen):
    response = api_citizen.post(
        "/api/v1/reports/", _form([jpeg_with_gps(), impostor("bukan-foto.jpg")]),
        format="multipart")
    assert response.status_code == 400, response.content
    message = " ".join(response.json()["files"])
    assert "bukan-foto.jpg" in message and "bukan foto" in message
    draft = Report.objects.get(pk=response.json()["draft"])
    assert (draft.status, draft.title, draft.reporter_id) == (
        ReportStatus.DRAFT, "Jembatan gantung putus", api_citizen.user.pk)
    assert list(draft.attachments.values_list("original_name", flat=True)) == ["foto.jpg"]
    # the citizen sends the draft as it is: nothing retyped, the photo not sent again
    sent = api_citizen.post(f"/api/v1/reports/{draft.pk}/submit/")
    assert sent.status_code == 200 and sent.json()["status"] == "submitted"
    assert [a["original_name"] for a in sent.json()["attachments"]] == ["foto.jpg"]


def test_more_files_than_a_report_takes_are_refused_with_nothing_kept_half(api_citizen):
    files = [png(f"denah-{i}.png") for i in range(intake.MAX_FILES_PER_REPORT + 1)]
    response = api_citizen.post("/api/v1/reports/", _form(files), format="multipart")
    assert response.status_code == 400
    assert "Paling banyak 5 lampiran per laporan." in str(response.json())
    assert not Report.objects.filter(reporter=api_citizen.user).exists()


def test_the_limits_count_each_file_then_the_filing_as_the_long_way_does(
        api_citizen, settings):
    settings.RATE_LIMITS = {"upload": {"user": (1, 3600)}}
    response = api_citizen.post("/api/v1/reports/", _form([jpeg_with_gps(), png()]),
                                format="multipart")
    assert response.status_code == 400
    assert "denah.png" in " ".join(response.json()["files"])
    draft = Report.objects.get(pk=response.json()["draft"])
    assert list(draft.attachments.values_list("original_name", flat=True)) == ["foto.jpg"]

    settings.RATE_LIMITS = {"file_report": {"user": (0, 3600)}}
    cache.clear()
    refused = api_citizen.post("/api/v1/reports/", _form([jpeg_with_gps()]),
                               format="multipart")
    assert refused.status_code == 429
    kept = Report.objects.get(pk=refused.json()["draft"])
    assert kept.status == ReportStatus.DRAFT
    assert list(kept.attachments.values_list("original_name", flat=True)) == ["foto.jpg"]


def test_a_taken_tracking_number_keeps_one_copy_of_each_file(monkeypatch, api_citizen,
                                                             tmp_path):
    taken = ReportFactory().tracking_number
    draws = iter([taken, tracking_numbers.new_tracking_number()])
    monkeypatch.setattr(intake, "new_tracking_number", lambda: next(draws))
    ok = api_citizen.post("/api/v1/reports/", _form([jpeg_with_gps()]), format="multipart")
    assert ok.status_code == 201, ok.content
    assert len(ok.json()["attachments"]) == 1
    assert Attachment.objects.filter(report_id=ok.json()["id"]).count() == 1
    assert len(_incoming(tmp_path)) == 1

    monkeypatch.setattr(intake, "new_tracking_number", lambda: taken)
    refused = api_citizen.post("/api/v1/reports/", _form([png()]), format="multipart")
    assert refused.status_code == 503
    draft = Report.objects.get(pk=refused.json()["draft"])
    assert list(draft.attachments.values_list("original_name", flat=True)) == ["denah.png"]
    # the copy stored for the rolled-back rows is gone; the draft's own is kept
    assert len(_incoming(tmp_path)) == 2
