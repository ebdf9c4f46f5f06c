"""Filing a report: drafts, attachments, submission, and assisted intake by staff."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies import access
from agencies.models import Role, User
from complaints import questions, similar, tasks, workflow_hooks
from complaints.attachments import (
    MAX_FILES_PER_REPORT,
    Accepted,
    accept_upload,
    store_incoming,
)
from complaints.history import last_event_annotations, last_event_of
from complaints.lifecycle import record_act, record_first_act
from complaints.models import (
    Attachment,
    AttachmentState,
    Channel,
    EventKind,
    Open311Client,
    Report,
    ReportStatus,
)
from complaints.services.notifications import notify_reporter
from complaints.tracking_numbers import new_tracking_number
from complaints.validation import field_errors
from lapor.errors import DomainError, Invalid, NotAllowed, Unavailable
from lapor.outages import OUTAGE_ERRORS, publish_after_commit

DRAFT_FIELDS = (
    "kind", "title", "description", "category", "province", "regency", "district",
    "latitude", "longitude", "event_on", "is_anonymous", "is_confidential",
)
# ``values["answers"]``: answers to the category's extra questions by code (complaints.questions).
ANSWERS = "answers"


TRACKING_NUMBER_DRAWS = 5


@dataclass(frozen=True)
class Contact:
    """The person a staff member files for at assisted intake (who may have no account)."""

    name: str
    email: str = ""
    phone: str = ""


ASSISTING_ROLES = {Role.VERIFIER, Role.OPERATOR, Role.SUPERVISOR}


def _require_filer(user: User, contact: Contact | None, channel: str) -> None:
    if not user.is_authenticated or not user.is_active:
        raise NotAllowed(_("Silakan masuk untuk membuat laporan."))
    if channel == Channel.OPEN311:
        # An application the system admin issued a key to files for the person it names.
        if contact is None or not Open311Client.objects.filter(account=user,
                                                               is_active=True).exists():
            raise NotAllowed(_("Hanya aplikasi mitra Open311 yang memakai saluran ini."))
        return
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
    _require_filer(filer, contact, channel if report is None else report.channel)
    if report is not None and (
        not _owns_draft(filer, report) or report.status != ReportStatus.DRAFT
    ):
        raise Invalid(_("Draf ini tidak dapat diubah lagi."))
    report = _fill_draft(filer=filer, values=values, report=report, channel=channel,
                         contact=contact)
    report.save()
    return report


def _fill_draft(*, filer: User, values: dict[str, Any], report: Report | None, channel: str,
                contact: Contact | None) -> Report:
    """``report`` (a new unsaved draft when None) with ``values`` and the contact set. The
    answers to the category's own questions are checked here: a wrong one is refused on its
    field (``answers.<code>``)."""
    if report is None:
        report = Report(status=ReportStatus.DRAFT, channel=channel)
        if contact is None:
            report.reporter = filer
        else:
            report.entered_by = filer
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
    if ANSWERS in values or "category" in values:
        asked = questions.questions_of(report.category_id)
        answers, errors = questions.parse_answers(asked, values.get(ANSWERS) or {})
        if errors:
            raise Invalid.of_fields(errors)
        report.answers = questions.merged(report.answers, answers, asked)
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


def _incoming_attachment(report: Report, upload: UploadedFile, accepted: Accepted,
                         actor: User, *, is_staff_only: bool = False) -> Attachment:
    """The row of an accepted upload, its file stored privately as it came (not yet saved:
    one INSERT, or one for several)."""
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
    return attachment


def _store_attachment(
    report: Report, upload: UploadedFile, actor: User, *, is_staff_only: bool
) -> Attachment:
    """Stored privately as it came and answered; the task cleans it after commit."""
    attachment = _incoming_attachment(report, upload, accept_upload(upload), actor,
                                      is_staff_only=is_staff_only)
    attachment.save()
    publish_after_commit(tasks.clean_attachment, attachment.pk)
    return attachment


@transaction.atomic
def remove_attachment(*, attachment: Attachment, actor: User) -> None:
    """A draft's attachment can be removed by its reporter (a submitted one is evidence)."""
    report = Report.objects.select_for_update().get(pk=attachment.report_id)
    if not _owns_draft(actor, report) or report.status != ReportStatus.DRAFT:
        raise Invalid(_("Lampiran laporan yang sudah dikirim tidak dapat dihapus."))
    files = [attachment.file, attachment.thumbnail, attachment.public_file,
             attachment.public_thumbnail]
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
        .annotate(**last_event_annotations())
        .get(pk=report.pk)
    )
    if report.status != ReportStatus.DRAFT:
        raise Invalid(_("Laporan ini sudah dikirim."))
    if not _owns_draft(actor, report):
        raise NotAllowed(_("Anda tidak dapat mengirim laporan ini."))
    errors = _submission_errors(report)
    if errors:
        raise Invalid.of_fields(errors)
    now = timezone.now()
    report.submitted_at = now
    if report.category is not None:
        report.priority = report.category.default_priority
    _submit_with_tracking_number(report, actor=actor, at=now)
    _after_submission(report, at=now)
    return report


def _submit_with_tracking_number(report: Report, *, actor: User, at: datetime) -> None:
    """Give the locked draft a random tracking number in the same UPDATE that submits it, and
    record the event. A collision among 2·10^10 numbers draws again; if every draw collides,
    nothing is submitted (and no event or mail is written for a report that was never
    saved): the filer is asked to try again."""
    for _draw in range(TRACKING_NUMBER_DRAWS):
        report.tracking_number = new_tracking_number()
        try:
            with transaction.atomic():
                record_act(report, event=EventKind.SUBMITTED, status=ReportStatus.SUBMITTED,
                           changed=("submitted_at", "reporter", "tracking_number",
                                    "priority"),
                           actor=actor, data={"channel": report.channel}, at=at,
                           after=last_event_of(report))
        except IntegrityError as error:
            if not _is_tracking_number_collision(error):
                raise
            continue  # record_act left the draft's status and version as they were
        return
    report.tracking_number = None
    raise _no_tracking_number()


def _no_tracking_number() -> Unavailable:
    return Unavailable(_("Nomor pelacakan belum dapat dibuat. Coba kirim lagi sebentar lagi; "
                         "draf Anda tersimpan."))


def _submission_errors(report: Report) -> dict[str, str]:
    """What keeps ``report`` from being submitted, by field. Assisted intake: sets the
    reporter to the confirmed account of the contact's address, if there is one."""
    values = {name: getattr(report, name) for name in DRAFT_FIELDS}
    errors = field_errors(values, for_submit=True)
    errors.update(questions.missing(questions.questions_of(report.category_id), report.answers))
    if report.entered_by_id is not None and report.reporter_id is None:
        if not report.contact_name:
            errors.setdefault("contact_name", _("Nama pelapor wajib diisi."))
        elif report.contact_email:
            report.reporter = User.objects.filter(
                email__iexact=report.contact_email, is_email_confirmed=True, is_active=True
            ).first()
    return errors


def _after_submission(report: Report, *, at: datetime) -> None:
    """What every submission causes in its transaction: the citizen's notice and email (sent
    after commit), and routing's verification clock and trusted rule."""
    notify_reporter(report=report, template="submitted")
    workflow_hooks.hooks().submitted(report, at=at)


class _TrackingNumberTaken(Exception):
    pass


def _is_tracking_number_collision(error: IntegrityError) -> bool:
    diag = getattr(error.__cause__, "diag", None)
    return "tracking_number" in (getattr(diag, "constraint_name", None) or "")


def _kept_as_draft(*, filer: User, values: dict[str, Any], channel: str,
                   contact: Contact | None, uploads: Iterable[UploadedFile] = (),
                   error: DomainError | None = None, file_errors: Iterable[str] = ()
                   ) -> Filing:
    """A filing refused on the way: what was sent is kept in a draft, with every upload the
    limits let through attached, and the refusal named."""
    filing = Filing(report=save_draft(filer=filer, values=values, channel=channel,
                                      contact=contact),
                    error=error, file_errors=list(file_errors))
    for upload in uploads:
        try:
            add_attachment(report=filing.report, upload=upload, actor=filer)
        except DomainError as refused:
            filing.file_errors.append(f"{upload.name}: {refused}")
    return filing


def _file_at_once(*, filer: User, values: dict[str, Any], uploads: list[UploadedFile],
                  channel: str, contact: Contact | None,
                  limits: Callable[[str], None] | None) -> Filing | None:
    """A new report filed complete in one go, its files with it, in one transaction of the
    fewest statements: the report inserted already submitted with its tracking number, its
    first event (no read of a previous one), the citizen's notice and email, the verification
    clock, the trusted rule from the per-process cache, and the files' rows in one INSERT
    (each stored privately as it came, cleaned by the task after commit). What it writes is
    what saving the draft, ``add_attachment`` and ``submit_report`` write. None when the
    submission or a file is refused for what it is (a field, a file's kind or size): the
    caller then files it the long way, which keeps the draft and names the fault. Nothing
    has been counted against the limits by then."""
    _require_filer(filer, contact, channel)
    try:
        report = _fill_draft(filer=filer, values=values, report=None, channel=channel,
                             contact=contact)
    except Invalid:
        return None  # a wrong answer to a question: the long way names it
    if _submission_errors(report) or len(uploads) > MAX_FILES_PER_REPORT:
        return None
    try:
        accepted = [accept_upload(upload) for upload in uploads]
    except Invalid:
        return None  # the long way attaches the others and names the refused file
    kept = partial(_kept_as_draft, filer=filer, values=values, channel=channel,
                   contact=contact)
    if limits is not None:
        counted, refused = [], []
        for upload in uploads:  # as the long way counts: each upload, then the filing
            try:
                limits("upload")
            except DomainError as error:
                refused.append(f"{upload.name}: {error}")
            else:
                counted.append(upload)
        if refused:
            return kept(uploads=counted, file_errors=refused)
        try:
            limits("file_report")
        except DomainError as error:
            return kept(uploads=uploads, error=error)
    stored: list[Attachment] = []
    for _draw in range(TRACKING_NUMBER_DRAWS):
        report.tracking_number = new_tracking_number()
        try:
            with transaction.atomic():
                now = timezone.now()
                report.submitted_at = report.created_at = report.updated_at = now
                if report.category is not None:
                    report.priority = report.category.default_priority
                try:
                    record_first_act(report, event=EventKind.SUBMITTED,
                                     status=ReportStatus.SUBMITTED, actor=filer,
                                     data={"channel": report.channel}, at=now)
                except IntegrityError as error:
                    if _is_tracking_number_collision(error):
                        raise _TrackingNumberTaken from error
                    raise
                if uploads:
                    stored = stored or [_incoming_attachment(report, upload, file, filer)
                                        for upload, file in zip(uploads, accepted, strict=True)]
                    for attachment in stored:
                        attachment.report = report
                        attachment.pk = None
                    Attachment.objects.bulk_create(stored)
                    for attachment in stored:
                        publish_after_commit(tasks.clean_attachment, attachment.pk)
                _after_submission(report, at=now)
        except _TrackingNumberTaken:
            report = _fill_draft(filer=filer, values=values, report=None, channel=channel,
                                 contact=contact)
            _submission_errors(report)
            continue
        except DomainError as error:
            # refused on the way (nothing of it was written): the draft keeps what was sent
            _forget_stored(stored)
            return kept(uploads=uploads, error=error)
        except OUTAGE_ERRORS:
            # Redis failed where no code expected it (the answer is a 503): what was sent is
            # kept in a draft first, as the long way keeps it
            _forget_stored(stored)
            kept(uploads=uploads)
            raise
        # Just inserted: the API's answer lists its files without a query, as a prefetch
        # leaves them (an evaluated queryset; iterating an unevaluated ``none()`` compiled
        # SQL to learn it was empty, a tenth of the answer's CPU).
        files = Attachment.objects.filter(report=report)
        files._result_cache, files._prefetch_done = stored, True  # type: ignore[attr-defined]
        report._prefetched_objects_cache = {"attachments": files}  # type: ignore[attr-defined]
        return Filing(report=report, submitted=True)
    _forget_stored(stored)
    return kept(uploads=uploads, error=_no_tracking_number())


def _forget_stored(attachments: list[Attachment]) -> None:
    """Uploads stored for rows that were rolled back (the draft stores them again)."""
    for attachment in attachments:
        attachment.file.storage.delete(attachment.file.name)


@dataclass
class Filing:
    """What came of one filing: the report (the draft that keeps everything, or the submitted
    report) and, when it was not submitted, why (``error``: by field where one is at fault,
    ``file_errors``: each refused file with its reason)."""

    report: Report
    submitted: bool = False
    error: DomainError | None = None
    file_errors: list[str] = field(default_factory=list)
    # Not submitted because of these: the similar public reports the citizen has not been
    # shown yet (the step before submitting; ``similar_seen``), the draft keeping the rest.
    unseen_similar: list[similar.SimilarReport] = field(default_factory=list)


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
    similar_seen: Collection[str] | None = None,
) -> Filing:
    """The one way a report is filed, for the page, the API and assisted intake alike.

    What a failed submission keeps, on every channel: everything. What parsed is saved into
    a draft first, the files listed in ``remove`` leave it and every valid upload is attached
    to it, each in its own transaction; only then is the submission checked. A submission
    refused for a field, a file, the rate limit or anything else leaves that draft as it is
    and says what is wrong (``Filing.error``, ``file_errors``), so nothing typed is lost and
    no file is uploaded twice. ``limits`` (``rate_limits.limiter(request)``) counts each upload
    and the submission; ``contact``: a staff member files for that person.

    ``similar_seen`` (the tracking numbers of the similar reports the citizen was shown; the
    page and the API pass it, assisted intake does not): the similarity lookup runs within the
    submission, and when a similar public report is among them that was not shown, the report
    is kept as a draft and not submitted (``Filing.unseen_similar``: all of them, to show; sending
    again with their numbers submits it)."""
    uploads, remove = list(uploads), list(remove)
    unseen: list[similar.SimilarReport] = []
    if submit and similar_seen is not None:
        unseen = similar.unseen_similar(_typed(values, draft), viewer=filer, seen=similar_seen)
        submit = not unseen
    if draft is None and submit and not remove:
        at_once = _file_at_once(filer=filer, values=values, uploads=uploads, channel=channel,
                                contact=contact, limits=limits)
        if at_once is not None:
            return at_once
    if draft is not None and not values and contact is None:
        # nothing new to keep (a draft sent as it is): the checks of save_draft, no UPDATE
        _require_filer(filer, None, draft.channel)
        if not _owns_draft(filer, draft) or draft.status != ReportStatus.DRAFT:
            raise Invalid(_("Draf ini tidak dapat diubah lagi."))
        report = draft
    else:
        report = save_draft(filer=filer, values=values, report=draft, channel=channel,
                            contact=contact)
    for attachment in Attachment.objects.filter(report=report, pk__in=list(remove)):
        remove_attachment(attachment=attachment, actor=filer)
    filing = Filing(report=report, unseen_similar=unseen)
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


def _typed(values: dict[str, Any], draft: Report | None) -> similar.Typed:
    """What is about to be submitted: the values sent over the draft's own."""
    typed = similar.typed_from(values)
    if draft is None:
        return typed

    def pk(name: str, sent: int | None) -> int | None:
        return sent if name in values else getattr(draft, f"{name}_id")

    return similar.Typed(
        title=typed.title if "title" in values else draft.title,
        description=typed.description if "description" in values else draft.description,
        category_id=pk("category", typed.category_id),
        regency_id=pk("regency", typed.regency_id),
        district_id=pk("district", typed.district_id),
    )


def file_assisted_report(*, actor: User, values: dict[str, Any], channel: str,
                         contact: Contact, uploads: Iterable[UploadedFile] = (),
                         draft: Report | None = None, submit: bool = True) -> Filing:
    """A verifier or operator files a report for a person who came in, phoned, wrote or sent
    a message elsewhere: ``file_report`` for that contact."""
    return file_report(filer=actor, values=values, uploads=uploads, draft=draft,
                       channel=channel, contact=contact, submit=submit)
