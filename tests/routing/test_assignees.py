"""The named assignee inside the holding body: Ambil, a supervisor's assignment (one or many,
page and API), the queues' "Milik saya" / "Belum ada yang memegang", the staff-only history,
the move that clears it, and ``report_handlers``."""

import pytest
from rest_framework.test import APIClient

from agencies.models import Role
from complaints.models import EventKind, Notification, ReportEvent, Visibility
from lapor.errors import Invalid, NotAllowed
from routing import queues
from routing.selectors import report_handlers
from routing.services import assignments, handling, verification
from tests.conftest import body, make_user
from tests.factories import ReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague(body_a):
    return make_user("operator.a2@example.id", "Operator A Dua", Role.OPERATOR, "regency-33.74")


def _held(verifier, **kwargs):
    report = ReportFactory(**kwargs)
    verification.disposition_report(report=report, to_body=body("regency-33.74"),
                                    actor=verifier)
    report.refresh_from_db()
    return report


def test_an_operator_takes_a_report_and_the_history_says_so_for_staff_only(
    verifier_national, operator_a, client
):
    report = _held(verifier_national)
    client.force_login(operator_a)
    page = client.get(f"/petugas/laporan/{report.tracking_number}/").content.decode()
    assert "Belum ada yang memegang" in page and ">Ambil<" in page
    response = client.post(f"/petugas/laporan/{report.tracking_number}/ambil/",
                           {"version": report.version})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.assignee == operator_a
    event = report.events.get(kind=EventKind.ASSIGNED)
    assert (event.visibility, event.actor) == (Visibility.STAFF, operator_a)
    page = client.get(f"/petugas/laporan/{report.tracking_number}/").content.decode()
    assert "Operator A (Anda)" in page and ">Ambil<" not in page
    # The citizen sees the body only: no assignment, no name.
    client.force_login(report.reporter)
    mine = client.get(f"/laporan-saya/{report.tracking_number}/").content.decode()
    assert 'data-event="assigned"' not in mine and "Operator A" not in mine
    timeline = APIClient()
    timeline.force_authenticate(report.reporter)
    kinds = [e["kind"] for e in timeline.get(f"/api/v1/reports/{report.pk}/timeline/").json()]
    assert EventKind.ASSIGNED not in kinds


def test_an_operator_cannot_take_a_colleagues_report_but_a_supervisor_reassigns_it(
    verifier_national, operator_a, colleague, supervisor_a
):
    report = _held(verifier_national)
    assignments.take_report(report=report, actor=colleague)
    with pytest.raises(NotAllowed, match="minta pimpinan"):
        assignments.take_report(report=report, actor=operator_a)
    with pytest.raises(NotAllowed, match="pimpinan"):
        assignments.assign_report(report=report, actor=colleague, assignee=operator_a)
    assignments.assign_report(report=report, actor=supervisor_a, assignee=operator_a)
    report.refresh_from_db()
    assert report.assignee == operator_a
    assert report.events.filter(kind=EventKind.ASSIGNED).count() == 2
    notice = Notification.objects.get(user=operator_a, report=report,
                                      title__startswith="Laporan untuk Anda")
    assert "Pimpinan Jateng" in notice.message
    assert notice.url == f"/petugas/laporan/{report.tracking_number}/"


def test_only_staff_of_the_holder_may_be_assigned(verifier_national, supervisor_a, operator_b):
    report = _held(verifier_national)
    with pytest.raises(Invalid) as refused:
        assignments.assign_report(report=report, actor=supervisor_a, assignee=operator_b)
    assert refused.value.field == "assignee"


def test_another_bodys_staff_can_neither_take_nor_assign_on_page_or_api(
    verifier_national, operator_b, client
):
    report = _held(verifier_national)
    client.force_login(operator_b)
    assert client.post(f"/petugas/laporan/{report.tracking_number}/ambil/",
                       {"version": report.version}).status_code == 404
    api = APIClient()
    api.force_authenticate(operator_b)
    assert api.post(f"/api/v1/staff/reports/{report.tracking_number}/actions/take/",
                    {"version": report.version}, format="json").status_code == 404
    result = api.post("/api/v1/staff/assignments/",
                      {"reports": [report.tracking_number], "assignee": operator_b.pk},
                      format="json")
    assert result.status_code == 403
    report.refresh_from_db()
    assert report.assignee is None


def test_take_and_assign_through_the_api(verifier_national, operator_a, colleague, supervisor_a):
    report = _held(verifier_national)
    api = APIClient()
    api.force_authenticate(operator_a)
    taken = api.post(f"/api/v1/staff/reports/{report.tracking_number}/actions/take/",
                     {"version": report.version}, format="json")
    assert taken.status_code == 200, taken.content
    assert taken.json()["assignee"] == {"id": operator_a.pk, "name": "Operator A"}
    assert "take" not in taken.json()["available_actions"]
    api.force_authenticate(supervisor_a)
    moved = api.post(f"/api/v1/staff/reports/{report.tracking_number}/actions/assign/",
                     {"version": report.version, "assignee": colleague.pk}, format="json")
    assert moved.status_code == 200, moved.content
    assert moved.json()["assignee"]["id"] == colleague.pk
    bad = api.post(f"/api/v1/staff/reports/{report.tracking_number}/actions/assign/",
                   {"version": report.version, "assignee": 999999}, format="json")
    assert bad.status_code == 400 and "assignee" in bad.json()


def test_a_supervisor_assigns_many_from_the_queue_without_javascript(
    verifier_national, operator_a, supervisor_a, client
):
    reports = [_held(verifier_national) for _ in range(3)]
    elsewhere = ReportFactory()
    verification.disposition_report(report=elsewhere, to_body=body("regency-35.78"),
                                    actor=verifier_national)
    client.force_login(supervisor_a)
    page = client.get("/petugas/antrean/").content.decode()
    assert 'action="/petugas/antrean/tugaskan/"' in page
    assert f'value="{reports[0].tracking_number}"' in page
    picked = [reports[0].tracking_number, reports[1].tracking_number, elsewhere.tracking_number]
    response = client.post("/petugas/antrean/tugaskan/", {
        "reports": picked, "assignee": operator_a.pk, "next": "/petugas/antrean/?sort=age"})
    assert response.status_code == 302
    # The refused one stays checked, the filters are kept.
    assert response.url.startswith("/petugas/antrean/?sort=age")
    assert f"picked={elsewhere.tracking_number}" in response.url
    after = client.get(response.url).content.decode()
    assert "2 laporan ditugaskan ke Operator A." in after
    assert f"{elsewhere.tracking_number}: Laporan tidak ditemukan." in after
    for report in reports:
        report.refresh_from_db()
    assert [r.assignee_id for r in reports] == [operator_a.pk, operator_a.pk, None]
    # Nothing chosen: said so, the checked ones still checked.
    again = client.post("/petugas/antrean/tugaskan/", {"reports": [reports[2].tracking_number],
                                                       "next": "/petugas/antrean/"})
    assert f"picked={reports[2].tracking_number}" in again.url
    assert "Pilih petugas" in client.get(again.url).content.decode()


def test_an_operator_has_no_bulk_assignment(operator_a, client):
    client.force_login(operator_a)
    assert "/petugas/antrean/tugaskan/" not in client.get("/petugas/antrean/").content.decode()
    assert client.post("/petugas/antrean/tugaskan/", {"reports": ["x"]}).status_code == 404


def test_bulk_assignment_through_the_api(verifier_national, operator_a, supervisor_a):
    reports = [_held(verifier_national) for _ in range(2)]
    api = APIClient()
    api.force_authenticate(supervisor_a)
    response = api.post("/api/v1/staff/assignments/", {
        "reports": [r.tracking_number for r in reports] + ["LPR-XXXX-XXXX"],
        "assignee": operator_a.pk}, format="json")
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["assigned"] == [r.tracking_number for r in reports]
    assert list(data["refused"]) == ["LPR-XXXX-XXXX"]


def test_queue_filters_mine_and_nobodys_on_page_and_api(
    verifier_national, operator_a, colleague, client
):
    mine, theirs, nobodys = (_held(verifier_national) for _ in range(3))
    assignments.take_report(report=mine, actor=operator_a)
    assignments.take_report(report=theirs, actor=colleague)
    filters = queues.QueueFilters.from_params({"assignee": "me"})
    assert list(queues.held_reports(operator_a, filters)) == [mine]
    rows, _ = queues.held_page(operator_a, queues.QueueFilters.from_params({"assignee": "none"}))
    assert rows == [nobodys]
    client.force_login(operator_a)
    page = client.get("/petugas/antrean/?assignee=me").content.decode()
    assert mine.tracking_number in page and theirs.tracking_number not in page
    assert "Milik saya" in page and "Belum ada yang memegang" in page
    api = APIClient()
    api.force_authenticate(operator_a)
    data = api.get("/api/v1/staff/queue/?assignee=none").json()
    assert [r["tracking_number"] for r in data["results"]] == [nobodys.tracking_number]
    assert data["counts"]["dispositioned"] == 1
    everyone = api.get("/api/v1/staff/queue/").json()["results"]
    assert {r["tracking_number"]: r["assignee"] and r["assignee"]["name"] for r in everyone} == {
        mine.tracking_number: "Operator A", theirs.tracking_number: "Operator A Dua",
        nobodys.tracking_number: None}
    assert api.get("/api/v1/staff/queue/?assignee=someone").status_code == 400


def test_a_supervisor_sees_mine_across_the_bodies_below(verifier_national, supervisor_a):
    report = _held(verifier_national)
    assignments.assign_report(report=report, actor=supervisor_a, assignee=supervisor_a)
    rows, _ = queues.held_page(supervisor_a, queues.QueueFilters.from_params({"assignee": "me"}))
    assert rows == [report]


def test_the_assignee_clears_when_the_report_moves_to_another_body(verifier_national,
                                                                  operator_a):
    report = _held(verifier_national)
    assignments.take_report(report=report, actor=operator_a)
    handling.redirect(report=report, actor=operator_a, to_body=body("kemenhub"),
                      reason="Jalan nasional.")
    report.refresh_from_db()
    assert report.assignee is None
    assert list(report_handlers(report)) == []  # Kemenhub has no operator in this test


def test_report_handlers_are_the_assignee_else_the_holders_operators(
    verifier_national, operator_a, colleague, supervisor_a
):
    report = _held(verifier_national)
    assert set(report_handlers(report)) == {operator_a, colleague}
    assignments.assign_report(report=report, actor=supervisor_a, assignee=colleague)
    report.refresh_from_db()
    assert list(report_handlers(report)) == [colleague]
    assert list(report_handlers(ReportFactory())) == []


def test_assignment_does_not_make_a_colleagues_open_form_stale(verifier_national, operator_a,
                                                               colleague):
    report = _held(verifier_national)
    seen = report.version
    assignments.take_report(report=report, actor=colleague)
    handling.respond(report=report, actor=operator_a, note="Kami cek.", expected_version=seen)
    assert ReportEvent.objects.filter(report=report, kind=EventKind.FIRST_RESPONSE).exists()
