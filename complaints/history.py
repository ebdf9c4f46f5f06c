"""The append-only, hash-chained history of a report.

``append_event`` is the only writer of ``ReportEvent``. The caller holds the report's row lock
(``select_for_update``) so sequence numbers and the hash chain are written one at a time. Each
event's hash covers its content and the previous event's hash; ``broken_histories`` recomputes
the chains and names every report whose stored history no longer matches.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from agencies.models import Body, User
from complaints.models import Report, ReportEvent, Visibility

_HASHED_FIELDS = (
    "report_id", "seq", "kind", "actor_id", "actor_body_id", "from_body_id", "to_body_id",
    "note", "visibility", "data", "created_at",
)


def event_hash(event: ReportEvent) -> str:
    content: dict[str, Any] = {}
    for name in _HASHED_FIELDS:
        value = getattr(event, name)
        if isinstance(value, datetime):
            value = value.astimezone(UTC).isoformat(timespec="microseconds")
        content[name] = value
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256((event.prev_hash + "|" + canonical).encode("utf-8")).hexdigest()


def append_event(
    *,
    report: Report,
    kind: str,
    actor: User | None = None,
    actor_body: Body | None = None,
    from_body: Body | None = None,
    to_body: Body | None = None,
    note: str = "",
    visibility: str = Visibility.PUBLIC,
    data: dict[str, Any] | None = None,
    at: datetime | None = None,
    after: tuple[int, str] | None = None,
) -> ReportEvent:
    """Write the next event of ``report``. The caller must hold the report's row lock.
    ``after``: the (seq, hash) of the report's last event when the caller read it under that
    lock (``last_event_annotations``), or (0, "") for a report without events; then the
    chain goes on without reading it again."""
    if after is None:
        last = ReportEvent.objects.filter(report=report).order_by("-seq").values(
            "seq", "hash").first()
    else:
        last = {"seq": after[0], "hash": after[1]} if after[0] else None
    event = ReportEvent(
        report=report,
        seq=(last["seq"] + 1) if last else 1,
        kind=kind,
        actor=actor,
        actor_body=actor_body,
        from_body=from_body,
        to_body=to_body,
        note=note,
        visibility=visibility,
        data=data or {},
        created_at=at or timezone.now(),
        prev_hash=last["hash"] if last else "",
    )
    event.hash = event_hash(event)
    event.save(force_insert=True)
    return event


def last_event_annotations() -> dict[str, Subquery]:
    """For the query that locks a report: its last event's seq and hash (None without one),
    read in the same statement, for ``append_event(after=…)``."""
    last = ReportEvent.objects.filter(report=OuterRef("pk")).order_by("-seq")
    return {"last_event_seq": Subquery(last.values("seq")[:1]),
            "last_event_hash": Subquery(last.values("hash")[:1])}


def last_event_of(report: Report) -> tuple[int, str]:
    """What ``last_event_annotations`` read into ``report``."""
    seq = getattr(report, "last_event_seq", None)
    return (seq, report.last_event_hash) if seq else (0, "")  # type: ignore[attr-defined]


def broken_histories(reports: QuerySet[Report] | None = None) -> Iterator[tuple[int, int, str]]:
    """Yield (report id, event seq, what is wrong) for every event that breaks its chain."""
    events = ReportEvent.objects.order_by("report_id", "seq")
    if reports is not None:
        events = events.filter(report__in=reports)
    current_report = None
    previous_hash = ""
    expected_seq = 1
    for event in events.iterator(chunk_size=2000):
        if event.report_id != current_report:
            current_report, previous_hash, expected_seq = event.report_id, "", 1
        if event.seq != expected_seq:
            yield event.report_id, event.seq, f"sequence gap: expected {expected_seq}"
        if event.prev_hash != previous_hash:
            yield event.report_id, event.seq, "previous hash does not match"
        if event_hash(event) != event.hash:
            yield event.report_id, event.seq, "content does not match its hash"
        previous_hash, expected_seq = event.hash, event.seq + 1
