"""Celery tasks of complaints: thin wrappers that call the outbox and the attachment
cleaner."""

from typing import Any

from celery import shared_task

from complaints import alerts, attachments, outbox
from complaints.services import solved


@shared_task(name="complaints.send_emails", acks_late=True, ignore_result=True)
def send_emails(ids: list[int]) -> dict[str, int]:
    """Send these outbox rows now (queued after the commit that wrote them)."""
    return outbox.deliver(ids=ids)


@shared_task(name="complaints.send_due_emails", acks_late=True, ignore_result=True)
def send_due_emails() -> dict[str, int]:
    """Send every due outbox row now (``outbox.kick_worker``: one task per burst of commits)."""
    return outbox.deliver()


@shared_task(name="complaints.deliver_emails", acks_late=True, ignore_result=True)
def deliver_emails() -> dict[str, int]:
    """The beat sweep: every due row, and rows a stopped worker left half-sent."""
    return outbox.sweep()


@shared_task(name="complaints.ask_solved", acks_late=True, ignore_result=True)
def ask_solved() -> int:
    """The beat sweep of "Sudah tuntas?": ask every citizen due, once."""
    return solved.ask_due()


@shared_task(name="complaints.clean_attachment", bind=True, acks_late=True, ignore_result=True,
             max_retries=5, default_retry_delay=10)
def clean_attachment(self: Any, attachment_id: int) -> str:
    """Clean one upload (queued after the commit that stored it). A storage error is retried;
    a worker killed mid-way is redelivered (acks late) and, failing that, swept."""
    try:
        return attachments.process(attachment_id=attachment_id)
    except OSError as exc:
        raise self.retry(exc=exc) from exc


@shared_task(name="complaints.sweep_attachments", acks_late=True, ignore_result=True)
def sweep_attachments() -> dict[str, int]:
    """The beat sweep: uploads the broker never delivered or a stopped worker left."""
    return attachments.sweep()


@shared_task(name="complaints.send_alert_digests", acks_late=True, ignore_result=True)
def send_alert_digests() -> dict[str, int]:
    """The daily digest of the email alerts: new public reports since each address's last."""
    return alerts.send_digests()
