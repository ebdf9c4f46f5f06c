"""The 5-working-day substantive follow-up (*tindak lanjut berkala*, clock kind ``next_step``):
after its first response the holder owes a follow-up (another note to the citizen, a
disposition down, the final answer) within 5 working days; each follow-up restarts it, the
final answer ends it; a redirect ends it as moved; a dispute starts it again. Its breach marks
the report overdue (``due_at`` / ``due_clock_kind``) and tells the supervisors above."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from agencies.models import Body, Membership, Role
from complaints.models import Notification
from complaints.services import citizen
from routing import clocks
from routing.models import Clock, ClockKind, DeadlinePolicy
from routing.services import handling, verification
from routing.sweep import enforce_deadlines
from tests.conftest import body, make_user
from tests.factories import ReportFactory

pytestmark = pytest.mark.django_db

WIB = ZoneInfo("Asia/Jakarta")
RECEIVED = dt.datetime(2026, 3, 12, 9, 0, tzinfo=WIB)  # Thursday 12 March 2026
QUEUE = "/petugas/antrean/"


def end_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.max, tzinfo=WIB)


def _held(verifier, at=RECEIVED):
    with time_machine.travel(at, tick=False):
        report = ReportFactory(submitted_at=at)
        clocks.start(report, ClockKind.VERIFICATION, at=at)
        return verification.disposition_report(
            report=report, to_body=body("regency-33.74"), actor=verifier)


def _steps(report):
    return list(Clock.objects.filter(report=report, kind=ClockKind.NEXT_STEP)
                .order_by("started_at", "id"))


def _act(at, fn, **kwargs):
    with time_machine.travel(at, tick=False):
        return fn(**kwargs)


@pytest.fixture
def unit_a(body_a) -> Body:
    return Body.objects.add_child(body_a, create_kwargs={
        "name": "Dinas Pekerjaan Umum Kota Semarang", "kind": "unit", "region": body_a.region})


def test_the_policy_is_five_working_days_marking_the_report_overdue():
    policy = DeadlinePolicy.objects.get(clock=ClockKind.NEXT_STEP, is_current=True)
    assert (policy.working_days, policy.action, policy.day_one) == (
        5, "mark_overdue", "next_working_day")


def test_the_first_response_starts_it_and_each_follow_up_restarts_it(verifier_national,
                                                                     operator_a):
    report = _held(verifier_national)
    assert _steps(report) == []  # owed only once the body has answered
    # First response on Friday 13 March: day 1 is Monday 16, then 17, Idul Fitri (18–24),
    # 25, 26 and 27 → due at the end of Friday 27 March.
    _act(dt.datetime(2026, 3, 13, 10, 0, tzinfo=WIB), handling.respond, report=report,
         actor=operator_a, note="Kami terima dan kami jadwalkan peninjauan.")
    (first,) = _steps(report)
    assert (first.state, first.body, first.due_at) == ("running", body("regency-33.74"),
                                                       end_of(dt.date(2026, 3, 27)))
    report.refresh_from_db()
    assert (report.due_at, report.due_clock_kind) == (first.due_at, ClockKind.NEXT_STEP)
    # An internal note is no follow-up.
    _act(dt.datetime(2026, 3, 16, 9, 0, tzinfo=WIB), handling.add_internal_note,
         report=report, actor=operator_a, note="Koordinasi dengan dinas.")
    assert len(_steps(report)) == 1
    # A note to the citizen on Wednesday 25: met, and 5 working days again from it: 26, 27,
    # 30, 31 March and 1 April.
    _act(dt.datetime(2026, 3, 25, 14, 0, tzinfo=WIB), handling.respond, report=report,
         actor=operator_a, note="Petugas sudah meninjau lokasi.")
    old, new = _steps(report)
    assert (old.state, old.outcome) == ("stopped", "met")
    assert new.state == "running" and new.due_at == end_of(dt.date(2026, 4, 1))
    # The final answer ends it.
    _act(dt.datetime(2026, 3, 27, 9, 0, tzinfo=WIB), handling.resolve, report=report,
         actor=operator_a, answer="Jalan sudah diperbaiki.")
    assert [(c.state, c.outcome) for c in _steps(report)] == [("stopped", "met")] * 2
    # A dispute reopens it: the body owes its next step again.
    report.refresh_from_db()
    _act(dt.datetime(2026, 3, 30, 9, 0, tzinfo=WIB), citizen.dispute_resolution,
         report=report, actor=report.reporter, reason="Masih berlubang di ujung jalan.")
    assert _steps(report)[-1].state == "running"
    # 31 March, 1 and 2 April, (3 April is Good Friday) 6 and 7.
    assert _steps(report)[-1].due_at == end_of(dt.date(2026, 4, 7))


def test_a_disposition_down_restarts_it_for_the_unit_and_a_redirect_ends_it(
    verifier_national, operator_a, unit_a
):
    report = _held(verifier_national)
    _act(RECEIVED + dt.timedelta(hours=1), handling.respond, report=report, actor=operator_a,
         note="Diterima.")
    _act(RECEIVED + dt.timedelta(days=1), handling.dispose_down, report=report,
         actor=operator_a, to_body=unit_a, note="Mohon ditangani.")
    old, new = _steps(report)
    assert (old.outcome, new.body, new.state) == ("met", unit_a, "running")
    unit_operator = make_user("op.unit@example.id", "Operator Unit")
    Membership.objects.create(user=unit_operator, body=unit_a, role=Role.OPERATOR)
    report.refresh_from_db()
    _act(RECEIVED + dt.timedelta(days=1, hours=1), handling.redirect, report=report,
         actor=unit_operator, to_body=body("kemenhub"), reason="Jalan nasional.")
    assert [(c.state, c.outcome) for c in _steps(report)] == [("stopped", "met"),
                                                              ("stopped", "moved")]


def test_its_breach_marks_the_report_overdue_and_tells_the_supervisors(
    verifier_national, operator_a, supervisor_a, client
):
    report = _held(verifier_national)
    _act(RECEIVED + dt.timedelta(hours=1), handling.respond, report=report, actor=operator_a,
         note="Diterima.")
    (step,) = _steps(report)
    result = enforce_deadlines(step.due_at + dt.timedelta(minutes=1))
    assert result.breached == {"next_step": 1}
    report.refresh_from_db()
    step.refresh_from_db()
    assert step.state == "breached" and step.stopped_at is None
    assert (report.due_at, report.due_clock_kind) == (step.due_at, ClockKind.NEXT_STEP)
    told = Notification.objects.filter(user=supervisor_a, title__startswith="Tenggat terlewati")
    assert told.count() == 1 and "Tindak lanjut berkala" in told.get().message
    client.force_login(operator_a)
    with time_machine.travel(step.due_at + dt.timedelta(hours=3), tick=False):
        page = client.get(QUEUE + "?overdue=1").content.decode()
    assert report.tracking_number in page and "Tindak lanjut berkala: terlambat 3 jam" in page
    # Done late: met, and counting again; the report is no longer overdue.
    _act(step.due_at + dt.timedelta(hours=4), handling.respond, report=report,
         actor=operator_a, note="Perbaikan dijadwalkan minggu depan.")
    step.refresh_from_db()
    assert (step.state, step.outcome) == ("breached", "met")
    report.refresh_from_db()
    assert report.due_at > step.due_at + dt.timedelta(hours=4)
