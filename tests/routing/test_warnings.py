"""Warnings before a breach (``ClockWarning``): each policy names them (defaults: first response
6 hours before, follow-up 10 and 3 working days before), each clock gets a row per warning
when it starts, and the sweep sends each exactly once, in the app and by email, to the
holder's operators (``warning_recipients``) and, for the last one, the supervisors above.
Repeated and concurrent sweeps send nothing twice; after downtime no warning arrives after its
deadline and only the latest of a clock's due warnings is sent. Queues get a "segera jatuh
tempo" filter and count (page and API); the daily digest lists what falls due in the next two
working days."""

from __future__ import annotations

import datetime as dt
import threading
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.db import connection
from rest_framework.test import APIClient

from complaints.models import Notification
from lapor.errors import Invalid
from routing import clocks, digest, policies
from routing.models import Clock, ClockKind, ClockWarning, DeadlinePolicy
from routing.notifications import warning_recipients
from routing.services import assignments, handling, verification
from routing.sweep import enforce_deadlines
from tests.conftest import body, make_user
from tests.factories import ReportFactory

WIB = ZoneInfo("Asia/Jakarta")
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=WIB)  # a Monday
QUEUE = "/petugas/antrean/"
THREAD_DEADLINE_SECONDS = 600
WARNING_TITLE = "Segera jatuh tempo"


def _held(verifier, title="Lampu jalan mati", at=START):
    with time_machine.travel(at, tick=False):
        report = ReportFactory(submitted_at=at, title=title)
        clocks.start(report, ClockKind.VERIFICATION, at=at)
        return verification.disposition_report(
            report=report, to_body=body("regency-33.74"), actor=verifier)


def _clock(report, kind):
    return Clock.objects.filter(report=report, kind=kind).latest("started_at")


def _warned(user):
    return Notification.objects.filter(user=user, title__startswith=WARNING_TITLE)


@pytest.mark.django_db
def test_the_default_policies_name_the_warnings_of_issue_14():
    assert DeadlinePolicy.objects.get(clock=ClockKind.FIRST_RESPONSE, priority="",
                                      is_current=True).warnings_before == [6]
    assert DeadlinePolicy.objects.get(clock=ClockKind.FOLLOW_UP,
                                      is_current=True).warnings_before == [10, 3]


@pytest.mark.django_db
def test_a_clock_gets_its_warnings_when_it_starts(verifier_national, system_admin):
    policies.set_policy(clock=ClockKind.FOLLOW_UP, action="escalate_ombudsman",
                        actor=system_admin, working_days=5, warnings_before=[3, 1])
    # Monday 16 March 2026 10:00: day 1 is 17, then Idul Fitri, 25, 26, 27, 30 → due 30 March.
    report = _held(verifier_national, at=dt.datetime(2026, 3, 16, 10, 0, tzinfo=WIB))
    first = _clock(report, ClockKind.FIRST_RESPONSE)
    follow = _clock(report, ClockKind.FOLLOW_UP)
    assert follow.due_at == dt.datetime.combine(dt.date(2026, 3, 30), dt.time.max, tzinfo=WIB)
    # Three working days left (26, 27, 30) from Thursday 26 at 08:00; one (30) from Monday 30.
    assert [(w.before, w.send_at, w.is_last) for w in follow.warnings.order_by("send_at")] == [
        (3, dt.datetime(2026, 3, 26, 8, 0, tzinfo=WIB), False),
        (1, dt.datetime(2026, 3, 30, 8, 0, tzinfo=WIB), True),
    ]
    assert [(w.before, w.send_at) for w in first.warnings.all()] == [
        (6, first.due_at - dt.timedelta(hours=6))]
    # The report is "segera jatuh tempo" from the first warning of its next deadline.
    report.refresh_from_db()
    assert report.due_soon_from == first.warn_from == first.due_at - dt.timedelta(hours=6)


@pytest.mark.django_db
def test_a_warning_is_sent_once_in_the_app_and_by_email_the_last_also_to_supervisors(
    verifier_national, operator_a, supervisor_a, operator_b, system_admin,
    django_capture_on_commit_callbacks,
):
    policies.set_policy(clock=ClockKind.FIRST_RESPONSE, action="mark_overdue",
                        actor=system_admin, length_hours=24, warnings_before=[12, 6])
    report = _held(verifier_national)
    due = START + dt.timedelta(hours=24)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        result = enforce_deadlines(due - dt.timedelta(hours=11, minutes=59))
    assert result.warned == {"first_response": 1}
    assert [n.title for n in _warned(operator_a)] == [f"{WARNING_TITLE}: {report.tracking_number}"]
    assert "sisa" not in _warned(operator_a).get().message  # the due time, not a countdown
    assert "12 jam lagi" in _warned(operator_a).get().message
    assert not _warned(supervisor_a).exists()  # not the last warning
    assert not _warned(operator_b).exists()  # another body
    assert [m.to for m in mail.outbox] == [[operator_a.email]]
    assert "Segera jatuh tempo" in mail.outbox[0].subject
    # Repeated sweeps send nothing again.
    for minutes in (0, 1, 30):
        enforce_deadlines(due - dt.timedelta(hours=11, minutes=59 - minutes))
    assert _warned(operator_a).count() == 1
    enforce_deadlines(due - dt.timedelta(hours=5, minutes=59))
    assert _warned(operator_a).count() == 2
    assert _warned(supervisor_a).count() == 1  # the last: the supervisor above too
    enforce_deadlines(due - dt.timedelta(hours=1))
    assert _warned(operator_a).count() == 2
    assert set(ClockWarning.objects.filter(
        clock__report=report, clock__kind="first_response").values_list("state", flat=True)
    ) == {"sent"}


@pytest.mark.django_db
def test_acting_before_the_warning_drops_it(verifier_national, operator_a):
    report = _held(verifier_national)
    with time_machine.travel(START + dt.timedelta(hours=2), tick=False):
        handling.respond(report=report, actor=operator_a, note="Segera kami periksa.")
    warning = ClockWarning.objects.get(clock__report=report, clock__kind="first_response")
    assert warning.state == "dropped"
    enforce_deadlines(START + dt.timedelta(hours=23))
    assert not _warned(operator_a).exists()


@pytest.mark.django_db
def test_after_three_days_of_downtime_no_warning_arrives_after_its_deadline(
    verifier_national, operator_a, supervisor_a
):
    report = _held(verifier_national)
    back = START + dt.timedelta(days=3)  # the sweep was down from START to here
    result = enforce_deadlines(back)
    assert result.breached["first_response"] == 1
    assert result.warned["first_response"] == 0
    assert not _warned(operator_a).exists() and not _warned(supervisor_a).exists()
    warning = ClockWarning.objects.get(clock__report=report, clock__kind="first_response")
    assert warning.state == "dropped" and warning.sent_at is None
    enforce_deadlines(back + dt.timedelta(minutes=1))
    assert not _warned(operator_a).exists()


@pytest.mark.django_db
def test_after_downtime_over_two_warnings_only_the_latest_is_sent(
    verifier_national, operator_a, supervisor_a, system_admin
):
    policies.set_policy(clock=ClockKind.FOLLOW_UP, action="escalate_ombudsman",
                        actor=system_admin, working_days=5, warnings_before=[3, 1])
    report = _held(verifier_national, at=dt.datetime(2026, 3, 16, 10, 0, tzinfo=WIB))
    with time_machine.travel(dt.datetime(2026, 3, 16, 11, 0, tzinfo=WIB), tick=False):
        handling.respond(report=report, actor=operator_a, note="Kami tindak lanjuti.")
    # Down from Thursday 26 (before the 3-day warning) to Monday 30 at 09:00 (after the
    # 1-day one, before the deadline at the end of that day).
    result = enforce_deadlines(dt.datetime(2026, 3, 30, 9, 0, tzinfo=WIB))
    assert result.warned == {"follow_up": 1} and result.dropped_warnings == 1
    states = dict(ClockWarning.objects.filter(clock__report=report, clock__kind="follow_up")
                  .values_list("before", "state"))
    assert states == {3: "dropped", 1: "sent"}
    assert _warned(operator_a).count() == 1 and _warned(supervisor_a).count() == 1


@pytest.mark.django_db
def test_warnings_follow_the_policy_version_the_clock_started_with(
    verifier_national, operator_a, system_admin
):
    report = _held(verifier_national)
    policies.set_policy(clock=ClockKind.FIRST_RESPONSE, action="mark_overdue",
                        actor=system_admin, length_hours=24, warnings_before=[])
    later = _held(verifier_national, "Trotoar rusak")
    first = ClockWarning.objects.filter(clock__kind="first_response")
    assert first.filter(clock__report=report).count() == 1
    assert not first.filter(clock__report=later).exists()


@pytest.mark.django_db
def test_a_warning_must_come_before_the_deadline(system_admin):
    for bad in ([0], [24], [30]):
        with pytest.raises(Invalid) as refused:
            policies.set_policy(clock=ClockKind.FIRST_RESPONSE, action="mark_overdue",
                                actor=system_admin, length_hours=24, warnings_before=bad)
        assert refused.value.field == "warnings_before"


@pytest.mark.django_db
def test_the_policy_api_and_admin_keep_the_warnings(system_admin, client):
    api = APIClient()
    api.force_authenticate(system_admin)
    made = api.post("/api/v1/deadline-policies/", {
        "clock": "follow_up", "working_days": 60, "action": "escalate_ombudsman",
        "warnings_before": [3, 20, 10]}, format="json")
    assert made.status_code == 201 and made.json()["warnings_before"] == [20, 10, 3]
    client.force_login(system_admin)
    response = client.post("/admin/routing/deadlinepolicy/add/", {
        "clock": "first_response", "length_hours": "24", "working_days": "",
        "day_one": "next_working_day", "warnings_before": "8,2", "action": "mark_overdue",
    })
    assert response.status_code == 302
    assert DeadlinePolicy.objects.get(clock="first_response", priority="",
                                      is_current=True).warnings_before == [8, 2]


@pytest.mark.django_db
def test_warning_recipients_are_the_holders_operators(verifier_national, operator_a, body_a):
    inactive = make_user("lama@example.id", "Operator Lama", "operator", "regency-33.74")
    inactive.is_active = False
    inactive.save()
    report = _held(verifier_national)
    assert list(warning_recipients(report)) == [operator_a]
    waiting = ReportFactory()  # not yet held: its verifiers
    assert verifier_national in list(warning_recipients(waiting))


@pytest.mark.django_db
def test_a_warning_goes_to_the_assignee_instead_of_every_operator(verifier_national, operator_a):
    colleague = make_user("rekan@example.id", "Operator Rekan", "operator", "regency-33.74")
    report = _held(verifier_national)
    assert set(warning_recipients(report)) == {operator_a, colleague}
    assignments.take_report(report=report, actor=colleague)
    report.refresh_from_db()
    assert list(warning_recipients(report)) == [colleague]


@pytest.mark.django_db
def test_the_queue_filters_and_counts_the_soon_due(verifier_national, operator_a, client):
    soon = _held(verifier_national, "Sampah menumpuk di pasar")
    later = _held(verifier_national, "Trotoar rusak", at=START + dt.timedelta(hours=10))
    moment = START + dt.timedelta(hours=19)  # after soon's warning (18 h), before later's
    client.force_login(operator_a)
    api = APIClient()
    api.force_authenticate(operator_a)
    with time_machine.travel(moment, tick=False):
        page = client.get(QUEUE).content.decode()
        only = client.get(QUEUE + "?due_soon=1").content.decode()
        rows = api.get("/api/v1/staff/queue/?due_soon=1").json()
        every = api.get("/api/v1/staff/queue/").json()
    assert "Segera jatuh tempo: <strong>1</strong>" in page
    assert soon.tracking_number in only and later.tracking_number not in only
    assert [r["tracking_number"] for r in rows["results"]] == [soon.tracking_number]
    assert rows["due_soon_count"] == 1 and every["due_soon_count"] == 1
    flags = {r["tracking_number"]: r["is_due_soon"] for r in every["results"]}
    assert flags == {soon.tracking_number: True, later.tracking_number: False}
    # Past its deadline it is overdue, no longer "soon".
    with time_machine.travel(START + dt.timedelta(hours=25), tick=False):
        assert api.get("/api/v1/staff/queue/").json()["due_soon_count"] == 0


@pytest.mark.django_db
def test_the_digest_lists_what_falls_due_in_the_next_two_working_days(
    verifier_national, supervisor_a
):
    # Received Thursday 5 March: first response due Friday 6 (within two working days).
    upcoming = _held(verifier_national, "Jembatan retak", at=dt.datetime(2026, 3, 5, 9, 0,
                                                                        tzinfo=WIB))
    mail.outbox.clear()
    with time_machine.travel(dt.datetime(2026, 3, 5, 10, 0, tzinfo=WIB), tick=False):
        assert digest.send_overdue_digest() >= 1
    sent = [m for m in mail.outbox if supervisor_a.email in m.to]
    assert len(sent) == 1
    assert upcoming.tracking_number in sent[0].body
    assert "dua hari kerja ke depan" in sent[0].body


@pytest.mark.django_db(transaction=True)
def test_each_warning_is_sent_exactly_once_under_two_concurrent_sweeps(agency_tree):
    verifier = make_user("v@example.id", "Verifikator", "verifier", "kemenpanrb")
    operator = make_user("op@example.id", "Operator", "operator", "regency-33.74")
    supervisor = make_user("sup@example.id", "Pimpinan", "supervisor", "province-33")
    reports = [_held(verifier, f"Laporan serentak {i}") for i in range(12)]
    moment = START + dt.timedelta(hours=19)  # every first-response warning (18 h) is due
    barrier = threading.Barrier(2)
    results = []

    def sweep():
        try:
            barrier.wait(timeout=THREAD_DEADLINE_SECONDS)
            results.append(enforce_deadlines(moment, batch_size=5))
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=THREAD_DEADLINE_SECONDS)
    assert not any(thread.is_alive() for thread in threads)
    assert len(results) == 2
    assert sum(r.warned["first_response"] for r in results) == len(reports)
    assert _warned(operator).count() == len(reports)
    assert _warned(supervisor).count() == len(reports)  # the only warning is the last
    assert ClockWarning.objects.filter(state="sent").count() == len(reports)
    enforce_deadlines(moment + dt.timedelta(minutes=1))
    assert _warned(operator).count() == len(reports)


@pytest.mark.django_db
def test_an_earlier_warning_is_never_sent_after_a_later_one(
    verifier_national, operator_a, system_admin
):
    """Two sweeps after downtime split a clock's two due warnings: the one that sent the later
    warning first leaves the earlier one nothing to do."""
    policies.set_policy(clock=ClockKind.FOLLOW_UP, action="escalate_ombudsman",
                        actor=system_admin, working_days=5, warnings_before=[3, 1])
    report = _held(verifier_national, at=dt.datetime(2026, 3, 16, 10, 0, tzinfo=WIB))
    warnings = ClockWarning.objects.filter(clock__report=report, clock__kind="follow_up")
    back = dt.datetime(2026, 3, 30, 9, 0, tzinfo=WIB)
    warnings.filter(before=1).update(state="sent", sent_at=back)  # the other sweep's
    result = enforce_deadlines(back)
    assert result.warned["follow_up"] == 0 and result.dropped_warnings == 1
    assert warnings.get(before=3).state == "dropped"
