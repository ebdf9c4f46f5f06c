"""The statistics pages at scale: rollups vs the naive aggregate, and a recomputation check.

Builds a scratch database (``<DATABASE_URL's name>_statsbench``), migrates it, loads the tree
and the routing rules, fills it with ``benchmarks.generate_reports --count N`` (reports with
their history and clocks over ``--days``; ``--reuse``: keep that database if it already holds
~N reports, only migrating it), backfills the rollups (``rebuild_statistics``, timed) and
then, for the national page, the province with most reports, that province's regency/city
with most reports, the province's government (a body with everything below it) and the
category with most reports, each over the last 12 months:

- p95 of the page itself (Django's test client, in process: the view, its queries on the
  rollups, the template), as served (figures cached per refresh) and cold (every request
  under a new cache generation: its figures computed once from the rollups, as the first
  request after a refresh does);
- p95 of the cold page's SQL replayed alone;
- p95 of the naive aggregate: the same figures computed from ``complaints_report`` (and its
  events and clocks) by one SQL query, what a page without rollups would have to run;
- the check: every figure of the rollups equals the naive recomputation from the raw reports
  (received, verified, rejected, archived, first responses and within 24 hours, final
  answers, follow-up met/breached, escalated, ratings) for each of the three scopes.

Also: what the 10-minute refresh reads to find the changed days (the queue's query, EXPLAIN
ANALYZE; the former scan of reports/events/clocks for comparison) and a refresh after one
changed day.

Figures, not a test: exits 0 unless the check fails (1) or something could not run.

    .venv/bin/python -m benchmarks.statistics [--count 20000] [--days 400] [--repeat 40]
        [--naive-repeat 5] [--reuse] [--skip-rebuild] [--json figures.json]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from benchmarks.load import percentile
from benchmarks.scratch import scratch_database

JAKARTA = ZoneInfo("Asia/Jakarta")
TARGET_P95_MS = 100.0
FIGURES = ("received", "verified", "rejected", "archived", "first_responses",
           "first_within_24h", "final_answers", "follow_up_met", "follow_up_breached",
           "escalated", "rating_sum", "rating_count")

# The naive aggregate: the statistics from the reports themselves (cohort: received in
# [first, last) in WIB days), with the same definitions as routing.services.statistics.
NAIVE_SQL = """
WITH r AS (
  SELECT rep.*,
    (SELECT min(e.created_at) FROM complaints_reportevent e
      WHERE e.report_id = rep.id AND e.kind = 'first_response') AS fr_at,
    EXISTS (SELECT 1 FROM complaints_reportevent e
      WHERE e.report_id = rep.id AND e.kind = 'resolved') AS answered,
    EXISTS (SELECT 1 FROM routing_clock c WHERE c.report_id = rep.id
      AND c.kind = 'follow_up' AND c.outcome = 'met') AS fu_met,
    EXISTS (SELECT 1 FROM routing_clock c WHERE c.report_id = rep.id
      AND c.kind = 'follow_up' AND c.breached_at IS NOT NULL) AS fu_breached
  FROM complaints_report rep
  LEFT JOIN agencies_body b ON b.id = rep.holder_body_id
  WHERE rep.status <> 'draft' AND rep.submitted_at >= %(first)s AND rep.submitted_at < %(last)s
    {scope}
)
SELECT
  count(*) FILTER (WHERE status <> 'archived'),
  count(*) FILTER (WHERE status <> 'archived' AND verified_at IS NOT NULL),
  count(*) FILTER (WHERE status = 'rejected'),
  count(*) FILTER (WHERE status = 'archived'),
  count(*) FILTER (WHERE status <> 'archived' AND fr_at IS NOT NULL),
  count(*) FILTER (WHERE status <> 'archived' AND fr_at IS NOT NULL
                   AND first_dispositioned_at IS NOT NULL
                   AND fr_at - first_dispositioned_at <= interval '24 hours'),
  count(*) FILTER (WHERE status <> 'archived' AND answered),
  count(*) FILTER (WHERE status <> 'archived' AND fu_met AND NOT fu_breached),
  count(*) FILTER (WHERE status <> 'archived' AND fu_breached),
  count(*) FILTER (WHERE status <> 'archived' AND escalated_at IS NOT NULL),
  coalesce(sum(rating) FILTER (WHERE status <> 'archived'), 0),
  count(rating) FILTER (WHERE status <> 'archived')
FROM r
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=20_000)
    parser.add_argument("--days", type=int, default=400)
    parser.add_argument("--repeat", type=int, default=40, help="requests per page figure")
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument("--naive-repeat", type=int, default=0,
                        help="runs of the naive aggregate per scope (default: repeat/4, >= 5)")
    parser.add_argument("--reuse", action="store_true",
                        help="keep the scratch database if it already holds ~count reports")
    parser.add_argument("--skip-rebuild", action="store_true",
                        help="with --reuse: keep the rollups already built")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    reused = args.reuse and _reusable("statsbench", args.count)
    name = _point_at("statsbench") if reused else scratch_database("statsbench")
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    from agencies.models import Body, Region
    from benchmarks import generate_reports
    from complaints.models import Category
    from routing import statistics as stats
    from routing.models import StatDirtyDay
    from routing.services import statistics as rollups

    generated: float | None = None
    if reused:
        call_command("migrate", verbosity=0)
        print(f"reusing {name}: migrated in {time.perf_counter() - started:.1f} s")
    else:
        call_command("seed_routing_rules", verbosity=0)
        print(f"scratch database {name}: ready in {time.perf_counter() - started:.1f} s")
        t0 = time.perf_counter()
        if generate_reports.main(["--count", str(args.count), "--days", str(args.days)],
                                 say=lambda line: None) != 0:
            print("generate_reports failed", file=sys.stderr)
            return 2
        generated = time.perf_counter() - t0
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM complaints_report")
        reports = cursor.fetchone()[0]
    rebuilt: float | None = None
    if not (reused and args.skip_rebuild):
        t0 = time.perf_counter()
        call_command("rebuild_statistics", verbosity=0)
        rebuilt = time.perf_counter() - t0
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE routing_statrollup")
        cursor.execute("ANALYZE routing_stathistogram")
        cursor.execute("SELECT count(*) FROM routing_statrollup")
        rollup_rows = cursor.fetchone()[0]
        cursor.execute("ANALYZE routing_statcube")
        cursor.execute("ANALYZE routing_statcubehistogram")
        cursor.execute("SELECT count(*) FROM routing_statcube")
        cube_rows = cursor.fetchone()[0]
    print(f"{reports:,} reports" + (f" generated in {generated:.1f} s" if generated else "")
          + (f"; rollups rebuilt in {rebuilt:.1f} s" if rebuilt is not None else "")
          + f" ({rollup_rows:,} daily rows, {cube_rows:,} page-grain rows)")

    today = datetime.now(JAKARTA).date()
    first_day, last_day = stats.last_twelve_months(today)
    bounds = {
        "first": datetime.combine(first_day, datetime.min.time(), tzinfo=JAKARTA).astimezone(UTC),
        "last": (datetime.combine(last_day, datetime.min.time(), tzinfo=JAKARTA)
                 + timedelta(days=1)).astimezone(UTC),
    }
    with connection.cursor() as cursor:
        cursor.execute("SELECT province_id, count(*) FROM complaints_report WHERE province_id "
                       "IS NOT NULL GROUP BY 1 ORDER BY 2 DESC LIMIT 1")
        province_id = cursor.fetchone()[0]
        cursor.execute("SELECT regency_id, count(*) FROM complaints_report WHERE province_id "
                       "= %s AND regency_id IS NOT NULL GROUP BY 1 ORDER BY 2 DESC LIMIT 1",
                       [province_id])
        regency_id = cursor.fetchone()[0]
        cursor.execute("SELECT category_id, count(*) FROM complaints_report WHERE category_id "
                       "IS NOT NULL GROUP BY 1 ORDER BY 2 DESC LIMIT 1")
        category_id = cursor.fetchone()[0]
    province = Region.objects.get(pk=province_id)
    regency = Region.objects.get(pk=regency_id)
    government = Body.objects.get(source_key=f"province-{province.code}")
    category = Category.objects.get(pk=category_id)
    scopes = [
        ("national", "/statistik/", stats.Scope(), ""),
        (f"province {province.name}", f"/statistik/provinsi/{province.pk}/",
         stats.Scope(province=province), "AND rep.province_id = %(province)s"),
        (f"regency {regency.name}", f"/statistik/wilayah/{regency.pk}/",
         stats.Scope(regency=regency), "AND rep.regency_id = %(regency)s"),
        (f"body {government.name} (subtree)", f"/statistik/instansi/{government.pk}/",
         stats.Scope(body=government), "AND b.path LIKE %(path)s"),
        (f"category {category.name}", f"/statistik/kategori/{category.slug}/",
         stats.Scope(category=category), "AND rep.category_id = %(category)s"),
    ]
    params: dict[str, Any] = {**bounds, "province": province.pk, "regency": regency.pk,
                              "path": government.path + "%", "category": category.pk}
    if stats.as_of() is None:
        rollups.refresh()  # a finished run: the pages' cache key
    client = Client(HTTP_HOST="127.0.0.1")
    # In process, without collectstatic: static URLs unhashed (the pages are otherwise as in
    # production, DEBUG off).
    override_settings(STORAGES={
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }).enable()
    results: list[dict[str, Any]] = []
    all_equal = True
    # Cold: every request under a generation of its own, as the first request after a
    # refresh is (its figures computed once from the rollups and stored in the cache).
    generation = stats._generation
    cold_runs = [0]

    run_id = uuid.uuid4().hex  # the cache outlives a run: keys of this run only

    def cold_generation() -> str:
        return f"bench-cold-{run_id}-{cold_runs[0]}"

    def timed(url: str) -> list[float]:
        out = []
        for _ in range(args.repeat):
            cold_runs[0] += 1
            t = time.perf_counter()
            response = client.get(url)
            out.append((time.perf_counter() - t) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        return out

    for label, url, scope, where in scopes:
        stats._generation = cold_generation
        client.get(url)  # warm-up (templates, the connection)
        cold = timed(url)
        cold_runs[0] += 1
        with CaptureQueriesContext(connection) as ctx:
            client.get(url)
        # Read now: the next request's request_started signal empties the log.
        statements = [q["sql"] for q in ctx.captured_queries]
        stats._generation = generation
        client.get(url)
        page = timed(url)
        sql_alone = []
        with connection.cursor() as cursor:
            for _ in range(args.repeat):
                t = time.perf_counter()
                for sql in statements:
                    cursor.execute(sql)
                    cursor.fetchall()
                sql_alone.append((time.perf_counter() - t) * 1000)
            naive = []
            query = NAIVE_SQL.format(scope=where)
            for _ in range(args.naive_repeat or max(5, args.repeat // 4)):
                t = time.perf_counter()
                cursor.execute(query, params)
                raw = cursor.fetchone()
                naive.append((time.perf_counter() - t) * 1000)
        recomputed = dict(zip(FIGURES, (int(v) for v in raw), strict=True))
        from_rollups = {k: stats.figures(scope, first_day, last_day).sums[k] for k in FIGURES}
        equal = recomputed == from_rollups
        all_equal &= equal
        row = {"scope": label, "url": url, "queries": len(statements),
               "page_p95_ms": round(percentile(page, 95), 1),
               "page_uncached_p95_ms": round(percentile(cold, 95), 1),
               "rollup_sql_p95_ms": round(percentile(sql_alone, 95), 1),
               "naive_p95_ms": round(percentile(naive, 95), 1),
               "received": from_rollups["received"], "equal": equal}
        if not equal:
            row["differences"] = {k: (from_rollups[k], recomputed[k]) for k in FIGURES
                                  if from_rollups[k] != recomputed[k]}
        results.append(row)
    changes = _changed_days_cost(connection, rollups, StatDirtyDay)
    print()
    print(f"{'scope':<40}{'received':>9}{'queries':>8}{'page p95':>10}{'cold':>10}"
          f"{'its SQL':>9}{'naive SQL':>11}  recomputation")
    for r in results:
        print(f"{r['scope'][:39]:<40}{r['received']:>9,}{r['queries']:>8}"
              f"{r['page_p95_ms']:>8.1f}ms{r['page_uncached_p95_ms']:>8.1f}ms"
              f"{r['rollup_sql_p95_ms']:>7.1f}ms"
              f"{r['naive_p95_ms']:>9.1f}ms  {'equal' if r['equal'] else 'DIFFERS'}")
        if not r["equal"]:
            print(f"    {r['differences']}")
    print(f"target: page p95 <= {TARGET_P95_MS:.0f} ms")
    print(f"changed days: the queue's query {changes['queue_ms']:.2f} ms; the former scan "
          f"{changes['former_scan_ms']:.0f} ms; a refresh after one changed day "
          f"{changes['refresh_one_day_s']:.2f} s ({changes['refresh_reports']:,} reports read)")
    print(changes["queue_plan"])
    if args.json:
        with open(args.json, "w") as out:
            json.dump({"count": args.count, "reports": reports, "reused": reused,
                       "rollup_rows": rollup_rows, "cube_rows": cube_rows,
                       "generate_s": generated, "rebuild_s": rebuilt, "scopes": results,
                       "changed_days": changes}, out, indent=1)
    return 0 if all_equal else 1


# What changed_days() read before the queue: reports, events and clocks by their timestamps,
# none of them indexed (kept here only to measure it).
FORMER_CHANGED_DAYS_SQL = """
SELECT DISTINCT (submitted_at AT TIME ZONE 'Asia/Jakarta')::date FROM complaints_report
WHERE submitted_at IS NOT NULL AND id IN (
  SELECT id FROM complaints_report WHERE updated_at >= %(since)s
  UNION SELECT report_id FROM complaints_reportevent WHERE created_at >= %(since)s
  UNION SELECT report_id FROM routing_clock WHERE breached_at >= %(since)s
     OR stopped_at >= %(since)s)
"""


def _changed_days_cost(connection: Any, rollups: Any, dirty: Any) -> dict[str, Any]:
    """The refresh's read of what changed (queue vs the former scan), and one refresh."""
    since = datetime.now(UTC) - timedelta(minutes=15)
    day = datetime.now(JAKARTA).date() - timedelta(days=40)
    dirty.objects.get_or_create(day=day)
    queue = []
    for _ in range(20):
        t = time.perf_counter()
        rollups.changed_days()
        queue.append((time.perf_counter() - t) * 1000)
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) "
                       "SELECT day FROM routing_statdirtyday")
        plan = "\n".join(r[0] for r in cursor.fetchall())
        t = time.perf_counter()
        cursor.execute(FORMER_CHANGED_DAYS_SQL, {"since": since})
        cursor.fetchall()
        former = (time.perf_counter() - t) * 1000
    t = time.perf_counter()
    run = rollups.refresh()
    refreshed = time.perf_counter() - t
    return {"queue_ms": round(percentile(queue, 95), 2), "queue_plan": plan,
            "former_scan_ms": round(former, 1), "refresh_one_day_s": round(refreshed, 2),
            "refresh_days": run.days, "refresh_reports": run.reports}


def _reusable(suffix: str, count: int) -> bool:
    """Whether ``<name>_<suffix>`` exists with at least 95 % of ``count`` reports."""
    import os

    import dj_database_url
    import psycopg2

    config = dj_database_url.parse(os.environ["DATABASE_URL"])
    try:
        conn = psycopg2.connect(host=config["HOST"] or None, port=config["PORT"] or None,
                                user=config["USER"] or None,
                                password=config["PASSWORD"] or None,
                                dbname=f"{config['NAME']}_{suffix}")
    except psycopg2.OperationalError:
        return False
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM complaints_report")
            return bool(cursor.fetchone()[0] >= count * 0.95)
    except psycopg2.Error:
        return False
    finally:
        conn.close()


def _point_at(suffix: str) -> str:
    """Point Django at the existing ``<name>_<suffix>`` and set it up."""
    import os

    base_url = os.environ["DATABASE_URL"]
    name = f"{base_url.rsplit('/', 1)[1]}_{suffix}"
    os.environ["DATABASE_URL"] = base_url[: base_url.rindex("/") + 1] + name
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lapor.settings")
    os.environ.setdefault("SECRET_KEY", "benchmark")
    os.environ.setdefault("SITE_URL", "http://127.0.0.1:8000")
    import django

    django.setup()
    return name


if __name__ == "__main__":
    sys.exit(main())
