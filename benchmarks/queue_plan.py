"""The operators' queue at national scale: 1,000,000 reports, 10,000 of them open at one body.

Builds a scratch database (``<DATABASE_URL's name>_bench``), migrates it, loads the tree,
fills it with SQL (generate_series; seconds, not minutes), runs ANALYZE, then prints the
EXPLAIN (ANALYZE, BUFFERS) of the first and a later page of that body's queue sorted by due
time, and the median of 20 runs of the page query. Run:

    .venv/bin/python -m benchmarks.queue_plan [--reports 1000000] [--at-body 10000]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

from benchmarks.scratch import scratch_database


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--at-body", type=int, default=10_000)
    args = parser.parse_args()
    scratch_database("bench")
    from django.db import connection

    from agencies.models import Body
    from complaints.models import Category, Report
    from routing.queues import QueueFilters, for_listing, held_reports, page_querysets

    started = time.perf_counter()
    target = Body.objects.get(source_key="regency-33.74")
    others = list(Body.objects.filter(kind__in=["regency", "city", "province"])
                  .exclude(pk=target.pk).values_list("pk", flat=True))
    category = Category.objects.get(slug="infrastruktur").pk
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM agencies_region WHERE code IN ('33', '33.74') ORDER BY code")
        province, regency = (row[0] for row in cursor.fetchall())
        # 1M reports: `at_body` open at the target body, the rest spread over other bodies,
        # a third of them closed; due times spread over +/- 2 days.
        cursor.execute(
            """
            INSERT INTO complaints_report (
                tracking_number, kind, title, description, category_id, province_id,
                regency_id, is_anonymous, is_confidential, status, contact_name,
                contact_email, contact_phone, channel, support_count, rating_comment,
                created_at, updated_at, submitted_at, version, holder_body_id, held_since,
                due_at, rejection_reason)
            SELECT 'B' || lpad(g::text, 12, '0'), 'complaint', 'Laporan uji ' || g,
                   'Jalan rusak nomor ' || g, %s, %s, %s, false, false,
                   CASE WHEN g %% 3 = 0 THEN 'closed' ELSE 'in_progress' END,
                   '', '', '', 'web', 0, '', now(), now(), now() - (g || ' seconds')::interval,
                   1,
                   CASE WHEN g <= %s THEN %s ELSE (%s::bigint[])[1 + g %% %s] END,
                   now() - (g %% 5000 || ' minutes')::interval,
                   now() + ((g %% 5760) - 2880 || ' minutes')::interval, ''
            FROM generate_series(1, %s) AS g
            """,
            [category, province, regency, args.at_body * 3 // 2, target.pk, others,
             len(others), args.reports],
        )
        cursor.execute("ANALYZE complaints_report")
    print(f"built {args.reports:,} reports in {time.perf_counter() - started:.1f} s")

    from agencies.models import Membership, User

    user = User.objects.create_user(email="bench@example.id", password=None, full_name="Bench")
    Membership.objects.create(user=user, body=target, role="operator")
    queryset = for_listing(held_reports(user, QueueFilters()))
    open_at_body = queryset.count()
    print(f"open at {target.name}: {open_at_body:,} of {Report.objects.count():,}")
    first, _ = page_querysets(queryset, sort="due")
    sql, params = first[:26].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    print("\nEXPLAIN ANALYZE, first page, sort=due:\n" + plan)
    timings = []
    for _ in range(20):
        t0 = time.perf_counter()
        list(first[:26])
        timings.append((time.perf_counter() - t0) * 1000)
    print(f"\nfirst page: median {statistics.median(timings):.2f} ms, "
          f"max {max(timings):.2f} ms over 20 runs")
    uses_index = "report_queue_due_idx" in plan and "Seq Scan on complaints_report" not in plan
    print("index scan on report_queue_due_idx:", "yes" if uses_index else "NO")
    return 0 if uses_index else 1


if __name__ == "__main__":
    sys.exit(main())
