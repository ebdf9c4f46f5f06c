"""Celery tasks of routing: thin wrappers that load ids and call the service."""

from celery import shared_task

from routing import exports


@shared_task(name="routing.build_export", acks_late=True, serializer="json", ignore_result=True)
def build_export(job_id: int) -> None:
    exports.build_export(job_id)


@shared_task(name="routing.purge_old_exports", ignore_result=True)
def purge_old_exports() -> int:
    return exports.purge_old_exports()
