"""LAPOR at national scale, on this machine: one command, a table, and BENCHMARKS.md.

    .venv/bin/python -m benchmarks [--count 1000000] [--reuse] [--seconds 20]

Steps, each figure with a baseline measured in the same run on the same data:

1. data: a database ``<DATABASE_URL's name>_national``, migrated, the tree and the routing rules
   loaded, then ``benchmarks.generate_reports --count N`` (timed; ``--reuse`` keeps one
   already filled);
2. servers: gunicorn serving the portal plus one baseline view (``benchmarks.wsgi``) and a
   Celery worker, as in production (DEBUG off, rate limits on, X-Forwarded-For trusted);
3. filing through the API, no file and with a 2 MB photo, from a closed-loop load generator
   on the same machine (``benchmarks.load``), vs the baseline view that does one INSERT;
4. an operator's queue page (the regency/city body holding most open reports; the supervisor
   of its province over every body below) vs the same page's SQL replayed alone;
5. public search for 20 everyday Indonesian queries vs the same full-text query alone;
6. peak memory (VmHWM) of each gunicorn worker and Celery process after all that;
7. the deadline sweep, 1,000 due among 1,000,000 vs 10,000 open (``benchmarks.sweep_ratio``);
8. the query-count test of every page and API list (``tests/test_query_counts.py``).

Figures, not tests: it always exits 0 unless something could not run.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import random
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import dj_database_url
import psycopg2

from benchmarks.load import Client, LoadResult, expect, multipart, percentile, run_load

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BIN = Path(PYTHON).parent
SEARCHES = [
    "jalan rusak", "lampu jalan mati", "sampah menumpuk", "banjir", "BPJS kesehatan",
    "KTP elektronik", "pungutan liar", "sekolah", "air PDAM", "listrik padam",
    "izin usaha", "puskesmas", "bantuan sosial", "parkir liar", "guru honorer",
    "pelayanan lambat", "jembatan", "kartu keluarga", "pupuk subsidi", "antrean rumah sakit",
]
TARGETS = {
    "queue_p95_ms": 50.0, "queue_ratio": 2.0, "search_p95_ms": 150.0,
    "filing_rps": 150.0, "filing_ratio": 0.5, "sweep_ratio": 1.5, "load_minutes": 10.0,
}


_STARTED = time.perf_counter()


def say(message: str) -> None:
    print(f"[{time.perf_counter() - _STARTED:7.1f} s] {message}", flush=True)


# --- the database ---------------------------------------------------------------------


def _database_urls() -> tuple[str, str]:
    base = os.environ.get("DATABASE_URL")
    if not base:
        remembered = BASE_DIR / "var" / "database_url"
        if remembered.exists():
            base = remembered.read_text().strip()
    if not base:
        sys.exit("DATABASE_URL is not set (nor remembered in var/ by make run/test).")
    name = dj_database_url.parse(base)["NAME"]
    return base, base[: base.rindex("/") + 1] + f"{name}_national"


def _connect(url: str, dbname: str | None = None) -> Any:
    config = dj_database_url.parse(url)
    return psycopg2.connect(host=config["HOST"] or None, port=config["PORT"] or None,
                            user=config["USER"] or None, password=config["PASSWORD"] or None,
                            dbname=dbname or config["NAME"])


def _report_count(url: str) -> int | None:
    try:
        connection = _connect(url)
    except psycopg2.OperationalError:
        return None
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = "
                           "'complaints_report'")
            row = cursor.fetchone()
            return int(row[0]) if row else None
    except psycopg2.Error:
        return None
    finally:
        connection.close()


def _manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], env=env, cwd=BASE_DIR, check=True)


def _generate(env: dict[str, str], *args: str) -> None:
    subprocess.run([PYTHON, "-m", "benchmarks.generate_reports", *args], env=env, cwd=BASE_DIR,
                   check=True)


def prepare_data(url: str, count: int, reuse: bool, env: dict[str, str]) -> float | None:
    """Fill the national database; the seconds generate_reports took (None: reused)."""
    existing = _report_count(url)
    remembered = BASE_DIR / "var" / "bench_generation.json"
    if reuse and existing is not None and existing >= count * 0.95:
        say(f"reusing {url.rsplit('/', 1)[1]} (~{existing:,} reports)")
        _manage(env, "migrate", "--no-input", "--verbosity", "0")
        if remembered.exists():  # the time it took when this database was generated
            figure = json.loads(remembered.read_text())
            if figure.get("database") == url.rsplit("/", 1)[1]:
                return float(figure["seconds"])
        return None
    name = dj_database_url.parse(url)["NAME"]
    admin = _connect(url, "postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    say(f"created {name}; migrating, loading the tree and the routing rules")
    _manage(env, "migrate", "--no-input", "--verbosity", "0")
    _manage(env, "load_agency_tree", "--verbosity", "0")
    _manage(env, "seed_routing_rules")
    say(f"generate_reports --count {count:,}")
    started = time.perf_counter()
    _generate(env, "--count", str(count), "--seed", "1")
    seconds = time.perf_counter() - started
    say(f"generated {count:,} reports in {seconds / 60:.1f} min")
    remembered.parent.mkdir(exist_ok=True)
    remembered.write_text(json.dumps({"database": name, "count": count, "seconds": seconds,
                                      "at": datetime.now().isoformat(timespec="seconds")}))
    return seconds


# --- accounts the load uses -------------------------------------------------------------


@dataclass
class Actors:
    tokens: list[str]
    operator_cookie: str
    supervisor_cookie: str
    operator_body: str
    supervisor_body: str
    operator_open: int
    supervisor_open: int
    operator: Any = None
    supervisor: Any = None
    places: list[tuple[str, str, str]] = field(default_factory=list)  # province, regency, cat


def _session_cookie(user: Any) -> str:
    from django.conf import settings
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def prepare_actors(citizens: int) -> Actors:
    """Citizens with API tokens, an operator of the busiest regency/city body and the
    supervisor of its province (created once, reused by later runs)."""
    from django.db import connection
    from rest_framework.authtoken.models import Token

    from agencies.models import Body, Membership, Role, User
    from complaints.models import Category
    from routing.queues import OPEN_HELD

    existing = set(User.objects.filter(email__startswith="bench-citizen-")
                   .values_list("email", flat=True))
    User.objects.bulk_create([
        User(email=email, full_name=f"Warga Uji {i}", is_email_confirmed=True,
             password="!unusable")
        for i in range(citizens)
        if (email := f"bench-citizen-{i}@bench.lapor.id") not in existing
    ])
    users = list(User.objects.filter(email__startswith="bench-citizen-").order_by("id"))
    have = set(Token.objects.filter(user__in=users).values_list("user_id", flat=True))
    Token.objects.bulk_create([Token(user=u, key=Token.generate_key()) for u in users
                               if u.pk not in have])
    tokens = list(Token.objects.filter(user__in=users).values_list("key", flat=True))

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT r.holder_body_id, count(*) FROM complaints_report r "
            "JOIN agencies_body b ON b.id = r.holder_body_id "
            "WHERE r.status = ANY(%s) AND b.kind IN ('regency', 'city') "
            "GROUP BY 1 ORDER BY 2 DESC LIMIT 1",
            [list(OPEN_HELD)],
        )
        body_id, operator_open = cursor.fetchone()
    body = Body.objects.get(pk=body_id)
    province = body.get_parent()
    while province is not None and province.kind != "province":
        province = province.get_parent()
    if province is None:
        raise SystemExit(f"{body} has no province body above it")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM complaints_report r JOIN agencies_body b "
            "ON b.id = r.holder_body_id WHERE r.status = ANY(%s) AND b.path LIKE %s",
            [list(OPEN_HELD), province.path + "%"],
        )
        supervisor_open = cursor.fetchone()[0]

    def staff(email: str, name: str, at: Any, role: str) -> Any:
        user, _ = User.objects.get_or_create(
            email=email, defaults={"full_name": name, "is_email_confirmed": True,
                                   "password": "!unusable"})
        Membership.objects.filter(user=user).exclude(body=at, role=role).delete()
        Membership.objects.get_or_create(user=user, body=at, role=role)
        return user

    operator = staff("bench-operator@bench.lapor.id", "Operator Uji", body, Role.OPERATOR)
    supervisor = staff("bench-supervisor@bench.lapor.id", "Pimpinan Uji", province,
                       Role.SUPERVISOR)
    categories = list(Category.objects.filter(is_active=True).values_list("slug", flat=True))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.code, r.code FROM agencies_region r JOIN agencies_region p "
            "ON p.id = r.parent_id WHERE r.level = 'regency' ORDER BY r.code"
        )
        regions = cursor.fetchall()
    rng = random.Random(7)
    places = [(*rng.choice(regions), rng.choice(categories)) for _ in range(500)]
    return Actors(tokens=tokens, operator_cookie=_session_cookie(operator),
                  supervisor_cookie=_session_cookie(supervisor), operator_body=body.name,
                  supervisor_body=province.name, operator_open=operator_open,
                  supervisor_open=supervisor_open, operator=operator, supervisor=supervisor,
                  places=places)


# --- the servers ------------------------------------------------------------------------


class Servers:
    """gunicorn (the portal + the baseline view) and a Celery worker, in their own sessions."""

    def __init__(self, env: dict[str, str], port: int, web_workers: int) -> None:
        self.env, self.port, self.web_workers = env, port, web_workers
        self.processes: list[subprocess.Popen[bytes]] = []
        self.log = tempfile.NamedTemporaryFile(prefix="lapor-bench-", suffix=".log",
                                               delete=False)

    def start(self) -> None:
        common = {"env": self.env, "cwd": BASE_DIR, "start_new_session": True,
                  "stdout": self.log, "stderr": subprocess.STDOUT}
        self.processes.append(subprocess.Popen(
            [str(BIN / "gunicorn"), "benchmarks.wsgi:application", "--bind",
             f"127.0.0.1:{self.port}", "--workers", str(self.web_workers),
             "--backlog", "2048", "--timeout", "120"], **common))
        self.processes.append(subprocess.Popen(
            [str(BIN / "celery"), "-A", "lapor", "worker", "--concurrency", "2",
             "--loglevel", "WARNING", "--without-gossip", "--without-mingle"], **common))
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                status, _ = Client("127.0.0.1", self.port).request("GET", "/health/")
                if status in (200, 503):
                    return
            except OSError:
                time.sleep(0.5)
        raise SystemExit(f"gunicorn did not answer within 60 s; see {self.log.name}")

    def peak_memory_mb(self) -> dict[str, list[float]]:
        """VmHWM (peak resident set) of each gunicorn worker and each Celery process."""
        web, worker = self.processes
        return {"web": [_hwm(pid) for pid in _children(web.pid)],
                "celery": [_hwm(worker.pid)] + [_hwm(pid) for pid in _children(worker.pid)]}

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        children = (task / "children").read_text().split() if (task / "children").exists() \
            else []
        found.extend(int(child) for child in children)
    return found


def _hwm(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


# --- filing -----------------------------------------------------------------------------


def photo_bytes(target: int = 2 * 1024 * 1024) -> bytes:
    """A JPEG photo of about ``target`` bytes (a noisy gradient, like a phone's picture)."""
    from PIL import Image

    rng = random.Random(3)
    width, height = 2400, 1800
    image = Image.new("RGB", (width, height))
    noise = bytes(rng.getrandbits(8) for _ in range(width * height // 16))
    tile = Image.frombytes("L", (width // 4, height // 4), noise).resize((width, height))
    image = Image.merge("RGB", (tile, tile.rotate(90, expand=False), tile.transpose(0)))
    for quality in (95, 90, 85, 80, 75, 70, 60, 50):
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=quality)
        if buffer.tell() <= target * 1.1:
            break
    return buffer.getvalue()


def _payload(actors: Actors, n: int) -> dict[str, Any]:
    province, regency, category = actors.places[n % len(actors.places)]
    return {
        "kind": "complaint", "category": category, "province": province, "regency": regency,
        "title": f"Lampu jalan mati di ruas jalan nomor {n}",
        "description": "Sudah dua minggu lampu penerangan jalan di depan pasar mati sehingga "
                       f"jalan gelap dan rawan kecelakaan pada malam hari (uji {n}).",
    }


def _citizen_headers(actors: Actors, n: int) -> dict[str, str]:
    # A different address per report, as behind the production proxy, and the citizens in
    # turn: each stays under the per-account and per-address filing limits.
    return {"Authorization": f"Token {actors.tokens[n % len(actors.tokens)]}",
            "X-Forwarded-For": f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"}


def filing_scenarios(actors: Actors, photo: bytes) -> dict[str, Callable[[Client, int], None]]:
    def baseline(client: Client, n: int) -> None:
        status, body = client.json("POST", "/bench/insert/", _payload(actors, n))
        expect(status, 201, body)

    def file_report(client: Client, n: int) -> None:
        status, body = client.json("POST", "/api/v1/reports/",
                                   {**_payload(actors, n), "submit": True},
                                   _citizen_headers(actors, n))
        expect(status, 201, body)

    def baseline_photo(client: Client, n: int) -> None:
        fields = {k: str(v) for k, v in _payload(actors, n).items()}
        data, content_type = multipart(fields, {"file": ("foto.jpg", "image/jpeg", photo)})
        status, body = client.request("POST", "/bench/insert/", data,
                                      {"Content-Type": content_type})
        expect(status, 201, body)

    def file_report_with_photo(client: Client, n: int) -> None:
        headers = _citizen_headers(actors, n)
        status, draft = client.json("POST", "/api/v1/reports/", _payload(actors, n), headers)
        expect(status, 201, draft)
        data, content_type = multipart({}, {"file": ("foto.jpg", "image/jpeg", photo)})
        status, body = client.request("POST", f"/api/v1/reports/{draft['id']}/attachments/",
                                      data, {**headers, "Content-Type": content_type})
        expect(status, 201, body)
        status, body = client.json("POST", f"/api/v1/reports/{draft['id']}/submit/", {},
                                   headers)
        expect(status, 200, body)

    return {"baseline": baseline, "filing": file_report, "baseline_photo": baseline_photo,
            "filing_photo": file_report_with_photo}


# --- reads: a page over HTTP vs its SQL alone -------------------------------------------


def page_sql(path: str, user: Any | None) -> list[str]:
    """The SQL statements the page at ``path`` runs, as sent (in-process test client)."""
    from django.db import connection
    from django.test import Client as DjangoClient
    from django.test.utils import CaptureQueriesContext

    client = DjangoClient(HTTP_HOST="127.0.0.1")
    if user is not None:
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    if response.status_code != 200:
        raise SystemExit(f"{path}: HTTP {response.status_code}")
    return [q["sql"] for q in captured.captured_queries
            if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]


def time_sql(cursor: Any, statements: list[str], repeat: int) -> list[float]:
    timings = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        for sql in statements:
            cursor.execute(sql)
            if cursor.description:
                cursor.fetchall()
        timings.append((time.perf_counter() - t0) * 1000)
    return timings


def time_page(port: int, path: str, cookie: str | None, repeat: int) -> list[float]:
    client = Client("127.0.0.1", port, {"Cookie": cookie} if cookie else {})
    timings = []
    for i in range(repeat + 5):
        t0 = time.perf_counter()
        status, body = client.request("GET", path)
        elapsed = (time.perf_counter() - t0) * 1000
        expect(status, 200, body[:200])
        if i >= 5:  # the first requests warm each worker up
            timings.append(elapsed)
    client.close()
    return timings


@dataclass
class ReadFigure:
    name: str
    page_ms: list[float]
    sql_ms: list[float]
    queries: int
    note: str = ""

    @property
    def ratio(self) -> float:
        return percentile(self.page_ms, 95) / percentile(self.sql_ms, 95)


def measure_queues(port: int, actors: Actors, repeat: int, sql_cursor: Any) -> list[ReadFigure]:
    figures = []
    for name, user, cookie, path, note in (
        ("queue page, regency/city operator", actors.operator, actors.operator_cookie,
         "/petugas/antrean/", f"{actors.operator_body}: {actors.operator_open:,} open"),
        ("queue page, province supervisor", actors.supervisor, actors.supervisor_cookie,
         "/petugas/antrean/", f"{actors.supervisor_body} and below: "
                              f"{actors.supervisor_open:,} open"),
        ("queue API, regency/city operator", actors.operator, actors.operator_cookie,
         "/api/v1/staff/queue/", ""),
        ("queue API, province supervisor", actors.supervisor, actors.supervisor_cookie,
         "/api/v1/staff/queue/", ""),
    ):
        statements = page_sql(path, user)
        page = time_page(port, path, cookie, repeat)
        sql = time_sql(sql_cursor, statements, repeat)
        figures.append(ReadFigure(name, page, sql, len(statements), note))
        say(f"{name}: p95 {percentile(page, 95):.1f} ms vs SQL {percentile(sql, 95):.1f} ms")
    return figures


def measure_search(port: int, repeat: int, sql_cursor: Any) -> tuple[ReadFigure, list[dict]]:
    from urllib.parse import urlencode

    page_all: list[float] = []
    sql_all: list[float] = []
    rows = []
    for query in SEARCHES:
        path = "/publik/?" + urlencode({"q": query})
        statements = [s for s in page_sql(path, None) if "websearch_to_tsquery" in s]
        page = time_page(port, path, None, repeat)
        sql = time_sql(sql_cursor, statements, repeat)
        sql_cursor.execute(
            "SELECT count(*) FROM complaints_report WHERE search_vector @@ "
            "websearch_to_tsquery('indonesian', %s)", [query])
        matches = sql_cursor.fetchone()[0]
        page_all += page
        sql_all += sql
        rows.append({"query": query, "matches": matches, "page_p95": percentile(page, 95),
                     "sql_p95": percentile(sql, 95)})
    say(f"search: p95 {percentile(page_all, 95):.1f} ms vs SQL {percentile(sql_all, 95):.1f} ms")
    return ReadFigure("public search, 20 queries", page_all, sql_all, 1), rows


# --- the other benchmarks, in their own processes ----------------------------------------


def run_sweep(base_env: dict[str, str]) -> dict[str, Any] | None:
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        out = handle.name
    result = subprocess.run([PYTHON, "-m", "benchmarks.sweep_ratio", "--json", out],
                            env=base_env, cwd=BASE_DIR)
    if result.returncode != 0:
        return None
    return json.loads(Path(out).read_text())


def run_query_counts(base_env: dict[str, str]) -> tuple[bool, str]:
    test = BASE_DIR / "tests" / "test_query_counts.py"
    if not test.exists():
        return False, "tests/test_query_counts.py is missing"
    result = subprocess.run(
        [PYTHON, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(test)],
        env={**base_env, "DATABASE_TEST_NAME": "test_lapor_bench_counts"}, cwd=BASE_DIR,
        capture_output=True, text=True,
    )
    summary = (result.stdout.strip().splitlines() or ["?"])[-1]
    return result.returncode == 0, re.sub(r"=+", "", summary).strip()


# --- main ---------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--reuse", action="store_true",
                        help="keep the national database if it already holds ~count reports")
    parser.add_argument("--seconds", type=float, default=20.0, help="per filing scenario")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--web-workers", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=100, help="requests per read figure")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--skip-sweep", action="store_true")
    parser.add_argument("--output", default=str(BASE_DIR / "BENCHMARKS.md"))
    args = parser.parse_args(argv)

    base_url, national_url = _database_urls()
    redis_url = os.environ.get("REDIS_URL") or (BASE_DIR / "var" / "redis_url").read_text().strip()
    base_env = {**os.environ, "DATABASE_URL": base_url, "REDIS_URL": redis_url,
                "SECRET_KEY": os.environ.get("SECRET_KEY", "benchmark"),
                "SITE_URL": os.environ.get("SITE_URL", f"http://127.0.0.1:{args.port}")}
    env = {**base_env, "DATABASE_URL": national_url, "DEBUG": "false", "HTTPS": "false",
           "ALLOWED_HOSTS": "127.0.0.1,localhost", "TRUST_X_FORWARDED_FOR": "true",
           "CACHE_KEY_PREFIX": f"bench{int(time.time())}",
           "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend"}
    started = time.perf_counter()
    load_seconds = prepare_data(national_url, args.count, args.reuse, env)
    _manage(env, "collectstatic", "--no-input", "--verbosity", "0")

    os.environ.update({k: env[k] for k in ("DATABASE_URL", "REDIS_URL", "SECRET_KEY",
                                            "SITE_URL", "ALLOWED_HOSTS", "CACHE_KEY_PREFIX")})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lapor.settings")
    import django

    django.setup()
    from django.db import connection

    from complaints.models import Report

    reports = Report.objects.count()
    actors = prepare_actors(citizens=2000)
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg_version = cursor.fetchone()[0]
    connection.close()
    say(f"{reports:,} reports; operator at {actors.operator_body} ({actors.operator_open:,} "
        f"open), supervisor at {actors.supervisor_body} ({actors.supervisor_open:,} open)")

    photo = photo_bytes()
    servers = Servers(env, args.port, args.web_workers)
    filing: dict[str, LoadResult] = {}
    try:
        servers.start()
        say(f"gunicorn ({args.web_workers} workers) and a Celery worker are up; "
            f"log: {servers.log.name}")
        for name, operation in filing_scenarios(actors, photo).items():
            result = run_load(operation, host="127.0.0.1", port=args.port,
                              concurrency=args.concurrency, seconds=args.seconds)
            filing[name] = result
            say(f"{name}: {result.per_second:.1f}/s, p95 {result.p(95):.0f} ms, "
                f"{result.errors} errors {result.first_error}")
        sql_connection = _connect(national_url)
        sql_connection.autocommit = True
        with sql_connection.cursor() as sql_cursor:
            queues = measure_queues(args.port, actors, args.repeat, sql_cursor)
            search, search_rows = measure_search(args.port, max(5, args.repeat // 10),
                                                 sql_cursor)
        sql_connection.close()
        time.sleep(3)  # let the worker finish the notifications the load queued
        memory = servers.peak_memory_mb()
    finally:
        servers.stop()
    say(f"peak memory (MB): web {memory['web']}, celery {memory['celery']}")

    sweep = None if args.skip_sweep else run_sweep(base_env)
    counts_ok, counts_summary = run_query_counts(base_env)
    say(f"query counts: {counts_summary}")

    report = render(
        reports=reports, load_seconds=load_seconds, count=args.count, filing=filing,
        queues=queues, search=search, search_rows=search_rows, memory=memory, sweep=sweep,
        counts=(counts_ok, counts_summary), args=args, pg_version=pg_version,
        photo_size=len(photo), total_minutes=(time.perf_counter() - started) / 60,
    )
    print("\n" + report["table"])
    Path(args.output).write_text(report["markdown"])
    say(f"wrote {args.output}")
    return 0


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def render(**figures: Any) -> dict[str, str]:
    """The table (plain text) and BENCHMARKS.md (Markdown) from the measured figures."""
    filing: dict[str, LoadResult] = figures["filing"]
    rows: list[tuple[str, str, str, str, str, str]] = []  # what, figure, baseline, ratio,
    # target, verdict
    load_seconds = figures["load_seconds"]
    if load_seconds is not None:
        minutes = load_seconds / 60
        rows.append((f"generate_reports --count {figures['count']:,}", f"{minutes:.1f} min",
                     "", "", f"≤ {TARGETS['load_minutes']:.0f} min",
                     _verdict(minutes <= TARGETS["load_minutes"])))
    for label, name, base in (("filing via API, no file", "filing", "baseline"),
                              ("filing via API, 2 MB photo", "filing_photo", "baseline_photo")):
        mine, theirs = filing[name], filing[base]
        ratio = mine.per_second / theirs.per_second if theirs.per_second else 0.0
        target, verdict = "", ""
        if name == "filing":
            target = (f"≥ {TARGETS['filing_rps']:.0f}/s, "
                      f"≥ {TARGETS['filing_ratio']}× baseline")
            verdict = _verdict(mine.per_second >= TARGETS["filing_rps"]
                               and ratio >= TARGETS["filing_ratio"] and not mine.errors)
        rows.append((label,
                     f"{mine.per_second:.1f}/s, p95 {mine.p(95):.0f} ms"
                     + (f", {mine.errors} errors" if mine.errors else ""),
                     f"{theirs.per_second:.1f}/s, p95 {theirs.p(95):.0f} ms",
                     f"{ratio:.2f}", target, verdict))
    for figure in figures["queues"]:
        p50, p95 = percentile(figure.page_ms, 50), percentile(figure.page_ms, 95)
        ok = p95 <= TARGETS["queue_p95_ms"] and figure.ratio <= TARGETS["queue_ratio"]
        rows.append((figure.name, f"p50 {p50:.1f} / p95 {p95:.1f} ms",
                     f"SQL p95 {percentile(figure.sql_ms, 95):.1f} ms ({figure.queries} q)",
                     f"{figure.ratio:.2f}",
                     f"p95 ≤ {TARGETS['queue_p95_ms']:.0f} ms, ≤ {TARGETS['queue_ratio']:.0f}×",
                     _verdict(ok)))
    search: ReadFigure = figures["search"]
    s95 = percentile(search.page_ms, 95)
    rows.append((search.name, f"p50 {percentile(search.page_ms, 50):.1f} / p95 {s95:.1f} ms",
                 f"SQL p95 {percentile(search.sql_ms, 95):.1f} ms", f"{search.ratio:.2f}",
                 f"p95 ≤ {TARGETS['search_p95_ms']:.0f} ms",
                 _verdict(s95 <= TARGETS["search_p95_ms"])))
    sweep = figures["sweep"]
    if sweep:
        rows.append((f"deadline sweep, {sweep['due']:,} due",
                     f"{sweep['large_seconds']:.2f} s among {sweep['large']:,} open",
                     f"{sweep['small_seconds']:.2f} s among {sweep['small']:,} open",
                     f"{sweep['ratio']:.2f}", f"≤ {TARGETS['sweep_ratio']}",
                     _verdict(sweep["ratio"] <= TARGETS["sweep_ratio"])))
    memory = figures["memory"]
    rows.append(("peak memory (VmHWM) under the load",
                 f"web worker max {max(memory['web']):.0f} MB "
                 f"(×{len(memory['web'])} = {sum(memory['web']):.0f} MB)",
                 f"Celery max {max(memory['celery']):.0f} MB "
                 f"({len(memory['celery'])} processes, {sum(memory['celery']):.0f} MB)",
                 "", "", ""))
    counts_ok, counts_summary = figures["counts"]
    rows.append(("query count of every page/API list", counts_summary, "", "",
                 "constant in rows shown", _verdict(counts_ok)))

    headers = ("measure", "figure", "baseline", "ratio", "target", "")
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))
    table = [line, "-" * len(line)]
    table += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]

    args = figures["args"]
    md = [
        "# Benchmarks at national scale",
        "",
        "Written by `python -m benchmarks` (see benchmarks/README.md); do not edit by hand.",
        "",
        f"Run on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC: {os.cpu_count()} cores "
        f"({_cpu_model()}), Python {platform.python_version()}, PostgreSQL "
        f"{figures['pg_version']}; {figures['reports']:,} reports in the database; gunicorn "
        f"with {args.web_workers} sync workers and one Celery worker (2 processes); the load "
        f"generator ({args.concurrency} threads) on the same machine. The whole run took "
        f"{figures['total_minutes']:.0f} min.",
        "",
        "| " + " | ".join(headers[:-1]) + " | verdict |",
        "|" + "---|" * len(headers),
    ]
    md += ["| " + " | ".join(c.replace("|", "\\|") for c in r) + " |" for r in rows]
    md += [
        "",
        "## Filing",
        "",
        f"Each scenario runs {args.seconds:.0f} s (after 2 s of warm-up) with "
        f"{args.concurrency} closed-loop clients. *Filing* posts a complete report with "
        "`submit: true` to `/api/v1/reports/` as one of 2,000 citizens (token), each request "
        "from its own address behind the trusted proxy, so the rate limits are on but not hit. "
        "*With a photo* is three requests per report (draft, upload, submit) with a "
        f"{figures['photo_size'] / 1024 / 1024:.1f} MB JPEG. The *baseline* is a view of the "
        "same server (`benchmarks/urls.py`) that parses the same body and does one INSERT of "
        "a report row.",
        "",
        "| scenario | reports/s | p50 ms | p95 ms | errors | load generator CPU s |",
        "|---|---|---|---|---|---|",
    ]
    for name, result in filing.items():
        md.append(f"| {name} | {result.per_second:.1f} | {result.p(50):.0f} | "
                  f"{result.p(95):.0f} | {result.errors} | "
                  f"{result.generator_cpu_seconds:.1f} |")
    md += [
        "",
        "## Reads: the page over HTTP vs its SQL alone",
        "",
        "Each page is requested one at a time over HTTP from gunicorn (after 5 warm-up "
        "requests). The baseline replays the SQL statements that same page sends (captured "
        "in-process, session and user lookups included) on one connection, one after another.",
        "",
        "| page | rows behind it | queries | page p50 | page p95 | SQL p50 | SQL p95 | ratio p95 |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for figure in [*figures["queues"], search]:
        md.append(
            f"| {figure.name} | {figure.note} | {figure.queries} | "
            f"{percentile(figure.page_ms, 50):.1f} | {percentile(figure.page_ms, 95):.1f} | "
            f"{percentile(figure.sql_ms, 50):.1f} | {percentile(figure.sql_ms, 95):.1f} | "
            f"{figure.ratio:.2f} |")
    md += ["", "Search queries (public feed `/publik/?q=…`, ranked, with snippets):", "",
           "| query | matching reports | page p95 ms | SQL p95 ms |", "|---|---|---|---|"]
    for row in figures["search_rows"]:
        md.append(f"| {row['query']} | {row['matches']:,} | {row['page_p95']:.1f} | "
                  f"{row['sql_p95']:.1f} |")
    if sweep:
        md += ["", "## Deadline sweep", "",
               f"`benchmarks/sweep_ratio.py`: {sweep['due']:,} follow-up clocks due (each "
               "breach escalates its report to the Ombudsman) among "
               f"{sweep['small']:,} and among {sweep['large']:,} running clocks: "
               f"{sweep['small_seconds']:.2f} s vs {sweep['large_seconds']:.2f} s, ratio "
               f"{sweep['ratio']:.2f}; selecting a batch of due clocks took "
               f"{sweep['small_select_ms']} ms vs {sweep['large_select_ms']} ms "
               "(index scan on `clock_sweep_idx`)."]
        if "warn_due" in sweep:  # since issue 14: warnings in the same sweep
            md[-1] += (f" With them {sweep['warn_due']:,} last warnings due (every clock "
                       "carries two warning rows): "
                       f"{sweep['small_ms_per_clock']:.2f} ms vs "
                       f"{sweep['large_ms_per_clock']:.2f} ms per clock breached or warned.")
    md += ["", "## Memory", "",
           f"Peak resident set (VmHWM) of each gunicorn worker: "
           f"{', '.join(f'{m:.0f}' for m in memory['web'])} MB; of the Celery worker's "
           f"processes: {', '.join(f'{m:.0f}' for m in memory['celery'])} MB.", ""]
    notes = BASE_DIR / "benchmarks" / "NOTES.md"
    if notes.exists():
        md += [notes.read_text().strip(), ""]
    return {"table": "\n".join(table), "markdown": "\n".join(md)}


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"
