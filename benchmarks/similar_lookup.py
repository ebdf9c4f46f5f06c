"""The cost of the similar-reports lookup per filing (complaints.similar), on the database of
``DATABASE_URL`` (fill it first: ``python -m benchmarks.generate_reports --count N``).

For ``--samples`` public reports picked at random, files "the same thing again" (its title
with a word changed, the start of its description, its category, regency and kecamatan),
times ``similar_public_reports`` (median, p95, max in ms), says how often the report itself
was found first, and prints the EXPLAIN (ANALYZE, BUFFERS) of the lookup for the regency and
category with the most candidates. Run:

    .venv/bin/python -m benchmarks.similar_lookup [--samples 200]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--dense", type=int, default=0,
                        help="first add N public open reports (copies) to the busiest "
                             "regency+category, in a transaction rolled back at the end")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lapor.settings")
    import django

    django.setup()
    from django.db import connection, transaction
    from django.db.models import Count

    from complaints import similar
    from complaints.models import Report

    with transaction.atomic():
        _run(args, connection, similar, Report, Count)
        transaction.set_rollback(True)
    return 0


def _run(args, connection, similar, Report, Count) -> None:  # noqa: ANN001, N803

    public = (Report.objects.filter(is_confidential=False,
                                    status__in=list(similar.PUBLIC_OPEN_STATUSES),
                                    duplicate_of__isnull=True)
              .exclude(category=None).exclude(regency=None))
    if args.dense:
        top = (public.values("regency_id", "category_id").annotate(n=Count("id"))
               .order_by("-n").first())
        source = list(public.filter(regency_id=top["regency_id"],
                                    category_id=top["category_id"]).values_list("id", flat=True))
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO complaints_report (tracking_number, kind, title, description, "
                "category_id, province_id, regency_id, district_id, is_anonymous, "
                "is_confidential, status, reporter_id, channel, holder_body_id, support_count, "
                "rejection_reason, due_clock_kind, rating_comment, contact_name, "
                "contact_email, contact_phone, created_at, updated_at, submitted_at, version) "
                "SELECT 'LPR-D' || lpad(g::text, 9, '0'), r.kind, r.title || ' ' || g, "
                "r.description, r.category_id, r.province_id, r.regency_id, r.district_id, "
                "false, false, r.status, r.reporter_id, r.channel, r.holder_body_id, 0, '', "
                "'', '', '', '', '', now(), now(), now() - (g || ' minutes')::interval, 1 "
                "FROM generate_series(1, %s) g "
                "JOIN complaints_report r ON r.id = (%s)[1 + g %% %s]",
                [args.dense, source, len(source)])
            cursor.execute("ANALYZE complaints_report")
        print(f"added {args.dense:,} public open reports to one regency+category")
    total = Report.objects.count()
    ids = list(public.values_list("id", flat=True))
    rng = random.Random(args.seed)
    picked = Report.objects.filter(pk__in=rng.sample(ids, min(args.samples, len(ids))))
    timings, first = [], 0
    for report in picked:
        words = report.title.split()
        if len(words) > 2:
            words[rng.randrange(len(words))] = "sekali"
        typed = similar.Typed(title=" ".join(words), description=report.description[:200],
                              category_id=report.category_id, regency_id=report.regency_id,
                              district_id=report.district_id)
        started = time.perf_counter()
        found = similar.similar_public_reports(typed)
        timings.append((time.perf_counter() - started) * 1000)
        first += bool(found) and found[0].id == report.pk
    timings.sort()
    p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
    print(f"{total:,} reports, {len(ids):,} public and open; {len(timings)} lookups")
    print(f"lookup ms: median {statistics.median(timings):.1f}, p95 {p95:.1f}, "
          f"max {timings[-1]:.1f}; the report itself first in {first}/{len(timings)}")

    busiest = (public.values("regency_id", "category_id").annotate(n=Count("id"))
               .order_by("-n").first())
    assert busiest is not None
    sample = public.filter(regency_id=busiest["regency_id"],
                           category_id=busiest["category_id"]).first()
    assert sample is not None
    typed = similar.Typed(title=sample.title, description=sample.description[:200],
                          category_id=sample.category_id, regency_id=sample.regency_id,
                          district_id=sample.district_id)
    sql, params = similar.lookup_statement(typed, statuses=similar.PUBLIC_OPEN_STATUSES,
                                           public=True)
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        print(f"\nbusiest regency+category: {busiest['n']} public open reports")
        print("\n".join(row[0] for row in cursor.fetchall()))


if __name__ == "__main__":
    raise SystemExit(main())
