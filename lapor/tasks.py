"""Project-wide Celery tasks."""

from smtplib import SMTPException

from celery import shared_task

from agencies.two_factor_gate import purge_abandoned_files
from lapor.health import record_heartbeat
from lapor.mail import send_now


@shared_task(name="lapor.tasks.heartbeat", ignore_result=True)
def heartbeat() -> float:
    return record_heartbeat()


@shared_task(
    name="lapor.tasks.send_email", ignore_result=True, autoretry_for=(SMTPException, OSError),
    retry_backoff=30, retry_backoff_max=3600, retry_jitter=True, max_retries=12,
)
def send_email(subject: str, body: str, recipients: list[str]) -> int:
    """Send an email, plain text with its HTML alternative, one message per address. Kept for
    tasks queued by an earlier release; new email goes through ``complaints.outbox``."""
    return send_now(subject, body, recipients)


@shared_task(name="lapor.tasks.purge_kept_submissions", ignore_result=True)
def purge_kept_submissions() -> int:
    """Files of forms kept while a second-factor code was asked for, never sent on."""
    return purge_abandoned_files()
