"""What a citizen does with a report after filing it: add information, answer the body,
accept or dispute the final answer, and rate the outcome."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import User
from complaints.errors import ReportError
from complaints.history import append_event
from complaints.models import EventKind, Report, ReportStatus
from complaints.services.notifications import notify_reporter

NOTE_MAX = 5000


def _clocks():  # noqa: ANN202 - routing builds on complaints; imported when used
    from routing import clocks

    return clocks


def _locked_own_report(report: Report, actor: User) -> Report:
    locked = Report.objects.select_for_update().get(pk=report.pk)
    if locked.reporter_id is None or locked.reporter_id != actor.pk:
        raise ReportError(_("Hanya pelapor yang dapat melakukan ini."))
    return locked


def _clean_note(note: str, *, required: bool = True) -> str:
    note = (note or "").strip()
    if required and not note:
        raise ReportError(_("Tuliskan pesan Anda."), field="note")
    if len(note) > NOTE_MAX:
        raise ReportError(
            _("Pesan paling banyak %(max)d karakter.") % {"max": NOTE_MAX}, field="note"
        )
    return note


def _citizen_message(report: Report, actor: User, note: str, kind: str, closed: str) -> Report:
    report = _locked_own_report(report, actor)
    if not report.is_open:
        raise ReportError(closed)
    append_event(
        report=report, kind=kind, actor=actor, note=_clean_note(note), to_body=report.holder_body
    )
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
        raise ReportError(_("Hanya jawaban akhir yang dapat diterima."))
    now = timezone.now()
    report.status = ReportStatus.CLOSED
    report.closed_at = now
    report.version += 1
    report.save(update_fields=["status", "closed_at", "version", "updated_at"])
    _clocks().stop(report, "citizen_silence", at=now)
    append_event(report=report, kind=EventKind.ACCEPTED, actor=actor, at=now)
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
        raise ReportError(_("Hanya jawaban akhir yang dapat dibantah."))
    reason = _clean_note(reason)
    report.status = ReportStatus.IN_PROGRESS
    report.resolved_at = None
    report.version += 1
    report.save(update_fields=["status", "resolved_at", "version", "updated_at"])
    _clocks().stop(report, "citizen_silence")
    _clocks().resume_follow_up(report)
    append_event(
        report=report, kind=EventKind.REOPENED, actor=actor, note=reason,
        to_body=report.holder_body,
    )
    notify_reporter(
        report=report, message=_("Laporan dibuka kembali dan dikembalikan ke instansi.")
    )
    return report


@transaction.atomic
def rate_report(*, report: Report, actor: User, rating: int, comment: str = "") -> Report:
    """Rate the outcome of a closed report, once: 1 (very poor) to 5 (very good)."""
    report = _locked_own_report(report, actor)
    if report.status != ReportStatus.CLOSED:
        raise ReportError(_("Penilaian dapat diberikan setelah laporan selesai."))
    if report.rated_at is not None:
        raise ReportError(_("Anda sudah memberi penilaian untuk laporan ini."))
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        raise ReportError(_("Pilih nilai 1 sampai 5."), field="rating")
    comment = _clean_note(comment, required=False)
    now = timezone.now()
    report.rating, report.rating_comment, report.rated_at = rating, comment, now
    report.save(update_fields=["rating", "rating_comment", "rated_at", "updated_at"])
    append_event(
        report=report, kind=EventKind.RATED, actor=actor, note=comment,
        data={"rating": rating}, at=now,
    )
    return report
