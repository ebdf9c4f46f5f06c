"""Starting and stopping the deadline clocks of a report. Called inside the transactions of
the acts that start or stop them (submission, each move, first response, resolution, the
citizen's answer), so a clock and its cause are written together.

- verification: from submission to verification (disposition, rejection, duplicate);
- first response: per receiving body, from each move to that body's first response;
- follow-up: once per report, from the first disposition to resolution; a redirect or a
  disposition down does not restart it; a dispute resumes it with its original due time;
- citizen silence: from the final answer to the citizen's acceptance or dispute.

A clock the sweep breached is still owed: it ends (``stopped_at``, outcome "met" or "moved")
only when the act it waits for happens late or the report leaves the body, and until then the
report is overdue.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import DEFAULT_DB_ALIAS
from django.db.models import Case, F, QuerySet, Value, When
from django.utils import timezone

from agencies.config_cache import cache as config_cache
from agencies.models import Body, TimeZone
from complaints.models import Report
from routing import calendar
from routing.models import Clock, ClockKind, DeadlinePolicy


def current_policy(kind: str) -> DeadlinePolicy:
    """The policy in force for clocks of ``kind``: from the per-process config cache (a new
    policy bumps the config version; see ``agencies.config_cache``). Shared: do not change."""
    def load() -> DeadlinePolicy:
        return DeadlinePolicy.objects.using(DEFAULT_DB_ALIAS).get(clock=kind, is_current=True)

    return config_cache.get(("deadline_policy", kind), load)


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
                                     province_id=province_id)


def start(report: Report, kind: str, *, body: Body | None = None, at: datetime | None = None,
          due_at: datetime | None = None, ends_previous: str = Clock.Outcome.MOVED,
          first: bool = False) -> Clock:
    """Start a clock. An unmet clock of the same kind ends first, as ``ends_previous`` (a new
    body's first response replaces the old body's: the report moved); ``first``: the caller
    knows the report has had no clock of this kind (its verification clock at submission)."""
    now = at or timezone.now()
    if not first:
        _end(report, kind, at=now, outcome=ends_previous)
    policy = current_policy(kind)
    due = due_at or due_time(policy, now, report, body)
    clock = Clock.objects.create(
        report=report, kind=kind, body=body, policy=policy, started_at=now, due_at=due,
        sweep_after=due,
    )
    if kind in HOLDER_CLOCKS:  # only those set the report's due time
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
    # One statement: a running clock becomes stopped, a breached one keeps its state.
    return Clock.objects.filter(
        report=report, kind=kind, stopped_at__isnull=True,
        state__in=[Clock.State.RUNNING, Clock.State.BREACHED],
    ).update(
        state=Case(When(state=Clock.State.RUNNING, then=Value(Clock.State.STOPPED)),
                   default=F("state")),
        stopped_at=at, outcome=outcome,
    )


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
HOLDER_CLOCKS = (ClockKind.FIRST_RESPONSE, ClockKind.FOLLOW_UP)


def unmet_holder_clocks(report: Report) -> QuerySet[Clock]:
    """The holder's deadlines not yet met, breached ones included, earliest first."""
    return Clock.objects.filter(
        report=report, kind__in=HOLDER_CLOCKS, stopped_at__isnull=True,
        state__in=[Clock.State.RUNNING, Clock.State.BREACHED],
    ).order_by("due_at", "id")


def sync_report_due(report: Report) -> None:
    """Keep ``Report.due_at`` / ``due_clock_kind`` (what the queues sort and filter by) equal
    to the holder's earliest unmet deadline, breached included (see the field's comment)."""
    earliest = unmet_holder_clocks(report).values_list("due_at", "kind").first()
    due_at, kind = earliest if earliest else (None, "")
    if (report.due_at, report.due_clock_kind) != (due_at, kind):
        report.due_at, report.due_clock_kind = due_at, kind
        Report.objects.filter(pk=report.pk).update(due_at=due_at, due_clock_kind=kind)
