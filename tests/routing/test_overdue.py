"""A breached deadline is the most important thing in a queue: a report stays overdue from the
sweep's breach until the body acts, shows which deadline and since when, sorts first, counts
among the overdue; an escalated report keeps its Ombudsman mark and its place among the
overdue, in the body's queue and the officers'. ``Report.due_at`` is the holder's earliest
unmet deadline, breached ones included."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from rest_framework.test import APIClient

from complaints.models import ReportStatus
from routing import clocks, policies
from routing.models import Clock, ClockKind
from routing.services import handling, verification
from routing.sweep import enforce_deadlines
from tests.conftest import body
from tests.factories import ReportFactory

WIB = ZoneInfo("Asia/Jakarta")
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=WIB)  # a Monday
QUEUE = "/petugas/antrean/"


def _held(verifier, title="Lampu jalan mati", at=START):
    with time_machine.travel(at, tick=False):
        report = ReportFactory(submitted_at=at, title=title)
        clocks.start(report, ClockKind.VERIFICATION, at=at)
        return verification.disposition_report(
            report=report, to_body=body("regency-33.74"), actor=verifier)


def _clock(report, kind):
    return Clock.objects.filter(report=report, kind=kind).latest("started_at")


def _follow_up_due(report):
    return _clock(report, ClockKind.FOLLOW_UP).due_at


@pytest.fixture
def next_step_after_the_60_days(system_admin):
    """For the tests of the 60-day clock alone: the 5-working-day next step (which after a
    first response falls due long before it) made longer than the 60 days."""
    policies.set_policy(clock=ClockKind.NEXT_STEP, action="mark_overdue", actor=system_admin,
                        working_days=200)


@pytest.mark.django_db
def test_a_breached_first_response_keeps_the_report_overdue_until_the_body_responds(
    verifier_national, operator_a, client
):
    late = _held(verifier_national, "Sampah menumpuk di pasar")
    on_time = _held(verifier_national, "Trotoar rusak", at=START + dt.timedelta(hours=10))
    due = START + dt.timedelta(hours=24)
    later = due + dt.timedelta(hours=3)
    enforce_deadlines(due + dt.timedelta(minutes=1))
    late.refresh_from_db()
    assert _clock(late, ClockKind.FIRST_RESPONSE).state == Clock.State.BREACHED
    # Still the first-response deadline, not the 60-day one that is still running.
    assert (late.due_at, late.due_clock_kind) == (due, ClockKind.FIRST_RESPONSE)

    client.force_login(operator_a)
    with time_machine.travel(later, tick=False):
        page = client.get(QUEUE).content.decode()
        only_late = client.get(QUEUE + "?overdue=1").content.decode()
        api = APIClient()
        api.force_authenticate(operator_a)
        rows = api.get("/api/v1/staff/queue/").json()
    assert page.index(late.tracking_number) < page.index(on_time.tracking_number)
    assert "Tanggapan pertama: terlambat 3 jam" in page
    assert "Terlambat: <strong>1</strong>" in page
    assert late.tracking_number in only_late and on_time.tracking_number not in only_late
    first = rows["results"][0]
    assert (first["tracking_number"], first["is_overdue"], first["due_clock_kind"]) == (
        late.tracking_number, True, "first_response")
    assert rows["overdue_count"] == 1

    with time_machine.travel(later, tick=False):
        handling.respond(report=late, actor=operator_a, note="Segera kami angkut.")
    late.refresh_from_db()
    met = _clock(late, ClockKind.FIRST_RESPONSE)
    assert (met.state, met.stopped_at, met.outcome) == (Clock.State.BREACHED, later, "met")
    # Next: the 5-working-day follow-up that the first response started (before the 60 days).
    next_step = _clock(late, ClockKind.NEXT_STEP)
    assert next_step.due_at < _follow_up_due(late)
    assert (late.due_at, late.due_clock_kind) == (next_step.due_at, ClockKind.NEXT_STEP)
    with time_machine.travel(later, tick=False):
        assert late.tracking_number not in client.get(QUEUE + "?overdue=1").content.decode()


@pytest.mark.django_db
def test_the_report_page_shows_the_late_first_response_not_the_follow_up_date(
    verifier_national, operator_a, client
):
    report = _held(verifier_national)
    enforce_deadlines(START + dt.timedelta(hours=25))
    client.force_login(operator_a)
    with time_machine.travel(START + dt.timedelta(hours=30), tick=False):
        page = client.get(f"/petugas/laporan/{report.tracking_number}/").content.decode()
    assert "Tanggapan pertama: terlambat 6 jam" in page
    # The facts name the first-response deadline (3 March), never the 60-day one (May).
    facts = page[page.index("Tanggapan pertama</dt>"):]
    facts = facts[:facts.index("</dd>")]
    assert "3 Mar 2026" in facts and "Mei" not in facts


@pytest.mark.django_db
def test_an_escalated_report_keeps_its_ombudsman_mark_and_its_place_among_the_overdue(
    verifier_national, operator_a, ombudsman_jateng, client, next_step_after_the_60_days
):
    escalated = _held(verifier_national, "Izin usaha tidak diproses")
    with time_machine.travel(START + dt.timedelta(hours=2), tick=False):
        handling.respond(report=escalated, actor=operator_a, note="Kami proses.")
    due = _follow_up_due(escalated)
    newer = _held(verifier_national, "Jalan berlubang", at=due - dt.timedelta(hours=2))
    with time_machine.travel(due - dt.timedelta(hours=1), tick=False):
        handling.respond(report=newer, actor=operator_a, note="Kami cek.")
    enforce_deadlines(due + dt.timedelta(minutes=1))
    escalated.refresh_from_db()
    assert escalated.escalated_at is not None
    assert (escalated.due_at, escalated.due_clock_kind) == (due, ClockKind.FOLLOW_UP)

    now = due + dt.timedelta(days=2)
    client.force_login(operator_a)
    with time_machine.travel(now, tick=False):
        page = client.get(QUEUE).content.decode()
    row = page[page.index(escalated.tracking_number):page.index(newer.tracking_number)]
    assert "Diawasi Ombudsman RI sejak" in row
    assert "Tindak lanjut: terlambat 2 hari" in row

    client.force_login(ombudsman_jateng)
    with time_machine.travel(now, tick=False):
        officers = client.get("/petugas/ombudsman/").content.decode()
        api = APIClient()
        api.force_authenticate(ombudsman_jateng)
        rows = api.get("/api/v1/staff/ombudsman/").json()
    assert escalated.tracking_number in officers
    assert "Tindak lanjut: terlambat 2 hari" in officers
    assert rows["results"][0]["is_overdue"] is True
    assert rows["overdue_count"] == 1

    # Resolved at last: no longer overdue, still under the Ombudsman's eye.
    with time_machine.travel(now, tick=False):
        handling.resolve(report=escalated, actor=operator_a, answer="Izin sudah terbit.")
    escalated.refresh_from_db()
    assert escalated.due_at is None and escalated.ombudsman_office_id is not None


@pytest.mark.django_db
def test_a_dispute_after_escalation_makes_the_report_overdue_again_without_a_second_escalation(
    verifier_national, operator_a
):
    report = _held(verifier_national)
    due = _follow_up_due(report)
    enforce_deadlines(due + dt.timedelta(minutes=1))
    with time_machine.travel(due + dt.timedelta(days=1), tick=False):
        handling.resolve(report=report, actor=operator_a, answer="Selesai.")
    from complaints.services import citizen

    report.refresh_from_db()
    with time_machine.travel(due + dt.timedelta(days=2), tick=False):
        citizen.dispute_resolution(report=report, actor=report.reporter, reason="Belum beres.")
    report.refresh_from_db()
    assert report.status == ReportStatus.IN_PROGRESS
    assert (report.due_at, report.due_clock_kind) == (due, ClockKind.FOLLOW_UP)
    escalated_at = report.escalated_at
    enforce_deadlines(due + dt.timedelta(days=2, minutes=1))
    report.refresh_from_db()
    assert report.escalated_at == escalated_at
    assert report.due_at == due  # breached again, still owed


@pytest.mark.django_db
def test_a_body_that_redirected_without_answering_shows_its_clock_as_redirected(
    verifier_national, operator_a, client
):
    report = _held(verifier_national)
    with time_machine.travel(START + dt.timedelta(hours=1), tick=False):
        handling.redirect(report=report, actor=operator_a, to_body=body("kemenhub"),
                          reason="Jalan nasional.")
    old = Clock.objects.get(report=report, kind=ClockKind.FIRST_RESPONSE,
                            body=body("regency-33.74"))
    assert (old.state, old.outcome) == (Clock.State.STOPPED, "moved")
    client.force_login(report.reporter)
    page = client.get(f"/laporan-saya/{report.tracking_number}/").content.decode()
    assert "dialihkan" in page
