"""Moving a report to a body: the one place where a report changes hands, whether by
verification, a trusted rule, disposition down, redirect or escalation."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Body, User
from complaints.lifecycle import record_act
from complaints.models import EventKind, Report, ReportEvent, ReportStatus, Visibility
from complaints.services.notifications import for_citizens, notify_reporter
from lapor.errors import Invalid
from routing import clocks
from routing.errors import StaleReport
from routing.models import Clock, ClockKind, Disposition, RoutingModel, RoutingRule
from routing.notifications import notify_body_of_new_report


def lock(report: Report, expected_version: int | None, seen_seq: int | None = None) -> Report:
    """Lock the report's row. If the caller acted on an older version (two people on one
    report at the same moment), refuse and say what happened since they looked."""
    locked = (
        Report.objects.select_for_update(of=("self",))
        .select_related("holder_body")
        .get(pk=report.pk)
    )
    if expected_version is not None and locked.version != expected_version:
        raise StaleReport(changes_since(locked, seen_seq))
    return locked


def changes_since(report: Report, seen_seq: int | None) -> list[str]:
    """Labels of the events written after the last one the user saw."""
    events = ReportEvent.objects.filter(report=report).select_related("actor_body")
    if seen_seq is not None:
        events = events.filter(seq__gt=seen_seq).order_by("seq")
    else:
        events = events.order_by("-seq")[:3]
    return [
        event.get_kind_display() + (f" ({event.actor_body.name})" if event.actor_body else "")
        for event in events
    ]


def holder_path(report: Report) -> list[Body]:
    """Every body that held the report, in order (a body appears again if it came back)."""
    dispositions = Disposition.objects.filter(report=report).select_related("to_body")
    return [d.to_body for d in dispositions.order_by("created_at", "id")]


def move(
    *,
    report: Report,
    to_body: Body,
    kind: str,
    actor: User | None,
    event_kind: str,
    note: str = "",
    internal_note: str = "",
    rule: RoutingRule | None = None,
    suggested_body: Body | None = None,
    actor_body: Body | None = None,
    data: dict[str, object] | None = None,
    suggestion: tuple[str, RoutingModel | None, int | None] = ("", None, None),
) -> Report:
    """Hand a locked ``report`` to ``to_body``: record the disposition and the event, start the
    receiving body's 24-hour first-response clock, tell the citizen and the body.

    ``note`` is public with the move (a redirect's reason, which the citizen reads);
    ``internal_note`` (a verifier's note to the body, a note on a disposition down or an
    escalation) is for staff only: it follows as a staff-only event, never on the public
    copy, the citizen's timeline or any message to the citizen. ``suggestion``: a
    verification's (source taken, learned model, rank of the body among its suggestions)."""
    if not to_body.is_active:
        raise Invalid(_("Instansi tujuan tidak aktif."), field="to_body")
    now = timezone.now()
    from_body = report.holder_body
    Disposition.objects.create(
        report=report,
        kind=kind,
        from_body=from_body,
        to_body=to_body,
        actor=actor,
        rule=rule,
        suggested_body=suggested_body,
        was_overridden=suggested_body is not None and suggested_body.pk != to_body.pk,
        suggestion_taken=suggestion[0],
        learned_model=suggestion[1],
        learned_rank=suggestion[2],
        note=note or internal_note,
        created_at=now,
    )
    report.holder_body = to_body
    report.held_since = now
    report.holder_responded_at = None
    report.assignee = None  # the named assignee was the former holder's
    first_disposition = report.first_dispositioned_at is None
    if first_disposition:
        report.first_dispositioned_at = now
        report.verified_at = report.verified_at or now
    record_act(
        report, event=event_kind,
        status=ReportStatus.DISPOSITIONED if report.status == ReportStatus.SUBMITTED else None,
        changed=("holder_body", "held_since", "holder_responded_at", "first_dispositioned_at",
                 "verified_at", "assignee"),
        actor=actor, actor_body=actor_body, from_body=from_body, to_body=to_body, note=note,
        visibility=Visibility.PUBLIC, data=data or {}, at=now,
    )
    if internal_note:
        record_act(report, event=EventKind.INTERNAL_NOTE, bumps_version=False, actor=actor,
                   actor_body=actor_body, to_body=to_body, note=internal_note,
                   visibility=Visibility.STAFF, data={"with": event_kind}, at=now)
    # Each receiving body owes its own first response within 24 hours; the 60 working days
    # of follow-up run once, from the first disposition, whoever holds the report.
    clocks.stop(report, ClockKind.VERIFICATION, at=now)
    # A question to the citizen asked before the move waits no more: the new holder asks
    # its own if it needs to.
    clocks.stop(report, ClockKind.CITIZEN_REPLY, at=now, outcome=Clock.Outcome.MOVED)
    clocks.start(report, ClockKind.FIRST_RESPONSE, body=to_body, at=now)
    if first_disposition:
        clocks.start(report, ClockKind.FOLLOW_UP, body=to_body, at=now)
    # The 5-working-day next step: a disposition down is a follow-up (it counts again, for the
    # unit); any other move takes the report away from the body that owed it.
    if kind == Disposition.Kind.DOWN and clocks.is_owed(report, ClockKind.NEXT_STEP):
        clocks.follow_up_given(report, body=to_body, at=now)
    else:
        clocks.stop(report, ClockKind.NEXT_STEP, at=now, outcome=Clock.Outcome.MOVED)
    with for_citizens():
        message = _("Laporan Anda kini ditangani oleh %(body)s.") % {"body": to_body.name}
    notify_reporter(report=report, message=message)
    notify_body_of_new_report(report=report, body=to_body)
    return report

