"""Copies (tembusan): the holder copies a report to other bodies; their staff follow it in the
"Tembusan" queue (page and API), read and write internal notes for every body involved, are
told of its final answer, hold no clock and cannot act for the holder."""

import pytest
from rest_framework.test import APIClient

from agencies.models import Role
from complaints import selectors
from complaints.models import EventKind, Notification, ReportCopy, Visibility
from lapor.errors import Invalid, NotAllowed
from routing.actions import available_actions
from routing.models import Clock
from routing.services import copies, handling, verification
from tests.conftest import body, make_user
from tests.factories import ReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def copied_op(db):
    """An operator of Pemprov Jawa Timur, a body the report is copied to."""
    return make_user("op.jatim@example.id", "Operator Jatim", Role.OPERATOR, "province-35")


@pytest.fixture
def report(verifier_national, operator_a):
    made = ReportFactory()
    verification.disposition_report(report=made, to_body=body("regency-33.74"),
                                    actor=verifier_national)
    made.refresh_from_db()
    return made


def _copy(report, operator_a, note="RAHASIA-TEMBUSAN"):
    copies.copy_report(report=report, actor=operator_a, to_body=body("province-35"), note=note)
    report.refresh_from_db()
    return report


def test_the_holder_copies_and_the_copied_body_is_told(report, operator_a, copied_op):
    _copy(report, operator_a)
    copy = ReportCopy.objects.get(report=report)
    assert (copy.body, copy.by) == (body("province-35"), operator_a)
    event = report.events.get(kind=EventKind.COPIED)
    assert (event.visibility, event.to_body) == (Visibility.STAFF, body("province-35"))
    notice = Notification.objects.get(user=copied_op, report=report)
    assert notice.title.startswith("Tembusan:")
    assert notice.url == f"/petugas/laporan/{report.tracking_number}/"
    # No clock for the copied body, and the holder is unchanged.
    assert not Clock.objects.filter(report=report, body=body("province-35")).exists()
    assert report.holder_body == body("regency-33.74")


def test_a_copy_is_refused_twice_to_the_holder_itself_and_to_anyone_but_the_holder(
    report, operator_a, operator_b, copied_op
):
    _copy(report, operator_a)
    with pytest.raises(Invalid, match="sudah ditembuskan"):
        copies.copy_report(report=report, actor=operator_a, to_body=body("province-35"))
    with pytest.raises(Invalid) as itself:
        copies.copy_report(report=report, actor=operator_a, to_body=body("regency-33.74"))
    assert itself.value.field == "to_body"
    for outsider in (operator_b, copied_op):
        with pytest.raises(NotAllowed):
            copies.copy_report(report=report, actor=outsider, to_body=body("kemenhub"))


def test_the_copied_body_reads_the_report_and_its_notes_but_cannot_act(
    report, operator_a, copied_op, client
):
    handling.add_internal_note(report=report, actor=operator_a, note="RAHASIA-PEMEGANG")
    assert not selectors.is_staff_viewer(copied_op, report)
    _copy(report, operator_a)
    assert selectors.is_staff_viewer(copied_op, report)
    assert selectors.may_read_internal(copied_op, report)
    assert available_actions(copied_op, report) == ["catatan"]
    client.force_login(copied_op)
    page = client.get(f"/petugas/laporan/{report.tracking_number}/").content.decode()
    assert "RAHASIA-PEMEGANG" in page and "RAHASIA-TEMBUSAN" in page
    assert "Menerima tembusan (Pemerintah Provinsi Jawa Timur)" in page
    assert "/tanggapi/" not in page and "/selesaikan/" not in page
    assert "Lihat identitas pelapor" not in page
    assert client.post(f"/petugas/laporan/{report.tracking_number}/tanggapi/",
                       {"note": "x", "version": report.version}).status_code == 404
    with pytest.raises(NotAllowed):
        handling.respond(report=report, actor=copied_op, note="Bukan hak kami.")
    api = APIClient()
    api.force_authenticate(copied_op)
    detail = api.get(f"/api/v1/staff/reports/{report.tracking_number}/")
    assert detail.status_code == 200
    assert detail.json()["available_actions"] == ["add-internal-note"]
    history = api.get(f"/api/v1/staff/reports/{report.tracking_number}/history/").json()
    assert EventKind.INTERNAL_NOTE in [e["kind"] for e in history]
    assert api.post(f"/api/v1/staff/reports/{report.tracking_number}/actions/respond/",
                    {"note": "x", "version": report.version}, format="json").status_code == 403


def test_notes_of_a_copied_body_are_read_by_every_body_involved_and_no_citizen(
    report, operator_a, copied_op, operator_b, client
):
    _copy(report, operator_a)
    api = APIClient()
    api.force_authenticate(copied_op)
    written = api.post(
        f"/api/v1/staff/reports/{report.tracking_number}/actions/add-internal-note/",
        {"note": "CATATAN-JATIM", "version": report.version}, format="json")
    assert written.status_code == 200, written.content
    note = report.events.get(note="CATATAN-JATIM")
    assert (note.visibility, note.actor_body) == (Visibility.STAFF, body("province-35"))
    for reader, sees in ((operator_a, True), (copied_op, True), (operator_b, False),
                         (report.reporter, False)):
        client.force_login(reader)
        pages = [client.get(url).content.decode() for url in (
            f"/petugas/laporan/{report.tracking_number}/",
            f"/laporan-saya/{report.tracking_number}/")]
        assert any("CATATAN-JATIM" in html for html in pages) is sees, reader


def test_another_bodys_staff_still_get_404(report, operator_a, operator_b, client):
    _copy(report, operator_a)
    client.force_login(operator_b)
    assert client.get(f"/petugas/laporan/{report.tracking_number}/").status_code == 404
    assert client.get("/petugas/tembusan/").content.decode().count("data-copy=") == 0
    api = APIClient()
    api.force_authenticate(operator_b)
    assert api.get(f"/api/v1/staff/reports/{report.tracking_number}/").status_code == 404
    assert api.get("/api/v1/staff/copies/").json()["results"] == []


def test_the_tembusan_queue_on_page_and_api(report, operator_a, copied_op, client,
                                            verifier_national):
    _copy(report, operator_a)
    client.force_login(copied_op)
    page = client.get("/petugas/tembusan/").content.decode()
    assert f'data-copy="{report.tracking_number}"' in page
    assert "Pemerintah Kota Semarang" in page
    api = APIClient()
    api.force_authenticate(copied_op)
    data = api.get("/api/v1/staff/copies/").json()
    assert [row["tracking_number"] for row in data["results"]] == [report.tracking_number]
    assert data["results"][0]["copied_to"]["name"] == "Pemerintah Provinsi Jawa Timur"
    # The holder's queue does not list it for the copied body.
    assert report.tracking_number not in client.get("/petugas/antrean/").content.decode()
    # Keyset pages, newest first.
    more = []
    for _ in range(3):
        other = ReportFactory()
        verification.disposition_report(report=other, to_body=body("regency-33.74"),
                                        actor=verifier_national)
        more.append(_copy(other, operator_a))
    first = api.get("/api/v1/staff/copies/?page_size=2").json()
    second = api.get(f"/api/v1/staff/copies/?page_size=2&cursor={first['next_cursor']}").json()
    numbers = [r["tracking_number"] for r in first["results"] + second["results"]]
    assert numbers == [r.tracking_number for r in reversed([report, *more])]
    assert second["next_cursor"] is None
    client.force_login(verifier_national)
    assert client.get("/petugas/tembusan/").status_code == 404
    api.force_authenticate(verifier_national)
    assert api.get("/api/v1/staff/copies/").status_code == 403


def test_the_copied_body_is_told_of_the_final_answer(report, operator_a, copied_op):
    _copy(report, operator_a)
    handling.resolve(report=report, actor=operator_a, answer="Sudah diperbaiki.")
    notice = Notification.objects.get(user=copied_op, title__startswith="Tembusan dijawab")
    assert "Pemerintah Kota Semarang" in notice.message


def test_copy_from_the_staff_page_by_name(report, operator_a, client):
    client.force_login(operator_a)
    page = client.get(f"/petugas/laporan/{report.tracking_number}/").content.decode()
    assert "Tembuskan ke instansi lain" in page
    response = client.post(f"/petugas/laporan/{report.tracking_number}/tembuskan/", {
        "version": report.version, "to_body_query": "Pemerintah Provinsi Jawa Timur",
        "note": "Untuk diketahui."})
    assert response.status_code == 302
    assert ReportCopy.objects.filter(report=report, body=body("province-35")).exists()
    page = client.get(f"/petugas/laporan/{report.tracking_number}/").content.decode()
    assert "Tembusan ke" in page
