"""Fixed-window rate limits kept in Redis (the Django cache): per account and per address.

``hit(action, request)`` counts one attempt and raises ``TooMany`` with a sentence for the
user when a limit for that action is exceeded. Limits are settings (RATE_LIMITS) so that an
operator can tune them without a deploy.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import gettext as _

from lapor.errors import TooMany

DEFAULT_LIMITS: dict[str, dict[str, tuple[int, int]]] = {
    # action: {scope: (max attempts, window in seconds)}
    "file_report": {"user": (10, 3600), "ip": (30, 3600)},
    "support": {"user": (60, 3600), "ip": (200, 3600)},
    "register": {"ip": (10, 3600)},
    "password_reset": {"ip": (10, 3600)},
    "track": {"ip": (60, 600)},
    "upload": {"user": (60, 3600), "ip": (120, 3600)},
}


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


def hit(action: str, request: HttpRequest) -> None:
    """Count one attempt at ``action``; raise TooMany past any limit."""
    now = int(time.time())
    user = getattr(request, "user", None)
    for scope, (limit, window) in _limits(action).items():
        if scope == "user":
            if user is None or not user.is_authenticated:
                continue
            who = f"u{user.pk}"
        else:
            who = f"ip{client_address(request)}"
        bucket = now // window
        key = f"ratelimit:{action}:{who}:{bucket}"
        added = cache.add(key, 1, timeout=window + 5)
        count = 1 if added else cache.incr(key)
        if count > limit:
            retry_after = window - (now % window)
            minutes = max(1, retry_after // 60)
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
