"""Indonesia's working days, and deadlines counted in them, in a body's own time zone.

A working day is Monday to Friday, minus the national public holidays and the government's
collective leave days (*cuti bersama*) that the ``holidays`` package knows, then the system
admin's ``CalendarDay`` overrides: a national row (no province) applies everywhere, a
province row applies to that province and wins over the national row there. An override can
make a weekend a working day or a weekday a holiday.

THE RULE for a deadline of *n* working days counted from a moment of receipt. Which day is
day 1 is a field of each deadline policy (``DayOne``), counted in the receiving body's time
zone (WIB, WITA or WIT):

- ``next_working_day`` (the default, as the law counts a period): the day of the event is
  not counted, so day 1 is the first working day after the local date on which the report
  reached the body, whatever the hour.
- ``same_day_before_close``: the day of receipt is day 1 only if it is a working day and the
  report arrived before office close (``OFFICE_CLOSES``, 16:00 local time); otherwise day 1
  is the next working day.

Either way:
- The deadline is the end of working day *n*: 23:59:59.999999 local time on that date,
  returned as an aware datetime in UTC. (``add_working_days``)
- By a moment *b*, the number of working days counted is the number of working days from
  day 1 up to and including the local date of *b* — the day *b* falls on counts as soon as
  it begins — and 0 before day 1 begins or when *b* is before the receipt. So for every
  n ≥ 1, ``working_days_between(a, add_working_days(a, n, tz), tz) == n``, and one
  microsecond before day *n* begins the count is n − 1. (``working_days_between``)

Aturan (untuk antarmuka, ``DayOne`` labels): bawaan, hari diterimanya laporan tidak dihitung:
hari ke-1 adalah hari kerja pertama sesudah hari laporan diterima instansi, pukul berapa pun;
pilihan lain, hari diterimanya laporan dihitung sebagai hari ke-1 bila hari itu hari kerja dan
laporan masuk sebelum pukul 16.00 waktu setempat instansi. Tenggat n hari kerja berakhir pada
pukul 23.59.59 waktu setempat pada hari kerja ke-n.

Cost: the holidays of a year are computed once per process; the overrides are read in one
query and kept for ``OVERRIDES_TTL_SECONDS`` (other processes) or until
``forget_overrides()`` (this process; the admin calls it on every save and delete). No
function here queries the database inside its loop over days.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from time import monotonic
from types import MappingProxyType
from zoneinfo import ZoneInfo

import holidays

from routing.models import CalendarDay, DayOne

OFFICE_CLOSES = time(16, 0)
OFFICE_OPENS = time(8, 0)  # when a warning counted in working days is sent
DEFAULT_DAY_ONE = DayOne.NEXT_WORKING_DAY
OVERRIDES_TTL_SECONDS = 60.0
HOLIDAY_CATEGORIES = ("public", "government")  # government: cuti bersama

_WEEKDAY_NAMES = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")


class DaySource:
    """Why a day is or is not a working day, from the strongest reason to the weakest."""

    PROVINCE_OVERRIDE = "province_override"
    NATIONAL_OVERRIDE = "national_override"
    HOLIDAY = "holiday"
    WEEKEND = "weekend"
    WORKING_DAY = "working_day"

    ALL = (PROVINCE_OVERRIDE, NATIONAL_OVERRIDE, HOLIDAY, WEEKEND, WORKING_DAY)


@dataclass(frozen=True)
class DayStatus:
    """One date of the calendar: working or not, and the reason in Indonesian."""

    date: date
    is_working_day: bool
    source: str  # one of DaySource.ALL
    reason: str  # the override's note, the holiday's name, "Sabtu"/"Minggu", or "Hari kerja"


# --- Holidays: fixed for the life of the process -------------------------------------------


@lru_cache(maxsize=64)
def holidays_in(year: int) -> Mapping[date, str]:
    """Indonesia's public holidays and cuti bersama of ``year``, with their Indonesian names."""
    found = holidays.country_holidays(
        "ID", years=year, categories=HOLIDAY_CATEGORIES, language="id"
    )
    return MappingProxyType(dict(found))


# --- Overrides: one query, kept for a short while --------------------------------------------


@dataclass(frozen=True)
class _Override:
    is_working_day: bool
    source: str
    note: str


class _Overrides:
    """Every ``CalendarDay`` row as read at ``loaded_at``, merged per province on demand."""

    def __init__(self, rows: Iterable[tuple[int | None, date, bool, str]]) -> None:
        self.loaded_at = monotonic()
        self._rows: dict[int | None, dict[date, _Override]] = {}
        for province_id, day, is_working, note in rows:
            source = DaySource.NATIONAL_OVERRIDE if province_id is None else (
                DaySource.PROVINCE_OVERRIDE
            )
            self._rows.setdefault(province_id, {})[day] = _Override(is_working, source, note)
        self._merged: dict[int | None, Mapping[date, _Override]] = {}

    def for_province(self, province_id: int | None) -> Mapping[date, _Override]:
        merged = self._merged.get(province_id)
        if merged is None:
            both = dict(self._rows.get(None, {}))
            if province_id is not None:
                both.update(self._rows.get(province_id, {}))  # the province's row wins
            merged = self._merged[province_id] = MappingProxyType(both)
        return merged


_overrides: _Overrides | None = None
_overrides_lock = threading.Lock()


def forget_overrides() -> None:
    """Drop this process's copy of the overrides; the next lookup reads them again."""
    global _overrides
    with _overrides_lock:
        _overrides = None


def _current_overrides() -> _Overrides:
    global _overrides
    current = _overrides
    if current is not None and monotonic() - current.loaded_at < OVERRIDES_TTL_SECONDS:
        return current
    rows = list(CalendarDay.objects.values_list("province_id", "date", "is_working_day", "note"))
    fresh = _Overrides(rows)
    with _overrides_lock:
        _overrides = fresh
    return fresh


class _Calendar:
    """The working days of one province (None: national only), read once for one call."""

    def __init__(self, province_id: int | None) -> None:
        self._overrides = _current_overrides().for_province(province_id)

    def is_working(self, day: date) -> bool:
        override = self._overrides.get(day)
        if override is not None:
            return override.is_working_day
        return day.weekday() < 5 and day not in holidays_in(day.year)

    def status(self, day: date) -> DayStatus:
        override = self._overrides.get(day)
        if override is not None:
            return DayStatus(day, override.is_working_day, override.source, override.note)
        holiday = holidays_in(day.year).get(day)
        if holiday is not None:
            return DayStatus(day, False, DaySource.HOLIDAY, holiday)
        if day.weekday() >= 5:
            return DayStatus(day, False, DaySource.WEEKEND, _WEEKDAY_NAMES[day.weekday()])
        return DayStatus(day, True, DaySource.WORKING_DAY, "Hari kerja")

    def next_working(self, day: date) -> date:
        """The first working day after ``day``. Ends: overrides and holidays are finite."""
        day += timedelta(days=1)
        while not self.is_working(day):
            day += timedelta(days=1)
        return day

    def previous_working(self, day: date) -> date:
        """The last working day before ``day``."""
        day -= timedelta(days=1)
        while not self.is_working(day):
            day -= timedelta(days=1)
        return day

    def day_one(self, local: datetime, rule: str = DEFAULT_DAY_ONE) -> date:
        received_on = local.date()
        if (rule == DayOne.SAME_DAY_BEFORE_CLOSE and local.time() < OFFICE_CLOSES
                and self.is_working(received_on)):
            return received_on
        return self.next_working(received_on)


def _local(moment: datetime, tz: str) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("Waktu harus memiliki zona waktu (aware datetime).")
    return moment.astimezone(ZoneInfo(tz))


# --- Public API -----------------------------------------------------------------------------


def is_working_day(day: date, *, province_id: int | None = None) -> bool:
    """Whether ``day`` is a working day nationally, or in the province ``province_id``."""
    return _Calendar(province_id).is_working(day)


def day_status(day: date, *, province_id: int | None = None) -> DayStatus:
    """``day`` with whether it is a working day and why."""
    return _Calendar(province_id).status(day)


def days_between(first: date, last: date, *, province_id: int | None = None) -> list[DayStatus]:
    """Every date from ``first`` to ``last`` inclusive, each with its status and reason."""
    calendar = _Calendar(province_id)
    count = (last - first).days + 1
    return [calendar.status(first + timedelta(days=i)) for i in range(max(count, 0))]


def office_day_starts(start: datetime, tz: str, *, province_id: int | None = None,
                      day_one: str = DEFAULT_DAY_ONE) -> date:
    """Day 1 of a count received at ``start`` under the convention ``day_one``: by default
    the first working day after that local date; with ``same_day_before_close`` that local
    date itself if it is a working day and ``start`` is before ``OFFICE_CLOSES`` there."""
    return _Calendar(province_id).day_one(_local(start, tz), day_one)


def add_working_days(
    start: datetime, n: int, tz: str, *, province_id: int | None = None,
    day_one: str = DEFAULT_DAY_ONE,
) -> datetime:
    """The deadline ``n`` working days after receipt at ``start``: the end of day ``n``
    (23:59:59.999999 in ``tz``), in UTC. ``n`` must be at least 1. Day 1 follows
    ``day_one`` (a ``DayOne`` value; the default when none is passed)."""
    if n < 1:
        raise ValueError(f"n must be at least 1, not {n}.")
    zone = ZoneInfo(tz)
    calendar = _Calendar(province_id)
    day = calendar.day_one(_local(start, tz), day_one)
    for _ in range(n - 1):
        day = calendar.next_working(day)
    return datetime.combine(day, time.max, tzinfo=zone).astimezone(UTC)


def working_days_before(
    deadline: datetime, n: int, tz: str, *, province_id: int | None = None
) -> datetime:
    """When ``n`` working days are left before ``deadline`` (the end of a working day): the
    opening (``OFFICE_OPENS``, local) of the working day ``n`` − 1 working days before the
    deadline's own day, in UTC. A warning "3 working days before" a deadline on Friday is
    sent on Wednesday at 08:00: Wednesday, Thursday and Friday are left."""
    if n < 1:
        raise ValueError(f"n must be at least 1, not {n}.")
    calendar = _Calendar(province_id)
    local = _local(deadline, tz)
    day = local.date()
    if not calendar.is_working(day):
        day = calendar.previous_working(day)
    for _ in range(n - 1):
        day = calendar.previous_working(day)
    return datetime.combine(day, OFFICE_OPENS, tzinfo=ZoneInfo(tz)).astimezone(UTC)


def working_days_from(start: datetime, n: int, tz: str, *,
                      province_id: int | None = None) -> datetime:
    """The end (23:59:59.999999 local) of the ``n``-th working day counting the local date
    of ``start`` itself as day 1 if it is a working day: the horizon "the next n working
    days" of the digest and the queues, in UTC."""
    calendar = _Calendar(province_id)
    day = _local(start, tz).date()
    if not calendar.is_working(day):
        day = calendar.next_working(day)
    for _ in range(n - 1):
        day = calendar.next_working(day)
    return datetime.combine(day, time.max, tzinfo=ZoneInfo(tz)).astimezone(UTC)


def working_days_between(
    a: datetime, b: datetime, tz: str, *, province_id: int | None = None,
    day_one: str = DEFAULT_DAY_ONE,
) -> int:
    """How many working days have been counted by moment ``b`` for something received at
    ``a``: the working days from day 1 (``office_day_starts``) to the local date of ``b``,
    both included. 0 when ``b`` is before ``a`` or before day 1 begins."""
    local_a, local_b = _local(a, tz), _local(b, tz)
    if local_b < local_a:
        return 0
    calendar = _Calendar(province_id)
    day = calendar.day_one(local_a, day_one)
    last = local_b.date()
    counted = 0
    while day <= last:
        if calendar.is_working(day):
            counted += 1
        day += timedelta(days=1)
    return counted
