"""``python -m benchmarks.filing_loop [--n 200] [--profile] [--similar-seen]``: filings per
second through the API in one process (Django's test client, token auth, the rate limits on
but high, the test database of ``DATABASE_TEST_NAME`` with the real tree), the SQL statements
of one filing, and with ``--profile`` where a filing's time goes (cProfile, by part);
``--similar-seen`` files with the similarity lookup in the submission. Small scale, no server:
a quick before/after check of the intake path on any machine, not the national figure (that
is ``python -m benchmarks``)."""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

import django
import pytest

ROOT = Path(__file__).resolve().parent.parent

# (label, qualified function names whose cumulative time makes the part); parts nest, so each
# is reported on its own as a share of the whole, not summed.
PARTS = [
    ("waiting for PostgreSQL (cursor.execute in the driver)", ["execute"], "psycopg"),
    ("Django ORM building and running SQL (compiler.execute_sql, incl. the wait)",
     ["execute_sql"], "django/db/models/sql/compiler.py"),
    ("DRF request parsing + serializer validation (is_valid)", ["is_valid"],
     "rest_framework/serializers.py"),
    ("DRF serializer output (.data)", ["data"], "rest_framework/serializers.py"),
    ("authentication (token and user, 2FA marks)", ["authenticate"],
     "rest_framework/authentication.py"),
    ("rate limits (one Redis EVAL)", ["hit"], "complaints/rate_limits.py"),
    ("the notification email's templates (render_email)", ["render_email"], "lapor/mail.py"),
    ("the event hash (event_hash)", ["event_hash"], "complaints/history.py"),
    ("tracking number draw", ["new_tracking_number"], "complaints/tracking_numbers.py"),
    ("the config version read and cached lookups", ["get"], "agencies/config_cache.py"),
    ("the filing service (intake.file_report, all it calls)", ["file_report"],
     "complaints/services/intake.py"),
]


def _payload(n: int) -> dict[str, object]:
    payload: dict[str, object] = {
        "kind": "complaint", "title": f"Lampu jalan mati di ruas jalan nomor {n}",
        "description": "Sudah dua minggu lampu penerangan jalan di depan pasar mati sehingga "
                       f"jalan gelap dan rawan kecelakaan pada malam hari (uji {n}).",
        "category": "infrastruktur", "province": "33", "regency": "33.74", "submit": True,
    }
    if os.environ.get("FILING_LOOP_SIMILAR"):  # the lookup in the submission
        payload["similar_seen"] = []
    return payload


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """The real regions and bodies, as the suite has them (tests/conftest.py)."""
    from agencies.tree_loader import load_agency_tree

    with django_db_blocker.unblock():
        load_agency_tree()


@pytest.mark.django_db
def test_filing_loop(settings) -> None:
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from rest_framework.test import APIClient

    from tests.conftest import verified_api_token
    from tests.factories import UserFactory

    n = int(os.environ.get("FILING_LOOP_N", "200"))
    settings.RATE_LIMITS = {"file_report": {"user": (10 * n, 3600), "ip": (10 * n, 3600)}}
    cache.clear()
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {verified_api_token(UserFactory()).key}")
    for i in range(5):  # warm up: imports, caches, connection
        warm = api.post("/api/v1/reports/", _payload(i), format="json")
        assert warm.status_code == 201, warm.content
    with CaptureQueriesContext(connection) as queries:
        api.post("/api/v1/reports/", _payload(5), format="json")
    statements = [q["sql"] for q in queries.captured_queries]
    # In a test, the filing's transaction is a savepoint; in production BEGIN/COMMIT.
    savepoints = sum(s.split()[0] in ("SAVEPOINT", "RELEASE") for s in statements)
    print(f"\nstatements per filing: {len(statements) - savepoints} "
          f"(+{savepoints} SAVEPOINT/RELEASE that production runs as BEGIN/COMMIT)")
    for number, sql in enumerate(statements, 1):
        print(f"  {number:2d} {sql[:110]}")
    profiler = cProfile.Profile() if os.environ.get("FILING_LOOP_PROFILE") else None
    started, cpu = time.perf_counter(), time.process_time()
    if profiler:
        profiler.enable()
    for i in range(n):
        response = api.post("/api/v1/reports/", _payload(100 + i), format="json")
        assert response.status_code == 201, response.content
    if profiler:
        profiler.disable()
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(f"{n} filings in {wall:.2f} s: {n / wall:.1f} filings/s, "
          f"{1000 * wall / n:.1f} ms each ({1000 * cpu / n:.1f} ms of this process's CPU)")
    if profiler:
        _breakdown(pstats.Stats(profiler), n)


def _breakdown(stats: pstats.Stats, n: int) -> None:
    table = stats.stats  # type: ignore[attr-defined]
    total = max(ct for (_f, _l, name), (_cc, _nc, _tt, ct, _c) in table.items()
                if name == "post")
    print(f"profile: {1000 * total / n:.1f} ms per filing inside the client's post()")
    for label, names, path in PARTS:
        ct = sum(
            entry[3] for (filename, _line, name), entry in table.items()
            if name in names and path in filename.replace("\\", "/")
        )
        if ct == 0 and path == "psycopg":  # C method: no file name
            ct = sum(entry[3] for (filename, _line, name), entry in table.items()
                     if "psycopg" in name and "execute" in name)
        print(f"  {100 * ct / total:5.1f} %  {1000 * ct / n:6.2f} ms  {label}")
    stats.sort_stats("tottime").print_stats(15)
    if os.environ.get("FILING_LOOP_CUMULATIVE"):
        stats.sort_stats("cumulative").print_stats(os.environ["FILING_LOOP_CUMULATIVE"], 40)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--similar-seen", action="store_true",
                        help="file with similar_seen: the similarity lookup in the submission")
    args = parser.parse_args()
    if args.similar_seen:
        os.environ["FILING_LOOP_SIMILAR"] = "1"
    os.environ["FILING_LOOP_N"] = str(args.n)
    if args.profile:
        os.environ["FILING_LOOP_PROFILE"] = "1"
    os.chdir(ROOT)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lapor.settings")
    django.setup()  # the suite's conftest (the tree, the fixtures) is loaded as a plugin
    return pytest.main(["-q", "-s", "-p", "no:cacheprovider", "-p", "tests.conftest",
                        "--rootdir", str(ROOT), str(Path(__file__))])


if __name__ == "__main__":
    sys.exit(main())
