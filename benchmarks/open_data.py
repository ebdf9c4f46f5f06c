"""The daily open data set at scale: build time, peak memory and queries against the rows.

Builds a scratch database (``<DATABASE_URL's name>_opendatabench``), fills it with
``benchmarks.generate_reports --count N``, backfills the statistics' rollups, then builds the
open data set twice into a temporary folder: first over a tenth of the reports (the
generator's ``--append`` would cost as much again, so the rows are limited by the build's own
filter instead: the same code with fewer rows), then over all of them. For each: the rows,
the wall time, the peak of Python's allocations (``tracemalloc``) and the queries. Constant
memory means the two peaks are about equal though the rows differ tenfold. Also printed: the
time to read the rows alone (the database's share) and the plan of the query.

Figures, not a test: exits 0 unless something could not run.

    .venv/bin/python -m benchmarks.open_data [--count 100000]
"""

from __future__ import annotations

import argparse
import tempfile
import time
import tracemalloc
from typing import Any

from benchmarks.scratch import scratch_database


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--days", type=int, default=400)
    args = parser.parse_args(argv)
    name = scratch_database("opendatabench")
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, override_settings

    from benchmarks import generate_reports
    from complaints.models import Report
    from routing import opendata, opendata_files

    call_command("seed_routing_rules", verbosity=0)
    t0 = time.perf_counter()
    if generate_reports.main(["--count", str(args.count), "--days", str(args.days)],
                             say=lambda line: None) != 0:
        return 2
    print(f"{name}: {args.count:,} reports generated in {time.perf_counter() - t0:.0f} s")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    call_command("rebuild_statistics", verbosity=0)
    newest = list(Report.objects.filter(submitted_at__isnull=False)
                  .order_by("-submitted_at").values_list("submitted_at", flat=True)
                  [: args.count // 10])
    cut = newest[-1] if newest else None
    original = opendata.stream_rows

    def build(limit_from: Any) -> dict[str, Any]:
        def rows(**filters: Any) -> Any:
            if limit_from is None:
                return original(**filters)
            return (opendata.as_row(v) for v in opendata.open_data_reports(**filters)
                    .filter(submitted_at__gte=limit_from).iterator(chunk_size=opendata.CHUNK_SIZE))

        opendata.stream_rows = rows
        with tempfile.TemporaryDirectory() as folder, override_settings(OPEN_DATA_DIR=folder):
            tracemalloc.start()
            t = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                manifest = opendata_files.build(force=True)
            seconds = time.perf_counter() - t
            _now, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
        opendata.stream_rows = original
        assert manifest is not None
        size = next(f["size"] for f in manifest["files"] if f["name"] == "reports.csv")
        return {"rows": manifest["reports"], "seconds": seconds, "peak_mb": peak / 2**20,
                "queries": len(queries), "csv_mb": size / 2**20}

    t = time.perf_counter()
    read = sum(1 for _values in opendata.open_data_reports().iterator(
        chunk_size=opendata.CHUNK_SIZE))
    print(f"reading the {read:,} rows alone (no files): {time.perf_counter() - t:.1f} s")
    with connection.cursor() as cursor:
        sql, params = opendata.open_data_reports().query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        print("plan:\n  " + "\n  ".join(row[0] for row in cursor.fetchall()))
    for label, limit in (("a tenth", cut), ("all", None)):
        f = build(limit)
        print(f"{label}: {f['rows']:,} public rows in {f['seconds']:.1f} s "
              f"({f['rows'] / f['seconds']:,.0f} rows/s), reports.csv {f['csv_mb']:.1f} MB, "
              f"peak Python memory {f['peak_mb']:.1f} MB, {f['queries']} queries")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
