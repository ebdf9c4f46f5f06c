"""Filing a report: drafts, attachments, submission, and assisted intake by staff."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies import access
from agencies.models import Role, User
from complaints import tasks, workflow_hooks
from complaints.attachments import MAX_FILES_PER_REPORT, accept_upload, store_incoming
from complaints.lifecycle import record_act
from complaints.models import (
    Attachment,
    AttachmentState,
    Channel,
    EventKind,
    Report,
    ReportStatus,
)
from complaints.services.notifications import notify_reporter
from complaints.tracking_numbers import new_tracking_number
from complaints.validation import field_errors
from lapor.errors import DomainError, Invalid, NotAllowed, Unavailable
from lapor.outages import publish_after_commit

DRAFT_FIELDS = (
    "kind", "title", "description", "category", "province", "regency", "district",
    "latitude", "longitude", "event_on", "is_anonymous", "is_confidential",
)


TRACKING_NUMBER_DRAWS = 5


@dataclass(frozen=True)
class Contact:
    """The person a staff member files for at assisted intake (who may have no account)."""

    name: str
    email: str = ""
    phone: str = ""


ASSISTING_ROLES = {Role.VERIFIER, Role.OPERATOR, Role.SUPERVISOR}


def _require_filer(user: User, contact: Contact | None) -> None:
    if not user.is_authenticated or not user.is_active:
        raise NotAllowed(_("Silakan masuk untuk membuat laporan."))
    if contact is not None:
        if not (access.roles_of(user) & ASSISTING_ROLES):
            raise NotAllowed(
                _("Hanya verifikator dan operator yang dapat mencatat laporan warga."))
        return
    if not user.is_email_confirmed:
        raise NotAllowed(
            _("Konfirmasikan alamat email Anda dulu; tautannya ada di email pendaftaran.")
        )


def _owns_draft(user: User, report: Report) -> bool:
    return report.reporter_id == user.pk or (
        report.reporter_id is None and report.entered_by_id == user.pk)


@transaction.atomic
def save_draft(*, filer: User, values: dict[str, Any], report: Report | None = None,
               channel: str = Channel.WEB, contact: Contact | None = None) -> Report:
    """Keep what was typed so far. A draft may be incomplete; only values that parsed are
    passed in, so nothing valid is ever lost to an error elsewhere in the form. ``channel``
    is where a new draft comes from; with ``contact``, a staff member files for that person
    (the draft is the staff member's until it is submitted)."""
    _require_filer(filer, contact)
    if report is None:
        report = Report(status=ReportStatus.DRAFT, channel=channel)
        if contact is None:
            report.reporter = filer
        else:
            report.entered_by = filer
    elif not _owns_draft(filer, report) or report.status != ReportStatus.DRAFT:
        raise Invalid(_("Draf ini tidak dapat diubah lagi."))
    if contact is not None:
        if channel not in Channel.values or channel in (Channel.WEB, Channel.API):
            raise Invalid(_("Pilih saluran laporan (datang langsung, telepon, surat, …)."),
                          field="channel")
        report.channel = channel
        report.contact_name = contact.name.strip()
        report.contact_email = contact.email.strip().lower()
        report.contact_phone = contact.phone.strip()
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
        raise NotAllowed(_("Anda tidak dapat menambah lampiran pada laporan ini."))
    if report.status != ReportStatus.DRAFT and not report.is_open:
        raise Invalid(_("Laporan sudah ditutup; lampiran tidak dapat ditambahkan."))
    citizens_files = report.attachments.filter(
        uploaded_by_id__in=[report.reporter_id, report.entered_by_id]
    ).exclude(state=AttachmentState.FAILED)
    if citizens_files.count() >= MAX_FILES_PER_REPORT:
        raise Invalid(
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
        raise NotAllowed(_("Laporan ini tidak dipegang oleh instansi Anda."))
    return _store_attachment(report, upload, actor, is_staff_only=is_staff_only)


def _store_attachment(
    report: Report, upload: UploadedFile, actor: User, *, is_staff_only: bool
) -> Attachment:
    """Stored privately as it came and answered; the task cleans it after commit."""
    accepted = accept_upload(upload)
    attachment = Attachment(
        report=report,
        original_name=(upload.name or "berkas")[:200],
        content_type=accepted.content_type,
        size=len(accepted.content),
        uploaded_by=actor,
        is_staff_only=is_staff_only,
        state=AttachmentState.PROCESSING,
    )
    attachment.file.name = store_incoming(accepted)
    attachment.save()
    publish_after_commit(tasks.clean_attachment, attachment.pk)
    return attachment


@transaction.atomic
def remove_attachment(*, attachment: Attachment, actor: User) -> None:
    """A draft's attachment can be removed by its reporter (a submitted one is evidence)."""
    report = Report.objects.select_for_update().get(pk=attachment.report_id)
    if not _owns_draft(actor, report) or report.status != ReportStatus.DRAFT:
        raise Invalid(_("Lampiran laporan yang sudah dikirim tidak dapat dihapus."))
    files = [attachment.file, attachment.thumbnail]
    attachment.delete()
    for stored in files:
        if stored:
            transaction.on_commit(partial(stored.storage.delete, stored.name))


@transaction.atomic
def submit_report(*, report: Report, actor: User) -> Report:
    """Turn a complete draft into a submitted report with a tracking number, record the event,
    send the citizen the number, and tell routing (its verification clock starts; a trusted
    rule may send it on at once). Assisted intake: the account of the contact's address, if a
    confirmed one exists, follows the report from now on."""
    report = (
        Report.objects.select_for_update(of=("self",))
        .select_related("category", "province", "regency", "district", "reporter")
        .get(pk=report.pk)
    )
    if report.status != ReportStatus.DRAFT:
        raise Invalid(_("Laporan ini sudah dikirim."))
    if not _owns_draft(actor, report):
        raise NotAllowed(_("Anda tidak dapat mengirim laporan ini."))
    values = {name: getattr(report, name) for name in DRAFT_FIELDS}
    errors = field_errors(values, for_submit=True)
    if report.entered_by_id is not None and report.reporter_id is None:
        if not report.contact_name:
            errors.setdefault("contact_name", _("Nama pelapor wajib diisi."))
        elif report.contact_email:
            report.reporter = User.objects.filter(
                email__iexact=report.contact_email, is_email_confirmed=True, is_active=True
            ).first()
    if errors:
        raise Invalid.of_fields(errors)
    now = timezone.now()
    report.submitted_at = now
    if report.category is not None:
        report.priority = report.category.default_priority
    _assign_tracking_number(report)
    record_act(report, event=EventKind.SUBMITTED, status=ReportStatus.SUBMITTED,
               changed=("submitted_at", "reporter", "priority"), actor=actor,
               data={"channel": report.channel}, at=now)
    notify_reporter(report=report, template="submitted")
    workflow_hooks.hooks().submitted(report, at=now)
    return report


def _assign_tracking_number(report: Report) -> None:
    """Give the locked draft a random tracking number, saved at once. A collision among
    2·10^10 numbers draws again; if every draw collides, nothing is submitted (and no event
    or mail is written for a report that was never saved): the filer is asked to try again."""
    for _draw in range(TRACKING_NUMBER_DRAWS):
        report.tracking_number = new_tracking_number()
        try:
            with transaction.atomic():
                report.save(update_fields=["tracking_number"])
        except IntegrityError:
            continue
        return
    report.tracking_number = None
    raise Unavailable(_("Nomor pelacakan belum dapat dibuat. Coba kirim lagi sebentar lagi; "
                        "draf Anda tersimpan."))


@dataclass
class Filing:
    """What came of one filing: the report (the draft that keeps everything, or the submitted
    report) and, when it was not submitted, why (``error``: by field where one is at fault,
    ``file_errors``: each refused file with its reason)."""

    report: Report
    submitted: bool = False
    error: DomainError | None = None
    file_errors: list[str] = field(default_factory=list)


def file_report(
    *,
    filer: User,
    values: dict[str, Any],
    uploads: Iterable[UploadedFile] = (),
    remove: Iterable[int] = (),
    submit: bool = True,
    draft: Report | None = None,
    channel: str = Channel.WEB,
    contact: Contact | None = None,
    limits: Callable[[str], None] | None = None,
) -> Filing:
    """The one way a report is filed, for the page, the API and assisted intake alike.

    What a failed submission keeps, on every channel: everything. What parsed is saved into
    a draft first, the files listed in ``remove`` leave it and every valid upload is attached
    to it, each in its own transaction; only then is the submission checked. A submission
    refused for a field, a file, the rate limit or anything else leaves that draft as it is
    and says what is wrong (``Filing.error``, ``file_errors``), so nothing typed is lost and
    no file is uploaded twice. ``limits`` (``rate_limits.limiter(request)``) counts each upload
    and the submission; ``contact``: a staff member files for that person."""
    report = save_draft(filer=filer, values=values, report=draft, channel=channel,
                        contact=contact)
    for attachment in Attachment.objects.filter(report=report, pk__in=list(remove)):
        remove_attachment(attachment=attachment, actor=filer)
    filing = Filing(report=report)
    for upload in uploads:
        try:
            if limits is not None:
                limits("upload")
            add_attachment(report=report, upload=upload, actor=filer)
        except DomainError as error:
            filing.file_errors.append(f"{upload.name}: {error}")
    if not submit or filing.file_errors:
        return filing
    try:
        if limits is not None:
            limits("file_report")
        filing.report = submit_report(report=report, actor=filer)
    except DomainError as error:
        filing.error = error
    else:
        filing.submitted = True
    return filing


def file_assisted_report(*, actor: User, values: dict[str, Any], channel: str,
                         contact: Contact, uploads: Iterable[UploadedFile] = (),
                         draft: Report | None = None, submit: bool = True) -> Filing:
    """A verifier or operator files a report for a person who came in, phoned, wrote or sent
    a message elsewhere: ``file_report`` for that contact."""
    return file_report(filer=actor, values=values, uploads=uploads, draft=draft,
                       channel=channel, contact=contact, submit=submit)
