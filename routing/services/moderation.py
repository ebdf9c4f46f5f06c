"""Moderation: a verifier changes what the public sees of a report (its public title and text,
which of its files are shown), always with a reason. The citizen's original stays as it was
written, for staff and the reporter; every change is an event of the report's history that
the reporter and staff read with its reason (``Visibility.REPORTER``: the reason may quote
the words taken out, so the public sees only that the public copy was edited, from the
report's own ``public_copy_edited_at``); the reporter is told.

Who may: ``routing.permissions.may_moderate`` (the verifiers of the report's province, the
system admin; not the body that holds it)."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import User
from complaints.lifecycle import record_act
from complaints.models import Attachment, EventKind, Report, Visibility
from complaints.redaction import public_copy
from complaints.services.notifications import for_citizens, notify_reporter, shorten
from complaints.validation import DESCRIPTION_MAX, TITLE_MAX
from lapor.errors import Invalid, NotAllowed
from routing import permissions
from routing.services.moves import lock

REASON_MAX = 500


def _require_moderator(actor: User, report: Report) -> None:
    if not permissions.may_moderate(actor, report):
        raise NotAllowed(_("Hanya verifikator wilayah laporan ini yang dapat mengubah tampilan "
                           "publiknya."))


def _reason(reason: str, message: str) -> str:
    reason = " ".join(reason.split())
    if not reason:
        raise Invalid(message, field="reason")
    if len(reason) > REASON_MAX:
        raise Invalid(_("Alasan paling panjang %(max)d karakter.") % {"max": REASON_MAX},
                      field="reason")
    return reason


@transaction.atomic
def edit_public_copy(
    *,
    report: Report,
    actor: User,
    title: str,
    description: str,
    reason: str,
    expected_version: int | None = None,
    seen_seq: int | None = None,
) -> Report:
    """Replace the public title and text of ``report`` with the verifier's, masked again
    (``complaints.redaction``: a NIK the verifier leaves in is still hidden). The original
    title and text do not change; from now on ``Report.save`` keeps the verifier's copy. The
    public search (``public_search_vector``, generated from the public copy) follows at once.
    The event keeps the copy it replaced, for staff."""
    report = lock(report, expected_version, seen_seq)
    _require_moderator(actor, report)
    title, description = title.strip(), description.strip()
    if not title:
        raise Invalid(_("Judul publik tidak boleh kosong."), field="title")
    if len(title) > TITLE_MAX:
        raise Invalid(_("Judul paling panjang %(max)d karakter.") % {"max": TITLE_MAX},
                      field="title")
    if not description:
        raise Invalid(_("Isi publik tidak boleh kosong."), field="description")
    if len(description) > DESCRIPTION_MAX:
        raise Invalid(_("Isi paling panjang %(max)d karakter.") % {"max": DESCRIPTION_MAX},
                      field="description")
    reason = _reason(reason, _("Tuliskan alasan perubahan; pelapor akan membacanya."))
    new_title, new_description = public_copy(title), public_copy(description)
    if (new_title, new_description) == (report.public_title, report.public_description):
        raise Invalid(_("Judul dan isi publik tidak berubah."), field="description")
    changed = [name for name, before, after in (
        ("title", report.public_title, new_title),
        ("description", report.public_description, new_description),
    ) if before != after]
    previous = {"previous_title": report.public_title,
                "previous_description": report.public_description}
    now = timezone.now()
    report.public_title, report.public_description = new_title, new_description
    report.public_copy_edited_at, report.public_copy_edited_by = now, actor
    report.public_copy_reason = reason
    record_act(
        report, event=EventKind.PUBLIC_COPY_EDITED, actor=actor, note=reason,
        visibility=Visibility.REPORTER, at=now,
        changed=("public_title", "public_description", "public_copy_edited_at",
                 "public_copy_edited_by", "public_copy_reason"),
        data={"fields": changed, **previous},
    )
    with for_citizens():
        message = _("Judul/isi publik laporan Anda diubah oleh verifikator: %(reason)s") % {
            "reason": reason}
    notify_reporter(report=report, message=message, template="public_copy_changed")
    return report


def _attachment_of(report: Report, attachment: Attachment) -> Attachment:
    """``attachment`` as stored now, locked; it must be one of ``report``'s public files."""
    locked = Attachment.objects.select_for_update().filter(
        pk=attachment.pk, report=report).first()
    if locked is None:
        raise Invalid(_("Lampiran itu bukan lampiran laporan ini."), field="attachment")
    if locked.is_staff_only:
        raise Invalid(_("Lampiran internal memang tidak tampil untuk publik."),
                      field="attachment")
    return locked


@transaction.atomic
def hide_attachment(*, attachment: Attachment, actor: User, reason: str) -> Attachment:
    """Hide one file of a report from the public (a face, a house number, a shocking photo):
    it stays for staff and the reporter and is left out of every public copy."""
    report = lock(attachment.report, None)
    _require_moderator(actor, report)
    attachment = _attachment_of(report, attachment)
    if attachment.is_hidden:
        raise Invalid(_("Lampiran ini sudah disembunyikan dari publik."), field="attachment")
    reason = _reason(reason, _("Tuliskan alasan menyembunyikan lampiran ini; pelapor akan "
                               "membacanya."))
    now = timezone.now()
    attachment.hidden_at, attachment.hidden_by, attachment.hidden_reason = now, actor, reason
    attachment.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    _record(report, actor, EventKind.ATTACHMENT_HIDDEN, attachment, reason, now)
    with for_citizens():
        message = _("Lampiran “%(name)s” pada laporan Anda disembunyikan dari publik oleh "
                    "verifikator: %(reason)s") % {
            "name": shorten(attachment.original_name, 60), "reason": reason}
    notify_reporter(report=report, message=message, template="public_copy_changed")
    return attachment


@transaction.atomic
def unhide_attachment(*, attachment: Attachment, actor: User, reason: str) -> Attachment:
    """Show a hidden file to the public again."""
    report = lock(attachment.report, None)
    _require_moderator(actor, report)
    attachment = _attachment_of(report, attachment)
    if not attachment.is_hidden:
        raise Invalid(_("Lampiran ini tidak sedang disembunyikan."), field="attachment")
    reason = _reason(reason, _("Tuliskan alasan menampilkan lagi lampiran ini."))
    attachment.hidden_at, attachment.hidden_by, attachment.hidden_reason = None, None, ""
    attachment.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    now = timezone.now()
    _record(report, actor, EventKind.ATTACHMENT_SHOWN, attachment, reason, now)
    with for_citizens():
        message = _("Lampiran “%(name)s” pada laporan Anda ditampilkan lagi untuk publik: "
                    "%(reason)s") % {"name": shorten(attachment.original_name, 60),
                                     "reason": reason}
    notify_reporter(report=report, message=message, template="public_copy_changed")
    return attachment


def _record(report: Report, actor: User, kind: str, attachment: Attachment, reason: str,
            at: datetime) -> None:
    # The version is not bumped: a file's visibility does not change what another staff
    # member is about to decide on the report (a disposition in progress stays valid).
    record_act(report, event=kind, bumps_version=False, actor=actor, note=reason,
               visibility=Visibility.REPORTER, at=at,
               data={"attachment": attachment.pk, "name": attachment.original_name})
