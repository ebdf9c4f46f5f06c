"""What a citizen does with a report after filing it: add information, answer the body,
accept or dispute the final answer, and rate the outcome."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import User
from complaints import workflow_hooks
from complaints.lifecycle import record_act
from complaints.models import EventKind, Report, ReportStatus
from complaints.services.notifications import notify_reporter
from lapor.errors import Invalid, NotAllowed

NOTE_MAX = 5000


def _locked_own_report(report: Report, actor: User) -> Report:
    locked = Report.objects.select_for_update().get(pk=report.pk)
    if locked.reporter_id is None or locked.reporter_id != actor.pk:
        raise NotAllowed(_("Hanya pelapor yang dapat melakukan ini."))
    return locked


def _clean_note(note: str, *, required: bool = True) -> str:
    note = (note or "").strip()
    if required and not note:
        raise Invalid(_("Tuliskan pesan Anda."), field="note")
    if len(note) > NOTE_MAX:
        raise Invalid(
            _("Pesan paling banyak %(max)d karakter.") % {"max": NOTE_MAX}, field="note"
        )
    return note


def _citizen_message(report: Report, actor: User, note: str, kind: str, closed: str) -> Report:
    report = _locked_own_report(report, actor)
    if not report.is_open:
        raise Invalid(closed)
    event = record_act(report, event=kind, bumps_version=False, actor=actor,
                       note=_clean_note(note), to_body=report.holder_body)
    workflow_hooks.hooks().citizen_answered(report, at=event.created_at)
    return report


@transaction.atomic
def add_information(*, report: Report, actor: User, note: str) -> Report:
    """The citizen adds information to an open report (files go through add_attachment)."""
    return _citizen_message(
        report, actor, note, EventKind.INFO_ADDED,
        _("Laporan sudah ditutup; informasi tidak dapat ditambahkan."),
    )


@transaction.atomic
def reply_to_body(*, report: Report, actor: User, note: str) -> Report:
    """The citizen answers the body (typically after it asked for information)."""
    return _citizen_message(
        report, actor, note, EventKind.CITIZEN_REPLY,
        _("Laporan sudah ditutup; jawaban tidak dapat dikirim."),
    )


@transaction.atomic
def accept_resolution(*, report: Report, actor: User) -> Report:
    """The citizen accepts the body's final answer: the report is closed."""
    report = _locked_own_report(report, actor)
    if report.status != ReportStatus.RESOLVED:
        raise Invalid(_("Hanya jawaban akhir yang dapat diterima."))
    now = timezone.now()
    report.closed_at = now
    record_act(report, event=EventKind.ACCEPTED, status=ReportStatus.CLOSED,
               changed=("closed_at",), actor=actor, at=now)
    workflow_hooks.hooks().resolution_accepted(report, at=now)
    notify_reporter(
        report=report,
        message=_("Terima kasih, Anda kini dapat memberi penilaian atas penyelesaiannya."),
    )
    return report


@transaction.atomic
def dispute_resolution(*, report: Report, actor: User, reason: str) -> Report:
    """The citizen disputes the final answer: the report reopens with the same body."""
    report = _locked_own_report(report, actor)
    if report.status != ReportStatus.RESOLVED:
        raise Invalid(_("Hanya jawaban akhir yang dapat dibantah."))
    reason = _clean_note(reason)
    now = timezone.now()
    report.resolved_at = None
    record_act(report, event=EventKind.REOPENED, status=ReportStatus.IN_PROGRESS,
               changed=("resolved_at",), actor=actor, note=reason, to_body=report.holder_body,
               at=now)
    workflow_hooks.hooks().resolution_disputed(report, at=now)
    notify_reporter(
        report=report, message=_("Laporan dibuka kembali dan dikembalikan ke instansi.")
    )
    return report


@transaction.atomic
def rate_report(*, report: Report, actor: User, rating: int, comment: str = "") -> Report:
    """Rate the outcome of a closed report, once: 1 (very poor) to 5 (very good)."""
    report = _locked_own_report(report, actor)
    if report.status != ReportStatus.CLOSED:
        raise Invalid(_("Penilaian dapat diberikan setelah laporan selesai."))
    if report.rated_at is not None:
        raise Invalid(_("Anda sudah memberi penilaian untuk laporan ini."))
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        raise Invalid(_("Pilih nilai 1 sampai 5."), field="rating")
    comment = _clean_note(comment, required=False)
    now = timezone.now()
    report.rating, report.rating_comment, report.rated_at = rating, comment, now
    record_act(report, event=EventKind.RATED, changed=("rating", "rating_comment", "rated_at"),
               bumps_version=False, actor=actor, note=comment, data={"rating": rating}, at=now)
    return report
