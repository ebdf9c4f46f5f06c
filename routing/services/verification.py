"""Verification: a verifier (or a trusted rule) sends a new report to a body, rejects it with a
reason, marks it a duplicate, or asks the citizen to complete it."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agencies.models import Body, User
from complaints.lifecycle import record_act
from complaints.models import EventKind, Priority, Report, ReportStatus, Visibility
from complaints.services.notifications import for_citizens, notify_reporter
from lapor.errors import Invalid, NotAllowed
from routing import clocks, permissions, rules
from routing.models import Clock, ClockKind, Disposition, SuggestionSource
from routing.services import learning
from routing.services.moves import lock, move

REJECTION_REASONS = {
    "spam": gettext_lazy("Spam atau iklan"),
    "not_public_service": gettext_lazy("Bukan masalah pelayanan publik"),
    "incomplete": gettext_lazy("Tidak lengkap setelah diminta melengkapi"),
    "abusive": gettext_lazy("Mengandung SARA, ujaran kebencian atau kata kasar"),
    "court_case": gettext_lazy("Sedang dalam proses peradilan"),
    "other": gettext_lazy("Alasan lain"),
}


def require_verifier(actor: User, report: Report) -> None:
    if not permissions.may_verify(actor, report):
        raise NotAllowed(_("Anda bukan verifikator untuk wilayah laporan ini."))
    if report.status != ReportStatus.SUBMITTED:
        raise Invalid(_("Laporan ini sudah diverifikasi."))


@transaction.atomic
def disposition_report(
    *,
    report: Report,
    to_body: Body,
    actor: User,
    note: str = "",
    expected_version: int | None = None,
    seen_seq: int | None = None,
) -> Report:
    """Verify a new report and send it to ``to_body`` (the rule's suggestion or any other).
    The disposition records the suggestion and whether the verifier overrode it; ``note`` is
    the verifier's note to the body, for staff only."""
    report = lock(report, expected_version, seen_seq)
    require_verifier(actor, report)
    rule = rules.suggest(report)
    model, suggestions = learning.safe_suggest(report)
    source, rank = learning.taken(to_body_id=to_body.pk,
                                  rule_body_id=rule.body_id if rule else None,
                                  suggestions=suggestions)
    return move(
        report=report,
        to_body=to_body,
        kind=Disposition.Kind.VERIFICATION,
        actor=actor,
        event_kind=EventKind.DISPOSITIONED,
        internal_note=note.strip(),
        rule=rule,
        suggested_body=rule.body if rule else None,
        suggestion=(source, model if suggestions else None, rank),
    )


def disposition_by_trusted_rule(report: Report) -> Report | None:
    """Right after submission: if the applying rule is trusted, send the report to its body
    without a verifier. The caller holds the report's lock."""
    rule = rules.suggest(report)
    if rule is None or not rule.is_trusted:
        return None
    return move(
        report=report,
        to_body=rule.body,
        kind=Disposition.Kind.AUTOMATIC,
        actor=None,
        event_kind=EventKind.DISPOSITIONED,
        rule=rule,
        suggested_body=rule.body,
        suggestion=(SuggestionSource.RULE, None, None),
        data={"automatic": True, "rule": rule.pk},
    )


@transaction.atomic
def reject_report(
    *,
    report: Report,
    actor: User,
    reason: str,
    note: str = "",
    expected_version: int | None = None,
    seen_seq: int | None = None,
) -> Report:
    """Reject with a reason from the list and free text; the citizen sees both."""
    report = lock(report, expected_version, seen_seq)
    require_verifier(actor, report)
    if reason not in REJECTION_REASONS:
        raise Invalid(_("Pilih alasan penolakan."), field="reason")
    note = note.strip()
    if reason == "other" and not note:
        raise Invalid(_("Jelaskan alasan penolakan."), field="note")
    now = timezone.now()
    report.rejection_reason = reason
    report.closed_at = now
    with for_citizens():
        label = str(REJECTION_REASONS[reason])
    record_act(report, event=EventKind.REJECTED, status=ReportStatus.REJECTED,
               changed=("rejection_reason", "closed_at"), actor=actor, note=note,
               data={"reason": reason, "reason_label": label}, at=now)
    clocks.stop(report, ClockKind.VERIFICATION, at=now)
    clocks.stop(report, ClockKind.CITIZEN_REPLY, at=now, outcome=Clock.Outcome.MOVED)
    notify_reporter(report=report, message=f"{label}. {note}".strip())
    return report


@transaction.atomic
def mark_duplicate(
    *,
    report: Report,
    original: Report,
    actor: User,
    note: str = "",
    expected_version: int | None = None,
    seen_seq: int | None = None,
) -> Report:
    """Close ``report`` as a duplicate of ``original``; both are linked and the citizen is told
    which report carries on."""
    report = lock(report, expected_version, seen_seq)
    require_verifier(actor, report)
    while original.duplicate_of_id is not None:  # point at the report that carries on
        original = Report.objects.get(pk=original.duplicate_of_id)
    if original.pk == report.pk or original.status == ReportStatus.DRAFT:
        raise Invalid(_("Pilih laporan lain yang sudah dikirim."), field="original")
    now = timezone.now()
    report.rejection_reason = "duplicate"
    report.duplicate_of = original
    report.closed_at = now
    record_act(report, event=EventKind.DUPLICATE, status=ReportStatus.REJECTED,
               changed=("rejection_reason", "duplicate_of", "closed_at"), actor=actor,
               note=note.strip(), data={"original": original.tracking_number}, at=now)
    clocks.stop(report, ClockKind.VERIFICATION, at=now)
    clocks.stop(report, ClockKind.CITIZEN_REPLY, at=now, outcome=Clock.Outcome.MOVED)
    original = Report.objects.select_for_update().get(pk=original.pk)
    with for_citizens():
        note_on_original = _("%(number)s ditandai sebagai duplikat laporan ini.") % {
            "number": report.tracking_number}
    record_act(original, event=EventKind.DUPLICATE, bumps_version=False, actor=actor,
               visibility=Visibility.STAFF, note=note_on_original,
               data={"duplicate": report.tracking_number}, at=now)
    with for_citizens():
        message = _("Laporan Anda sama dengan laporan %(number)s yang sudah ditangani; "
                    "perkembangannya dapat diikuti di sana.") % {"number": original.tracking_number}
    notify_reporter(report=report, message=message)
    return report


@transaction.atomic
def set_priority(
    *, report: Report, actor: User, priority: str, reason: str,
    expected_version: int | None = None, seen_seq: int | None = None,
) -> Report:
    """A verifier changes a new report's priority (its category's by default), with a reason
    for staff. Clocks started from now on use the policies of the new priority (a first
    response within 4 hours for "darurat"); the one already running keeps its own."""
    report = lock(report, expected_version, seen_seq)
    require_verifier(actor, report)
    if priority not in Priority.values:
        raise Invalid(_("Pilih prioritas."), field="priority")
    reason = reason.strip()
    if not reason:
        raise Invalid(_("Tuliskan alasan perubahan prioritas."), field="reason")
    if priority == report.priority:
        raise Invalid(_("Prioritas laporan sudah %(priority)s.")
                      % {"priority": Priority(priority).label}, field="priority")
    before = report.priority
    report.priority = priority
    with for_citizens():
        labels = {"from": str(Priority(before).label), "to": str(Priority(priority).label)}
    record_act(report, event=EventKind.PRIORITY_CHANGED, changed=("priority",), actor=actor,
               visibility=Visibility.STAFF, note=reason,
               data={"from": before, "to": priority, **{f"{k}_label": v
                                                        for k, v in labels.items()}})
    return report


@transaction.atomic
def request_completion(
    *,
    report: Report,
    actor: User,
    note: str,
    expected_version: int | None = None,
    seen_seq: int | None = None,
) -> Report:
    """Ask the citizen to complete the report; it stays in the verification queue."""
    report = lock(report, expected_version, seen_seq)
    require_verifier(actor, report)
    note = note.strip()
    if not note:
        raise Invalid(_("Tuliskan apa yang perlu dilengkapi."), field="note")
    event = record_act(report, event=EventKind.COMPLETION_REQUESTED, actor=actor, note=note)
    clocks.ask_citizen(report, (ClockKind.VERIFICATION,), at=event.created_at)
    notify_reporter(report=report, message=note)
    return report
