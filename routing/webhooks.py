"""Signed webhooks to the Ombudsman's case system through an outbox.

``enqueue`` writes a row in the caller's transaction (so an escalation and its notice commit
together, or neither); ``deliver_due`` posts the due rows, each claimed with
``FOR UPDATE SKIP LOCKED``, signs "<timestamp>.<body>" with HMAC-SHA256 (header
``X-Lapor-Signature: t=<unix seconds>,v1=<hex>``, made afresh at every attempt, checked by the
receiver as ``verify_signature`` does) and retries with exponential back-off and jitter until
the receiver answers 2xx (or gives up after WEBHOOK_MAX_ATTEMPTS).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import random
import time
import urllib.error
import urllib.request
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from complaints.models import Report
from lapor.outages import publish_after_commit
from routing.models import WebhookDelivery

logger = logging.getLogger(__name__)


# A receiver refuses a delivery signed longer ago than this (or this far in the future): a
# captured request replayed later fails. See README, "Checking a webhook's signature".
SIGNATURE_TOLERANCE_SECONDS = 300


def _mac(secret: str, timestamp: int, body: bytes) -> str:
    return hmac.new(
        secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256
    ).hexdigest()


def signature(body: bytes, secret: str, *, timestamp: int | None = None) -> str:
    """The ``X-Lapor-Signature`` header of ``body`` sent at ``timestamp`` (unix seconds; now
    when None): ``t=<timestamp>,v1=<HMAC-SHA256 of "<timestamp>.<body>" in hex>``."""
    moment = int(time.time()) if timestamp is None else timestamp
    return f"t={moment},v1={_mac(secret, moment, body)}"


def verify_signature(
    secret: str,
    header: str,
    body: bytes,
    tolerance: int = SIGNATURE_TOLERANCE_SECONDS,
    now: float | None = None,
) -> bool:
    """What a receiver checks (the README publishes the same function): the header is
    well-formed, its timestamp lies within ``tolerance`` seconds of ``now`` (a replayed
    capture is refused) and one of its ``v1`` signatures matches ``body``, compared in
    constant time."""
    timestamp: int | None = None
    candidates: list[str] = []
    for part in header.split(","):
        key, _sep, value = part.strip().partition("=")
        if key == "t" and value.isdigit():
            timestamp = int(value)
        elif key == "v1" and value:
            candidates.append(value)
    if timestamp is None or not candidates:
        return False
    current = time.time() if now is None else now
    if abs(current - timestamp) > tolerance:
        return False
    expected = _mac(secret, timestamp, body)
    # Every candidate is compared (no early exit) so the time taken says nothing.
    matches = [hmac.compare_digest(expected, candidate) for candidate in candidates]
    return any(matches)


def enqueue(*, report: Report, event_kind: str, payload: dict[str, Any]) -> WebhookDelivery | None:
    """Queue a notice if a receiver is configured; delivery starts after commit."""
    url = settings.OMBUDSMAN_WEBHOOK_URL
    if not url:
        return None
    delivery = WebhookDelivery.objects.create(
        report=report, event_kind=event_kind, url=url, payload=payload
    )
    from routing import tasks  # the task module imports this one

    # One try after commit; while the broker is down the beat sweep delivers it.
    publish_after_commit(tasks.deliver_webhooks)
    return delivery


def _backoff(attempts: int) -> timedelta:
    base = min(30 * (2 ** (attempts - 1)), 6 * 3600)
    return timedelta(seconds=base + random.uniform(0, base / 4))


def deliver_due(*, now: datetime | None = None, limit: int = 50) -> dict[str, int]:
    """Post every pending notice whose time has come; returns counts by outcome."""
    outcome = {"delivered": 0, "retry": 0, "failed": 0}
    while True:
        with transaction.atomic():
            current = now or timezone.now()
            batch = list(
                WebhookDelivery.objects.select_for_update(skip_locked=True)
                .filter(state=WebhookDelivery.State.PENDING, next_attempt_at__lte=current)
                .order_by("next_attempt_at")[:limit]
            )
            if not batch:
                return outcome
            for delivery in batch:
                outcome[_attempt(delivery, current)] += 1
        if now is not None:  # a replay at a fixed moment: one pass
            return outcome


def _attempt(delivery: WebhookDelivery, now: datetime) -> str:
    body = json.dumps(delivery.payload, sort_keys=True, ensure_ascii=False).encode()
    request = urllib.request.Request(  # noqa: S310 - the URL is the admin's configuration
        delivery.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            # Signed at this attempt, whatever ``now`` the sweep runs at: the receiver compares
            # the timestamp with its own clock.
            "X-Lapor-Signature": signature(body, settings.OMBUDSMAN_WEBHOOK_SECRET),
            "X-Lapor-Delivery": str(delivery.pk),
        },
    )
    delivery.attempts += 1
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            ok = 200 <= response.status < 300
            error = "" if ok else f"HTTP {response.status}"
    except urllib.error.HTTPError as exc:
        ok, error = False, f"HTTP {exc.code}"
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        ok, error = False, str(exc)[:300]
    if ok:
        delivery.state = WebhookDelivery.State.DELIVERED
        delivery.delivered_at = now
        delivery.last_error = ""
        result = "delivered"
    elif delivery.attempts >= settings.WEBHOOK_MAX_ATTEMPTS:
        delivery.state = WebhookDelivery.State.FAILED
        delivery.last_error = error
        logger.error("webhook %s gave up after %s attempts: %s", delivery.pk,
                     delivery.attempts, error)
        result = "failed"
    else:
        delivery.next_attempt_at = now + _backoff(delivery.attempts)
        delivery.last_error = error
        result = "retry"
    delivery.save(update_fields=["state", "attempts", "next_attempt_at", "last_error",
                                 "delivered_at"])
    return result
