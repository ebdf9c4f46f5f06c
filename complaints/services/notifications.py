"""Telling people what happened to a report: an in-app notification and an email, both sent
only after the transaction that changed the report commits."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from agencies.models import User
from complaints.models import Notification, Report
from lapor.mail import send_after_commit


def _recipient(report: Report) -> tuple[User | None, str]:
    """The account to notify (if any) and the address to email."""
    reporter = report.reporter
    if reporter is not None and reporter.is_active and reporter.erased_at is None:
        return reporter, reporter.email
    return None, report.contact_email


def notify_reporter(*, report: Report, template: str, context: dict[str, object]) -> None:
    """Render ``complaints/email/<template>.txt`` (first line: subject) for the reporter,
    store it as a notification and email it on commit."""
    user, address = _recipient(report)
    if user is None and not address:
        return
    with translation.override("id"):
        text = render_to_string(
            f"complaints/email/{template}.txt",
            {"report": report, "site_url": settings.SITE_URL, **context},
        ).strip()
    subject, _, body = text.partition("\n")
    subject, body = subject.strip(), body.strip()
    if user is not None:
        Notification.objects.create(user=user, report=report, subject=subject, body=body)
    if address:
        send_after_commit(subject, body, [address])
