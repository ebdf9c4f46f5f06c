"""Starting and stopping the deadline clocks of a report. Called inside the transactions of
the acts that start or stop them (submission, each move, first response, resolution, the
citizen's answer), so a clock and its cause are written together.

- verification: from submission to verification (disposition, rejection, duplicate);
- first response: per receiving body, from each move to that body's first response;
- follow-up: once per report, from the first disposition to resolution; a redirect or a
  disposition down does not restart it; a dispute resumes it with its original due time;
- next step (the 5-working-day substantive follow-up, *tindak lanjut berkala*): from the
  holder's first response, restarted by each follow-up (another answer to the citizen, a
  disposition down: then for the unit) until the final answer stops it; a redirect or an
  escalation ends it (the receiving body's first response starts its own); a dispute starts
  it again;
- citizen silence: from the final answer to the citizen's acceptance or dispute;
- citizen reply: from a question to the citizen (a verifier's request to complete, a body's
  request for information) to the citizen's answer; meanwhile each running clock whose
  policy says so (by default verification's only) is paused, and resumes with its due time
  moved on by the time it waited.

A clock the sweep breached is still owed: it ends (``stopped_at``, outcome "met" or "moved")
only when the act it waits for happens late or the report leaves the body, and until then the
report is overdue.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Body, TimeZone
from agencies.time_zones import local_text
from complaints.models import Priority, Report, ReportStatus
from routing import calendar
from routing.models import Clock, ClockKind, ClockWarning, DeadlinePolicy


def current_policy(kind: str, priority: str = "") -> DeadlinePolicy:
    """The current policy of ``kind`` for a report of ``priority``: its own if it has one,
    else the one for every priority."""
    found = {p.priority: p for p in DeadlinePolicy.objects.filter(
        clock=kind, is_current=True, priority__in={"", priority})}
    return found.get(priority) or found[""]


def _zone(report: Report, body: Body | None) -> tuple[str, int | None]:
    """The time zone and province whose calendar a clock counts in: the body's own."""
    if body is not None:
        return body.time_zone, body.province_id
    province = report.province  # None without a query when the report has no province
    if province is not None:
        return province.time_zone, province.pk
    return TimeZone.WIB, None


def due_time(policy: DeadlinePolicy, started_at: datetime, report: Report,
             body: Body | None) -> datetime:
    if policy.length_hours is not None:
        return started_at + timedelta(hours=policy.length_hours)
    tz, province_id = _zone(report, body)
    assert policy.working_days is not None  # hours or working days: a constraint says so
    return calendar.add_working_days(started_at, policy.working_days, tz,
                                     province_id=province_id, day_one=policy.day_one)


def warning_times(policy: DeadlinePolicy, due_at: datetime, report: Report,
                  body: Body | None) -> list[tuple[int, datetime]]:
    """The policy's warnings before ``due_at``: (how long before, in the policy's unit; when
    it is sent), earliest first. A warning counted in working days is sent at the opening of
    the day on which that many working days are left (``calendar.working_days_before``)."""
    times = []
    for before in sorted(set(policy.warnings_before), reverse=True):
        if policy.length_hours is not None:
            times.append((before, due_at - timedelta(hours=before)))
        else:
            tz, province_id = _zone(report, body)
            times.append((before, calendar.working_days_before(due_at, before, tz,
                                                               province_id=province_id)))
    return sorted(times, key=lambda item: item[1])


def start(report: Report, kind: str, *, body: Body | None = None, at: datetime | None = None,
          due_at: datetime | None = None, ends_previous: str = Clock.Outcome.MOVED) -> Clock:
    """Start a clock, with a row for each of its policy's warnings still ahead. An unmet clock
    of the same kind ends first, as ``ends_previous`` (a new body's first response replaces
    the old body's: the report moved)."""
    now = at or timezone.now()
    _end(report, kind, at=now, outcome=ends_previous)
    policy = current_policy(kind, report.priority)
    due = due_at or due_time(policy, now, report, body)
    # A warning whose time is already past when the clock starts (a short clock, a resumed
    # one) is not written: it would warn of what the clock's start already says.
    ahead = [(before, send_at) for before, send_at in warning_times(policy, due, report, body)
             if now < send_at < due]
    clock = Clock.objects.create(
        report=report, kind=kind, body=body, policy=policy, started_at=now, due_at=due,
        sweep_after=due, warn_from=ahead[0][1] if ahead else None,
    )
    if ahead:
        last = min(before for before, _send_at in ahead)
        ClockWarning.objects.bulk_create(
            ClockWarning(clock=clock, before=before, send_at=send_at, is_last=before == last)
            for before, send_at in ahead
        )
    sync_report_due(report)
    return clock


def stop(report: Report, kind: str, *, at: datetime | None = None,
         outcome: str = Clock.Outcome.MET) -> int:
    """End the unmet clock of ``kind`` (running, or breached and still owed); returns how many
    ended (0 or 1). A running clock becomes stopped; a breached one keeps its breach and gets
    its end time and outcome."""
    ended = _end(report, kind, at=at or timezone.now(), outcome=outcome)
    if ended:
        sync_report_due(report)
    return ended


def _end(report: Report, kind: str, *, at: datetime, outcome: str) -> int:
    owed = Clock.objects.filter(report=report, kind=kind, stopped_at__isnull=True)
    counting = owed.filter(state__in=[Clock.State.RUNNING, Clock.State.PAUSED])
    # Its warnings not yet sent will never be: out of the sweep's index at once.
    ClockWarning.objects.filter(
        clock__in=counting.values("pk"),
        state__in=[ClockWarning.State.PENDING, ClockWarning.State.HELD],
    ).update(state=ClockWarning.State.DROPPED)
    ended = counting.update(state=Clock.State.STOPPED, stopped_at=at, outcome=outcome)
    return ended + owed.filter(state=Clock.State.BREACHED).update(stopped_at=at, outcome=outcome)


def is_owed(report: Report, kind: str) -> bool:
    """Is a clock of ``kind`` unmet (running, or breached and still owed)?"""
    return Clock.objects.filter(report=report, kind=kind, stopped_at__isnull=True).exists()


def follow_up_given(report: Report, *, body: Body | None, at: datetime) -> Clock:
    """A substantive follow-up happened: the next-step clock met (if one was owed) and counts
    again from now for ``body``."""
    return start(report, ClockKind.NEXT_STEP, body=body, at=at, ends_previous=Clock.Outcome.MET)


def ask_citizen(report: Report, kinds: tuple[str, ...], *, at: datetime) -> None:
    """The citizen was asked for information: pause the running clocks among ``kinds``
    whose policy pauses for the citizen (their warnings held), and start (again) the clock
    of the citizen's reply, counted in the holder's zone."""
    waiting = Clock.objects.filter(report=report, kind__in=kinds, state=Clock.State.RUNNING,
                                   policy__pauses_for_citizen=True)
    ClockWarning.objects.filter(clock__in=waiting.values("pk"),
                                state=ClockWarning.State.PENDING).update(
        state=ClockWarning.State.HELD)
    waiting.update(state=Clock.State.PAUSED, paused_at=at)
    start(report, ClockKind.CITIZEN_REPLY, body=report.holder_body, at=at,
          ends_previous=Clock.Outcome.MOVED)


def citizen_answered(report: Report, *, at: datetime) -> None:
    """The citizen answered: the reply clock met, and each paused clock runs again, its due
    time (and its warnings') moved on by the time it waited."""
    _end(report, ClockKind.CITIZEN_REPLY, at=at, outcome=Clock.Outcome.MET)
    for clock in Clock.objects.filter(report=report, state=Clock.State.PAUSED):
        waited = at - (clock.paused_at or at)
        clock.state = Clock.State.RUNNING
        clock.due_at += waited
        clock.sweep_after += waited
        clock.warn_from = clock.warn_from + waited if clock.warn_from else None
        clock.paused_at = None
        clock.save(update_fields=["state", "due_at", "sweep_after", "warn_from", "paused_at"])
        ClockWarning.objects.filter(clock=clock, state=ClockWarning.State.HELD).update(
            state=ClockWarning.State.PENDING, send_at=F("send_at") + waited)
    sync_report_due(report)


def waiting_for_citizen(report: Report) -> Clock | None:
    """The report's clock of the citizen's reply, when the citizen has been asked."""
    return Clock.objects.filter(report=report, kind=ClockKind.CITIZEN_REPLY,
                                state=Clock.State.RUNNING).first()


def expected_response(report: Report) -> str:
    """For the citizen: when the holder's first response is due (its running deadline, in
    the body's zone), or, before a body holds the report, how long its policy gives for the
    report's priority; empty once the body has responded or the report is no longer open."""
    if not report.is_open or report.holder_responded_at is not None:
        return ""
    priority = Priority(report.priority).label
    clock = Clock.objects.filter(report=report, kind=ClockKind.FIRST_RESPONSE,
                                 state=Clock.State.RUNNING).select_related("body").first()
    if clock is not None:
        zone = clock.body.time_zone if clock.body else TimeZone.WIB
        return _("Tanggapan pertama instansi diharapkan paling lambat %(due)s (prioritas "
                 "%(priority)s).") % {"due": local_text(clock.due_at, zone),
                                      "priority": priority}
    if report.status != ReportStatus.SUBMITTED:
        return ""
    policy = current_policy(ClockKind.FIRST_RESPONSE, report.priority)
    return _("Tanggapan pertama instansi diharapkan dalam %(length)s sejak laporan diterima "
             "instansi (prioritas %(priority)s).") % {"length": policy.length_text,
                                                       "priority": priority}


def running(report: Report, kind: str) -> Clock | None:
    return Clock.objects.filter(report=report, kind=kind, state=Clock.State.RUNNING).first()


def resume_follow_up(report: Report, *, at: datetime | None = None) -> Clock:
    """After a dispute: the follow-up clock runs again towards its original due time. Past
    it (an escalated report), the sweep breaches it again at once and the report is overdue
    until the body resolves it anew; the escalation itself happens only once."""
    first = (
        Clock.objects.filter(report=report, kind=ClockKind.FOLLOW_UP)
        .order_by("started_at").first()
    )
    body = first.body if first else report.holder_body
    return start(report, ClockKind.FOLLOW_UP, body=body, at=at,
                 due_at=first.due_at if first else None)


# The clocks that say when the holder must act, as queues show it.
HOLDER_CLOCKS = (ClockKind.FIRST_RESPONSE, ClockKind.FOLLOW_UP, ClockKind.NEXT_STEP)


def unmet_holder_clocks(report: Report) -> QuerySet[Clock]:
    """The holder's deadlines not yet met, breached ones included, earliest first."""
    return Clock.objects.filter(
        report=report, kind__in=HOLDER_CLOCKS, stopped_at__isnull=True,
        state__in=[Clock.State.RUNNING, Clock.State.BREACHED],
    ).order_by("due_at", "id")


def sync_report_due(report: Report) -> None:
    """Keep ``Report.due_at`` / ``due_clock_kind`` (what the queues sort and filter by) equal
    to the holder's earliest unmet deadline, breached included (see the field's comment)."""
    earliest = unmet_holder_clocks(report).values_list("due_at", "kind", "warn_from").first()
    due_at, kind, soon = earliest if earliest else (None, "", None)
    if (report.due_at, report.due_clock_kind, report.due_soon_from) != (due_at, kind, soon):
        report.due_at, report.due_clock_kind, report.due_soon_from = due_at, kind, soon
        Report.objects.filter(pk=report.pk).update(due_at=due_at, due_clock_kind=kind,
                                                   due_soon_from=soon)
