"""Filing a report on the web and through the API: validation, drafts, files kept, receipts."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from complaints.models import Attachment, EventKind, Report, ReportStatus
from complaints.tracking_numbers import normalise
from tests.complaints.images import impostor, jpeg_with_gps, png
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    cache.clear()


@pytest.fixture
def citizen_client(client):
    user = UserFactory(full_name="Siti Aminah")
    client.force_login(user)
    client.user = user
    return client


def _valid_form(**overrides):
    data = {
        "action": "submit",
        "kind": "complaint",
        "title": "Jalan berlubang di Jalan Pemuda",
        "description": (
            "Lubang besar di depan SD Negeri 3 sudah sebulan, motor sering jatuh malam hari."
        ),
        "category": "",
        "province": "33",
        "regency": "33.74",
        "district": "33.74.01",
        "latitude": "",
        "longitude": "",
        "event_on": "2026-11-20",
    }
    from complaints.models import Category

    data["category"] = str(Category.objects.get(slug="infrastruktur").pk)
    data.update(overrides)
    return data


def test_citizen_files_a_report_with_a_photo_and_gets_a_tracking_number(
    citizen_client, mailoutbox, django_capture_on_commit_callbacks
):
    data = _valid_form(attachments=[jpeg_with_gps()])
    with django_capture_on_commit_callbacks(execute=True):
        response = citizen_client.post("/lapor/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    report = Report.objects.get(reporter=citizen_client.user)
    assert report.status == ReportStatus.SUBMITTED
    assert normalise(report.tracking_number) == report.tracking_number
    assert response["Location"] == f"/lapor/{report.tracking_number}/terkirim/"
    receipt = citizen_client.get(response["Location"]).content.decode()
    assert report.tracking_number in receipt
    assert report.attachments.count() == 1
    assert [e.kind for e in report.events.all()] == [EventKind.SUBMITTED]
    assert len(mailoutbox) == 1
    assert report.tracking_number in mailoutbox[0].subject
    assert report.tracking_number in mailoutbox[0].body
    assert mailoutbox[0].to == [citizen_client.user.email]
    # and it is in "my reports"
    assert report.tracking_number in citizen_client.get("/laporan-saya/").content.decode()


def test_rejected_submission_keeps_every_field_and_uploaded_file(citizen_client):
    data = _valid_form(title="Pendek", attachments=[png("denah.png")])
    response = citizen_client.post("/lapor/", data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Judul terdiri dari 10 sampai 150 karakter." in html
    # what was typed is still there
    assert "Lubang besar di depan SD Negeri 3" in html
    assert 'value="Pendek"' in html
    # the file was kept on a draft, shown, and not asked for again
    draft = Report.objects.get(reporter=citizen_client.user, status=ReportStatus.DRAFT)
    assert draft.attachments.get().original_name == "denah.png"
    assert "denah.png" in html
    assert f'action="/lapor/draf/{draft.pk}/"' in html
    # correcting the title and sending again, without the file, submits with the file
    fixed = _valid_form(title="Jalan berlubang di Jalan Pemuda")
    response = citizen_client.post(f"/lapor/draf/{draft.pk}/", fixed)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == ReportStatus.SUBMITTED
    assert draft.attachments.count() == 1


def test_impostor_file_is_refused_but_the_rest_is_kept(citizen_client):
    data = _valid_form(attachments=[impostor("bukti.jpg"), png("benar.png")])
    response = citizen_client.post("/lapor/", data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "bukti.jpg" in html and "bukan foto" in html
    draft = Report.objects.get(reporter=citizen_client.user)
    assert draft.status == ReportStatus.DRAFT
    assert [a.original_name for a in draft.attachments.all()] == ["benar.png"]


def test_missing_required_fields_are_each_named(citizen_client):
    response = citizen_client.post("/lapor/", {"action": "submit", "kind": "complaint"})
    html = response.content.decode()
    for message in (
        "Judul laporan wajib diisi.",
        "Isi laporan wajib diisi.",
        "Pilih kategori laporan.",
        "Pilih provinsi tempat kejadian.",
        "Pilih kabupaten/kota tempat kejadian.",
    ):
        assert message in html


def test_regency_must_lie_in_the_province(citizen_client):
    response = citizen_client.post("/lapor/", _valid_form(regency="35.78", district=""))
    assert "Kabupaten/kota ini tidak berada di provinsi yang dipilih." in response.content.decode()


def test_point_outside_indonesia_and_future_date_are_refused(citizen_client):
    html = citizen_client.post(
        "/lapor/", _valid_form(latitude="48.85", longitude="2.35", event_on="2099-01-01")
    ).content.decode()
    assert "Titik lokasi berada di luar wilayah Indonesia." in html
    assert "Tanggal kejadian tidak boleh di masa depan." in html


def test_draft_is_saved_and_resumed(citizen_client):
    response = citizen_client.post(
        "/lapor/", {"action": "save", "kind": "aspiration", "title": "Usul taman baca di RW 05"}
    )
    draft = Report.objects.get(reporter=citizen_client.user)
    assert response["Location"] == f"/lapor/draf/{draft.pk}/"
    assert draft.status == ReportStatus.DRAFT and draft.tracking_number is None
    html = citizen_client.get(f"/lapor/draf/{draft.pk}/").content.decode()
    assert "Usul taman baca di RW 05" in html
    assert "Lanjutkan" in citizen_client.get("/laporan-saya/").content.decode()


def test_someone_elses_draft_is_404(citizen_client):
    other = Report.objects.create(reporter=UserFactory(), title="milik orang lain")
    assert citizen_client.get(f"/lapor/draf/{other.pk}/").status_code == 404


def test_unconfirmed_email_cannot_file(client):
    user = UserFactory(is_email_confirmed=False)
    client.force_login(user)
    response = client.get("/lapor/")
    assert response.status_code == 403
    assert "Konfirmasikan email Anda dulu" in response.content.decode()


def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get("/lapor/")
    assert response.status_code == 302 and "/akun/masuk/" in response["Location"]


def test_filing_is_rate_limited_with_a_clear_message(citizen_client, settings):
    settings.RATE_LIMITS = {"file_report": {"user": (1, 3600)}}
    assert citizen_client.post("/lapor/", _valid_form()).status_code == 302
    response = citizen_client.post("/lapor/", _valid_form())
    assert "Terlalu banyak percobaan" in response.content.decode()
    assert Report.objects.filter(status=ReportStatus.SUBMITTED).count() == 1


def test_tracking_numbers_are_unique_and_not_sequential():
    from complaints.tracking_numbers import new_tracking_number

    numbers = [new_tracking_number() for _ in range(2000)]
    assert len(set(numbers)) == 2000
    assert all(normalise(n) == n for n in numbers)
    assert sorted(numbers) != numbers
    assert normalise(numbers[0].lower().replace("-", " ")) == numbers[0]
    broken = numbers[0][:-1] + ("2" if numbers[0][-1] != "2" else "3")
    assert normalise(broken) is None


# --- API ----------------------------------------------------------------------------------


@pytest.fixture
def api_citizen():
    user = UserFactory()
    api = APIClient()
    api.force_authenticate(user)
    api.user = user
    return api


def _api_payload(**overrides):
    from complaints.models import Category

    payload = {
        "kind": "complaint",
        "title": "Lampu jalan mati sebulan",
        "description": "Lampu jalan di Jalan Pandanaran mati sejak awal bulan, rawan kejahatan.",
        "category": Category.objects.get(slug="infrastruktur").slug,
        "province": "33",
        "regency": "33.74",
        "submit": True,
    }
    payload.update(overrides)
    return payload


def test_api_files_a_report_with_the_same_messages(api_citizen):
    bad = api_citizen.post("/api/v1/reports/", _api_payload(title="Pendek"), format="json")
    assert bad.status_code == 400
    assert bad.json()["title"] == ["Judul terdiri dari 10 sampai 150 karakter."]
    ok = api_citizen.post("/api/v1/reports/", _api_payload(), format="json")
    assert ok.status_code == 201, ok.content
    body = ok.json()
    assert body["status"] == "submitted" and normalise(body["tracking_number"])
    report = Report.objects.get(pk=body["id"])
    assert report.channel == "api"


def test_api_draft_then_upload_then_submit(api_citizen):
    draft = api_citizen.post(
        "/api/v1/reports/",
        _api_payload(submit=False, title="Draf lewat API dulu"),
        format="json",
    ).json()
    assert draft["status"] == "draft"
    upload = api_citizen.post(
        f"/api/v1/reports/{draft['id']}/attachments/",
        {"file": jpeg_with_gps()},
        format="multipart",
    )
    assert upload.status_code == 201, upload.content
    refused = api_citizen.post(
        f"/api/v1/reports/{draft['id']}/attachments/",
        {"file": impostor("x.jpg")},
        format="multipart",
    )
    assert refused.status_code == 400
    assert "bukan foto" in refused.json()["attachments"][0]
    submitted = api_citizen.post(f"/api/v1/reports/{draft['id']}/submit/")
    assert submitted.status_code == 200
    assert submitted.json()["status"] == "submitted"
    assert len(submitted.json()["attachments"]) == 1
    assert Attachment.objects.count() == 1


def test_api_other_citizens_report_is_404(api_citizen):
    other = Report.objects.create(reporter=UserFactory(), title="bukan milikmu")
    assert api_citizen.get(f"/api/v1/reports/{other.pk}/").status_code == 404


def test_api_categories_list():
    response = APIClient().get("/api/v1/categories/")
    slugs = [c["slug"] for c in response.json()]
    assert "kesehatan" in slugs and len(slugs) >= 15
