"""Keeping the statistics' rollups: recompute whole days, then the months they are in.

Two grains. ``StatRollup``/``StatHistogram``: per receipt day (Asia/Jakarta) × holding body ×
category × province × regency (× rejection reason), recomputed from the reports. ``StatCube``/
``StatCubeHistogram``: per month × scope (national, a province, a regency, a body with
everything below it, a category) × the parts the pages break that scope into, summed from
the daily rows. A page over whole months reads the cube (a few hundred rows); a partial month
at a period's edge reads the daily rows of those days (``routing.statistics``).

Why a rebuild and not counters bumped inside every act: a report's figures are settled long
after it is received (the follow-up clock is met or breached 60 working days on, the citizen
rates and answers "Sudah tuntas?" later still), and a counter kept in a dozen services drifts
the day one of them forgets. A day's rows are instead *recomputed* from its reports, which is
exactly the recomputation the tests and the benchmark compare against, and idempotent. Every
step is set-based SQL (``INSERT … SELECT … GROUP BY``); the working-day buckets join a small
table of cumulative working days per province, built from ``routing.calendar``.

- ``refresh(now)`` (beat, every 10 minutes): the days in ``StatDirtyDay`` — written by
  database triggers in the same transaction as whatever changed a report, its
  first-response/final-answer events or its follow-up clock (migration
  ``0024_statistics_dirty_days``) — each rebuilt, then their months. The run records
  ``as_of`` (the time it began reading), which every statistics page shows ("Data per …");
  the pages' figures are cached per run (``routing.statistics``).
- ``rebuild(first, last)`` (``manage.py rebuild_statistics``): the backfill.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.db.models import Min
from django.utils import timezone

from agencies.models import Body
from complaints.models import EventKind, Report, ReportStatus
from routing.calendar import _Calendar, working_days_between
from routing.models import (
    Clock,
    ClockKind,
    StatCube,
    StatCubeHistogram,
    StatDirtyDay,
    StatHistogram,
    StatRefresh,
    StatRollup,
)

# Reports are counted on the day they were received, in the capital's zone: one national
# calendar of days for every page (a report received at 23:30 WIT is the next day in WIB).
# The triggers of migration 0023 use the same zone.
STATS_ZONE = ZoneInfo("Asia/Jakarta")
DAYS_PER_TRANSACTION = 7  # the refresh's chunk; the backfill's is BACKFILL_SPAN
FIRST_RESPONSE_WINDOW = timedelta(hours=24)
FIGURES = (
    "received", "confidential", "verified", "rejected", "archived", "referred_out",
    "first_responses", "first_within_24h", "final_answers", "follow_up_met",
    "follow_up_breached", "escalated", "rating_sum", "rating_count", "solved_yes",
    "solved_partly", "solved_no",
)


def local_day(moment: datetime) -> date:
    return moment.astimezone(STATS_ZONE).date()


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time.min, tzinfo=STATS_ZONE)
    return start.astimezone(UTC), (start + timedelta(days=1)).astimezone(UTC)


@lru_cache(maxsize=200_000)
def _working_days(start: date, end: date, tz: str, province_id: int | None) -> int:
    noon = time(12)
    return working_days_between(datetime.combine(start, noon, tzinfo=ZoneInfo(tz)),
                                datetime.combine(end, noon, tzinfo=ZoneInfo(tz)), tz,
                                province_id=province_id)


def bucket_of(start: datetime, end: datetime, tz: str, province_id: int | None) -> int:
    """The working day (by the deadline rule's default: day 1 is the first working day after
    the day of receipt, 0 the day itself) on which ``end`` fell, counted from ``start``;
    ``StatHistogram.OVER`` past 60. Only the local dates matter under that rule: the
    working days in (date of ``start``, date of ``end``]. The rebuild computes the same in
    SQL (``_working_day_table``)."""
    zone = ZoneInfo(tz)
    n = _working_days(start.astimezone(zone).date(), end.astimezone(zone).date(), tz,
                      province_id)
    return min(n, StatHistogram.OVER)


# --- The daily rows, in SQL --------------------------------------------------------------

_REPORTS_SQL = """
DROP TABLE IF EXISTS stat_r;
CREATE TEMP TABLE stat_r ON COMMIT DROP AS
SELECT (rep.submitted_at AT TIME ZONE 'Asia/Jakarta')::date AS day,
       rep.holder_body_id AS body_id, rep.category_id, rep.province_id, rep.regency_id,
       CASE WHEN rep.status = %(rejected)s THEN coalesce(rep.rejection_reason, '') ELSE ''
       END AS reason,
       rep.status, rep.status <> %(archived)s AS live, rep.is_confidential, rep.verified_at,
       rep.escalated_at, rep.rating, rep.solved_answer, rep.first_dispositioned_at AS started,
       coalesce(nullif(b.time_zone, ''), 'Asia/Jakarta') AS tz,
       ev.fr_at, ev.fa_at, coalesce(ck.met, false) AS met,
       coalesce(ck.breached, false) AS breached
FROM complaints_report rep
LEFT JOIN agencies_body b ON b.id = rep.holder_body_id
{joins}
WHERE rep.submitted_at >= %(t0)s AND rep.submitted_at < %(t1)s AND rep.status <> %(draft)s;
"""

# A few days (the refresh): each report's events and clocks through their report index.
_JOINS_FEW = """
LEFT JOIN LATERAL (
    SELECT min(e.created_at) FILTER (WHERE e.kind = %(first_response)s) AS fr_at,
           min(e.created_at) FILTER (WHERE e.kind = %(resolved)s) AS fa_at
    FROM complaints_reportevent e
    WHERE e.report_id = rep.id AND e.kind IN (%(first_response)s, %(resolved)s)
) ev ON TRUE
LEFT JOIN LATERAL (
    SELECT bool_or(c.outcome = %(met)s) AS met, bool_or(c.breached_at IS NOT NULL) AS breached
    FROM routing_clock c WHERE c.report_id = rep.id AND c.kind = %(follow_up)s
) ck ON TRUE
"""
# Many days (the backfill): the events and clocks grouped once, hash-joined to the reports.
_JOINS_MANY = """
LEFT JOIN (
    SELECT e.report_id, min(e.created_at) FILTER (WHERE e.kind = %(first_response)s) AS fr_at,
           min(e.created_at) FILTER (WHERE e.kind = %(resolved)s) AS fa_at
    FROM complaints_reportevent e
    WHERE e.kind IN (%(first_response)s, %(resolved)s)
    GROUP BY e.report_id
) ev ON ev.report_id = rep.id
LEFT JOIN (
    SELECT c.report_id, bool_or(c.outcome = %(met)s) AS met,
           bool_or(c.breached_at IS NOT NULL) AS breached
    FROM routing_clock c WHERE c.kind = %(follow_up)s GROUP BY c.report_id
) ck ON ck.report_id = rep.id
"""
MANY_DAYS = 62
BACKFILL_SPAN = 366

_ROLLUP_SQL = """
INSERT INTO routing_statrollup (day, body_id, category_id, province_id, regency_id,
    rejection_reason, received, confidential, verified, rejected, archived, referred_out,
    first_responses, first_within_24h, final_answers, follow_up_met, follow_up_breached,
    escalated, rating_sum, rating_count, solved_yes, solved_partly, solved_no)
SELECT day, body_id, category_id, province_id, regency_id, reason,
    count(*) FILTER (WHERE live),
    count(*) FILTER (WHERE live AND is_confidential),
    count(*) FILTER (WHERE live AND verified_at IS NOT NULL),
    count(*) FILTER (WHERE status = %(rejected)s),
    count(*) FILTER (WHERE NOT live),
    count(*) FILTER (WHERE status = %(referred_out)s),
    count(*) FILTER (WHERE live AND fr_at IS NOT NULL),
    count(*) FILTER (WHERE live AND fr_at IS NOT NULL AND started IS NOT NULL
                     AND fr_at - started <= %(window)s),
    count(*) FILTER (WHERE live AND fa_at IS NOT NULL),
    count(*) FILTER (WHERE live AND met AND NOT breached),
    count(*) FILTER (WHERE live AND breached),
    count(*) FILTER (WHERE live AND escalated_at IS NOT NULL),
    coalesce(sum(rating) FILTER (WHERE live), 0),
    count(rating) FILTER (WHERE live),
    count(*) FILTER (WHERE live AND solved_answer = 'yes'),
    count(*) FILTER (WHERE live AND solved_answer = 'partly'),
    count(*) FILTER (WHERE live AND solved_answer = 'no')
FROM stat_r GROUP BY 1, 2, 3, 4, 5, 6;
DROP TABLE IF EXISTS stat_h;
CREATE TEMP TABLE stat_h ON COMMIT DROP AS
SELECT day, body_id, category_id, province_id, regency_id, %(m_first)s::varchar AS measure,
       (started AT TIME ZONE tz)::date AS a, (fr_at AT TIME ZONE tz)::date AS b
FROM stat_r WHERE live AND fr_at IS NOT NULL AND started IS NOT NULL
UNION ALL
SELECT day, body_id, category_id, province_id, regency_id, %(m_final)s,
       (started AT TIME ZONE tz)::date, (fa_at AT TIME ZONE tz)::date
FROM stat_r WHERE live AND fa_at IS NOT NULL AND started IS NOT NULL;
"""

_HISTOGRAM_SQL = """
INSERT INTO routing_stathistogram (day, body_id, category_id, province_id, regency_id,
    measure, bucket, n)
SELECT h.day, h.body_id, h.category_id, h.province_id, h.regency_id, h.measure,
       least(greatest(wb.w - wa.w, 0), %(over)s), count(*)
FROM stat_h h
JOIN stat_wd wa ON wa.pid = coalesce(h.province_id, 0) AND wa.day = h.a
JOIN stat_wd wb ON wb.pid = coalesce(h.province_id, 0) AND wb.day = h.b
GROUP BY 1, 2, 3, 4, 5, 6, 7;
"""


def _params(t0: datetime, t1: datetime) -> dict[str, Any]:
    return {
        "t0": t0, "t1": t1, "draft": ReportStatus.DRAFT.value,
        "rejected": ReportStatus.REJECTED.value, "archived": ReportStatus.ARCHIVED.value,
        "referred_out": ReportStatus.REFERRED_OUT.value,
        "first_response": EventKind.FIRST_RESPONSE.value, "resolved": EventKind.RESOLVED.value,
        "met": Clock.Outcome.MET.value, "follow_up": ClockKind.FOLLOW_UP.value,
        "window": FIRST_RESPONSE_WINDOW, "over": StatHistogram.OVER,
        "m_first": StatHistogram.Measure.FIRST_RESPONSE.value,
        "m_final": StatHistogram.Measure.FINAL_ANSWER.value,
    }


def _working_day_table(cursor: Any) -> None:
    """``stat_wd(pid, day, w)``: for each province of ``stat_h`` (0: none, the national
    calendar) and each date its rows need, ``w`` the working days from the first such date
    to ``day`` inclusive, so that w(b) − w(a) = the working days in (a, b] = the bucket."""
    cur = cursor  # a DB-API cursor (Django's wrapper)
    cur.execute("SELECT min(least(a, b)), max(greatest(a, b)), "
                "array_agg(DISTINCT coalesce(province_id, 0)) FROM stat_h")
    lo, hi, pids = cur.fetchone()
    cur.execute("DROP TABLE IF EXISTS stat_wd; CREATE TEMP TABLE stat_wd "
                "(pid int, day date, w int, PRIMARY KEY (pid, day)) ON COMMIT DROP")
    if lo is None:
        return
    out_pid: list[int] = []
    out_day: list[date] = []
    out_w: list[int] = []
    for pid in pids:
        calendar = _Calendar(pid or None)
        day, w = lo, 0
        while day <= hi:
            w += calendar.is_working(day)
            out_pid.append(pid)
            out_day.append(day)
            out_w.append(w)
            day += timedelta(days=1)
    cur.execute("INSERT INTO stat_wd SELECT * FROM unnest(%s::int[], %s::date[], "
                "%s::int[])", [out_pid, out_day, out_w])
    cur.execute("ANALYZE stat_wd")


def _rebuild_span(first: date, last: date) -> int:
    """Delete and write again the daily rows of the days ``first``..``last``; returns how
    many reports were read. Inside the caller's transaction."""
    t0, _unused = _day_bounds(first)
    _unused2, t1 = _day_bounds(last)
    StatRollup.objects.filter(day__gte=first, day__lte=last).delete()
    StatHistogram.objects.filter(day__gte=first, day__lte=last).delete()
    params = _params(t0, t1)
    with connection.cursor() as cursor:
        joins = _JOINS_MANY if (last - first).days + 1 > MANY_DAYS else _JOINS_FEW
        cursor.execute(_REPORTS_SQL.format(joins=joins), params)
        cursor.execute("SELECT count(*) FROM stat_r")
        read = int(cursor.fetchone()[0])
        if read:
            cursor.execute(_ROLLUP_SQL, params)
            _working_day_table(cursor)
            cursor.execute(_HISTOGRAM_SQL, params)
        cursor.execute("DROP TABLE IF EXISTS stat_r, stat_h, stat_wd")
    return read


# --- The page grain (months × scopes × parts), in SQL ------------------------------------

_SUM_COLUMNS = ", ".join(FIGURES)
_SUMS = ", ".join(f"sum({f})" for f in FIGURES)
# scope code: (the scope's id, which rows belong to it, the parts its pages break it into)
CUBE_SCOPES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "n": ("0", "TRUE", ("category", "province")),
    "p": ("province_id", "province_id IS NOT NULL", ("category", "regency")),
    "r": ("regency_id", "regency_id IS NOT NULL", ("category", "body")),
    "c": ("category_id", "category_id IS NOT NULL", ("category", "province")),
    "b": ("anc_id", "TRUE", ("category", "own", "child")),
}
# part: (its key, which rows have one)
CUBE_DIMS: dict[str, tuple[str, str]] = {
    "": ("''", "TRUE"),
    "reason": ("rejection_reason", "rejection_reason <> ''"),
    "category": ("category_id::text", "category_id IS NOT NULL"),
    "province": ("province_id::text", "province_id IS NOT NULL"),
    "regency": ("regency_id::text", "regency_id IS NOT NULL"),
    "body": ("body_id::text", "body_id IS NOT NULL"),
    "own": ("body_id::text", "body_id = anc_id"),
    "child": ("substr(bpath, 1, anc_len + %(steplen)s)", "bdepth > anc_depth"),
}
_CTE = """
WITH r AS (
    SELECT date_trunc('month', s.day)::date AS month, s.*, b.path AS bpath, b.depth AS bdepth
    FROM {table} s LEFT JOIN agencies_body b ON b.id = s.body_id
    WHERE s.day >= %(first)s AND s.day < %(end)s
), rb AS (
    SELECT r.*, a.id AS anc_id, a.depth AS anc_depth, length(a.path) AS anc_len
    FROM r CROSS JOIN LATERAL generate_series(1, r.bdepth) AS k(k)
    JOIN agencies_body a ON a.path = substr(r.bpath, 1, %(steplen)s * k.k)
)
"""


def _cube_sql() -> str:
    parts = []
    for code, (scope_id, where, dims) in CUBE_SCOPES.items():
        source = "rb" if code == "b" else "r"
        for dim in ("", "reason", *dims):
            key, has = CUBE_DIMS[dim]
            # GROUP BY takes no constants (the national id, the total's key).
            group = ", ".join(g for g in ("month", scope_id, key) if g not in ("0", "''"))
            parts.append(  # every piece a constant of this module, no input
                f"SELECT month, '{code}', {scope_id}, '{dim}', {key}, {_SUMS} "  # noqa: S608
                f"FROM {source} WHERE {where} AND {has} GROUP BY {group}"
            )
    return (_CTE.format(table="routing_statrollup")
            + f"INSERT INTO routing_statcube (month, scope, scope_id, dim, key, {_SUM_COLUMNS})\n"
            + "\nUNION ALL\n".join(parts))


def _cube_hist_sql() -> str:
    parts = []
    for code, (scope_id, where, _dims) in CUBE_SCOPES.items():
        source = "rb" if code == "b" else "r"
        group = ", ".join(g for g in ("month", scope_id, "measure", "bucket") if g != "0")
        parts.append(f"SELECT month, '{code}', {scope_id}, measure, bucket, "  # noqa: S608
                     f"sum(n) FROM {source} WHERE {where} GROUP BY {group}")
    return (_CTE.format(table="routing_stathistogram")
            + "INSERT INTO routing_statcubehistogram (month, scope, scope_id, measure, bucket, n)\n"
            + "\nUNION ALL\n".join(parts))


def month_of(day: date) -> date:
    return day.replace(day=1)


def next_month(month: date) -> date:
    return (month.replace(day=1) + timedelta(days=32)).replace(day=1)


def rebuild_months(months: Iterable[date], *, longest: int = 12) -> None:
    """Sum the daily rows of each month into the page grain (delete and write again): a run
    of consecutive months (at most ``longest``) per statement and transaction."""
    runs: list[list[date]] = []
    for month in sorted({month_of(m) for m in months}):
        if runs and next_month(runs[-1][-1]) == month and len(runs[-1]) < longest:
            runs[-1].append(month)
        else:
            runs.append([month])
    for run in runs:
        params: dict[str, Any] = {"first": run[0], "end": next_month(run[-1]),
                                  "steplen": Body.steplen}
        with transaction.atomic():
            StatCube.objects.filter(month__gte=run[0], month__lte=run[-1]).delete()
            StatCubeHistogram.objects.filter(month__gte=run[0], month__lte=run[-1]).delete()
            with connection.cursor() as cursor:
                # Compiling this 40-branch statement (JIT, above its cost threshold) takes
                # seconds; running it takes ~0.1 s a month.
                cursor.execute("SET LOCAL jit = off")
                cursor.execute(_cube_sql(), params)
                cursor.execute(_cube_hist_sql(), params)


# --- What changed ---------------------------------------------------------------------------


def changed_days(since: datetime | None = None) -> set[date]:
    """The receipt days marked changed (by the triggers) and not yet recomputed, or only
    those marked at or after ``since``: one read of the small ``StatDirtyDay`` table."""
    rows = StatDirtyDay.objects.all()
    if since is not None:
        rows = rows.filter(marked_at__gte=since)
    return set(rows.values_list("day", flat=True))


def _claim(days: Iterable[date] | None = None) -> set[date]:
    """Take these days (all, with None) off the queue, in a statement of its own: a change
    committed afterwards marks its day again, so it is read by this run or the next; no act
    waits for a rebuild's transaction."""
    with connection.cursor() as cursor:
        if days is None:
            cursor.execute("DELETE FROM routing_statdirtyday RETURNING day")
        else:
            cursor.execute("DELETE FROM routing_statdirtyday WHERE day = ANY(%s) RETURNING day",
                           [sorted(set(days))])
        return {row[0] for row in cursor.fetchall()}


def _mark(days: Iterable[date]) -> None:
    """Put days back on the queue (a rebuild that failed)."""
    StatDirtyDay.objects.bulk_create([StatDirtyDay(day=d) for d in days],
                                     ignore_conflicts=True)


# --- The runs -------------------------------------------------------------------------------


def _spans(days: list[date], longest: int) -> list[tuple[date, date]]:
    """Runs of consecutive days (at most ``longest`` long), so each run is one range query."""
    spans: list[list[date]] = []
    for day in sorted(set(days)):
        if spans and (day - spans[-1][-1]).days == 1 and len(spans[-1]) < longest:
            spans[-1].append(day)
        else:
            spans.append([day])
    return [(s[0], s[-1]) for s in spans]


def rebuild_days(days: Iterable[date], *, months: bool = True,
                 longest: int = DAYS_PER_TRANSACTION) -> int:
    """Delete and write again the daily rows of ``days`` (contiguous or not), a span of at
    most ``longest`` days per transaction, then (``months``) their months' page grain.
    Returns how many reports were read."""
    day_list = sorted(set(days))
    if not day_list:
        return 0
    _claim(day_list)
    read, done = 0, 0
    try:
        for first, last in _spans(day_list, longest):
            with transaction.atomic():
                read += _rebuild_span(first, last)
            done += (last - first).days + 1
    except BaseException:
        _mark(day_list[done:])
        raise
    if months:
        rebuild_months(day_list)
    return read


def rebuild(*, first: date, last: date, now: datetime | None = None) -> StatRefresh:
    """The backfill: every day from ``first`` to ``last``, up to a year per transaction
    (events and clocks grouped once per span, not looked up report by report)."""
    now = now or timezone.now()
    run = StatRefresh.objects.create(as_of=now, is_full=True)
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    read = rebuild_days(days, longest=BACKFILL_SPAN)
    run.days = len(days)
    run.reports, run.finished_at = read, timezone.now()
    run.save(update_fields=["days", "reports", "finished_at"])
    return run


def refresh(*, now: datetime | None = None) -> StatRefresh:
    """The beat's run: recompute the days marked changed (everything, the first time),
    recording the moment it began reading as the statistics' ``as_of``."""
    now = now or timezone.now()
    last = StatRefresh.objects.filter(finished_at__isnull=False).order_by("-as_of").first()
    if last is None:
        bounds = Report.objects.exclude(submitted_at__isnull=True).aggregate(
            first=Min("submitted_at"))
        run = StatRefresh.objects.create(as_of=now, is_full=True)
        _claim()
        days: set[date] = set()
        if bounds["first"] is not None:
            start, end = local_day(bounds["first"]), local_day(now)
            days = {start + timedelta(days=i) for i in range((end - start).days + 1)}
        longest = BACKFILL_SPAN
    else:
        run = StatRefresh.objects.create(as_of=now)
        days = _claim()
        longest = DAYS_PER_TRANSACTION
    try:
        read = rebuild_days(days, longest=longest)
    except BaseException:
        _mark(days)
        raise
    run.days, run.reports, run.finished_at = len(days), read, timezone.now()
    run.save(update_fields=["days", "reports", "finished_at"])
    return run
