"""Starting and stopping the deadline clocks of a report. Called inside the transactions of
the acts that start or stop them (submission, each move, first response, resolution, the
citizen's answer), so a clock and its cause are written together.

- verification: from submission to verification (disposition, rejection, duplicate);
- first response: per receiving body, from each move to that body's first response;
- follow-up: once per report, from the first disposition to resolution; a redirect or a
  disposition down does not restart it; a dispute resumes it with its original due time;
- citizen silence: from the final answer to the citizen's acceptance or dispute.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Min
from django.utils import timezone

from agencies.models import Body, TimeZone
from complaints.models import Report
from routing import calendar
from routing.models import Clock, ClockKind, DeadlinePolicy


def current_policy(kind: str) -> DeadlinePolicy:
    return DeadlinePolicy.objects.get(clock=kind, is_current=True)


def _zone(report: Report, body: Body | None) -> tuple[str, int | None]:
    """The time zone and province whose calendar a clock counts in: the body's own."""
    if body is not None:
        return body.time_zone, body.province_id
    if report.province_id is not None:
        return report.province.time_zone, report.province_id
    return TimeZone.WIB, None


def due_time(policy: DeadlinePolicy, started_at: datetime, report: Report,
             body: Body | None) -> datetime:
    if policy.length_hours is not None:
        return started_at + timedelta(hours=policy.length_hours)
    tz, province_id = _zone(report, body)
    return calendar.add_working_days(started_at, policy.working_days, tz,
                                     province_id=province_id)


def start(report: Report, kind: str, *, body: Body | None = None, at: datetime | None = None,
          due_at: datetime | None = None) -> Clock:
    """Start a clock (stopping a running one of the same kind first)."""
    now = at or timezone.now()
    stop(report, kind, at=now)
    policy = current_policy(kind)
    due = due_at or due_time(policy, now, report, body)
    clock = Clock.objects.create(
        report=report, kind=kind, body=body, policy=policy, started_at=now, due_at=due,
        sweep_after=due,
    )
    sync_report_due(report)
    return clock


def stop(report: Report, kind: str, *, at: datetime | None = None) -> int:
    """Stop the running clock of ``kind``; returns how many stopped (0 or 1)."""
    stopped = Clock.objects.filter(report=report, kind=kind, state=Clock.State.RUNNING).update(
        state=Clock.State.STOPPED, stopped_at=at or timezone.now()
    )
    if stopped:
        sync_report_due(report)
    return stopped


def running(report: Report, kind: str) -> Clock | None:
    return Clock.objects.filter(report=report, kind=kind, state=Clock.State.RUNNING).first()


def resume_follow_up(report: Report, *, at: datetime | None = None) -> Clock | None:
    """After a dispute: the follow-up clock runs again towards its original due time."""
    first = (
        Clock.objects.filter(report=report, kind=ClockKind.FOLLOW_UP)
        .order_by("started_at").first()
    )
    if first is None or report.escalated_at is not None:
        return None
    return start(report, ClockKind.FOLLOW_UP, body=first.body, at=at, due_at=first.due_at)


def sync_report_due(report: Report) -> None:
    """Keep ``Report.due_at`` (what the queues sort by) equal to the earliest running clock of
    the holding body: its first response, then the follow-up."""
    earliest = Clock.objects.filter(
        report=report, state=Clock.State.RUNNING,
        kind__in=[ClockKind.FIRST_RESPONSE, ClockKind.FOLLOW_UP],
    ).aggregate(due=Min("due_at"))["due"]
    if report.due_at != earliest:
        report.due_at = earliest
        Report.objects.filter(pk=report.pk).update(due_at=earliest)
