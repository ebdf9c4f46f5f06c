"""What the body holding a report does with it: respond, dispose down to a unit, redirect to
any other body (no wrong door), escalate to its parent, ask the citizen, note internally,
and resolve. Every act checks that the actor may act for the holding body."""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Body, User
from complaints.lifecycle import record_act
from complaints.models import Attachment, EventKind, Report, ReportStatus, Visibility
from complaints.selectors import copy_followed_by
from complaints.services.intake import add_staff_attachment
from complaints.services.notifications import for_citizens, notify_reporter
from lapor.errors import Invalid, NotAllowed
from routing import clocks, permissions
from routing.errors import RedirectReturns
from routing.models import Clock, ClockKind, Disposition
from routing.notifications import tell_copies_of_answer
from routing.services.moves import holder_path, lock, move

NOTE_MAX = 10_000
HANDLED_STATUSES = (ReportStatus.DISPOSITIONED, ReportStatus.IN_PROGRESS)


def require_handler(actor: User, report: Report, *, statuses: tuple[str, ...] = HANDLED_STATUSES
                     ) -> Body:
    """The holding body, if ``actor`` may act for it on ``report`` in its status."""
    holder = report.holder_body
    if holder is None or not permissions.may_handle(actor, report):
        raise NotAllowed(_("Laporan ini tidak dipegang oleh instansi Anda."))
    if report.status not in statuses:
        raise Invalid(
            _("Tindakan ini tidak dapat dilakukan pada laporan berstatus “%(status)s”.")
            % {"status": report.get_status_display()}
        )
    return holder


def _note(note: str, *, required: bool, message: str | None = None) -> str:
    note = (note or "").strip()
    if required and not note:
        raise Invalid(message or _("Tuliskan pesannya."), field="note")
    if len(note) > NOTE_MAX:
        raise Invalid(_("Paling banyak %(n)d karakter.") % {"n": NOTE_MAX}, field="note")
    return note


@transaction.atomic
def respond(
    *, report: Report, actor: User, note: str, expected_version: int | None = None,
    seen_seq: int | None = None,
) -> Report:
    """Answer the citizen. The holding body's first answer is its first response: it stops
    the body's 24-hour clock."""
    report = lock(report, expected_version, seen_seq)
    require_handler(actor, report)
    note = _note(note, required=True)
    now = timezone.now()
    first = report.holder_responded_at is None
    if first:
        report.holder_responded_at = now
    record_act(report, event=EventKind.FIRST_RESPONSE if first else EventKind.RESPONSE,
               status=ReportStatus.IN_PROGRESS, changed=("holder_responded_at",), actor=actor,
               actor_body=report.holder_body, note=note, at=now)
    if first:
        clocks.stop(report, ClockKind.FIRST_RESPONSE, at=now)
    # Each answer to the citizen is a follow-up: the next 5 working days count from it.
    clocks.follow_up_given(report, body=report.holder_body, at=now)
    notify_reporter(report=report, message=note)
    return report


@transaction.atomic
def dispose_down(
    *, report: Report, actor: User, to_body: Body, note: str = "",
    expected_version: int | None = None, seen_seq: int | None = None,
) -> Report:
    """Send the report to a unit below the holding body, with a note for its staff."""
    report = lock(report, expected_version, seen_seq)
    holder = require_handler(actor, report)
    if to_body.pk == holder.pk or not to_body.path.startswith(holder.path):
        raise Invalid(_("Pilih unit di bawah instansi Anda."), field="to_body")
    return move(
        report=report, to_body=to_body, kind=Disposition.Kind.DOWN, actor=actor,
        event_kind=EventKind.DISPOSED_DOWN, actor_body=holder,
        internal_note=_note(note, required=False),
    )


@transaction.atomic
def redirect(
    *, report: Report, actor: User, to_body: Body, reason: str, confirm_return: bool = False,
    expected_version: int | None = None, seen_seq: int | None = None,
) -> Report:
    """Redirect to any other body with a reason. The receiving body cannot refuse, only
    redirect again. Sending a report back to a body it already left needs confirmation."""
    report = lock(report, expected_version, seen_seq)
    holder = require_handler(actor, report)
    reason = _note(reason, required=True, message=_("Tuliskan alasan pengalihan."))
    if to_body.pk == holder.pk:
        raise Invalid(_("Laporan sudah dipegang instansi ini."), field="to_body")
    path = holder_path(report)
    returns = any(body.pk == to_body.pk for body in path)
    if returns and not confirm_return:
        raise RedirectReturns(to_body.name, [b.acronym or b.name for b in [*path, to_body]])
    return move(
        report=report, to_body=to_body, kind=Disposition.Kind.REDIRECT, actor=actor,
        event_kind=EventKind.REDIRECTED, actor_body=holder, note=reason,
        data={"returns_to_previous_holder": returns},
    )


@transaction.atomic
def escalate(
    *, report: Report, actor: User, note: str = "", expected_version: int | None = None,
    seen_seq: int | None = None,
) -> Report:
    """Send the report up to the parent of the holding body (the note is for staff)."""
    report = lock(report, expected_version, seen_seq)
    holder = require_handler(actor, report)
    parent = Body.objects.get_parent(holder, update=True)
    if parent is None:
        raise Invalid(_("Instansi ini tidak punya instansi induk."))
    return move(
        report=report, to_body=parent, kind=Disposition.Kind.ESCALATION, actor=actor,
        event_kind=EventKind.ESCALATED, actor_body=holder,
        internal_note=_note(note, required=False),
    )


@transaction.atomic
def request_information(
    *, report: Report, actor: User, note: str, expected_version: int | None = None,
    seen_seq: int | None = None,
) -> Report:
    """Ask the citizen for more information (the citizen answers on the report's page)."""
    report = lock(report, expected_version, seen_seq)
    require_handler(actor, report)
    note = _note(note, required=True, message=_("Tuliskan informasi yang Anda perlukan."))
    event = record_act(report, event=EventKind.INFO_REQUESTED, actor=actor,
                       actor_body=report.holder_body, note=note)
    # The body's clocks run on unless their policy pauses them (by default none does).
    clocks.ask_citizen(report, clocks.HOLDER_CLOCKS, at=event.created_at)
    notify_reporter(report=report, message=note)
    return report


@transaction.atomic
def add_internal_note(*, report: Report, actor: User, note: str) -> Report:
    """A note for staff only; never shown to the citizen or the public. Written by the
    holder's staff, or by the staff of a body the report was copied to (for that body)."""
    report = lock(report, None)
    body = report.holder_body
    if not permissions.may_handle(actor, report):
        body = copy_followed_by(actor, report)
        if body is None:
            raise NotAllowed(_("Laporan ini tidak dipegang oleh instansi Anda."))
    record_act(report, event=EventKind.INTERNAL_NOTE, bumps_version=False, actor=actor,
               actor_body=body, note=_note(note, required=True),
               visibility=Visibility.STAFF)
    return report


def held_answer_files(report: Report, actor: User) -> QuerySet[Attachment]:
    """Files ``actor`` uploaded to ``report`` with an answer that was not sent yet: kept as
    staff-only attachments so that a failed or abandoned answer loses no file."""
    return Attachment.objects.filter(report=report, uploaded_by=actor, is_staff_only=True)


def hold_answer_files(*, report: Report, actor: User, uploads: list[UploadedFile]
                      ) -> list[Attachment]:
    """Store the files of an answer before the answer itself is checked, each in its own
    transaction, as staff-only attachments (published by ``resolve``). A file that cannot be
    stored (wrong type, too large) raises with its reason; those before it are kept."""
    if not permissions.may_handle(actor, report):
        raise NotAllowed(_("Laporan ini tidak dipegang oleh instansi Anda."))
    return [
        add_staff_attachment(report=report, upload=upload, actor=actor, is_staff_only=True)
        for upload in uploads
    ]


@transaction.atomic
def resolve(
    *, report: Report, actor: User, answer: str, uploads: list[UploadedFile] | None = None,
    held: list[int] | None = None, expected_version: int | None = None,
    seen_seq: int | None = None,
) -> Report:
    """Give the final answer with its files: ``uploads`` stored now, and ``held`` (ids of
    files the actor uploaded earlier with this answer, see ``hold_answer_files``) published
    with it. The citizen accepts or disputes the answer."""
    report = lock(report, expected_version, seen_seq)
    require_handler(actor, report)
    answer = _note(answer, required=True, message=_("Tuliskan jawaban akhir untuk pelapor."))
    for upload in uploads or []:
        add_staff_attachment(report=report, upload=upload, actor=actor)
    if held:
        held_answer_files(report, actor).filter(pk__in=held).update(is_staff_only=False)
    now = timezone.now()
    if report.holder_responded_at is None:
        report.holder_responded_at = now
    report.resolved_at = now
    record_act(report, event=EventKind.RESOLVED, status=ReportStatus.RESOLVED,
               changed=("holder_responded_at", "resolved_at"), actor=actor,
               actor_body=report.holder_body, note=answer, at=now)
    clocks.stop(report, ClockKind.FIRST_RESPONSE, at=now)
    clocks.stop(report, ClockKind.FOLLOW_UP, at=now)
    clocks.stop(report, ClockKind.NEXT_STEP, at=now)
    clocks.stop(report, ClockKind.CITIZEN_REPLY, at=now, outcome=Clock.Outcome.MOVED)
    clocks.start(report, ClockKind.CITIZEN_SILENCE, body=report.holder_body, at=now)
    with for_citizens():
        how = _("Terima atau bantah jawaban ini di halaman laporan Anda.")
    notify_reporter(report=report, message=answer + "\n\n" + how)
    tell_copies_of_answer(report)
    return report
