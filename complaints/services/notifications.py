"""Telling people what happened to a report: the one place every caller uses. In the app, a
short title, one sentence and a link to the report's page for that person (a path, so it works
on any host and port); by email, after commit and one message per address, the full text as
plain text with an HTML alternative (``lapor.mail``). Reading notices is here too."""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from agencies.models import User
from complaints.models import Attachment, Notification, Report, ReportStatus
from complaints.outbox import queue_email
from lapor.errors import Invalid
from lapor.mail import render_email

SENTENCE_MAX = 160  # characters of the in-app sentence; the report's page has the rest
QUOTED_TITLE_MAX = 80  # a report's title inside a sentence
OPENER_MAX = 32  # a first sentence shorter than this is a courtesy ("Terima kasih.")

# A sentence ends at . ! or ? followed by a space and a capital, a digit or an opening quote,
# unless the word before is an abbreviation ("Jl. Merdeka", "No. 5", "Kab. Demak", an
# initial); an acronym ends one ("… ke Dinas PU. Kami …").
_SENTENCE_END = re.compile(r"[.!?](?=\s+[\"“‘'(]?[A-Z0-9])")
_ABBREVIATION = re.compile(r"[A-Z][a-z]{0,3}|\w")


def for_citizens() -> translation.override:
    """What the system writes for the citizen or into a report's history is in Bahasa
    Indonesia, whatever the language of the staff member whose act wrote it:
    ``with for_citizens(): message = _("…")``."""
    return translation.override(settings.LANGUAGE_CODE)


def shorten(text: str, limit: int) -> str:
    """``text`` on one line, cut at a word before ``limit`` characters with an ellipsis."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:.-–—") + "…"


def one_sentence(text: str, limit: int = SENTENCE_MAX) -> str:
    """The first sentence of ``text``, on one line and at most ``limit`` characters. A lead-in
    that carries no news runs on into what follows: a salutation or a paragraph ending in ","
    or ":", and a courtesy opener shorter than ``OPENER_MAX`` ("Terima kasih.", "Laporan
    diterima.") with the sentence after it."""
    flat = ""
    for paragraph in re.split(r"\n\s*\n", text.strip()):
        flat = f"{flat} {' '.join(paragraph.split())}".strip()
        if not flat.endswith((",", ":")):
            break
    # where each sentence but the last ends
    ends = [
        end.end() for end in _SENTENCE_END.finditer(flat)
        if flat[end.start()] != "." or not _ABBREVIATION.fullmatch(
            flat[: end.start()].rsplit(" ", 1)[-1]
        )
    ]
    if ends:
        cut = ends[0]
        if cut < OPENER_MAX:
            cut = ends[1] if len(ends) > 1 else len(flat)
        flat = flat[:cut]
    return shorten(flat, limit)


def quoted_title(report: Report) -> str:
    """The report's title, short enough to sit inside a sentence."""
    return shorten(report.title or "", QUOTED_TITLE_MAX)


def reporter_link(report: Report) -> str:
    return reverse("complaints:my-report", args=[report.tracking_number])


def _recipient(report: Report) -> tuple[User | None, str]:
    """The account to notify (if any) and the address to email."""
    reporter = report.reporter
    if reporter is not None and reporter.is_active and reporter.erased_at is None:
        return reporter, reporter.email
    return None, report.contact_email


def notify_reporter(*, report: Report, message: str = "", template: str = "status_changed"
                    ) -> None:
    """Tell the reporter: an in-app notice (title, the first sentence of ``message``, a link
    to their report's page) when they have an account, and the email
    ``complaints/email/<template>.txt`` (first line: subject) with the whole ``message``.

    ``message`` is what the reporter may read: a public answer of the body or the system's own
    sentence, never an internal note."""
    user, address = _recipient(report)
    if user is None and not address:
        return
    with translation.override("id"):
        subject, text = render_email(
            f"complaints/email/{template}.txt", {"report": report, "message": message}
        )
        if user is not None:
            Notification.objects.create(
                user=user, report=report, title=shorten(subject, Notification.TITLE_MAX),
                message=reporter_sentence(
                    title=report.title, status_label=report.get_status_display(),
                    message=message, template=template,
                ),
                url=reporter_link(report),
            )
    if address:
        queue_email(subject=subject, text=text, recipients=[address])


def reporter_sentence(*, title: str, status_label: str, message: str, template: str) -> str:
    """The reporter's in-app sentence: the first sentence of ``message``, or one saying what
    happened (also used by ``complaints.generation`` to write the same rows)."""
    if message:
        return one_sentence(message)
    if template == "submitted":
        return _("Laporan “%(title)s” sudah diterima dan akan diverifikasi.") % {
            "title": shorten(title, QUOTED_TITLE_MAX)
        }
    return _("Status laporan “%(title)s” kini: %(status)s.") % {
        "title": shorten(title, QUOTED_TITLE_MAX), "status": status_label,
    }


def notify_staff(
    *,
    users: Iterable[User],
    report: Report,
    title: str,
    message: str,
    url: str,
    email_template: str = "",
    email_context: dict[str, object] | None = None,
) -> int:
    """Tell each of ``users`` once: an in-app notice with ``title``, ``message`` (one sentence,
    written by the caller, with no internal note in it) and ``url`` (a path on this site, e.g.
    the report's staff page), and, with ``email_template``, one email per person (never several
    staff addresses in one ``To:``). Returns how many people were told."""
    people = list({user.pk: user for user in users}.values())
    if not people:
        return 0
    # Not one_sentence(): the caller's sentence may quote a title with a full stop inside.
    sentence = shorten(message, Notification.MESSAGE_MAX)
    Notification.objects.bulk_create(
        Notification(
            user=user, report=report, title=shorten(title, Notification.TITLE_MAX),
            message=sentence, url=url,
        )
        for user in people
    )
    if email_template:
        with translation.override("id"):
            subject, text = render_email(
                email_template, {"report": report, **(email_context or {})}
            )
        queue_email(subject=subject, text=text,
                    recipients=[user.email for user in people if user.email])
    return len(people)


@transaction.atomic
def mark_read(*, notification: Notification, actor: User) -> Notification:
    """Mark one of the actor's notifications read (one already read keeps its time)."""
    if notification.user_id != actor.pk:
        raise Invalid(_("Notifikasi ini bukan milik Anda."))
    if notification.read_at is None:
        now = timezone.now()
        if Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=now
        ):
            notification.read_at = now
        else:  # read meanwhile, in another tab
            notification.refresh_from_db(fields=["read_at"])
    return notification


@transaction.atomic
def mark_all_read(*, actor: User) -> int:
    """Mark every unread notification of the actor read; returns how many."""
    return Notification.objects.filter(user=actor, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def _uploader_link(report: Report, user: User) -> str:
    if report.status == ReportStatus.DRAFT:
        return reverse("complaints:draft", args=[report.pk])
    if user.pk in (report.reporter_id, report.entered_by_id):
        return reporter_link(report)
    return reverse("routing:report", args=[report.tracking_number])


def notify_file_refused(*, attachment: Attachment, reason: str) -> None:
    """Tell whoever uploaded ``attachment`` that cleaning refused it, and why: an in-app notice
    linking to the draft or report (which shows the reason too) and an email. The rest of the
    report is untouched."""
    user = attachment.uploaded_by
    if user is None or not user.is_active:
        return
    report = attachment.report
    with translation.override("id"):
        subject, text = render_email("complaints/email/file_refused.txt", {
            "report": report, "attachment": attachment, "reason": reason,
            "link": _uploader_link(report, user)})
        Notification.objects.create(
            user=user, report=report, title=shorten(subject, Notification.TITLE_MAX),
            message=shorten(reason, Notification.MESSAGE_MAX),
            url=_uploader_link(report, user),
        )
    if user.email:
        queue_email(subject=subject, text=text, recipients=[user.email])
