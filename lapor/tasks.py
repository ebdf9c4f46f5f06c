"""Project-wide Celery tasks."""

from celery import shared_task

from lapor.health import record_heartbeat


@shared_task(name="lapor.tasks.heartbeat", ignore_result=True)
def heartbeat() -> float:
    return record_heartbeat()
