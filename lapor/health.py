"""Liveness of the parts the portal needs: the database (and its read replica when one is
configured), Redis, and the Celery worker and beat.

Beat schedules ``lapor.tasks.heartbeat`` every HEARTBEAT_INTERVAL_SECONDS; the worker that runs
it stores the time in Redis. A heartbeat older than HEARTBEAT_STALE_AFTER_SECONDS means that
beat or every worker is down.
"""

from __future__ import annotations

import time
from typing import Any

import redis
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from redis.backoff import NoBackoff
from redis.retry import Retry

from lapor.db_router import REPLICA

HEARTBEAT_KEY = "lapor:heartbeat"


def _redis_client() -> redis.Redis:
    """A client that asks once and waits at most REDIS_CLIENT_TIMEOUT seconds (no retries: a
    health check must answer while Redis hangs)."""
    timeout = settings.REDIS_CLIENT_TIMEOUT
    return redis.Redis.from_url(
        settings.REDIS_URL, socket_connect_timeout=timeout, socket_timeout=timeout,
        retry=Retry(NoBackoff(), 0),
    )


def record_heartbeat(now: float | None = None) -> float:
    """Store the time of a heartbeat; called by the worker that runs the beat-scheduled task."""
    at = time.time() if now is None else now
    _redis_client().set(HEARTBEAT_KEY, repr(at), ex=settings.HEARTBEAT_STALE_AFTER_SECONDS * 10)
    return at


def check_database(alias: str = DEFAULT_DB_ALIAS) -> dict[str, Any]:
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure means "down"; the message says why
        return {"state": "down", "error": exc.__class__.__name__}
    return {"state": "ok"}


def check_redis() -> dict[str, Any]:
    try:
        _redis_client().ping()
    except Exception as exc:
        return {"state": "down", "error": exc.__class__.__name__}
    return {"state": "ok"}


def check_worker(now: float | None = None) -> dict[str, Any]:
    current = time.time() if now is None else now
    try:
        raw = _redis_client().get(HEARTBEAT_KEY)
    except Exception as exc:
        return {"state": "down", "error": exc.__class__.__name__}
    if raw is None:
        return {"state": "down", "error": "no heartbeat yet"}
    age = current - float(raw)
    state = "ok" if age <= settings.HEARTBEAT_STALE_AFTER_SECONDS else "down"
    result: dict[str, Any] = {"state": state, "last_heartbeat_seconds_ago": round(age, 1)}
    if state == "down":
        result["error"] = "heartbeat is stale: beat or every worker is down"
    return result


def overall_health() -> dict[str, Any]:
    redis_state = check_redis()
    components = {
        "database": check_database(),
        "redis": redis_state,
        # The heartbeat is read from Redis: when Redis is down, so is what we know of the
        # worker (and a second timeout on a hung Redis would only make /health/ slower).
        "worker": check_worker() if redis_state["state"] == "ok"
        else {"state": "down", "error": "Redis is unreachable"},
    }
    if REPLICA in settings.DATABASES:
        # Down: anonymous visitors' public pages fail; the operator unsets DATABASE_REPLICA_URL
        # (README, "Running at national scale").
        components["replica"] = check_database(REPLICA)
    down = sorted(name for name, part in components.items() if part["state"] != "ok")
    report: dict[str, Any] = {"status": "ok" if not down else "down", "components": components}
    if down:
        report["down"] = down
    return report
