"""Project-wide Celery tasks."""

from smtplib import SMTPException

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail

from lapor.health import record_heartbeat


@shared_task(name="lapor.tasks.heartbeat", ignore_result=True)
def heartbeat() -> float:
    return record_heartbeat()


@shared_task(
    name="lapor.tasks.send_email", ignore_result=True, autoretry_for=(SMTPException, OSError),
    retry_backoff=30, retry_backoff_max=3600, retry_jitter=True, max_retries=12,
)
def send_email(subject: str, body: str, recipients: list[str]) -> int:
    """Send one plain-text email (queued by ``lapor.mail.send_after_commit``)."""
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
