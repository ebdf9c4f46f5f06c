"""After filing: timeline, adding information, answering, accepting, disputing, rating,
tracking lookup, notifications."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from complaints.models import EventKind, Notification, ReportStatus, Visibility
from complaints.services import citizen
from lapor.errors import Invalid, NotAllowed
from tests.conftest import body
from tests.factories import ReportFactory, UserFactory, add_event, public_report

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


def test_timeline_shows_public_events_newest_first_with_body_names(client, operator_a):
    report = public_report()
    semarang = body("regency-33.74")
    add_event(report, EventKind.DISPOSITIONED, to_body=semarang)
    add_event(
        report,
        EventKind.FIRST_RESPONSE,
        actor=operator_a,
        actor_body=semarang,
        note="Terima kasih, tim kami meninjau lokasi besok.",
    )
    add_event(
        report,
        EventKind.INTERNAL_NOTE,
        actor=operator_a,
        actor_body=semarang,
        note="Catatan rahasia petugas",
        visibility=Visibility.STAFF,
    )
    client.force_login(report.reporter)
    html = client.get(f"/laporan-saya/{report.tracking_number}/").content.decode()
    assert "Tanggapan pertama" in html and "Pemerintah Kota Semarang" in html
    assert html.index("Tanggapan pertama") < html.index("Diteruskan ke instansi")
    assert "Catatan rahasia petugas" not in html
    assert "Operator A" not in html  # the body speaks, not the staff member
    assert "WIB" in html


def test_timeline_uses_the_citizens_time_zone(client):
    report = public_report()
    report.reporter.time_zone = "Asia/Jayapura"
    report.reporter.save()
    add_event(report, EventKind.DISPOSITIONED, to_body=body("regency-33.74"))
    client.force_login(report.reporter)
    html = client.get(f"/laporan-saya/{report.tracking_number}/").content.decode()
    assert "WIT" in html


def test_citizen_adds_information_and_the_text_survives_an_error(client):
    report = public_report()
    client.force_login(report.reporter)
    url = f"/laporan-saya/{report.tracking_number}/tambah/"
    ok = client.post(url, {"note": "Lubangnya makin besar setelah hujan."})
    assert ok.status_code == 302
    assert report.events.filter(kind=EventKind.INFO_ADDED).count() == 1
    closed = public_report(reporter=report.reporter, status=ReportStatus.CLOSED)
    refused = client.post(
        f"/laporan-saya/{closed.tracking_number}/tambah/", {"note": "Teks yang tidak boleh hilang"}
    )
    assert refused.status_code == 400
    html = refused.content.decode()
    assert "Laporan sudah ditutup" in html and "Teks yang tidak boleh hilang" in html


def test_reply_to_body_is_recorded_as_a_reply(client):
    report = public_report()
    client.force_login(report.reporter)
    client.post(
        f"/laporan-saya/{report.tracking_number}/tambah/",
        {"note": "Lokasinya di RT 02.", "as_reply": "1"},
    )
    assert report.events.filter(kind=EventKind.CITIZEN_REPLY).exists()


def test_accept_closes_and_dispute_reopens(client):
    report = public_report(status=ReportStatus.RESOLVED)
    other = public_report(reporter=report.reporter, status=ReportStatus.RESOLVED)
    client.force_login(report.reporter)
    client.post(f"/laporan-saya/{report.tracking_number}/terima/")
    report.refresh_from_db()
    assert report.status == ReportStatus.CLOSED and report.closed_at
    empty = client.post(f"/laporan-saya/{other.tracking_number}/bantah/", {"note": ""})
    assert empty.status_code == 400
    client.post(
        f"/laporan-saya/{other.tracking_number}/bantah/",
        {"note": "Jalan belum diperbaiki sama sekali."},
    )
    other.refresh_from_db()
    assert other.status == ReportStatus.IN_PROGRESS
    reopened = other.events.get(kind=EventKind.REOPENED)
    assert reopened.note == "Jalan belum diperbaiki sama sekali."


def test_rating_once_and_only_when_closed():
    report = public_report(status=ReportStatus.RESOLVED)
    with pytest.raises(Invalid, match="setelah laporan selesai"):
        citizen.rate_report(report=report, actor=report.reporter, rating=5)
    citizen.accept_resolution(report=report, actor=report.reporter)
    with pytest.raises(Invalid, match="1 sampai 5"):
        citizen.rate_report(report=report, actor=report.reporter, rating=6)
    citizen.rate_report(report=report, actor=report.reporter, rating=4, comment="Cepat.")
    report.refresh_from_db()
    assert (report.rating, report.rating_comment) == (4, "Cepat.")
    with pytest.raises(Invalid, match="sudah memberi penilaian"):
        citizen.rate_report(report=report, actor=report.reporter, rating=5)


def test_only_the_reporter_acts_on_a_report():
    report = public_report(status=ReportStatus.RESOLVED)
    with pytest.raises(NotAllowed, match="Hanya pelapor"):
        citizen.accept_resolution(report=report, actor=UserFactory())


def test_someone_elses_report_page_is_404(client):
    report = public_report()
    client.force_login(UserFactory())
    assert client.get(f"/laporan-saya/{report.tracking_number}/").status_code == 404
    assert client.post(f"/laporan-saya/{report.tracking_number}/terima/").status_code == 404


def test_track_finds_public_reports_and_hides_confidential_ones(client):
    public = public_report()
    secret = public_report(is_confidential=True, title="Rahasia: pungli di kantor kelurahan")
    found = client.get("/lacak/", {"nomor": public.tracking_number.lower()})
    assert found.status_code == 200 and public.title in found.content.decode()
    hidden = client.get("/lacak/", {"nomor": secret.tracking_number})
    assert hidden.status_code == 404
    assert "pungli" not in hidden.content.decode()
    # its reporter finds it
    client.force_login(secret.reporter)
    mine = client.get("/lacak/", {"nomor": secret.tracking_number})
    assert mine.status_code == 302
    assert mine["Location"] == f"/laporan-saya/{secret.tracking_number}/"


def test_track_rejects_a_mistyped_number_with_a_clear_message(client):
    response = client.get("/lacak/", {"nomor": "LPR-1234-OOOO"})
    assert "Nomor pelacakan tidak valid" in response.content.decode()


def test_track_api_same_rules():
    api = APIClient()
    public = public_report()
    secret = public_report(is_confidential=True)
    assert api.get(f"/api/v1/track/{public.tracking_number}/").json()["title"] == public.title
    assert api.get(f"/api/v1/track/{secret.tracking_number}/").status_code == 404


def test_status_changes_notify_in_app_and_by_email(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    report = public_report(status=ReportStatus.RESOLVED)
    with django_capture_on_commit_callbacks(execute=True):
        citizen.dispute_resolution(report=report, actor=report.reporter, reason="Belum beres.")
    assert Notification.objects.filter(user=report.reporter).count() == 1
    assert len(mailoutbox) == 1 and report.tracking_number in mailoutbox[0].subject
    client.force_login(report.reporter)
    page = client.get("/notifikasi/").content.decode()
    assert report.tracking_number in page
    client.post("/notifikasi/dibaca/")
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_api_follow_up_actions():
    report = public_report(status=ReportStatus.RESOLVED)
    api = APIClient()
    api.force_authenticate(report.reporter)
    timeline = api.get(f"/api/v1/reports/{report.pk}/timeline/")
    assert timeline.status_code == 200
    bad = api.post(f"/api/v1/reports/{report.pk}/rate/", {"rating": 5}, format="json")
    assert bad.json()["detail"] == "Penilaian dapat diberikan setelah laporan selesai."
    assert api.post(f"/api/v1/reports/{report.pk}/accept/").json()["status"] == "closed"
    rated = api.post(f"/api/v1/reports/{report.pk}/rate/", {"rating": 5}, format="json")
    assert rated.json()["rating"] == 5


def test_my_reports_query_count_does_not_grow(client, django_assert_max_num_queries):
    user = UserFactory()
    for _ in range(3):
        ReportFactory(reporter=user)
    client.force_login(user)
    with django_assert_max_num_queries(10):
        client.get("/laporan-saya/")
    for _ in range(15):
        ReportFactory(reporter=user)
    with django_assert_max_num_queries(10):
        client.get("/laporan-saya/")
