"""Waiting for the citizen: when a verifier or a body asks the citizen for information, each
running clock whose policy says so pauses until the citizen answers (by default the
verification clock only: a body asking a question does not stop its own deadlines nor the way
to the Ombudsman), and is shown as "menunggu pelapor sejak …". The citizen's reply has its own
clock (``citizen_reply``): silent for 10 working days, the citizen is reminded once; at the end
of working day 15 the report is closed with the policy's closing note, which the citizen
reads."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from complaints.models import Notification, ReportStatus
from complaints.services import citizen
from routing import clocks, policies
from routing.models import Clock, ClockKind, ClockWarning, DeadlinePolicy
from routing.services import handling, verification
from routing.sweep import enforce_deadlines
from tests.conftest import body
from tests.factories import ReportFactory

pytestmark = pytest.mark.django_db

WIB = ZoneInfo("Asia/Jakarta")
START = dt.datetime(2026, 4, 6, 9, 0, tzinfo=WIB)  # Monday 6 April 2026


def end_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.max, tzinfo=WIB)


def _submitted(at=START):
    with time_machine.travel(at, tick=False):
        report = ReportFactory(submitted_at=at)
        clocks.start(report, ClockKind.VERIFICATION, at=at)
    return report


def _held(verifier, at=START):
    report = _submitted(at)
    with time_machine.travel(at, tick=False):
        return verification.disposition_report(report=report, to_body=body("regency-33.74"),
                                               actor=verifier)


def _clock(report, kind):
    return Clock.objects.filter(report=report, kind=kind).latest("started_at")


def _at(moment, fn, **kwargs):
    with time_machine.travel(moment, tick=False):
        return fn(**kwargs)


def test_the_default_policies():
    current = {p.clock: p for p in DeadlinePolicy.objects.filter(is_current=True)}
    assert current["verification"].pauses_for_citizen is True
    for kind in ("first_response", "follow_up", "next_step"):
        assert current[kind].pauses_for_citizen is False
    reply = current["citizen_reply"]
    assert (reply.working_days, reply.warnings_before, reply.action) == (
        15, [5], "close_unanswered")
    assert "tidak diterima dalam 15 hari kerja" in reply.closing_note


def test_the_verification_clock_pauses_until_the_citizen_answers(verifier_national, client):
    report = _submitted()
    due = _clock(report, ClockKind.VERIFICATION).due_at  # 3 working days: 7, 8, 9 April
    assert due == end_of(dt.date(2026, 4, 9))
    asked = START + dt.timedelta(hours=2)
    _at(asked, verification.request_completion, report=report, actor=verifier_national,
        note="Mohon lampirkan foto lokasi.")
    paused = _clock(report, ClockKind.VERIFICATION)
    assert (paused.state, paused.paused_at) == ("paused", asked)
    # Its deadline passes while the citizen is silent: no breach.
    assert enforce_deadlines(due + dt.timedelta(hours=1)).breached == {}
    client.force_login(report.reporter)
    with time_machine.travel(asked + dt.timedelta(days=1), tick=False):
        page = client.get(f"/laporan-saya/{report.tracking_number}/").content.decode()
    assert "menunggu pelapor sejak" in page
    # The citizen answers two days later: it runs again, its deadline two days on.
    answered = asked + dt.timedelta(days=2)
    _at(answered, citizen.add_information, report=report, actor=report.reporter,
        note="Foto sudah saya lampirkan.")
    resumed = _clock(report, ClockKind.VERIFICATION)
    assert (resumed.state, resumed.paused_at) == ("running", None)
    assert resumed.due_at == resumed.sweep_after == due + dt.timedelta(days=2)
    reply = _clock(report, ClockKind.CITIZEN_REPLY)
    assert (reply.state, reply.outcome) == ("stopped", "met")
    assert enforce_deadlines(due + dt.timedelta(days=2, minutes=1)).breached == {
        "verification": 1}


def test_a_body_asking_does_not_stop_its_own_clocks(verifier_national, operator_a):
    report = _held(verifier_national)
    first_due = _clock(report, ClockKind.FIRST_RESPONSE).due_at
    _at(START + dt.timedelta(hours=1), handling.request_information, report=report,
        actor=operator_a, note="Di sisi jalan yang mana?")
    for kind in (ClockKind.FIRST_RESPONSE, ClockKind.FOLLOW_UP):
        assert _clock(report, kind).state == "running"
    assert _clock(report, ClockKind.CITIZEN_REPLY).state == "running"
    assert enforce_deadlines(first_due + dt.timedelta(minutes=1)).breached == {
        "first_response": 1}


def test_a_policy_may_pause_a_bodys_clock(verifier_national, operator_a, system_admin):
    policies.set_policy(clock=ClockKind.FIRST_RESPONSE, action="mark_overdue",
                        actor=system_admin, length_hours=24, warnings_before=[6],
                        pauses_for_citizen=True)
    report = _held(verifier_national)
    _at(START + dt.timedelta(hours=1), handling.request_information, report=report,
        actor=operator_a, note="Di sisi jalan yang mana?")
    clock = _clock(report, ClockKind.FIRST_RESPONSE)
    assert clock.state == "paused"
    assert ClockWarning.objects.get(clock=clock).state == "held"
    report.refresh_from_db()
    assert report.due_clock_kind == ClockKind.FOLLOW_UP  # a paused deadline is not due
    _at(START + dt.timedelta(hours=11), citizen.reply_to_body, report=report,
        actor=report.reporter, note="Sisi utara.")
    clock.refresh_from_db()
    warning = ClockWarning.objects.get(clock=clock)
    assert clock.due_at == START + dt.timedelta(hours=34)
    assert (warning.state, warning.send_at) == ("pending", START + dt.timedelta(hours=28))


def test_a_silent_citizen_is_reminded_once_then_the_report_is_closed(verifier_national,
                                                                     operator_a):
    report = _held(verifier_national)
    _at(START + dt.timedelta(hours=1), handling.respond, report=report, actor=operator_a,
        note="Diterima.")
    _at(START + dt.timedelta(hours=2), handling.request_information, report=report,
        actor=operator_a, note="Mohon kirim foto kerusakan.")
    reply = _clock(report, ClockKind.CITIZEN_REPLY)
    # Day 1 is Tuesday 7 April; working day 15 is Monday 27 April; the reminder opens day 11
    # (Tuesday 21 April, 08:00), after 10 working days of silence.
    assert reply.due_at == end_of(dt.date(2026, 4, 27))
    reminder = ClockWarning.objects.get(clock=reply)
    assert reminder.send_at == dt.datetime(2026, 4, 21, 8, 0, tzinfo=WIB)
    reminded = Notification.objects.filter(user=report.reporter, message__contains="Pengingat")
    enforce_deadlines(dt.datetime(2026, 4, 21, 7, 59, tzinfo=WIB))
    assert not reminded.exists()
    for hour in (8, 9, 15):
        enforce_deadlines(dt.datetime(2026, 4, 21, hour, 0, tzinfo=WIB))
    assert reminded.count() == 1
    assert not Notification.objects.filter(user=operator_a, message__contains="Pengingat")
    # The next step (5 working days) breached long before; the 60 days run on meanwhile.
    result = enforce_deadlines(reply.due_at + dt.timedelta(minutes=1))
    assert result.breached["citizen_reply"] == 1
    report.refresh_from_db()
    assert report.status == ReportStatus.CLOSED and report.due_at is None
    closing = DeadlinePolicy.objects.get(clock="citizen_reply", is_current=True).closing_note
    closed_event = report.events.get(kind="closed")
    assert (closed_event.visibility, closed_event.note) == ("public", closing)
    assert not Clock.objects.filter(report=report, stopped_at__isnull=True).exists()
    told = Notification.objects.filter(user=report.reporter).latest("created_at")
    assert "tidak diterima dalam 15 hari kerja" in told.message


def test_an_answer_after_the_reminder_keeps_the_report_open(verifier_national, operator_a):
    report = _held(verifier_national)
    _at(START + dt.timedelta(hours=2), handling.request_information, report=report,
        actor=operator_a, note="Mohon kirim foto kerusakan.")
    enforce_deadlines(dt.datetime(2026, 4, 21, 9, 0, tzinfo=WIB))
    _at(dt.datetime(2026, 4, 22, 9, 0, tzinfo=WIB), citizen.reply_to_body, report=report,
        actor=report.reporter, note="Foto terlampir.")
    enforce_deadlines(dt.datetime(2026, 4, 28, 9, 0, tzinfo=WIB))
    report.refresh_from_db()
    assert report.status != ReportStatus.CLOSED
    assert _clock(report, ClockKind.CITIZEN_REPLY).outcome == "met"


def test_closing_for_silence_needs_a_note_the_citizen_reads(system_admin):
    from lapor.errors import Invalid

    with pytest.raises(Invalid) as refused:
        policies.set_policy(clock=ClockKind.CITIZEN_REPLY, action="close_unanswered",
                            actor=system_admin, working_days=15, warnings_before=[5])
    assert refused.value.field == "closing_note"
