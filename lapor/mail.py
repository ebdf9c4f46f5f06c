"""Every email the portal sends: one message per address, as plain text with an HTML alternative
in which every address is a link.

What an act of a report causes leaves through the durable outbox (``complaints.outbox``): a
row written in the act's transaction and sent by a Celery worker, so no request waits for a
mail server, and neither a mail server nor Redis that is down loses a message. The account
emails (links to confirm an address or reset a password) are outbox rows too, sent at once
after the commit and retried by the outbox when the mail server refuses. ``send_now`` is for
code that already runs in a worker (the digest, the outbox itself).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
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
