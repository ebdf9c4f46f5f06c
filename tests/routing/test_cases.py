"""Cases (kasus bersama, issue 16) and the verifier's likely duplicates: a body's staff group
reports it holds from the queue, answer the case once, each citizen receives the answer on
their own report and number, each report's clocks are met and the statistics count each
report; the verifier sees likely duplicates with their score and merges one in one click."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from agencies.models import Region
from complaints.models import EventKind, Notification, Report, ReportStatus, Visibility
from complaints.similar import likely_duplicates
from lapor.errors import Invalid, NotAllowed
from routing import tallies
from routing.models import Case, Clock
from routing.services import cases, handling, verification
from tests.conftest import body
from tests.factories import ReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_limits():
    cache.clear()
    yield
    cache.clear()


def _held(verifier, n: int = 3, **kwargs: object) -> list[Report]:
    """``n`` reports about one broken bridge, verified and sent to Kota Semarang (body A)."""
    reports = []
    for i in range(n):
        report = ReportFactory(title=f"Jembatan Kali Garang rusak ({i})", **kwargs)
        reports.append(verification.disposition_report(
            report=report, to_body=body("regency-33.74"), actor=verifier))
    return reports


def _numbers(reports: list[Report]) -> list[str]:
    return [r.tracking_number for r in reports]


# --- grouping ---------------------------------------------------------------------------

def test_an_operator_groups_reports_its_body_holds_into_a_case(verifier_national, operator_a):
    reports = _held(verifier_national)
    case = cases.group_reports(numbers=_numbers(reports), title="Jembatan Kali Garang",
                               actor=operator_a)
    assert case.holder_body == body("regency-33.74")
    assert set(cases.case_reports(case)) == set(reports)
    # each report's history says so, for staff only; nothing else changes
    for report in reports:
        event = report.events.order_by("-seq").first()
        assert event.kind == EventKind.INTERNAL_NOTE and event.visibility == Visibility.STAFF
        assert "Jembatan Kali Garang" in event.note
        report.refresh_from_db()
        assert report.status == ReportStatus.DISPOSITIONED


def test_grouping_refuses_one_report_another_body_a_taken_report_and_no_title(
        verifier_national, operator_a, operator_b):
    reports = _held(verifier_national)
    with pytest.raises(Invalid, match="paling sedikit dua"):
        cases.group_reports(numbers=_numbers(reports[:1]), title="X", actor=operator_a)
    with pytest.raises(Invalid, match="judul"):
        cases.group_reports(numbers=_numbers(reports), title="  ", actor=operator_a)
    with pytest.raises(NotAllowed):
        cases.group_reports(numbers=_numbers(reports), title="X", actor=operator_b)
    cases.group_reports(numbers=_numbers(reports[:2]), title="X", actor=operator_a)
    with pytest.raises(Invalid, match="sudah termasuk kasus lain"):
        cases.group_reports(numbers=_numbers(reports[1:]), title="Y", actor=operator_a)
    assert Case.objects.count() == 1


def test_grouping_refuses_reports_of_two_bodies(verifier_national, supervisor_a):
    here = _held(verifier_national, 1)[0]
    other = verification.disposition_report(report=ReportFactory(),
                                            to_body=body("province-33"),
                                            actor=verifier_national)
    with pytest.raises(Invalid, match="satu instansi"):
        cases.group_reports(numbers=[here.tracking_number, other.tracking_number], title="X",
                            actor=supervisor_a)


# --- answering once ---------------------------------------------------------------------

def test_answering_a_case_of_three_answers_each_report_its_citizen_and_its_clocks(
        verifier_national, operator_a):
    reports = _held(verifier_national)
    before = tallies.counts_for(body("regency-33.74").__class__.objects.filter(
        pk=body("regency-33.74").pk))
    assert before.get(ReportStatus.DISPOSITIONED) == 3
    case = cases.group_reports(numbers=_numbers(reports), title="Jembatan", actor=operator_a)
    answered = cases.answer_case(case=case, actor=operator_a,
                                 answer="Jembatan diperbaiki mulai Senin.")
    assert len(answered) == 3
    for report in reports:
        report.refresh_from_db()
        assert report.status == ReportStatus.RESOLVED
        assert report.resolved_at is not None
        resolved = report.events.get(kind=EventKind.RESOLVED)
        assert resolved.note == "Jembatan diperbaiki mulai Senin."
        # its own citizen, on its own report and number
        notice = Notification.objects.filter(report=report).order_by("-created_at", "-id")[0]
        assert notice.user == report.reporter
        assert report.tracking_number in notice.title
        assert notice.url == f"/laporan-saya/{report.tracking_number}/"
        # its own clocks met
        holder_clocks = Clock.objects.filter(report=report,
                                             kind__in=["first_response", "follow_up"])
        assert holder_clocks.exists()
        assert set(holder_clocks.values_list("state", "outcome")) == {("stopped", "met")}
        assert report.due_at is None
    # the statistics count each report
    after = tallies.counts_for(body("regency-33.74").__class__.objects.filter(
        pk=body("regency-33.74").pk))
    assert after.get(ReportStatus.RESOLVED) == 3
    assert ReportStatus.DISPOSITIONED not in after
    case.refresh_from_db()
    assert case.answered_at is not None and case.answered_by == operator_a


def test_a_case_answer_is_all_or_none(verifier_national, operator_a, monkeypatch):
    reports = _held(verifier_national)
    case = cases.group_reports(numbers=_numbers(reports), title="Jembatan", actor=operator_a)
    real = handling.resolve
    calls = []

    def third_fails(**kwargs):
        calls.append(kwargs["report"].pk)
        if len(calls) == 3:
            raise Invalid("gagal")
        return real(**kwargs)

    monkeypatch.setattr(handling, "resolve", third_fails)
    with pytest.raises(Invalid):
        cases.answer_case(case=case, actor=operator_a, answer="Diperbaiki.")
    assert set(Report.objects.filter(pk__in=[r.pk for r in reports])
               .values_list("status", flat=True)) == {ReportStatus.DISPOSITIONED}


def test_a_report_moved_to_another_body_is_left_out_of_the_answer(verifier_national,
                                                                   operator_a):
    reports = _held(verifier_national)
    case = cases.group_reports(numbers=_numbers(reports), title="Jembatan", actor=operator_a)
    handling.redirect(report=reports[2], actor=operator_a, to_body=body("kemenhub"),
                      reason="Jembatan nasional.")
    answered = cases.answer_case(case=case, actor=operator_a, answer="Diperbaiki.")
    assert {r.pk for r in answered} == {reports[0].pk, reports[1].pk}
    reports[2].refresh_from_db()
    assert reports[2].status != ReportStatus.RESOLVED


def test_another_body_cannot_answer_the_case(verifier_national, operator_a, operator_b):
    reports = _held(verifier_national)
    case = cases.group_reports(numbers=_numbers(reports), title="Jembatan", actor=operator_a)
    with pytest.raises(NotAllowed):
        cases.answer_case(case=case, actor=operator_b, answer="Diperbaiki.")


# --- the pages --------------------------------------------------------------------------

def test_queue_checkboxes_group_then_the_case_page_answers_once(client, verifier_national,
                                                                 operator_a):
    reports = _held(verifier_national)
    client.force_login(operator_a)
    queue = client.get("/petugas/antrean/").content.decode()
    assert 'name="reports"' in queue and "Gabungkan jadi kasus" in queue
    response = client.post("/petugas/antrean/kasus/", {
        "reports": _numbers(reports), "case_title": "Jembatan Kali Garang",
        "next": "/petugas/antrean/"})
    case = Case.objects.get()
    assert response["Location"] == f"/petugas/kasus/{case.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert all(n in page for n in _numbers(reports))
    assert "Kirim jawaban akhir ke semua laporan" in page
    staff_page = client.get(f"/petugas/laporan/{reports[0].tracking_number}/").content.decode()
    assert f"/petugas/kasus/{case.pk}/" in staff_page
    empty = client.post(f"/petugas/kasus/{case.pk}/", {"answer": ""})
    assert empty.status_code == 400
    assert "Tuliskan jawaban akhir" in empty.content.decode()
    done = client.post(f"/petugas/kasus/{case.pk}/", {"answer": "Diperbaiki Senin."})
    assert done.status_code == 302
    assert set(Report.objects.filter(pk__in=[r.pk for r in reports])
               .values_list("status", flat=True)) == {ReportStatus.RESOLVED}


def test_a_refused_grouping_keeps_the_checked_reports_and_the_title(client, verifier_national,
                                                                    operator_a):
    reports = _held(verifier_national)
    client.force_login(operator_a)
    response = client.post("/petugas/antrean/kasus/", {
        "reports": _numbers(reports[:1]), "case_title": "Jembatan", "next": "/petugas/antrean/"})
    assert response.status_code == 302
    back = client.get(response["Location"]).content.decode()
    assert "paling sedikit dua" in back
    assert 'value="Jembatan"' in back
    assert f'value="{reports[0].tracking_number}" id="pick-{reports[0].tracking_number}" ' \
           f'form="bulk-assign" checked' in back


def test_another_bodys_case_page_is_404(client, verifier_national, operator_a, operator_b):
    reports = _held(verifier_national)
    case = cases.group_reports(numbers=_numbers(reports), title="Jembatan", actor=operator_a)
    client.force_login(operator_b)
    assert client.get(f"/petugas/kasus/{case.pk}/").status_code == 404
    assert client.post(f"/petugas/kasus/{case.pk}/", {"answer": "x"}).status_code == 404


def test_a_citizen_cannot_group(client, verifier_national):
    reports = _held(verifier_national)
    client.force_login(reports[0].reporter)
    response = client.post("/petugas/antrean/kasus/", {"reports": _numbers(reports),
                                                       "case_title": "X"})
    assert response.status_code == 404


# --- the verifier's likely duplicates ---------------------------------------------------

def test_the_verifier_sees_likely_duplicates_with_their_score_and_merges_in_one_click(
        client, verifier_jateng):
    original = ReportFactory(title="Jembatan Kali Garang retak",
                             district=Region.objects.get(code="33.74.01"))
    other_subject = ReportFactory(title="Sampah menumpuk di Pasar Johar",
                                  description="Sampah tidak diangkut seminggu.")
    new = ReportFactory(title="Jembatan Kali Garang retak parah",
                        district=Region.objects.get(code="33.74.01"))
    found = likely_duplicates(new)
    assert [d.tracking_number for d in found] == [original.tracking_number]
    assert found[0].score > 0.3
    assert other_subject.tracking_number not in [d.tracking_number for d in found]

    client.force_login(verifier_jateng)
    page = client.get(f"/petugas/laporan/{new.tracking_number}/").content.decode()
    assert "Kemungkinan duplikat" in page
    assert f"Skor <strong class=\"score\">{found[0].score:.2f}".replace(".", ",") in page
    assert f"Gabungkan ke {original.tracking_number}" in page
    response = client.post(f"/petugas/laporan/{new.tracking_number}/duplikat/", {
        "version": new.version, "seen_seq": "", "original": original.tracking_number})
    assert response.status_code == 302
    new.refresh_from_db()
    assert new.duplicate_of == original and new.status == ReportStatus.REJECTED
    # a merged report is no longer anyone's candidate
    assert new.tracking_number not in [d.tracking_number for d in likely_duplicates(original)]


def test_no_duplicates_panel_for_the_holding_body(client, verifier_national, operator_a):
    reports = _held(verifier_national, 2)
    client.force_login(operator_a)
    page = client.get(f"/petugas/laporan/{reports[0].tracking_number}/").content.decode()
    assert "Kemungkinan duplikat" not in page


# --- the API ----------------------------------------------------------------------------

def _api(user):
    from rest_framework.test import APIClient

    from tests.conftest import verified_api_token

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {verified_api_token(user).key}")
    return client


def test_api_groups_reads_and_answers_a_case(verifier_national, operator_a):
    reports = _held(verifier_national)
    client = _api(operator_a)
    made = client.post("/api/v1/staff/cases/", {"reports": _numbers(reports),
                                                "title": "Jembatan"}, format="json")
    assert made.status_code == 201, made.content
    case_id = made.json()["id"]
    assert [r["tracking_number"] for r in made.json()["reports"]] == _numbers(reports)
    assert all(r["waits_for_answer"] for r in made.json()["reports"])
    empty = client.post(f"/api/v1/staff/cases/{case_id}/answer/", {"answer": ""},
                        format="json")
    assert empty.status_code == 400
    done = client.post(f"/api/v1/staff/cases/{case_id}/answer/", {"answer": "Diperbaiki."},
                       format="json")
    assert done.status_code == 200
    assert {r["status"] for r in done.json()["reports"]} == {ReportStatus.RESOLVED}
    assert done.json()["answered_at"] is not None


def test_api_refuses_another_bodys_reports_and_hides_its_cases(verifier_national, operator_a,
                                                               operator_b):
    reports = _held(verifier_national)
    refused = _api(operator_b).post("/api/v1/staff/cases/", {
        "reports": _numbers(reports), "title": "X"}, format="json")
    assert refused.status_code == 403
    case = cases.group_reports(numbers=_numbers(reports), title="Jembatan", actor=operator_a)
    assert _api(operator_b).get(f"/api/v1/staff/cases/{case.pk}/").status_code == 404
    assert _api(operator_b).post(f"/api/v1/staff/cases/{case.pk}/answer/",
                                 {"answer": "x"}, format="json").status_code == 404
