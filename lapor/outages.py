"""When Redis (cache, broker) is down or hangs: what the web side does about it.

- ``publish_after_commit(task, *args)``: queue a task once the transaction commits, as one
  attempt bounded by REDIS_BROKER_SOCKET_TIMEOUT. A broker that refuses or does not answer is
  logged and the request carries on: every task published this way is also kept in the
  database (an email in the outbox, a webhook delivery, an export job) and a beat sweep sends
  it once the broker is back. After a failure, this process does not try the broker again for
  BROKER_BACKOFF_SECONDS, so a request with several emails waits on a hung broker once.
- ``OUTAGE_ERRORS`` and ``unavailable()``: a Redis error that escaped anyway becomes a 503
  with a sentence in the user's language (``lapor.api_errors``, ``lapor.page_errors``), never
  a server error.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError
from redis.exceptions import RedisError

from lapor.errors import Unavailable

logger = logging.getLogger("lapor.outages")

OUTAGE_ERRORS: tuple[type[BaseException], ...] = (RedisError, OperationalError)
BROKER_BACKOFF_SECONDS = 5.0
RETRY_AFTER_SECONDS = 30

_lock = threading.Lock()
_broker_failed_at: float | None = None


def unavailable() -> Unavailable:
    return Unavailable(
        _("Layanan sedang terganggu sebentar. Silakan coba lagi dalam beberapa saat."),
        RETRY_AFTER_SECONDS,
    )


def broker_recently_failed() -> bool:
    with _lock:
        return _broker_failed_at is not None and (
            time.monotonic() - _broker_failed_at < BROKER_BACKOFF_SECONDS
        )


def _record_broker(ok: bool) -> None:
    global _broker_failed_at
    with _lock:
        _broker_failed_at = None if ok else time.monotonic()


def publish(task: Any, *args: Any, countdown: float | None = None) -> bool:
    """Send ``task`` to the broker now, once (to run ``countdown`` seconds from now, if
    given); False (logged) when the broker is unreachable."""
    name = getattr(task, "name", repr(task))
    if broker_recently_failed():
        logger.warning("task %s not queued: the broker failed moments ago; a sweep sends it",
                       name)
        return False
    try:
        if countdown:
            task.apply_async(args, countdown=countdown)
        else:
            task.delay(*args)
    except OUTAGE_ERRORS as exc:  # kombu wraps every transport error in OperationalError
        _record_broker(False)
        logger.warning("task %s not queued (%s: %s); a sweep sends it", name,
                       type(exc).__name__, exc)
        return False
    except Exception:  # anything else (a task run eagerly that failed): logged, not raised
        logger.exception("task %s not queued", name)
        return False
    _record_broker(True)
    return True


def publish_after_commit(task: Any, *args: Any) -> None:
    """``publish`` once the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: publish(task, *args), robust=True)


def forget_failures() -> None:
    """Try the broker again at the next publish (tests; a process that knows it is back)."""
    _record_broker(True)
