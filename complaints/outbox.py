"""The email outbox (``OutgoingEmail``): every email an act causes is a row written in the
act's own transaction, one per address, and is sent by a Celery worker, never by the request.

- ``queue_email`` writes the rows and, after commit, asks a worker to send the due rows
  (``kick_worker``: ``complaints.send_due_emails``, at most once per EMAIL_KICK_SECONDS per
  process, run that long later, so a burst of filings costs one task). A broker that is down
  or hangs costs the request at most one REDIS_BROKER_SOCKET_TIMEOUT and loses nothing: the
  rows wait.
- ``deliver`` sends due rows. Each is *claimed* first (``pending`` → ``sending`` in a short
  transaction, rows locked ``FOR UPDATE SKIP LOCKED``), so a row is sent by one worker only
  even when the kick and the sweep run at once. A refused send (SMTP error, the mail server
  down) puts the row back with exponential back-off and jitter, up to EMAIL_MAX_ATTEMPTS.
- Beat runs ``complaints.deliver_emails`` every minute: the sweep over every due row (through
  the partial index ``email_pending_idx``), and ``reclaim_stale`` for rows a killed worker left
  ``sending`` for longer than EMAIL_CLAIM_TIMEOUT_SECONDS.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Iterable
from datetime import datetime, timedelta
from smtplib import SMTPException
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from complaints.models import OutgoingEmail
from lapor.mail import html_alternative
from lapor.outages import publish, publish_after_commit

logger = logging.getLogger(__name__)

# Rows claimed at once by the sweep: few, since a worker killed mid-batch leaves the rest of
# its claim for EMAIL_CLAIM_TIMEOUT_SECONDS.
BATCH = 20


def queue_email(*, subject: str, text: str, recipients: Iterable[str],
                forget_text: bool = False, kick: bool = True) -> list[OutgoingEmail]:
    """One outbox row per distinct address, in the current transaction; after commit a worker
    is asked to send them (if the broker cannot be reached, the sweep sends them later).
    ``forget_text``: the text carries a secret (a sign-in, confirmation or reset link) and is
    erased from the row once sent; only its metadata stays. ``kick=False``: the caller sends
    the rows itself (``deliver(ids=…)``); no task is published."""
    addresses = sorted({address for address in recipients if address})
    return queue_messages([
        OutgoingEmail(address=address, subject=subject, text=text, forget_text=forget_text)
        for address in addresses
    ], kick=kick)


def queue_messages(messages: list[OutgoingEmail], *, kick: bool = True) -> list[OutgoingEmail]:
    """Unsaved rows, each its own message (a digest: a text and headers per address), written
    in one INSERT in the current transaction and handed to a worker after commit (``kick``;
    without it the caller sends them itself)."""
    messages = [row for row in messages if row.address]
    if not messages:
        return []
    for row in messages:
        row.subject = row.subject[:300]
    if len(messages) == 1:  # most mail (one citizen's notice): its INSERT's text is reused
        messages[0].save(force_insert=True)
        rows = messages
    else:
        rows = OutgoingEmail.objects.bulk_create(messages)
    if kick:
        ids = [row.pk for row in rows]
        transaction.on_commit(lambda: kick_worker(ids), robust=True)
    return rows


_kick_lock = threading.Lock()
_kicked_at: float | None = None  # this process's last kick (time.monotonic())


def kick_worker(ids: list[int]) -> None:
    """Ask a worker to send the due rows (after a commit that wrote ``ids``), at most once per
    EMAIL_KICK_SECONDS in this process: the task is published to run that many seconds later
    and sends every due row, so a row committed here before it runs, whose own kick was
    skipped, goes with it. Mail leaves within about EMAIL_KICK_SECONDS; a busy process
    publishes one task per interval instead of one per filing. A worker that runs the task
    early (a clock ahead of ours) or a lost task leaves rows to the next kick or to the
    minute's sweep (``deliver_emails``). A failed publish is not counted as a kick. When tasks
    run eagerly (tests, a worker-less set-up), a task run at once would not wait for the rows
    committed after it: each commit then sends its own rows (``send_emails``)."""
    global _kicked_at
    from complaints import tasks  # the task module imports this one

    if tasks.send_due_emails.app.conf.task_always_eager:
        publish(tasks.send_emails, ids)
        return
    window = float(settings.EMAIL_KICK_SECONDS)
    now = time.monotonic()
    with _kick_lock:
        if window > 0 and _kicked_at is not None and now - _kicked_at < window:
            return
        _kicked_at = now
    if not publish(tasks.send_due_emails, countdown=window or None):
        with _kick_lock:
            _kicked_at = None


def forget_kick() -> None:
    """The next commit kicks a worker whatever the interval (tests)."""
    global _kicked_at
    with _kick_lock:
        _kicked_at = None


def _backoff(attempts: int) -> timedelta:
    base = min(30 * (2 ** (attempts - 1)), 6 * 3600)
    return timedelta(seconds=base + random.uniform(0, base / 4))  # noqa: S311 - jitter


def _claim(*, now: datetime, ids: list[int] | None, limit: int) -> list[OutgoingEmail]:
    """Take due pending rows for this worker: locked, skipping those another one holds, and
    marked ``sending`` before the lock is let go, so nobody else takes them."""
    with transaction.atomic():
        due = OutgoingEmail.objects.select_for_update(skip_locked=True).filter(
            state=OutgoingEmail.State.PENDING, next_attempt_at__lte=now
        )
        if ids is not None:
            due = due.filter(pk__in=ids)
        rows = list(due.order_by("next_attempt_at", "id")[:limit])
        if rows:
            OutgoingEmail.objects.filter(pk__in=[row.pk for row in rows]).update(
                state=OutgoingEmail.State.SENDING, claimed_at=now, attempts=F("attempts") + 1
            )
    for row in rows:
        row.attempts += 1
    return rows


def message_id(row: OutgoingEmail) -> str:
    """The same ``Message-ID`` at every attempt: a copy sent again after a killed worker is
    recognised as the same message."""
    domain = urlsplit(settings.SITE_URL).hostname or "lapor.invalid"
    return f"<outbox-{row.pk}@{domain}>"


def _message(row: OutgoingEmail) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        row.subject, row.text, settings.DEFAULT_FROM_EMAIL, [row.address],
        headers={**(row.headers or {}), "Message-ID": message_id(row)},
    )
    message.attach_alternative(html_alternative(row.text), "text/html")
    return message


def _send(row: OutgoingEmail, connection: object) -> str:
    try:
        connection.send_messages([_message(row)])  # type: ignore[attr-defined]
    except Exception as exc:  # the mail server refused (SMTP, network) or anything else
        if not isinstance(exc, SMTPException | OSError):
            logger.exception("email %s could not be sent", row.pk)
        error = f"{type(exc).__name__}: {exc}"[:300]
        if row.attempts >= settings.EMAIL_MAX_ATTEMPTS:
            logger.error("email %s gave up after %s attempts: %s", row.pk, row.attempts, error)
            OutgoingEmail.objects.filter(pk=row.pk, state=OutgoingEmail.State.SENDING).update(
                state=OutgoingEmail.State.FAILED, last_error=error
            )
            return "failed"
        OutgoingEmail.objects.filter(pk=row.pk, state=OutgoingEmail.State.SENDING).update(
            state=OutgoingEmail.State.PENDING, last_error=error,
            next_attempt_at=timezone.now() + _backoff(row.attempts),
        )
        return "retry"
    sent: dict[str, object] = {"state": OutgoingEmail.State.SENT, "sent_at": timezone.now(),
                               "last_error": ""}
    if row.forget_text:
        sent["text"] = ""
    OutgoingEmail.objects.filter(pk=row.pk, state=OutgoingEmail.State.SENDING).update(**sent)
    return "sent"


def deliver(*, ids: list[int] | None = None, now: datetime | None = None,
            limit: int = BATCH) -> dict[str, int]:
    """Send the due rows (only ``ids`` when given, else every due row, batch after batch);
    returns counts by outcome."""
    outcome = {"sent": 0, "retry": 0, "failed": 0}
    while True:
        rows = _claim(now=now or timezone.now(), ids=ids, limit=limit)
        if not rows:
            return outcome
        try:
            connection = get_connection()
            connection.open()
        except (SMTPException, OSError) as exc:  # the mail server is down: all back later
            connection = _Refusing(exc)
        try:
            for row in rows:
                outcome[_send(row, connection)] += 1
        finally:
            connection.close()
        if ids is not None or now is not None:  # a kick for given rows, a replay: one pass
            return outcome


class _Refusing:
    """A connection that could not be opened: every send fails the same way."""

    def __init__(self, exc: Exception) -> None:
        self.exc = exc

    def send_messages(self, messages: list[EmailMultiAlternatives]) -> int:
        raise self.exc

    def close(self) -> None:
        return None


def reclaim_stale(*, now: datetime | None = None) -> int:
    """Rows left ``sending`` by a worker that died mid-send go back to ``pending``."""
    cutoff = (now or timezone.now()) - timedelta(seconds=settings.EMAIL_CLAIM_TIMEOUT_SECONDS)
    reclaimed = OutgoingEmail.objects.filter(
        state=OutgoingEmail.State.SENDING, claimed_at__lt=cutoff
    ).update(state=OutgoingEmail.State.PENDING, claimed_at=None)
    if reclaimed:
        logger.warning("%s email(s) left sending by a stopped worker are queued again",
                       reclaimed)
    return reclaimed


def send_again(ids: Iterable[int]) -> int:
    """Put permanently failed rows back in the queue (the system admin's "Kirim ulang", after the
    address or the mail server was fixed): pending now, attempts from zero, the last error kept
    until the next attempt replaces it. Rows in any other state are left alone. Returns how
    many were queued again; a worker is asked to send them after commit."""
    queued = list(OutgoingEmail.objects.filter(pk__in=list(ids), state=OutgoingEmail.State.FAILED)
                  .values_list("pk", flat=True))
    if not queued:
        return 0
    OutgoingEmail.objects.filter(pk__in=queued, state=OutgoingEmail.State.FAILED).update(
        state=OutgoingEmail.State.PENDING, attempts=0, next_attempt_at=timezone.now(),
        claimed_at=None,
    )
    from complaints import tasks  # the task module imports this one

    publish_after_commit(tasks.send_emails, queued)
    return len(queued)


def sweep() -> dict[str, int]:
    """What beat runs every minute: reclaim abandoned claims, then send every due row."""
    reclaimed = reclaim_stale()
    return {"reclaimed": reclaimed, **deliver()}
