"""A real Celery worker, killed (SIGKILL, as the OOM killer or a host going down does) while
it cleans a 12 MP photo: the photo stays "sedang diproses", served to nobody, and the beat
sweep of the next worker cleans it. Waits are bounds, never expectations."""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from complaints import tasks
from complaints.models import Attachment, AttachmentState, ReportStatus
from complaints.services import intake
from lapor.celery import app
from tests.browser.test_phone_photo_upload import twelve_megapixel_photo
from tests.factories import ReportFactory
from tests.test_load_redis_restart import _test_database_url
from tests.test_worker import running

BASE = Path(__file__).resolve().parents[2]
WITHIN_SECONDS = 180


def _wait(condition, what: str) -> None:
    deadline = time.monotonic() + WITHIN_SECONDS
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.02)
    pytest.fail(f"not within {WITHIN_SECONDS} s: {what}")


def _state(pk: int) -> tuple[str, int]:
    row = Attachment.objects.values_list("state", "attempts").get(pk=pk)
    return row[0], row[1]


@pytest.fixture
def to_the_broker():
    """Tasks published by this test go to the real broker (the suite runs them eagerly)."""
    app.conf.task_always_eager = False
    yield
    app.conf.task_always_eager = True


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_photo_whose_worker_was_killed_is_cleaned_by_the_next_workers_sweep(
        agency_tree, tmp_path, settings, to_the_broker):
    settings.MEDIA_ROOT = tmp_path / "media"
    env = {**os.environ, "DATABASE_URL": _test_database_url(),
           "MEDIA_ROOT": str(settings.MEDIA_ROOT), "ATTACHMENT_STALE_SECONDS": "1"}
    celery = str(Path(sys.executable).parent / "celery")
    args = [celery, "-A", "lapor", "worker", "--concurrency", "1", "--loglevel", "INFO",
            "--without-gossip", "--without-mingle", "--without-heartbeat"]
    app.control.purge()
    draft = ReportFactory(status=ReportStatus.DRAFT, tracking_number=None, submitted_at=None)

    with running(args, env=env, log=tmp_path / "worker-1.log") as worker:
        photo = intake.add_attachment(  # committed: the task goes to the broker at once
            report=draft, actor=draft.reporter,
            upload=SimpleUploadedFile("IMG_0001.jpg", twelve_megapixel_photo()))
        _wait(lambda: _state(photo.pk)[1] >= 1, "the worker claimed the photo")
        os.killpg(worker.pid, signal.SIGKILL)  # mid-way through a 12 MP decode
        worker.wait()
    killed_state = _state(photo.pk)
    assert killed_state == (AttachmentState.PROCESSING, 1), killed_state

    with running(args, env=env, log=tmp_path / "worker-2.log"):
        time.sleep(1.5)  # older than ATTACHMENT_STALE_SECONDS: due for the sweep
        tasks.sweep_attachments.delay()  # what beat sends every minute
        _wait(lambda: _state(photo.pk)[0] != AttachmentState.PROCESSING, "the sweep cleaned it")
    photo.refresh_from_db()
    assert photo.state == AttachmentState.CLEAN and photo.attempts == 2
    assert (photo.width, photo.height) == (1920, 2560)
    assert not photo.file.name.startswith("incoming/")
