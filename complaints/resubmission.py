"""A form sent again after its answer was lost (a phone's link dropped after the upload
reached the server, and the citizen pressed "Coba kirim lagi" or the browser resent it) is
not filed twice. The form carries a random ``submission_key``; the first request that uses it
claims it and, when done, remembers where it led (the receipt, the draft); a second request
with the same key is sent there instead of filing again. Kept in the cache (Redis) for an
hour; when Redis is down, the key is not checked and the form is filed as it would be
without it (the outage is logged, the citizen is not blocked)."""

from __future__ import annotations

import logging
import secrets

from django.core.cache import cache
from django.utils.translation import gettext as _

from lapor.errors import Stale
from lapor.outages import OUTAGE_ERRORS

logger = logging.getLogger("lapor.resubmission")

KEEP_SECONDS = 3600
FIELD = "submission_key"
_PENDING = "…"


def new_key() -> str:
    return secrets.token_urlsafe(18)


def _cache_key(user_id: int, key: str) -> str:
    return f"resubmission:{user_id}:{key}"


def claim(*, user_id: int, key: str) -> str | None:
    """Where an earlier request with this key led (send this one there), or None: this
    request files the form. Stale when the earlier request is still being handled."""
    if not key or len(key) > 64:
        return None
    name = _cache_key(user_id, key)
    try:
        if cache.add(name, _PENDING, KEEP_SECONDS):
            return None
        earlier = cache.get(name)
    except OUTAGE_ERRORS as exc:
        logger.warning("resubmission key not checked (%s)", type(exc).__name__)
        return None
    if earlier in (None, _PENDING):
        raise Stale(_("Laporan ini sedang dikirim. Tunggu sebentar, lalu coba lagi."))
    return str(earlier)


def remember(*, user_id: int, key: str, url: str) -> None:
    """The request with this key led to ``url``."""
    if not key or len(key) > 64:
        return
    try:
        cache.set(_cache_key(user_id, key), url, KEEP_SECONDS)
    except OUTAGE_ERRORS as exc:
        logger.warning("resubmission key not kept (%s)", type(exc).__name__)
