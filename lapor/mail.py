"""Email leaves through the Celery worker, after the transaction that caused it commits.

A request never waits for the mail server, and a mail server that is down or slow delays the
mail (retried with back-off by ``lapor.tasks.send_email``), not the citizen's report. If the
broker itself cannot take the task, the failure is logged and the request still succeeds: the
same message is kept as an in-app notification wherever the recipient has an account.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction


def send_after_commit(subject: str, body: str, recipients: Iterable[str]) -> None:
    """Queue one email for when the current transaction commits (at once outside one)."""
    from lapor.tasks import send_email

    addresses = sorted(set(recipients))
    if not addresses:
        return
    transaction.on_commit(lambda: send_email.delay(subject, body, addresses), robust=True)
