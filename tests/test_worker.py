"""A real Celery worker with beat: the heartbeat it runs turns /health/ green.

Nothing here depends on how fast the machine is: the test waits for a condition under a
generous deadline, and the worker, its pool and its beat are stopped as one process group
before the test ends, whether it passed or not."""

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from lapor import health

BASE = Path(__file__).resolve().parent.parent

# Bounds on waiting, never expectations: on an idle machine the heartbeat arrives within a few
# seconds and the warm shutdown takes about two; a loaded one (a full suite beside a benchmark)
# may take many times that.
HEALTHY_WITHIN_SECONDS = 180
WARM_SHUTDOWN_WITHIN_SECONDS = 120


@contextlib.contextmanager
def running(args: list[str], *, env: dict[str, str], log: Path) -> Iterator[subprocess.Popen]:
    """The command in a session of its own, so that its children (the pool, the embedded beat)
    share its process group. On the way out: SIGTERM to the leader (Celery's warm shutdown,
    which stops the pool and beat), a wait for it, then SIGKILL to whatever of the group is
    left (a hung leader, or a child it left behind), and the leader reaped."""
    with log.open("wb") as out:
        process = subprocess.Popen(
            args, env=env, cwd=BASE, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=WARM_SHUTDOWN_WITHIN_SECONDS)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)  # the group's id is the leader's pid
        process.wait()


def _wait_for_health(worker: subprocess.Popen) -> str | None:
    """The worker's state once it is "ok", or the last one seen when the worker exited or the
    deadline passed."""
    state = None
    deadline = time.monotonic() + HEALTHY_WITHIN_SECONDS
    while time.monotonic() < deadline and worker.poll() is None:
        state = health.check_worker()["state"]
        if state == "ok":
            break
        time.sleep(0.5)
    return state


@pytest.mark.services
def test_worker_and_beat_make_health_green(tmp_path):
    client = health._redis_client()
    client.delete(health.HEARTBEAT_KEY)
    assert health.check_worker()["state"] == "down"
    # The heartbeat expires after one interval; 2 s gives a task on a busy machine time to be
    # picked up, and beat sends another at every interval until one is.
    env = {**os.environ, "HEARTBEAT_INTERVAL_SECONDS": "2"}
    celery = str(Path(sys.executable).parent / "celery")
    log = tmp_path / "worker.log"
    args = [
        celery, "-A", "lapor", "worker", "--beat", "--concurrency", "1", "--loglevel", "INFO",
        "--schedule", str(tmp_path / "beat-schedule"), "--without-gossip", "--without-mingle",
    ]
    try:
        with running(args, env=env, log=log) as worker:
            state = _wait_for_health(worker)
            exited = worker.poll()
        assert state == "ok", f"worker state {state!r}, exit code {exited}:\n{log.read_text()}"
    finally:
        client.delete(health.HEARTBEAT_KEY)
