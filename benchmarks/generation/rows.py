"""Formatting generated values for COPY, fast, and the event hash.

Times are integers: microseconds since the Unix epoch, UTC. ``event_hash`` computes exactly
what ``complaints.history.event_hash`` computes for the same event (the canonical JSON is
built by hand here because it runs millions of times; the tests check with
``broken_histories`` that the two agree).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from json.encoder import encode_basestring  # what json.dumps(str, ensure_ascii=False) uses

from django.utils import translation
from django.utils.dates import MONTHS_3

SECOND = 1_000_000
MINUTE = 60 * SECOND
HOUR = 60 * MINUTE
DAY = 24 * HOUR
NULL = "\\N"
_EPOCH = date(1970, 1, 1)
_day_strings: dict[int, str] = {}
_TIMES_OF_DAY = [f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}" for s in range(86_400)]


@dataclass(frozen=True)
class Table:
    """A table the generator fills, with its columns in COPY order."""

    name: str
    columns: tuple[str, ...]


def to_micros(moment: datetime) -> int:
    """An aware datetime as microseconds since the epoch."""
    delta = moment.astimezone(UTC) - datetime(1970, 1, 1, tzinfo=UTC)
    return (delta.days * 86_400 + delta.seconds) * SECOND + delta.microseconds


def to_datetime(micros: int) -> datetime:
    return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=micros)


def _day(day_number: int) -> str:
    text = _day_strings.get(day_number)
    if text is None:
        text = _day_strings[day_number] = (_EPOCH + timedelta(days=day_number)).isoformat()
    return text


_timestamps: dict[int, str] = {}


def timestamp(micros: int) -> str:
    """A timestamptz for COPY. Remembered for a while: one act's moment appears in its event,
    disposition, clocks and notifications."""
    text = _timestamps.get(micros)
    if text is None:
        if len(_timestamps) > 100_000:
            _timestamps.clear()
        day_number, rest = divmod(micros, DAY)
        day = _day_strings.get(day_number) or _day(day_number)
        text = _timestamps[micros] = (
            f"{day} {_TIMES_OF_DAY[rest // SECOND]}.{rest % SECOND:06d}+00"
        )
    return text


def iso(micros: int) -> str:
    """What ``datetime.astimezone(UTC).isoformat(timespec="microseconds")`` gives."""
    day_number, rest = divmod(micros, DAY)
    day = _day_strings.get(day_number) or _day(day_number)
    return f"{day}T{_TIMES_OF_DAY[rest // SECOND]}.{rest % SECOND:06d}+00:00"


def local_date(micros: int, offset: int) -> str:
    """The ISO date of ``micros`` in a zone ``offset`` microseconds east of UTC."""
    return _day((micros + offset) // DAY)


_SHORT_MONTHS: list[str] = []


def local_minute(micros: int, offset: int, zone_abbreviation: str) -> str:
    """``agencies.time_zones.local_text`` in Indonesian ("16 Nov 2026 23.59 WIB") of
    ``micros`` in a zone ``offset`` microseconds east of UTC."""
    if not _SHORT_MONTHS:
        with translation.override("id"):
            _SHORT_MONTHS.extend([""] + [str(MONTHS_3[m]).title() for m in range(1, 13)])
    day_number, rest = divmod(micros + offset, DAY)
    day = _day(day_number)
    clock = _TIMES_OF_DAY[rest // SECOND]
    return (f"{int(day[8:10])} {_SHORT_MONTHS[int(day[5:7])]} {day[:4]} "
            f"{clock[:2]}.{clock[3:5]} {zone_abbreviation}")


def text(value: str) -> str:
    """A text value escaped for COPY's text format."""
    if "\\" in value:
        value = value.replace("\\", "\\\\")
    if "\n" in value or "\r" in value or "\t" in value:
        value = value.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    return value


def canonical_data(data: dict[str, object]) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _json_id(value: int | None) -> str:
    return "null" if value is None else str(value)


def event_hash(
    prev_hash: str, *, report_id: int, seq: int, kind: str, actor_id: int | None,
    actor_body_id: int | None, from_body_id: int | None, to_body_id: int | None, note: str,
    visibility: str, data_json: str, created_at: int,
) -> str:
    """SHA-256 over the previous hash and the event's canonical JSON (keys sorted)."""
    canonical = (
        f'{{"actor_body_id":{_json_id(actor_body_id)},"actor_id":{_json_id(actor_id)},'
        f'"created_at":"{iso(created_at)}","data":{data_json},'
        f'"from_body_id":{_json_id(from_body_id)},"kind":"{kind}",'
        f'"note":{encode_basestring(note)},"report_id":{report_id},"seq":{seq},'
        f'"to_body_id":{_json_id(to_body_id)},"visibility":"{visibility}"}}'
    )
    return hashlib.sha256((prev_hash + "|" + canonical).encode("utf-8")).hexdigest()
