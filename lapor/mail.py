"""Every email the portal sends: one message per address, as plain text with an HTML alternative
in which every address is a link. Mail leaves through the Celery worker after the transaction
that caused it commits (``send_after_commit``), so no request waits for a mail server.

A mail server that is down or slow delays the mail (retried with back-off by
``lapor.tasks.send_email``), not the citizen's report. If the broker itself cannot take the
task, the failure is logged and the request still succeeds: the notice is kept in the app
wherever the recipient has an account.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.html import linebreaks, urlize


def render_email(template: str, context: dict[str, object]) -> tuple[str, str]:
    """Render a plain-text email template whose first line is the subject; returns
    ``(subject, text)``. The templates switch autoescaping off: this is text, not HTML."""
    rendered = render_to_string(template, {"site_url": settings.SITE_URL, **context}).strip()
    subject, _sep, text = rendered.partition("\n")
    return " ".join(subject.split()), text.strip() + "\n"


def html_alternative(text: str) -> str:
    """The HTML part of a plain-text email: the same words, escaped, paragraphs kept, every
    URL and email address an ``<a href>`` link."""
    body = linebreaks(urlize(text, nofollow=False, autoescape=True))
    return f'<!DOCTYPE html>\n<html lang="id"><body>\n{body}\n</body></html>\n'


def _messages(subject: str, text: str, addresses: Iterable[str]) -> list[EmailMultiAlternatives]:
    html = html_alternative(text)
    messages = []
    for address in sorted(set(addresses)):
        message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [address])
        message.attach_alternative(html, "text/html")
        messages.append(message)
    return messages


def send_now(subject: str, text: str, addresses: Iterable[str]) -> int:
    """Send at once, one message per address (never several people in one ``To:``: staff must
    not learn each other's addresses, and one bounce must not hide the mail from the rest).
    Returns the number sent."""
    messages = _messages(subject, text, addresses)
    if not messages:
        return 0
    with get_connection() as connection:
        return connection.send_messages(messages) or 0


def send_after_commit(subject: str, text: str, recipients: Iterable[str]) -> None:
    """Queue one email per address for when the current transaction commits (at once outside
    one); each is its own task, so a retry never sends twice to those already served."""
    from lapor.tasks import send_email

    for address in sorted({a for a in recipients if a}):

        def send(address: str = address) -> None:
            send_email.delay(subject, text, [address])

        transaction.on_commit(send, robust=True)
