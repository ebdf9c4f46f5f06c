"""Filing a report: drafts, attachments, submission, and assisted intake by staff."""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies import access
from agencies.models import Role, User
from complaints.attachments import MAX_FILES_PER_REPORT, clean_upload
from complaints.errors import ReportError
from complaints.history import append_event
from complaints.models import Attachment, Channel, EventKind, Report, ReportStatus
from complaints.services.notifications import notify_reporter
from complaints.tracking_numbers import new_tracking_number
from complaints.validation import field_errors

DRAFT_FIELDS = (
    "kind", "title", "description", "category", "province", "regency", "district",
    "latitude", "longitude", "event_on", "is_anonymous", "is_confidential",
)


class ReportValidationError(ReportError):
    """Several fields are wrong at once; ``errors`` maps each field to its message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(next(iter(errors.values())), field=next(iter(errors)))
        self.errors = errors


def _require_filer(user: User) -> None:
    if not user.is_authenticated or not user.is_active:
        raise ReportError(_("Silakan masuk untuk membuat laporan."))
    if not user.is_email_confirmed:
        raise ReportError(
            _("Konfirmasikan alamat email Anda dulu; tautannya ada di email pendaftaran.")
        )


@transaction.atomic
def save_draft(*, reporter: User, values: dict[str, Any], report: Report | None = None,
               channel: str = Channel.WEB) -> Report:
    """Keep what the citizen typed so far. A draft may be incomplete; only values that parsed
    are passed in, so nothing valid is ever lost to an error elsewhere in the form.
    ``channel`` is where a new draft comes from."""
    _require_filer(reporter)
    if report is None:
        report = Report(reporter=reporter, status=ReportStatus.DRAFT, channel=channel)
    elif report.reporter_id != reporter.pk or report.status != ReportStatus.DRAFT:
        raise ReportError(_("Draf ini tidak dapat diubah lagi."))
    for name in DRAFT_FIELDS:
        if name in values:
            value = values[name]
            setattr(report, name, value.strip() if isinstance(value, str) else value)
    report.save()
    return report


@transaction.atomic
def add_attachment(*, report: Report, upload: UploadedFile, actor: User) -> Attachment:
    """The citizen (or the staff member who typed the report) attaches a cleaned copy of
    ``upload`` (EXIF removed) to a draft or an open report."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.reporter_id != actor.pk and report.entered_by_id != actor.pk:
        raise ReportError(_("Anda tidak dapat menambah lampiran pada laporan ini."))
    if report.status != ReportStatus.DRAFT and not report.is_open:
        raise ReportError(_("Laporan sudah ditutup; lampiran tidak dapat ditambahkan."))
    citizens_files = report.attachments.filter(
        uploaded_by_id__in=[report.reporter_id, report.entered_by_id]
    )
    if citizens_files.count() >= MAX_FILES_PER_REPORT:
        raise ReportError(
            _("Paling banyak %(n)d lampiran per laporan.") % {"n": MAX_FILES_PER_REPORT},
            field="attachments",
        )
    return _store_attachment(report, upload, actor, is_staff_only=False)


@transaction.atomic
def add_staff_attachment(
    *, report: Report, upload: UploadedFile, actor: User, is_staff_only: bool = False
) -> Attachment:
    """Staff of the holding body attach a file (an answer's document, an internal memo)."""
    report = (
        Report.objects.select_for_update(of=("self",))
        .select_related("holder_body")
        .get(pk=report.pk)
    )
    if report.holder_body is None or not access.may_act_on_holdings(actor, report.holder_body):
        raise ReportError(_("Laporan ini tidak dipegang oleh instansi Anda."))
    return _store_attachment(report, upload, actor, is_staff_only=is_staff_only)


def _store_attachment(
    report: Report, upload: UploadedFile, actor: User, *, is_staff_only: bool
) -> Attachment:
    clean = clean_upload(upload)
    attachment = Attachment(
        report=report,
        original_name=(upload.name or "berkas")[:200],
        content_type=clean.content_type,
        size=len(clean.content),
        width=clean.width,
        height=clean.height,
        uploaded_by=actor,
        is_staff_only=is_staff_only,
    )
    attachment.file.save(f"lampiran.{clean.extension}", ContentFile(clean.content), save=False)
    if clean.thumbnail is not None:
        attachment.thumbnail.save("kecil.webp", ContentFile(clean.thumbnail), save=False)
    attachment.save()
    return attachment


@transaction.atomic
def remove_attachment(*, attachment: Attachment, actor: User) -> None:
    """A draft's attachment can be removed by its reporter (a submitted one is evidence)."""
    report = Report.objects.select_for_update().get(pk=attachment.report_id)
    if report.reporter_id != actor.pk or report.status != ReportStatus.DRAFT:
        raise ReportError(_("Lampiran laporan yang sudah dikirim tidak dapat dihapus."))
    files = [attachment.file, attachment.thumbnail]
    attachment.delete()
    for stored in files:
        if stored:
            transaction.on_commit(lambda stored=stored: stored.storage.delete(stored.name))


@transaction.atomic
def submit_report(*, report: Report, actor: User) -> Report:
    """Turn a complete draft into a submitted report with a tracking number, record the event
    and send the citizen the number."""
    report = (
        Report.objects.select_for_update(of=("self",))
        .select_related("category", "province", "regency", "district", "reporter")
        .get(pk=report.pk)
    )
    if report.status != ReportStatus.DRAFT:
        raise ReportError(_("Laporan ini sudah dikirim."))
    if report.reporter_id != actor.pk and report.entered_by_id != actor.pk:
        raise ReportError(_("Anda tidak dapat mengirim laporan ini."))
    values = {name: getattr(report, name) for name in DRAFT_FIELDS}
    errors = field_errors(values, for_submit=True)
    if errors:
        raise ReportValidationError(errors)
    now = timezone.now()
    report.status = ReportStatus.SUBMITTED
    report.submitted_at = now
    report.version += 1
    for _attempt in range(5):
        report.tracking_number = new_tracking_number()
        try:
            with transaction.atomic():
                report.save(update_fields=[
                    "tracking_number", "status", "submitted_at", "version", "updated_at",
                ])
            break
        except IntegrityError:  # a collision among 2·10^10 numbers: draw again
            continue
    append_event(
        report=report,
        kind=EventKind.SUBMITTED,
        actor=actor,
        data={"channel": report.channel},
        at=now,
    )
    notify_reporter(report=report, template="submitted")
    # The verification clock starts; a trusted routing rule sends the report on at once,
    # without a verifier. (routing builds on complaints, hence the imports here.)
    from routing import clocks
    from routing.models import ClockKind
    from routing.services.verification import disposition_by_trusted_rule

    clocks.start(report, ClockKind.VERIFICATION, at=now)
    disposition_by_trusted_rule(report)
    return report


ASSISTING_ROLES = {Role.VERIFIER, Role.OPERATOR, Role.SUPERVISOR}


@transaction.atomic
def file_assisted_report(
    *,
    actor: User,
    values: dict[str, Any],
    channel: str,
    contact_name: str,
    contact_email: str = "",
    contact_phone: str = "",
) -> Report:
    """A verifier or operator files a report for a person who came in, phoned, wrote or sent
    a message elsewhere. If the email belongs to a confirmed account, that account follows it."""
    if not (access.roles_of(actor) & ASSISTING_ROLES):
        raise ReportError(_("Hanya verifikator dan operator yang dapat mencatat laporan warga."))
    if channel not in Channel.values or channel in (Channel.WEB, Channel.API):
        raise ReportError(_("Pilih saluran laporan (datang langsung, telepon, surat, …)."))
    if not contact_name.strip():
        raise ReportError(_("Nama pelapor wajib diisi."), field="contact_name")
    errors = field_errors(values, for_submit=True)
    if errors:
        raise ReportValidationError(errors)
    reporter = None
    if contact_email:
        reporter = User.objects.filter(
            email__iexact=contact_email.strip(), is_email_confirmed=True, is_active=True
        ).first()
    report = Report(
        status=ReportStatus.DRAFT,
        channel=channel,
        entered_by=actor,
        reporter=reporter,
        contact_name=contact_name.strip(),
        contact_email=contact_email.strip().lower(),
        contact_phone=contact_phone.strip(),
    )
    for name in DRAFT_FIELDS:
        if name in values:
            setattr(report, name, values[name])
    report.save()
    return submit_report(report=report, actor=actor)
