"""Celery tasks of complaints: thin wrappers that call the outbox."""

from celery import shared_task

from complaints import outbox
from complaints.services import solved


@shared_task(name="complaints.send_emails", acks_late=True, ignore_result=True)
def send_emails(ids: list[int]) -> dict[str, int]:
    """Send these outbox rows now (queued after the commit that wrote them)."""
    return outbox.deliver(ids=ids)


@shared_task(name="complaints.deliver_emails", acks_late=True, ignore_result=True)
def deliver_emails() -> dict[str, int]:
    """The beat sweep: every due row, and rows a stopped worker left half-sent."""
    return outbox.sweep()


@shared_task(name="complaints.ask_solved", acks_late=True, ignore_result=True)
def ask_solved() -> int:
    """The beat sweep of "Sudah tuntas?": ask every citizen due, once."""
    return solved.ask_due()
