"""A real Celery worker with beat: the heartbeat it runs turns /health/ green."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from lapor import health

BASE = Path(__file__).resolve().parent.parent


@pytest.mark.services
def test_worker_and_beat_make_health_green(tmp_path):
    client = health._redis_client()
    client.delete(health.HEARTBEAT_KEY)
    assert health.check_worker()["state"] == "down"
    env = {**os.environ, "HEARTBEAT_INTERVAL_SECONDS": "1"}
    celery = str(Path(sys.executable).parent / "celery")
    worker = subprocess.Popen(
        [
            celery,
            "-A",
            "lapor",
            "worker",
            "--beat",
            "--concurrency",
            "1",
            "--loglevel",
            "WARNING",
            "--schedule",
            str(tmp_path / "beat-schedule"),
            "--without-gossip",
            "--without-mingle",
        ],
        env=env,
        cwd=BASE,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        state = None
        deadline = time.monotonic() + 90  # a bound on waiting, not a timing assertion
        while time.monotonic() < deadline and worker.poll() is None:
            state = health.check_worker()["state"]
            if state == "ok":
                break
            time.sleep(0.5)
        output = "" if worker.poll() is None else worker.stdout.read().decode()
        assert state == "ok", output
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
        client.delete(health.HEARTBEAT_KEY)
