"""Keeping the statistics' rollups (``StatRollup``, ``StatHistogram``): recompute whole days.

Why a rebuild and not counters bumped inside every act: a report's figures are settled long
after it is received (the follow-up clock is met or breached 60 working days on, the citizen
rates and answers "Sudah tuntas?" later still), and a counter kept in a dozen services drifts
the day one of them forgets. A day's rows are instead *recomputed* from its reports, which is
exactly the recomputation the tests and the benchmark compare against, and idempotent:

- ``refresh(now)`` (beat, every 10 minutes): the days whose reports changed since the last
  run (a report saved, an event written, a clock breached or stopped), each deleted and
  written again in one transaction. The run records ``as_of`` (the time it began reading),
  which every statistics page shows ("Data per …").
- ``rebuild(first, last)`` (``manage.py rebuild_statistics``): the backfill, day range by day
  range.

A page never reads the reports table: it sums rollup rows (``routing.statistics``).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Exists, Min, OuterRef, Q, Subquery
from django.db.models.functions import TruncDate
from django.utils import timezone

from complaints.models import EventKind, Report, ReportEvent, ReportStatus
from routing.calendar import working_days_between
from routing.models import Clock, ClockKind, StatHistogram, StatRefresh, StatRollup

# Reports are counted on the day they were received, in the capital's zone: one national
# calendar of days for every page (a report received at 23:30 WIT is the next day in WIB).
STATS_ZONE = ZoneInfo("Asia/Jakarta")
# Changes committed just before a run began may carry an earlier timestamp than its as_of:
# the next run looks back this far before it.
LOOKBACK = timedelta(minutes=5)
DAYS_PER_TRANSACTION = 7
FIRST_RESPONSE_WINDOW = timedelta(hours=24)

Key = tuple[date, int | None, int | None, int | None, int | None, str]
HistKey = tuple[date, int | None, int | None, int | None, int | None, str, int]


def local_day(moment: datetime) -> date:
    return moment.astimezone(STATS_ZONE).date()


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time.min, tzinfo=STATS_ZONE)
    return start.astimezone(UTC), (start + timedelta(days=1)).astimezone(UTC)


@lru_cache(maxsize=200_000)
def _working_days(start: datetime, end: datetime, tz: str, province_id: int | None) -> int:
    return working_days_between(start, end, tz, province_id=province_id)


def bucket_of(start: datetime, end: datetime, tz: str, province_id: int | None) -> int:
    """The working day (1 = the day of receipt, by the deadline rule) on which ``end`` fell,
    counted from ``start``; ``StatHistogram.OVER`` past 60."""
    # Cache on the minute: the count depends on the local dates and the 16:00 rule only.
    n = _working_days(start.replace(second=0, microsecond=0),
                      end.replace(second=0, microsecond=0), tz, province_id)
    return min(n, StatHistogram.OVER)


def report_rows(reports: Iterable[Any]) -> tuple[Counter[Key], dict[Key, Counter[str]],
                                                  Counter[HistKey]]:
    """The rollup of these reports (rows of ``_report_values``): per key, each figure."""
    counts: dict[Key, Counter[str]] = defaultdict(Counter)
    hist: Counter[HistKey] = Counter()
    keys: Counter[Key] = Counter()
    for r in reports:
        reason = r["rejection_reason"] if r["status"] == ReportStatus.REJECTED else ""
        key: Key = (local_day(r["submitted_at"]), r["holder_body_id"], r["category_id"],
                    r["province_id"], r["regency_id"], reason)
        keys[key] += 1
        c = counts[key]
        if r["status"] == ReportStatus.ARCHIVED:
            c["archived"] += 1
            continue  # archived reports count nowhere else
        c["received"] += 1
        c["confidential"] += int(r["is_confidential"])
        c["verified"] += int(r["verified_at"] is not None)
        c["rejected"] += int(r["status"] == ReportStatus.REJECTED)
        c["referred_out"] += int(r["status"] == ReportStatus.REFERRED_OUT)
        c["escalated"] += int(r["escalated_at"] is not None)
        c["follow_up_breached"] += int(r["follow_up_breached"])
        c["follow_up_met"] += int(r["follow_up_met"] and not r["follow_up_breached"])
        if r["rating"] is not None:
            c["rating_sum"] += r["rating"]
            c["rating_count"] += 1
        if r["solved_answer"]:
            c[f"solved_{r['solved_answer']}"] += 1
        start = r["first_dispositioned_at"]
        tz = r["holder_body__time_zone"] or "Asia/Jakarta"
        hkey = key[:5]
        if r["first_response_at"] is not None:
            c["first_responses"] += 1
            if start is not None:
                c["first_within_24h"] += int(
                    r["first_response_at"] - start <= FIRST_RESPONSE_WINDOW
                )
                hist[(*hkey, StatHistogram.Measure.FIRST_RESPONSE,
                      bucket_of(start, r["first_response_at"], tz, r["province_id"]))] += 1
        if r["final_answer_at"] is not None:
            c["final_answers"] += 1
            if start is not None:
                hist[(*hkey, StatHistogram.Measure.FINAL_ANSWER,
                      bucket_of(start, r["final_answer_at"], tz, r["province_id"]))] += 1
    return keys, counts, hist


def _first_event(kind: str) -> Subquery:
    return Subquery(
        ReportEvent.objects.filter(report=OuterRef("pk"), kind=kind)
        .values("report").annotate(at=Min("created_at")).values("at")[:1]
    )


def _follow_up(**condition: Any) -> Exists:
    return Exists(Clock.objects.filter(report=OuterRef("pk"), kind=ClockKind.FOLLOW_UP,
                                       **condition))


def _report_values(first: datetime, last: datetime) -> Iterable[dict[str, Any]]:
    """Every submitted report received in [first, last), with what the rollup needs: one
    query, its subqueries through the events' and clocks' report indexes."""
    return (
        Report.objects.filter(submitted_at__gte=first, submitted_at__lt=last)
        .exclude(status=ReportStatus.DRAFT)
        .annotate(
            first_response_at=_first_event(EventKind.FIRST_RESPONSE),
            final_answer_at=_first_event(EventKind.RESOLVED),
            follow_up_met=_follow_up(outcome=Clock.Outcome.MET),
            follow_up_breached=_follow_up(breached_at__isnull=False),
        )
        .values(
            "submitted_at", "holder_body_id", "category_id", "province_id", "regency_id",
            "status", "rejection_reason", "is_confidential", "verified_at", "escalated_at",
            "rating", "solved_answer", "first_dispositioned_at", "holder_body__time_zone",
            "first_response_at", "final_answer_at", "follow_up_met", "follow_up_breached",
        )
        .iterator(chunk_size=2000)
    )


@transaction.atomic
def rebuild_days(days: Iterable[date]) -> int:
    """Delete and write again the rollup rows of ``days`` (contiguous or not). Returns how
    many reports were read."""
    day_list = sorted(set(days))
    if not day_list:
        return 0
    read = 0
    StatRollup.objects.filter(day__in=day_list).delete()
    StatHistogram.objects.filter(day__in=day_list).delete()
    for span in _spans(day_list):
        first, _unused = _day_bounds(span[0])
        _unused2, last = _day_bounds(span[-1])
        values = list(_report_values(first, last))
        read += len(values)
        keys, counts, hist = report_rows(values)
        StatRollup.objects.bulk_create(
            [StatRollup(day=k[0], body_id=k[1], category_id=k[2], province_id=k[3],
                        regency_id=k[4], rejection_reason=k[5], **counts[k]) for k in keys],
            batch_size=2000,
        )
        StatHistogram.objects.bulk_create(
            [StatHistogram(day=k[0], body_id=k[1], category_id=k[2], province_id=k[3],
                           regency_id=k[4], measure=k[5], bucket=k[6], n=n)
             for k, n in hist.items()],
            batch_size=2000,
        )
    return read


def _spans(days: list[date]) -> list[list[date]]:
    """Runs of consecutive days, so each run is one range query."""
    spans: list[list[date]] = []
    for day in days:
        if spans and (day - spans[-1][-1]).days == 1:
            spans[-1].append(day)
        else:
            spans.append([day])
    return spans


def rebuild(*, first: date, last: date, now: datetime | None = None) -> StatRefresh:
    """The backfill: every day from ``first`` to ``last``, a week per transaction."""
    now = now or timezone.now()
    run = StatRefresh.objects.create(as_of=now, is_full=True)
    day, read = first, 0
    while day <= last:
        chunk = [day + timedelta(days=i) for i in range(DAYS_PER_TRANSACTION)
                 if day + timedelta(days=i) <= last]
        read += rebuild_days(chunk)
        day = chunk[-1] + timedelta(days=1)
    run.days = (last - first).days + 1
    run.reports, run.finished_at = read, timezone.now()
    run.save(update_fields=["days", "reports", "finished_at"])
    return run


def changed_days(since: datetime) -> set[date]:
    """The receipt days of the reports that changed at or after ``since``: the report saved,
    an event written, a clock breached or ended (the sweep's breach saves no report)."""
    report_ids = (
        Report.objects.filter(Q(updated_at__gte=since)).values("pk")
        .union(ReportEvent.objects.filter(created_at__gte=since).values("report_id"))
        .union(Clock.objects.filter(Q(breached_at__gte=since) | Q(stopped_at__gte=since))
               .values("report_id"))
    )
    return {
        d for d in Report.objects.filter(pk__in=Subquery(report_ids), submitted_at__isnull=False)
        .annotate(d=TruncDate("submitted_at", tzinfo=STATS_ZONE))
        .values_list("d", flat=True).distinct()
    }


def refresh(*, now: datetime | None = None) -> StatRefresh:
    """The beat's run: recompute the days touched since the last run (everything, the first
    time), recording the moment it began reading as the statistics' ``as_of``."""
    now = now or timezone.now()
    last = StatRefresh.objects.filter(finished_at__isnull=False).order_by("-as_of").first()
    if last is None:
        bounds = Report.objects.exclude(submitted_at__isnull=True).aggregate(
            first=Min("submitted_at"))
        run = StatRefresh.objects.create(as_of=now, is_full=True)
        days: set[date] = set()
        if bounds["first"] is not None:
            start, end = local_day(bounds["first"]), local_day(now)
            days = {start + timedelta(days=i) for i in range((end - start).days + 1)}
    else:
        run = StatRefresh.objects.create(as_of=now)
        days = changed_days(last.as_of - LOOKBACK)
    read = 0
    ordered = sorted(days)
    for i in range(0, len(ordered), DAYS_PER_TRANSACTION):
        read += rebuild_days(ordered[i:i + DAYS_PER_TRANSACTION])
    run.days, run.reports, run.finished_at = len(days), read, timezone.now()
    run.save(update_fields=["days", "reports", "finished_at"])
    return run
