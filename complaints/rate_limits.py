"""Fixed-window rate limits kept in Redis (the Django cache): per account and per address.

``hit(action, request)`` counts one attempt and raises ``TooMany`` with a sentence for the
user when a limit for that action is exceeded. Limits are settings (RATE_LIMITS) so that an
operator can tune them without a deploy.

Each count is one atomic step: one Lua script increments every key of the action (the
account's and the address's) and gives a new key its expiry, in one round trip, so a key that
vanishes between two commands (a Redis restart, an eviction) cannot break a count.

When Redis cannot be reached (refused, or no answer within REDIS_CACHE_SOCKET_TIMEOUT), an
action fails *closed* or *open* (README, "Running at national scale"):

- closed (``FAIL_CLOSED``: registration, a new confirmation link, password reset, an email
  alert's subscription): refused
  with ``Unavailable`` (503, ``Retry-After``) and a sentence saying to try again in a moment,
  because these send email to an address anyone can type and would flood mailboxes unlimited;
- open (filing, Open311 requests, uploads, supports, look-ups): allowed and logged
  (``lapor.rate_limits`` warning), because a citizen's report must not be lost to a counter.

For a few seconds after a failure (``OUTAGE_BACKOFF_SECONDS``) this process does not ask
Redis again, so a hung Redis costs one timeout per process, not one per request.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import gettext as _
from redis.exceptions import RedisError

from lapor.errors import TooMany, Unavailable

logger = logging.getLogger("lapor.rate_limits")

DEFAULT_LIMITS: dict[str, dict[str, tuple[int, int]]] = {
    # action: {scope: (max attempts, window in seconds)}
    "file_report": {"user": (10, 3600), "ip": (30, 3600)},
    "support": {"user": (60, 3600), "ip": (200, 3600)},
    "register": {"ip": (10, 3600)},
    "password_reset": {"ip": (10, 3600)},
    "track": {"ip": (60, 600)},
    "upload": {"user": (60, 3600), "ip": (120, 3600)},
    # An Open311 application files for many people: counted per client (its account), in
    # place of the citizen's file_report limit.
    "open311_request": {"user": (600, 3600)},
    # the similar reports looked up as the citizen types (debounced by the page's script)
    "similar": {"user": (600, 3600), "ip": (1200, 3600)},
    # the open data API (routing.api.opendata): a client walking every page of a large set
    # should take the daily files instead
    "open_data": {"ip": (1200, 3600)},
    # email alerts (complaints.alerts): each request may mail a confirmation link
    "alert_subscribe": {"ip": (20, 3600)},
}
# Refused while Redis is unreachable; every other action is allowed (and logged).
FAIL_CLOSED = frozenset({"register", "password_reset", "alert_subscribe"})
OUTAGE_BACKOFF_SECONDS = 5.0
UNAVAILABLE_RETRY_AFTER = 30

# KEYS: the counters; ARGV: each one's expiry in seconds. Returns each counter's new value.
# A counter without an expiry (written by anything else) is given one too.
_COUNT_SCRIPT = """
local counts = {}
for i, key in ipairs(KEYS) do
  local count = redis.call('INCR', key)
  if count == 1 or redis.call('TTL', key) < 0 then
    redis.call('EXPIRE', key, ARGV[i])
  end
  counts[i] = count
end
return counts
"""


class _Outage:
    """When this process last failed to reach Redis (shared by its threads)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.since: float | None = None

    def recent(self) -> bool:
        with self.lock:
            return self.since is not None and time.monotonic() - self.since < (
                OUTAGE_BACKOFF_SECONDS
            )

    def record(self) -> None:
        with self.lock:
            self.since = time.monotonic()

    def clear(self) -> None:
        with self.lock:
            self.since = None


outage = _Outage()


def client_address(request: HttpRequest) -> str:
    # Behind the production proxy REMOTE_ADDR is the proxy; it sets X-Forwarded-For and only
    # it can (the app is not reachable otherwise), so its last hop is the client.
    if getattr(settings, "TRUST_X_FORWARDED_FOR", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "unknown")


def _limits(action: str) -> dict[str, tuple[int, int]]:
    configured = getattr(settings, "RATE_LIMITS", {}) or {}
    return configured.get(action, DEFAULT_LIMITS.get(action, {}))


def _count(keys: list[str], windows: list[int]) -> list[int]:
    """Increment every key in one atomic step; their values after it."""
    backend: Any = cache
    names = [backend.make_and_validate_key(key) for key in keys]
    # Django's client makes a Redis client object on every call (on the same pool); this one
    # is kept with the backend's pools, which a new cache configuration replaces.
    pools = backend._cache
    client = getattr(pools, "_lapor_write_client", None)
    if client is None:
        client = pools._lapor_write_client = pools.get_client(names[0], write=True)
    counts = client.eval(_COUNT_SCRIPT, len(names), *names, *[w + 5 for w in windows])
    return [int(count) for count in counts]


def _unreachable(action: str, exc: BaseException | None) -> None:
    """Redis did not answer the count of ``action``: refuse it or let it through."""
    if exc is not None:
        outage.record()
        logger.warning("rate limit %s not counted: Redis unreachable (%s: %s)", action,
                       type(exc).__name__, exc)
    else:
        logger.warning("rate limit %s not counted: Redis unreachable moments ago", action)
    if action in FAIL_CLOSED:
        raise Unavailable(
            _("Layanan sedang terganggu sebentar. Silakan coba lagi dalam beberapa saat; "
              "isian Anda tetap ada."),
            UNAVAILABLE_RETRY_AFTER,
        )


def hit(action: str, request: HttpRequest) -> None:
    """Count one attempt at ``action``; raise TooMany past any limit (Unavailable for an
    action that fails closed while Redis is unreachable)."""
    now = int(time.time())
    user = getattr(request, "user", None)
    keys: list[str] = []
    limits: list[tuple[int, int]] = []
    for scope, (limit, window) in _limits(action).items():
        if scope == "user":
            if user is None or not user.is_authenticated:
                continue
            who = f"u{user.pk}"
        else:
            who = f"ip{client_address(request)}"
        keys.append(f"ratelimit:{action}:{who}:{now // window}")
        limits.append((limit, window))
    if not keys:
        return
    if outage.recent():
        _unreachable(action, None)
        return
    try:
        counts = _count(keys, [window for _limit, window in limits])
    except (RedisError, OSError) as exc:
        _unreachable(action, exc)
        return
    outage.clear()
    exceeded = [window - (now % window)
                for count, (limit, window) in zip(counts, limits, strict=True) if count > limit]
    if exceeded:
        retry_after = max(exceeded)
        minutes = max(1, -(-retry_after // 60))
        raise TooMany(
            _(
                "Terlalu banyak percobaan dalam waktu singkat. Silakan coba lagi dalam "
                "%(minutes)d menit."
            )
            % {"minutes": minutes},
            retry_after,
        )


def limiter(request: HttpRequest) -> Callable[[str], None]:
    """``hit`` bound to one request, for services that count attempts as they go
    (``complaints.services.intake.file_report``)."""
    return lambda action: hit(action, request)
