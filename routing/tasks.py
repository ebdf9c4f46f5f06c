"""Celery tasks of routing: thin wrappers that load ids and call the service."""

from celery import shared_task
from django.db import OperationalError

from routing import digest, exports, opendata_files, sweep, webhooks
from routing.services import learning, outcomes, statistics


@shared_task(name="routing.build_export", acks_late=True, serializer="json", ignore_result=True)
def build_export(job_id: int) -> None:
    exports.build_export(job_id)


@shared_task(name="routing.reclaim_stale_exports", ignore_result=True)
def reclaim_stale_exports() -> dict[str, int]:
    return exports.reclaim_stale_exports()


@shared_task(name="routing.purge_old_exports", ignore_result=True)
def purge_old_exports() -> int:
    return exports.purge_old_exports()


@shared_task(name="routing.enforce_deadlines", acks_late=True, ignore_result=True)
def enforce_deadlines() -> dict[str, int]:
    return dict(sweep.enforce_deadlines().breached)


@shared_task(name="routing.deliver_webhooks", acks_late=True, ignore_result=True)
def deliver_webhooks() -> dict[str, int]:
    return webhooks.deliver_due()


@shared_task(name="routing.send_overdue_digest", ignore_result=True)
def send_overdue_digest() -> int:
    return digest.send_overdue_digest()


@shared_task(name="routing.return_postponed", acks_late=True, ignore_result=True)
def return_postponed() -> int:
    return outcomes.return_due()


@shared_task(name="routing.refresh_statistics", acks_late=True, ignore_result=True)
def refresh_statistics() -> int:
    """Recompute the statistics' rollups of the days whose reports changed."""
    return statistics.refresh().days


@shared_task(name="routing.build_open_data", acks_late=True, ignore_result=True,
             autoretry_for=(OSError, OperationalError), retry_backoff=60, retry_backoff_max=1800,
             retry_jitter=True, max_retries=5)
def build_open_data() -> int:
    """The day's open data set; nothing when it is already built (or being built)."""
    manifest = opendata_files.build()
    return manifest["reports"] if manifest else 0


@shared_task(name="routing.train_routing_model", acks_late=True, ignore_result=True)
def train_routing_model() -> int | None:
    """A new version of the learned routing suggestion; its version number, or None."""
    model = learning.train()
    return model.version if model else None
