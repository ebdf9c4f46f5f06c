"""The deadline sweep: the heart of the system (modelled on healthchecks' sendalerts).

``enforce_deadlines(now)`` first breaches, then warns. It reads only the running clocks
whose time has come, through the partial index ``clock_sweep_idx`` (WHERE state = 'running'
ORDER BY sweep_after), in small batches, each claimed with ``FOR UPDATE SKIP LOCKED`` so
that two sweeps at once split the work instead of doing it twice. A clock is breached in the
same transaction as its action and event: a sweep killed halfway rolls back and the next one
picks the clock up again; a clock already breached is never selected again — exactly once. A
clock whose handling raises is pushed back (``sweep_after`` later) so one bad row cannot
stall the loop. After downtime the first sweep simply finds everything that became due
meanwhile.

Warnings (``ClockWarning``, one row per warning a clock's policy names, written when it
starts) follow the same discipline through their own partial index ``clock_warning_sweep_idx``
(WHERE state = 'pending' ORDER BY send_at): claimed ``FOR UPDATE SKIP LOCKED``, sent (in the
app and by email, to ``warning_recipients`` and for the last warning also the supervisors) or
dropped in the same transaction that marks them, so each is sent at most once. A warning is
dropped, not sent, when its clock no longer runs, when the breach itself is due (after
downtime no warning arrives after its deadline), or when a later warning of the same clock is
due as well (only the latest is sent).
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Body, Membership, Role, User
from agencies.time_zones import local_text
from complaints.lifecycle import record_act
from complaints.models import EventKind, Report, ReportStatus, Visibility
from complaints.services.notifications import (
    for_citizens,
    notify_reporter,
    notify_staff,
    quoted_title,
)
from routing import clocks as clock_service
from routing.models import BreachAction, Clock, ClockKind, ClockWarning
from routing.notifications import supervisors_of, warning_recipients
from routing.services.ombudsman import escalate_to_ombudsman

logger = logging.getLogger(__name__)
TIME_ZONE = "Asia/Jakarta"  # of a clock without a body (verification): the centre's
BATCH_SIZE = 200
RETRY_DELAY = timedelta(minutes=5)


@dataclass
class SweepResult:
    breached: Counter[str] = field(default_factory=Counter)
    warned: Counter[str] = field(default_factory=Counter)
    dropped_warnings: int = 0
    failed: int = 0
    would_breach: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        lines = [f"{kind}: {count} breached" for kind, count in sorted(self.breached.items())]
        lines += [f"{kind}: {count} warned" for kind, count in sorted(self.warned.items())]
        if self.dropped_warnings:
            lines.append(f"{self.dropped_warnings} warnings dropped (too late or superseded)")
        lines += [f"would breach: {item}" for item in self.would_breach]
        if self.failed:
            lines.append(f"{self.failed} failed and pushed back")
        return lines or ["nothing due"]


def due_clocks(now: datetime):  # noqa: ANN201 - a QuerySet[Clock]
    """The running clocks due at ``now``, earliest first (the partial index's order)."""
    return Clock.objects.filter(state=Clock.State.RUNNING, sweep_after__lte=now).order_by(
        "sweep_after", "id"
    )


class Stop(Protocol):
    """What ends the sweep's loop when set (a threading.Event, a signal handler's flag)."""

    def is_set(self) -> bool: ...


def enforce_deadlines(now: datetime | None = None, *, batch_size: int = BATCH_SIZE,
                      dry_run: bool = False, stop: Stop | None = None) -> SweepResult:
    """Breach every due clock once and apply its policy's action, then send every due warning
    once. ``stop`` (an object with ``is_set()``, e.g. a threading.Event) ends the loops after
    the current batch."""
    moment = now or timezone.now()
    result = SweepResult()
    if dry_run:
        for clock in due_clocks(moment).select_related("report", "policy")[:10_000]:
            result.would_breach.append(
                f"{clock.report.tracking_number} {clock.kind} due {clock.due_at:%Y-%m-%d %H:%M} "
                f"→ {clock.policy.action}"
            )
        return result
    while stop is None or not stop.is_set():
        with transaction.atomic():
            batch = list(
                due_clocks(moment).select_for_update(skip_locked=True, of=("self",))
                .select_related("policy", "body")[:batch_size]
            )
            if not batch:
                break
            for clock in batch:
                try:
                    # What a breach writes (history, notices) is Indonesian, whoever runs it.
                    with transaction.atomic(), for_citizens():
                        _breach(clock, moment)
                    result.breached[clock.kind] += 1
                except Exception:
                    logger.exception("deadline sweep: clock %s failed; pushed back", clock.pk)
                    Clock.objects.filter(pk=clock.pk).update(
                        sweep_after=moment + RETRY_DELAY * (clock.failures + 1),
                        failures=clock.failures + 1,
                    )
                    result.failed += 1
    _send_warnings(moment, batch_size=batch_size, stop=stop, result=result)
    return result


def due_warnings(now: datetime):  # noqa: ANN201 - a QuerySet[ClockWarning]
    """The pending warnings due at ``now``, earliest first (the partial index's order)."""
    return ClockWarning.objects.filter(
        state=ClockWarning.State.PENDING, send_at__lte=now
    ).order_by("send_at", "id")


def _send_warnings(now: datetime, *, batch_size: int, stop: Stop | None,
                   result: SweepResult) -> None:
    while stop is None or not stop.is_set():
        with transaction.atomic():
            batch = list(
                due_warnings(now).select_for_update(skip_locked=True, of=("self",))
                .select_related("clock", "clock__body", "clock__policy")[:batch_size]
            )
            if not batch:
                break
            for warning in batch:
                try:
                    with transaction.atomic(), for_citizens():
                        sent = _warn(warning, now)
                    if sent:
                        result.warned[warning.clock.kind] += 1
                    else:
                        result.dropped_warnings += 1
                except Exception:
                    logger.exception("deadline sweep: warning %s failed; pushed back",
                                     warning.pk)
                    ClockWarning.objects.filter(pk=warning.pk).update(
                        send_at=now + RETRY_DELAY * (warning.failures + 1),
                        failures=warning.failures + 1,
                    )
                    result.failed += 1


def _warn(warning: ClockWarning, now: datetime) -> bool:
    """Send ``warning`` (claimed by the caller's lock) or drop it; True when sent."""
    clock = warning.clock
    # A later warning of the clock due too (waiting, or already sent by another sweep): only
    # the latest is sent, never an earlier one after it.
    superseded = ClockWarning.objects.filter(
        clock=clock, state__in=[ClockWarning.State.PENDING, ClockWarning.State.SENT],
        send_at__gt=warning.send_at, send_at__lte=now,
    ).exists()
    if clock.state != Clock.State.RUNNING or clock.due_at <= now or superseded:
        ClockWarning.objects.filter(pk=warning.pk).update(state=ClockWarning.State.DROPPED)
        return False
    ClockWarning.objects.filter(pk=warning.pk).update(state=ClockWarning.State.SENT,
                                                      sent_at=now)
    report = Report.objects.select_related("holder_body").get(pk=clock.report_id)
    holder = clock.body or report.holder_body
    zone = holder.time_zone if holder else TIME_ZONE
    if clock.kind == ClockKind.CITIZEN_REPLY:
        # The citizen's one reminder before the report is closed for want of an answer.
        notify_reporter(report=report, message=_(
            "Pengingat: pertanyaan kepada Anda tentang laporan ini belum dijawab. Jawablah di "
            "halaman laporan sebelum %(due)s; bila tidak, laporan akan ditutup."
        ) % {"due": local_text(clock.due_at, zone, language="id")})
        return True
    users = list(warning_recipients(report))
    if warning.is_last and holder is not None:
        users += list(supervisors_of(holder))
    left = (
        _("%(n)d jam") % {"n": warning.before} if clock.policy.length_hours is not None
        else _("%(n)d hari kerja") % {"n": warning.before}
    )
    due = local_text(clock.due_at, zone, language="id")
    notify_staff(
        users=users, report=report,
        title=_("Segera jatuh tempo: %(number)s") % {"number": report.tracking_number},
        message=_("%(clock)s untuk laporan “%(title)s” jatuh tempo %(due)s (%(left)s lagi).")
        % {"clock": clock.get_kind_display(), "title": quoted_title(report), "due": due,
           "left": left},
        url=reverse("routing:report", args=[report.tracking_number]),
        email_template="routing/email/deadline_warning.txt",
        email_context={"clock": clock, "due": due, "left": left,
                       "convention": clock.policy.convention},
    )
    return True


def _breach(clock: Clock, now: datetime) -> None:
    report = (
        Report.objects.select_for_update(of=("self",))
        .select_related("holder_body", "province", "category", "regency")
        .get(pk=clock.report_id)
    )
    clock.state = Clock.State.BREACHED
    clock.breached_at = now
    clock.save(update_fields=["state", "breached_at"])
    # A warning not yet sent comes too late now: never after the breach.
    ClockWarning.objects.filter(clock=clock, state=ClockWarning.State.PENDING).update(
        state=ClockWarning.State.DROPPED)
    record_act(
        report, event=EventKind.DEADLINE_BREACHED, bumps_version=False, actor_body=clock.body,
        visibility=Visibility.STAFF, at=now,
        note=_("%(clock)s melewati tenggat %(due)s.")
        % {"clock": clock.get_kind_display(),
           "due": local_text(clock.due_at, clock.body.time_zone if clock.body else TIME_ZONE,
                             language="id")},
        data={"clock": clock.kind, "policy_version": clock.policy.version},
    )
    action = clock.policy.action
    if action == BreachAction.ESCALATE_OMBUDSMAN:
        if report.escalated_at is None and report.status not in (ReportStatus.CLOSED,
                                                                  ReportStatus.REJECTED):
            escalate_to_ombudsman(report=report, at=now)
    elif action == BreachAction.CLOSE:
        if report.status == ReportStatus.RESOLVED:
            report.closed_at = now
            record_act(report, event=EventKind.CLOSED, status=ReportStatus.CLOSED,
                       changed=("closed_at",), at=now,
                       note=_("Ditutup otomatis: pelapor tidak menanggapi jawaban akhir."))
            # The silence did what its clock waited for: the clock is owed no more.
            clock_service.stop(report, clock.kind, at=now, outcome=Clock.Outcome.CLOSED)
            notify_reporter(report=report, message=_(
                "Laporan ditutup karena tidak ada tanggapan atas jawaban akhir."
            ))
    elif action == BreachAction.CLOSE_UNANSWERED:
        if report.status in (ReportStatus.SUBMITTED, ReportStatus.DISPOSITIONED,
                             ReportStatus.IN_PROGRESS):
            _close_unanswered(report, clock, now)
    elif action in (BreachAction.MARK_OVERDUE, BreachAction.NOTIFY):
        _notify_supervisors(report, clock)
    clock_service.sync_report_due(report)


def _close_unanswered(report: Report, clock: Clock, now: datetime) -> None:
    """The citizen left the question unanswered as long as the policy allows: the report is
    closed with the policy's closing note, which the citizen reads, and every clock ends."""
    note = clock.policy.closing_note or _(
        "Laporan ditutup karena pertanyaan kepada pelapor tidak dijawab.")
    report.closed_at = now
    record_act(report, event=EventKind.CLOSED, status=ReportStatus.CLOSED,
               changed=("closed_at",), at=now, note=note,
               data={"reason": "citizen_unanswered"})
    for kind in ClockKind.values:
        clock_service.stop(report, kind, at=now, outcome=Clock.Outcome.CLOSED)
    notify_reporter(report=report, message=note)


def _notify_supervisors(report: Report, clock: Clock) -> None:
    """Tell who must know: for a body's first response, the supervisors of the bodies above it
    and the system administrators; for verification, the supervisors of the bodies whose
    verifiers cover the report's province."""
    active = Membership.objects.filter(is_active=True, user__is_active=True)
    holder = clock.body or report.holder_body
    if clock.kind == ClockKind.VERIFICATION:
        verifier_bodies = active.filter(role=Role.VERIFIER).filter(
            Q(body__province_id=report.province_id) | Q(body__province__isnull=True)
        ).values("body_id")
        targets = active.filter(role=Role.SUPERVISOR, body_id__in=verifier_bodies)
    else:
        above = (
            [holder.path[:i] for i in range(Body.steplen, len(holder.path), Body.steplen)]
            if holder else []
        )
        targets = active.filter(
            Q(role=Role.SUPERVISOR, body__path__in=above) | Q(role=Role.SYSTEM_ADMIN)
        )
    notify_staff(
        users=User.objects.filter(pk__in=targets.values("user_id")), report=report,
        title=_("Tenggat terlewati: %(number)s") % {"number": report.tracking_number},
        message=_("%(clock)s untuk laporan “%(title)s” (%(body)s) melewati tenggatnya.") % {
            "clock": clock.get_kind_display(), "title": quoted_title(report),
            "body": holder.name if holder else _("verifikasi"),
        },
        url=reverse("routing:report", args=[report.tracking_number]),
    )
