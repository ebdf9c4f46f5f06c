"""The statistics pages at scale: rollups vs the naive aggregate, and a recomputation check.

Builds a scratch database (``<DATABASE_URL's name>_statsbench``), migrates it, loads the tree
and the routing rules, fills it with ``benchmarks.generate_reports --count N`` (reports with
their history and clocks over ``--days``), backfills the rollups (``rebuild_statistics``,
timed) and then, for the national page, the province with most reports and that province's
government (a body with everything below it), each over the last 12 months:

- p95 of the page itself (Django's test client, in process: the view, its queries on the
  rollups, the template);
- p95 of the same page's SQL replayed alone;
- p95 of the naive aggregate: the same figures computed from ``complaints_report`` (and its
  events and clocks) by one SQL query, what a page without rollups would have to run;
- the check: every figure of the rollups equals the naive recomputation from the raw reports
  (received, verified, rejected, archived, first responses and within 24 hours, final
  answers, follow-up met/breached, escalated, ratings) for each of the three scopes.

Figures, not a test: exits 0 unless the check fails (1) or something could not run.

    .venv/bin/python -m benchmarks.statistics [--count 20000] [--days 400] [--repeat 40]
        [--json figures.json]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
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
    args = parser.parse_args(argv)
    started = time.perf_counter()
    name = scratch_database("statsbench")
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    from agencies.models import Body, Region
    from benchmarks import generate_reports
    from routing import statistics as stats

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
    t0 = time.perf_counter()
    call_command("rebuild_statistics", verbosity=0)
    rebuilt = time.perf_counter() - t0
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE routing_statrollup")
        cursor.execute("ANALYZE routing_stathistogram")
        cursor.execute("SELECT count(*) FROM routing_statrollup")
        rollup_rows = cursor.fetchone()[0]
    print(f"{args.count:,} reports generated in {generated:.1f} s; rollups rebuilt in "
          f"{rebuilt:.1f} s ({rollup_rows:,} rows)")

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
    province = Region.objects.get(pk=province_id)
    government = Body.objects.get(source_key=f"province-{province.code}")
    scopes = [
        ("national", "/statistik/", stats.Scope(), ""),
        (f"province {province.name}", f"/statistik/provinsi/{province.pk}/",
         stats.Scope(province=province), "AND rep.province_id = %(province)s"),
        (f"body {government.name} (subtree)", f"/statistik/instansi/{government.pk}/",
         stats.Scope(body=government), "AND b.path LIKE %(path)s"),
    ]
    params = {**bounds, "province": province.pk, "path": government.path + "%"}
    client = Client(HTTP_HOST="127.0.0.1")
    # In process, without collectstatic: static URLs unhashed (the pages are otherwise as in
    # production, DEBUG off).
    override_settings(STORAGES={
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }).enable()
    results: list[dict[str, Any]] = []
    all_equal = True
    for label, url, scope, where in scopes:
        client.get(url)  # warm-up
        page = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            response = client.get(url)
            page.append((time.perf_counter() - t) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        with CaptureQueriesContext(connection) as ctx:
            client.get(url)
        statements = [q["sql"] for q in ctx.captured_queries]
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
            for _ in range(max(5, args.repeat // 4)):
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
               "rollup_sql_p95_ms": round(percentile(sql_alone, 95), 1),
               "naive_p95_ms": round(percentile(naive, 95), 1),
               "received": from_rollups["received"], "equal": equal}
        if not equal:
            row["differences"] = {k: (from_rollups[k], recomputed[k]) for k in FIGURES
                                  if from_rollups[k] != recomputed[k]}
        results.append(row)
    print()
    print(f"{'scope':<48}{'received':>9}{'queries':>8}{'page p95':>10}{'rollup SQL':>12}"
          f"{'naive SQL':>11}  recomputation")
    for r in results:
        print(f"{r['scope'][:47]:<48}{r['received']:>9,}{r['queries']:>8}"
              f"{r['page_p95_ms']:>8.1f}ms{r['rollup_sql_p95_ms']:>10.1f}ms"
              f"{r['naive_p95_ms']:>9.1f}ms  {'equal' if r['equal'] else 'DIFFERS'}")
        if not r["equal"]:
            print(f"    {r['differences']}")
    print(f"target: page p95 <= {TARGET_P95_MS:.0f} ms")
    if args.json:
        with open(args.json, "w") as out:
            json.dump({"count": args.count, "rollup_rows": rollup_rows, "generate_s": generated,
                       "rebuild_s": rebuilt, "scopes": results}, out, indent=1)
    return 0 if all_equal else 1


if __name__ == "__main__":
    sys.exit(main())
