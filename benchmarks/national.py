"""LAPOR at national scale, on this machine: one command, a table, and BENCHMARKS.md.

    .venv/bin/python -m benchmarks [--count 1000000] [--reuse] [--seconds 20]

Steps, each figure with a baseline measured in the same run on the same data:

1. data: a database ``<DATABASE_URL's name>_national``, migrated, the tree and the routing rules
   loaded, then ``benchmarks.generate_reports --count N`` (timed; ``--reuse`` keeps one
   already filled);
2. servers: gunicorn serving the portal plus one baseline view (``benchmarks.wsgi``) and a
   Celery worker (checked to answer; at a lower CPU priority, see ``Servers``), as in
   production (DEBUG off, rate limits on, X-Forwarded-For trusted);
3. filing through the API, no file and with a 2 MB photo, from a closed-loop load generator
   on the same machine (``benchmarks.load``), vs the baseline view that does one INSERT, and
   the SQL statements of each; filing with the similarity lookup in it (``similar_seen``,
   the page's step before submitting) vs filing alone (the baseline, the filing and this one
   in alternating rounds); filing after the similar-reports panel's own request; with
   ``--open-loop-rates 0.4,0.7``, an open loop at those fractions of the lower closed-loop
   capacity: filing alone, with the lookup in it, and after the lookup's request, at the
   same Poisson arrivals (the photo scenarios run last, after 5., and then the wait until
   the worker has cleaned every photo filed: that backlog takes the cores for minutes);
4. an operator's queue page (the regency/city body holding most open reports; the supervisor
   of its province over every body below), signed in with the second factor, vs the same
   page's SQL replayed alone;
5. public search for 20 everyday Indonesian queries vs the same full-text query alone;
6. peak memory (VmHWM) of each gunicorn worker and Celery process after all that;
7. the deadline sweep, 1,000 due among 1,000,000 vs 10,000 open (``benchmarks.sweep_ratio``);
8. the statistics pages (``benchmarks.statistics --json``; ``--skip-statistics``);
9. the query-count test of every page and API list (``tests/test_query_counts.py``).

Figures, not tests: it always exits 0 unless something could not run.
"""

from __future__ import annotations

import argparse
import io
import json
import math
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

from benchmarks.load import (
    Client,
    LoadResult,
    OpenLoopResult,
    expect,
    multipart,
    percentile,
    process_cpu_seconds,
    run_load,
    run_open_loop,
)

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
    "filing_rps": 150.0, "filing_ratio": 0.3, "filing_ratio_stretch": 0.5,
    "photo_ratio": 0.3, "lookup_p95_ratio": 1.2, "sweep_ratio": 1.5, "load_minutes": 10.0,
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
    operator_token: str = ""
    supervisor_token: str = ""
    places: list[tuple[str, str, str]] = field(default_factory=list)  # province, regency, cat
    category_ids: dict[str, int] = field(default_factory=dict)  # slug -> pk (similar lookup)


def second_step(user: Any) -> Any:
    """The second step of a staff sign-in, as the person takes it: the code their
    authenticator app shows now, entered through ``two_factor.verify`` (django-otp counts and
    uses it up). Returns the device that accepted it, or None for whoever need not enter one.
    The bench staff's app is made once (a confirmed TOTP device, as after the set-up page)."""
    from django_otp.oath import hotp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from agencies import two_factor

    if not two_factor.must_verify(user):
        return None
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=two_factor.APP_DEVICE_NAME,
                                           confirmed=True)
    # A code is used once: the app's code for the first 30-second step after the last used
    # (the device accepts one step ahead), as tests/browser/steps.py does.
    step = max(int(time.time()) // device.step, device.last_t + 1)
    code = f"{hotp(device.bin_key, step, digits=device.digits):0{device.digits}d}"
    return two_factor.verify(user=user, code=code)


def _session_cookie(user: Any, device: Any | None) -> str:
    """A session as the sign-in makes it: the password step, then (``device``) the second
    step recorded as django-otp records it (``otp_device_id``)."""
    from django.conf import settings
    from django.contrib.sessions.backends.db import SessionStore
    from django_otp import DEVICE_ID_SESSION_KEY

    session = SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = user.get_session_auth_hash()
    if device is not None:
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def _staff_token(user: Any, device: Any | None) -> str:
    """The API token of a staff member, issued (like ``POST /api/v1/auth/token/`` with
    ``otp_code``) after the second step: marked verified where one is needed."""
    from rest_framework.authtoken.models import Token

    from agencies import two_factor

    token, _created = Token.objects.get_or_create(user=user)
    if device is not None:
        two_factor.mark_token_verified(token=token)
    return str(token.key)


def prepare_actors(citizens: int) -> Actors:
    """Citizens with API tokens, an operator of the busiest regency/city body and the
    supervisor of its province (created once, reused by later runs), signed in with their
    second factor (a session and an API token each)."""
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
        return User.objects.get(pk=user.pk)  # memberships read afresh

    operator = staff("bench-operator@bench.lapor.id", "Operator Uji", body, Role.OPERATOR)
    supervisor = staff("bench-supervisor@bench.lapor.id", "Pimpinan Uji", province,
                       Role.SUPERVISOR)
    operator_device, supervisor_device = second_step(operator), second_step(supervisor)
    categories = dict(Category.objects.filter(is_active=True).values_list("slug", "pk"))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.code, r.code FROM agencies_region r JOIN agencies_region p "
            "ON p.id = r.parent_id WHERE r.level = 'regency' ORDER BY r.code"
        )
        regions = cursor.fetchall()
    rng = random.Random(7)
    places = [(*rng.choice(regions), rng.choice(sorted(categories))) for _ in range(500)]
    return Actors(tokens=tokens, operator_cookie=_session_cookie(operator, operator_device),
                  supervisor_cookie=_session_cookie(supervisor, supervisor_device),
                  operator_body=body.name, supervisor_body=province.name,
                  operator_open=operator_open, supervisor_open=supervisor_open,
                  operator=operator, supervisor=supervisor,
                  operator_token=_staff_token(operator, operator_device),
                  supervisor_token=_staff_token(supervisor, supervisor_device),
                  places=places, category_ids=categories)


# --- the servers ------------------------------------------------------------------------


class Servers:
    """gunicorn (the portal + the baseline view) and a Celery worker, in their own sessions."""

    def __init__(self, env: dict[str, str], port: int, web_workers: int,
                 worker_nice: int = 10) -> None:
        self.env, self.port, self.web_workers = env, port, web_workers
        self.worker_nice = worker_nice
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
        # The worker at a lower CPU priority: on these two shared cores the requests get a
        # core first (as with workers on their own hosts), so the filing figures measure the
        # requests, and the photos' cleaning takes the time left (measured on its own).
        self.processes.append(subprocess.Popen(
            ["nice", "-n", str(self.worker_nice), str(BIN / "celery"), "-A", "lapor", "worker",
             "--concurrency", "2", "--loglevel", "WARNING", "--without-gossip",
             "--without-mingle"], **common))
        _lower_session_priority(self.processes[-1].pid, self.worker_nice)
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


def _lower_session_priority(pid: int, nice: int) -> None:
    """With the kernel's autogroups (``sched_autogroup_enabled``), CPU is shared between
    sessions first, and a nice value counts only inside its session: the worker, in a session
    of its own, would get as much CPU as all of gunicorn whatever its nice. Its session's
    group gets the same nice value."""
    try:
        Path(f"/proc/{pid}/autogroup").write_text(str(nice))
    except OSError:
        pass  # no autogroups here: the process's nice value is enough


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


def _similar_path(actors: Actors, n: int) -> str:
    """The lookup the filing page's script makes once the category, the place and the words
    are typed (static/js/similar-reports.js): the same fields as the report about to be filed."""
    from urllib.parse import urlencode

    payload = _payload(actors, n)
    return "/api/v1/public/similar-reports/?" + urlencode({
        "title": payload["title"], "description": payload["description"][:5000],
        "category": actors.category_ids[payload["category"]], "regency": payload["regency"],
    })


LOOKUP_STEPS: dict[str, list[float]] = {"lookup": [], "filing": []}
# Filing citizens, taken in turn: at 10 filings an hour each (complaints.rate_limits) they
# carry ~15,000 filings in a run without one being refused.
CITIZENS = 3000
# Of the filings with the lookup in them, those held back (409: a similar report not among
# similar_seen) and sent again on their draft; one entry per filing, True when held.
HELD_BACK: list[bool] = []


def merged(earlier: LoadResult | None, part: LoadResult) -> LoadResult:
    """Two runs of one scenario as one: their operations, errors, time and latencies."""
    if earlier is None:
        return part
    return LoadResult(
        operations=earlier.operations + part.operations, errors=earlier.errors + part.errors,
        seconds=earlier.seconds + part.seconds,
        latencies_ms=earlier.latencies_ms + part.latencies_ms,
        first_error=earlier.first_error or part.first_error,
        generator_cpu_seconds=earlier.generator_cpu_seconds + part.generator_cpu_seconds,
        started=earlier.started + part.started)


def similar_shown(port: int, actors: Actors) -> list[list[str]]:
    """The tracking numbers the filing page's panel shows as each place's report is typed
    (``static/js/similar-reports.js``'s lookup while the citizen types), asked once per place
    before the loads, off the clock: what the page's submit then sends as ``similar_seen``."""
    client = Client("127.0.0.1", port)
    shown: list[list[str]] = []
    try:
        for index in range(len(actors.places)):
            status, body = client.request("GET", _similar_path(actors, index), None,
                                          _citizen_headers(actors, index))
            expect(status, 200, body[:200])
            shown.append([r["tracking_number"] for r in json.loads(body)["results"]])
    finally:
        client.close()
    return shown


def _file_with_similar_check(client: Client, actors: Actors, shown: list[list[str]],
                             n: int) -> None:
    """The filing with the similarity lookup in it: ``submit`` with ``similar_seen`` (what
    the page's submit and an app send; the server looks up again and files when nothing
    unseen is found). Held back (409), the draft is sent again with the numbers it lists."""
    headers = _citizen_headers(actors, n)
    status, body = client.json("POST", "/api/v1/reports/",
                               {**_payload(actors, n), "submit": True,
                                "similar_seen": shown[n % len(shown)]}, headers)
    HELD_BACK.append(status == 409)
    if status == 409:
        numbers = [r["tracking_number"] for r in body["similar"]]
        status, body = client.json("PATCH", f"/api/v1/reports/{body['draft']}/",
                                   {"submit": True, "similar_seen": numbers}, headers)
        expect(status, 200, body)
        return
    expect(status, 201, body)


def filing_scenarios(actors: Actors, photo: bytes, shown: list[list[str]]
                     ) -> dict[str, Callable[[Client, int], None]]:
    def baseline(client: Client, n: int) -> None:
        status, body = client.json("POST", "/bench/insert/", _payload(actors, n))
        expect(status, 201, body)

    def file_report(client: Client, n: int) -> None:
        status, body = client.json("POST", "/api/v1/reports/",
                                   {**_payload(actors, n), "submit": True},
                                   _citizen_headers(actors, n))
        expect(status, 201, body)

    def file_report_after_lookup(client: Client, n: int) -> None:
        # What a browser client does: the similar reports looked up (one request, the
        # script's debounced lookup once everything is typed), then the report filed.
        headers = _citizen_headers(actors, n)
        t0 = time.perf_counter()
        status, body = client.request("GET", _similar_path(actors, n), None, headers)
        expect(status, 200, body[:200])
        t1 = time.perf_counter()
        status, filed = client.json("POST", "/api/v1/reports/",
                                    {**_payload(actors, n), "submit": True}, headers)
        expect(status, 201, filed)
        LOOKUP_STEPS["lookup"].append((t1 - t0) * 1000)
        LOOKUP_STEPS["filing"].append((time.perf_counter() - t1) * 1000)

    def baseline_photo(client: Client, n: int) -> None:
        fields = {k: str(v) for k, v in _payload(actors, n).items()}
        data, content_type = multipart(fields, {"file": ("foto.jpg", "image/jpeg", photo)})
        status, body = client.request("POST", "/bench/insert/", data,
                                      {"Content-Type": content_type})
        expect(status, 201, body)

    def file_report_with_photo(client: Client, n: int) -> None:
        # One request, as the filing page's script and a phone client send it: the report
        # with submit and its photo (stored privately, cleaned by the worker after commit).
        fields = {k: str(v) for k, v in _payload(actors, n).items()}
        data, content_type = multipart({**fields, "submit": "true"},
                                       {"files": ("foto.jpg", "image/jpeg", photo)})
        status, body = client.request("POST", "/api/v1/reports/", data,
                                      {**_citizen_headers(actors, n),
                                       "Content-Type": content_type})
        expect(status, 201, body)

    def file_report_with_similar_check(client: Client, n: int) -> None:
        _file_with_similar_check(client, actors, shown, n)

    return {"baseline": baseline, "filing": file_report,
            "filing_with_similar_check": file_report_with_similar_check,
            "filing_with_lookup": file_report_after_lookup, "baseline_photo": baseline_photo,
            "filing_photo": file_report_with_photo}


def open_loop_scenarios(actors: Actors, shown: list[list[str]]
                        ) -> dict[str, Callable[[Client, int], dict[str, float]]]:
    """The open-loop step's operations: the filing alone, the filing with the lookup in it
    (``similar_seen``), and the lookup then the filing (the lookup's start to the filing's
    answer)."""
    def file_report(client: Client, n: int) -> dict[str, float]:
        t0 = time.perf_counter()
        status, body = client.json("POST", "/api/v1/reports/",
                                   {**_payload(actors, n), "submit": True},
                                   _citizen_headers(actors, n))
        expect(status, 201, body)
        return {"filing": (time.perf_counter() - t0) * 1000}

    def file_report_after_lookup(client: Client, n: int) -> dict[str, float]:
        headers = _citizen_headers(actors, n)
        t0 = time.perf_counter()
        status, body = client.request("GET", _similar_path(actors, n), None, headers)
        expect(status, 200, body[:200])
        t1 = time.perf_counter()
        status, filed = client.json("POST", "/api/v1/reports/",
                                    {**_payload(actors, n), "submit": True}, headers)
        expect(status, 201, filed)
        return {"lookup": (t1 - t0) * 1000, "filing": (time.perf_counter() - t1) * 1000}

    def file_report_with_similar_check(client: Client, n: int) -> dict[str, float]:
        t0 = time.perf_counter()
        _file_with_similar_check(client, actors, shown, n)
        return {"filing": (time.perf_counter() - t0) * 1000}

    return {"filing": file_report, "filing_with_similar_check": file_report_with_similar_check,
            "lookup_then_filing": file_report_after_lookup}


@dataclass
class OpenLoopFigure:
    fraction: float  # of the lower closed-loop capacity (filing, filing_with_lookup)
    rate: float  # offered arrivals per second
    results: dict[str, OpenLoopResult]
    server_cpu: dict[str, float]  # scenario -> gunicorn + Celery CPU s per second (cores)
    machine_cpu: dict[str, float]  # scenario -> the whole machine's busy share (0..1)


def _machine_busy() -> tuple[float, float]:
    """(busy, total) jiffies of all CPUs from /proc/stat."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    idle = fields[3] + fields[4]
    return sum(fields) - idle, sum(fields)


def run_open_loops(port: int, actors: Actors, shown: list[list[str]], servers: Servers,
                   capacity: float,
                   fractions: list[float], seconds: float, poisson: bool
                   ) -> list[OpenLoopFigure]:
    """At each fraction of ``capacity``, the filing alone then the lookup then the filing,
    each at the same offered rate and the same arrivals (one seed per rate)."""
    figures: list[OpenLoopFigure] = []
    first = 10_000_000  # its own numbers (addresses) after the closed-loop scenarios'
    for index, fraction in enumerate(fractions):
        rate = fraction * capacity
        results: dict[str, OpenLoopResult] = {}
        server_cpu: dict[str, float] = {}
        machine_cpu: dict[str, float] = {}
        for name, operation in open_loop_scenarios(actors, shown).items():
            pids = [p.pid for p in servers.processes]
            pids += [child for pid in pids for child in _children(pid)]
            cpu0, (busy0, total0), t0 = process_cpu_seconds(pids), _machine_busy(), \
                time.perf_counter()
            result = run_open_loop(operation, host="127.0.0.1", port=port, rate=rate,
                                   seconds=seconds, poisson=poisson, first=first,
                                   seed=16 + index)
            wall = time.perf_counter() - t0
            busy1, total1 = _machine_busy()
            server_cpu[name] = (process_cpu_seconds(pids) - cpu0) / wall
            machine_cpu[name] = (busy1 - busy0) / max(1, total1 - total0)
            # the next scenario's own addresses, and the citizens after this one's (each
            # scenario started at the first citizen had given those more than their limit)
            first += 1_000_000 + int(rate * (seconds + 3))
            results[name] = result
            say(f"open loop {fraction:.0%} ({rate:.1f}/s offered) {name}: "
                f"{result.arrived_per_second:.1f}/s arrived, "
                f"{result.completed_per_second:.1f}/s completed, p95 {result.p(95):.0f} ms, "
                f"{result.errors} errors {result.first_error}; server CPU "
                f"{server_cpu[name]:.2f} cores, machine {machine_cpu[name]:.0%}")
        figures.append(OpenLoopFigure(fraction, rate, results, server_cpu, machine_cpu))
    return figures


OPEN_LOOP_LABELS = {"filing": "filing alone",
                    "filing_with_similar_check": "filing with the lookup in it",
                    "lookup_then_filing": "lookup + filing"}


def render_open_loop(figures: list[OpenLoopFigure], capacity: float, seconds: float,
                     poisson: bool) -> list[str]:
    """The open-loop subsection of BENCHMARKS.md's filing section (Markdown lines)."""
    md = [
        "",
        "#### Open loop: the citizen's wait at a fixed arrival rate",
        "",
        f"Requests arrive at a fixed rate ({'Poisson arrivals' if poisson else 'evenly spaced'}"
        f", the same arrivals for every scenario of a rate), each started on its own "
        "keep-alive connection whatever the earlier ones' progress (a pool of 64), for "
        f"{seconds:.0f} s after 2 s of warm-up; every operation arriving in that window is "
        "counted and waited for, its latency from its scheduled arrival (a wait for a free "
        "connection would count). The rates are fractions of the lower of the closed-loop "
        f"capacities of *filing* and *filing_with_lookup* measured above ({capacity:.1f}/s). "
        "*filing with the lookup in it*: `similar_seen` with the submission, as above. "
        "*lookup + filing*: the panel's request then the filing, the time from the "
        "lookup's start to the filing's answer; its own filing request is in the "
        "*filing request* columns. Server CPU: gunicorn's and "
        "Celery's processes (user + system, in cores, over the run incl. warm-up and drain; "
        "PostgreSQL not included); machine: all of its 2 cores' busy share (other sessions "
        "included).",
        "",
        "| offered /s | scenario | arrived /s | completed /s | p50 ms | p95 ms | p95 vs "
        "filing alone | errors | filing request p50 / p95 ms | server CPU (cores) | "
        "machine busy |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for figure in figures:
        plain = figure.results["filing"]
        for name, result in figure.results.items():
            ratio = result.p(95) / plain.p(95) if plain.p(95) else math.nan
            filing_steps = result.steps.get("filing", [])
            md.append(
                f"| {figure.rate:.1f} ({figure.fraction:.0%}) | "
                f"{OPEN_LOOP_LABELS[name]} | "
                f"{result.arrived_per_second:.1f} | {result.completed_per_second:.1f} | "
                f"{result.p(50):.0f} | {result.p(95):.0f} | "
                f"{'' if name == 'filing' else f'**{ratio:.2f}×**'} | {result.errors} | "
                f"{percentile(filing_steps, 50):.0f} / {percentile(filing_steps, 95):.0f} | "
                f"{figure.server_cpu[name]:.2f} | {figure.machine_cpu[name]:.0%} |")
    lookups = [ms for f in figures for ms in f.results["lookup_then_filing"].steps.get(
        "lookup", [])]
    if lookups:
        md += ["", f"The lookup request within those runs: p50 {percentile(lookups, 50):.0f}"
               f" / p95 {percentile(lookups, 95):.0f} ms ({len(lookups)} requests)."]
    return md


def lookup_alone(port: int, actors: Actors, repeat: int) -> list[float]:
    """The similar-reports lookup's own latency, one request at a time (no other load)."""
    client = Client("127.0.0.1", port)
    timings = []
    for i in range(repeat + 5):
        n = 10**8 + i
        t0 = time.perf_counter()
        status, body = client.request("GET", _similar_path(actors, n), None,
                                      _citizen_headers(actors, n))
        elapsed = (time.perf_counter() - t0) * 1000
        expect(status, 200, body[:200])
        if i >= 5:
            timings.append(elapsed)
    client.close()
    return timings


def statements_per_filing(actors: Actors, photo: bytes) -> dict[str, int]:
    """The SQL statements one filing sends (in-process, the national database, a citizen's
    token; BEGIN/COMMIT not counted), after a first filing warmed the process's caches: the
    API filing with ``submit``, and the filing with a photo (one multipart request)."""
    from django.db import connection
    from django.test import Client as DjangoClient
    from django.test.utils import CaptureQueriesContext

    def count(call: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[int, Any]:
        with CaptureQueriesContext(connection) as captured:
            response = call(*args, **kwargs)
        if response.status_code not in (200, 201):
            raise SystemExit(f"statements per filing: HTTP {response.status_code} "
                             f"{response.content[:200]!r}")
        return len([q for q in captured.captured_queries if q["sql"].split()[0] not in
                    ("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE")]), response

    figures: dict[str, int] = {}
    for i in range(2):  # the second, once the first warmed this process's caches
        n = 10**9  # the same place and category both times (the caches hold those)
        client = DjangoClient(HTTP_HOST="127.0.0.1", headers={
            "Authorization": f"Token {actors.tokens[i]}", "X-Forwarded-For": f"172.16.0.{i}"})
        figures["filing"], _ = count(client.post, "/api/v1/reports/",
                                     {**_payload(actors, n), "submit": True},
                                     content_type="application/json")
        figures["lookup"], _ = count(client.get, _similar_path(actors, n))
        data, content_type = multipart(
            {**{k: str(v) for k, v in _payload(actors, n).items()}, "submit": "true"},
            {"files": ("foto.jpg", "image/jpeg", photo)})
        figures["photo"], _ = count(client.post, "/api/v1/reports/", data,
                                    content_type=content_type)
    connection.close()
    return figures


def worker_answers(timeout: float = 30.0) -> bool:
    """Does the benchmark's Celery worker answer a ping (it consumes the queue)?"""
    from lapor.celery import app

    deadline = time.time() + timeout
    while time.time() < deadline:
        if app.control.ping(timeout=1.0):
            return True
        time.sleep(0.5)
    return False


def last_attachment_id() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) FROM complaints_attachment")
        return int(cursor.fetchone()[0])


def wait_for_cleaning(after_id: int, load_ended: datetime, timeout: float
                      ) -> dict[str, Any]:
    """Wait until the worker has cleaned every attachment filed in the run (id above
    ``after_id``), then what it took: from the end of the load to the last one cleaned, from
    the first filed to the last cleaned, and each task's own time (claimed → processed)."""
    from django.db import connection

    deadline = time.time() + timeout
    while True:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FILTER (WHERE state = 'processing'), count(*) "
                           "FROM complaints_attachment WHERE id > %s", [after_id])
            waiting, filed = cursor.fetchone()
        if not waiting or time.time() > deadline:
            break
        time.sleep(0.5)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT state, count(*) FROM complaints_attachment WHERE id > %s GROUP BY 1",
            [after_id])
        states = dict(cursor.fetchall())
        cursor.execute(
            "SELECT min(created_at), max(processed_at), "
            "array_agg(extract(epoch FROM processed_at - claimed_at) * 1000) "
            "FILTER (WHERE processed_at IS NOT NULL AND claimed_at IS NOT NULL), "
            "sum(size) FROM complaints_attachment WHERE id > %s", [after_id])
        first_filed, last_cleaned, task_ms, size = cursor.fetchone()
    connection.close()
    task_ms = [float(ms) for ms in task_ms or []]
    return {
        "filed": filed, "states": states, "waiting": waiting, "timeout": timeout,
        "mb": (size or 0) / 1024 / 1024,
        "after_load_s": (last_cleaned - load_ended).total_seconds() if last_cleaned else None,
        "span_s": (last_cleaned - first_filed).total_seconds() if last_cleaned else None,
        "task_p50_ms": percentile(task_ms, 50), "task_p95_ms": percentile(task_ms, 95),
    }


# --- reads: a page over HTTP vs its SQL alone -------------------------------------------


def page_sql(path: str, headers: dict[str, str] | None = None) -> list[str]:
    """The SQL statements the page at ``path`` runs, as sent (in-process test client), with
    the same credentials as the timed requests (a ``Cookie`` or an ``Authorization``)."""
    from django.db import connection
    from django.test import Client as DjangoClient
    from django.test.utils import CaptureQueriesContext

    client = DjangoClient(HTTP_HOST="127.0.0.1")
    headers = dict(headers or {})
    if "Cookie" in headers:
        client.cookies.load(headers.pop("Cookie"))
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, headers=headers)
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


def time_page(port: int, path: str, headers: dict[str, str] | None, repeat: int
              ) -> list[float]:
    client = Client("127.0.0.1", port, headers or {})
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
    """The queue page with the staff member's session (the second step entered) and the
    queue API with their API token (issued with a second-factor code)."""
    figures = []
    for name, headers, path, note in (
        ("queue page, regency/city operator", {"Cookie": actors.operator_cookie},
         "/petugas/antrean/", f"{actors.operator_body}: {actors.operator_open:,} open"),
        ("queue page, province supervisor", {"Cookie": actors.supervisor_cookie},
         "/petugas/antrean/", f"{actors.supervisor_body} and below: "
                              f"{actors.supervisor_open:,} open"),
        ("queue API, regency/city operator",
         {"Authorization": f"Token {actors.operator_token}"}, "/api/v1/staff/queue/", ""),
        ("queue API, province supervisor",
         {"Authorization": f"Token {actors.supervisor_token}"}, "/api/v1/staff/queue/", ""),
    ):
        statements = page_sql(path, headers)
        page = time_page(port, path, headers, repeat)
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
        statements = [s for s in page_sql(path) if "websearch_to_tsquery" in s]
        page = time_page(port, path, None, repeat)
        sql = time_sql(sql_cursor, statements, repeat)
        sql_cursor.execute(
            "SELECT count(*) FROM complaints_report WHERE public_search_vector @@ "
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


def run_statistics(base_env: dict[str, str], args: argparse.Namespace
                   ) -> dict[str, Any] | None:
    """``python -m benchmarks.statistics --json F`` (its own database); its figures, or None
    when it wrote no JSON (it exits 1 when a rollup differs from the recomputation: the
    figures are still shown, with that verdict)."""
    import shlex

    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        out = Path(handle.name)
    extra = (shlex.split(args.statistics_args) if args.statistics_args is not None
             else ["--count", str(args.count)])
    say(f"benchmarks.statistics {' '.join(extra)}")
    result = subprocess.run([PYTHON, "-m", "benchmarks.statistics", *extra, "--json", str(out)],
                            env=base_env, cwd=BASE_DIR)
    try:
        figures = json.loads(out.read_text()) if out.stat().st_size else None
    except (OSError, ValueError):
        figures = None
    finally:
        out.unlink(missing_ok=True)
    if figures is not None:
        figures["_exit"] = result.returncode
        figures["_args"] = " ".join(extra)
    return figures


def previous_sweep_section(output: Path) -> str | None:
    """The "## Deadline sweep" section of the BENCHMARKS.md this run replaces (without any
    "carried over" note of its own), if it has one."""
    if not output.exists():
        return None
    found = re.search(r"^## Deadline sweep\n.*?(?=^## )", output.read_text(), re.S | re.M)
    if not found:
        return None
    return re.sub(r"\nNot re-run by this run.*?\n", "", found.group(0), count=1, flags=re.S)


PHONE_PHOTO_TEST = "tests/browser/test_phone_photo_upload.py"


def phone_photo_figures() -> dict[str, Any] | None:
    """What the phone photo browser test measured (it writes test-results/*.json), if it ran
    in this checkout."""
    figures: dict[str, Any] = {}
    for name in ("phone-photo-upload.json", "phone-photo-upload-no-js.json"):
        path = BASE_DIR / "test-results" / name
        if path.exists():
            figures[name.removesuffix(".json")] = {
                **json.loads(path.read_text()),
                "_at": datetime.fromtimestamp(path.stat().st_mtime, UTC).strftime(
                    "%Y-%m-%d %H:%M")}
    return figures or None


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
    parser.add_argument("--rounds", type=int, default=4,
                        help="baseline, filing and filing_with_similar_check: alternating "
                             "rounds of seconds/rounds each, merged")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--web-workers", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=100, help="requests per read figure")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--skip-sweep", action="store_true")
    parser.add_argument("--worker-nice", type=int, default=10,
                        help="the Celery worker's nice value (0: the same priority as gunicorn)")
    parser.add_argument("--filing-only", action="store_true",
                        help="only the filing scenarios (a quick check; writes no file)")
    parser.add_argument("--skip-statistics", action="store_true",
                        help="do not run benchmarks.statistics (its own database, slow)")
    parser.add_argument("--statistics-args", default=None,
                        help="arguments for benchmarks.statistics (default: --count COUNT)")
    parser.add_argument("--cleaning-timeout", type=float, default=900.0,
                        help="seconds to wait for the worker to clean the run's photos")
    parser.add_argument("--open-loop-rates", default="",
                        help="after the closed-loop filing scenarios, an open loop at these "
                        "fractions of the lower closed-loop capacity (filing, "
                        "filing_with_lookup), e.g. 0.4,0.7: filing alone vs lookup + filing")
    parser.add_argument("--open-loop-seconds", type=float, default=30.0,
                        help="per open-loop scenario and rate")
    parser.add_argument("--open-loop-even", action="store_true",
                        help="evenly spaced arrivals instead of Poisson")
    parser.add_argument("--skip-photo", action="store_true",
                        help="with --filing-only: no photo scenarios (nor their cleaning wait)")
    parser.add_argument("--output", default=str(BASE_DIR / "BENCHMARKS.md"))
    args = parser.parse_args(argv)
    if args.skip_photo and not args.filing_only:
        parser.error("--skip-photo needs --filing-only (the full report renders the photos)")
    fractions = [float(v) for v in args.open_loop_rates.split(",") if v.strip()]

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
    actors = prepare_actors(citizens=CITIZENS)
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg_version = cursor.fetchone()[0]
    connection.close()
    say(f"{reports:,} reports; operator at {actors.operator_body} ({actors.operator_open:,} "
        f"open), supervisor at {actors.supervisor_body} ({actors.supervisor_open:,} open)")

    photo = photo_bytes()
    servers = Servers(env, args.port, args.web_workers, args.worker_nice)
    filing: dict[str, LoadResult] = {}
    open_loop: list[OpenLoopFigure] = []
    capacity = 0.0
    try:
        servers.start()
        if not worker_answers():
            raise SystemExit(f"the Celery worker does not answer; see {servers.log.name}")
        say(f"gunicorn ({args.web_workers} workers) and a Celery worker are up (it answers "
            f"a ping); log: {servers.log.name}")
        statements = statements_per_filing(actors, photo)
        say(f"statements per filing: {statements}")
        cleaning: dict[str, Any] = {}
        shown = similar_shown(args.port, actors)
        scenarios = filing_scenarios(actors, photo, shown)

        taken = [0]  # operation numbers used by the closed loops so far

        def run(name: str, seconds: float, warmup: float = 2.0) -> LoadResult:
            result = run_load(scenarios[name], host="127.0.0.1", port=args.port,
                              concurrency=args.concurrency, seconds=seconds, warmup=warmup,
                              first=taken[0])
            taken[0] += result.started
            return result

        def load(name: str) -> None:
            result = run(name, args.seconds)
            filing[name] = result
            say(f"{name}: {result.per_second:.1f}/s, p95 {result.p(95):.0f} ms, "
                f"{result.errors} errors {result.first_error}")

        def load_in_turns(names: tuple[str, ...]) -> None:
            # In alternating rounds, merged: the machine is shared, and a change in the other
            # sessions' load then falls on each scenario alike.
            for round_ in range(args.rounds):
                # each round in another order: none always follows the same one
                for name in names[round_ % len(names):] + names[:round_ % len(names)]:
                    part = run(name, args.seconds / args.rounds,
                               warmup=2.0 if round_ == 0 else 1.0)
                    filing[name] = merged(filing.get(name), part)
            for name in names:
                result = filing[name]
                say(f"{name} ({args.rounds} rounds): {result.per_second:.1f}/s, p95 "
                    f"{result.p(95):.0f} ms, {result.errors} errors {result.first_error}")

        def photos() -> dict[str, Any]:
            # Last of the loads: the worker cleans their photos for minutes afterwards, which
            # would take the cores from every figure measured after them.
            load("baseline_photo")
            before_photos = last_attachment_id()
            load("filing_photo")
            cleaned = wait_for_cleaning(before_photos, datetime.now(UTC),
                                        timeout=args.cleaning_timeout)
            say(f"cleaning the run's photos: {cleaned}")
            return cleaned

        load_in_turns(("baseline", "filing", "filing_with_similar_check"))
        load("filing_with_lookup")
        if fractions:
            capacity = min(filing["filing"].per_second,
                           filing["filing_with_lookup"].per_second)
            open_loop = run_open_loops(args.port, actors, shown, servers, capacity, fractions,
                                       args.open_loop_seconds, not args.open_loop_even)
        if args.filing_only:
            if not args.skip_photo:
                cleaning = photos()
            for name, result in filing.items():
                print(f"{name:20} {result.per_second:7.1f}/s  p50 {result.p(50):5.0f} ms  "
                      f"p95 {result.p(95):5.0f} ms  {result.errors} errors")
            if open_loop:
                print("\n".join(render_open_loop(open_loop, capacity, args.open_loop_seconds,
                                                 not args.open_loop_even)))
            return 0
        lookup = lookup_alone(args.port, actors, args.repeat)
        say(f"similar-reports lookup alone: p50 {percentile(lookup, 50):.1f} ms, "
            f"p95 {percentile(lookup, 95):.1f} ms")
        sql_connection = _connect(national_url)
        sql_connection.autocommit = True
        with sql_connection.cursor() as sql_cursor:
            queues = measure_queues(args.port, actors, args.repeat, sql_cursor)
            search, search_rows = measure_search(args.port, max(5, args.repeat // 10),
                                                 sql_cursor)
        sql_connection.close()
        cleaning = photos()
        time.sleep(3)  # let the worker finish the notifications the load queued
        memory = servers.peak_memory_mb()
    finally:
        servers.stop()
    say(f"peak memory (MB): web {memory['web']}, celery {memory['celery']}")

    sweep = None if args.skip_sweep else run_sweep(base_env)
    stats = None if args.skip_statistics else run_statistics(base_env, args)
    counts_ok, counts_summary = run_query_counts(base_env)
    say(f"query counts: {counts_summary}")

    report = render(
        reports=reports, load_seconds=load_seconds, count=args.count, filing=filing,
        queues=queues, search=search, search_rows=search_rows, memory=memory, sweep=sweep,
        counts=(counts_ok, counts_summary), args=args, pg_version=pg_version,
        photo_size=len(photo), total_minutes=(time.perf_counter() - started) / 60,
        statements=statements, cleaning=cleaning, lookup=lookup,
        statistics=stats,
        lookup_steps={k: list(v) for k, v in LOOKUP_STEPS.items()},
        held_back=list(HELD_BACK),
        phone_photo=phone_photo_figures(), load_average=os.getloadavg(),
        open_loop=open_loop, open_loop_capacity=capacity,
        kept_sweep=previous_sweep_section(Path(args.output)),
    )
    print("\n" + report["table"])
    Path(args.output).write_text(report["markdown"])
    say(f"wrote {args.output}")
    return 0


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"



def _p95_row(label: str, figure: str, mine: LoadResult, plain: LoadResult
             ) -> tuple[str, str, str, str, str, str]:
    """A row of the lookup's target (issue 16): ``mine``'s p95 against the filing alone's."""
    ratio = mine.p(95) / plain.p(95) if plain.p(95) else math.nan
    return (label, figure + (f", {mine.errors} errors" if mine.errors else ""),
            f"filing alone p95 {plain.p(95):.0f} ms", f"{ratio:.2f}",
            f"≤ {TARGETS['lookup_p95_ratio']}×",
            _verdict(ratio <= TARGETS["lookup_p95_ratio"] and not mine.errors))


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
    for label, name, base, key in (
            ("filing via API, no file", "filing", "baseline", "filing_ratio"),
            ("filing via API, 2 MB photo (1 request)", "filing_photo", "baseline_photo",
             "photo_ratio")):
        mine, theirs = filing[name], filing[base]
        ratio = mine.per_second / theirs.per_second if theirs.per_second else 0.0
        target = f"≥ {TARGETS[key]}× baseline"
        if name == "filing":
            target += f" (stretch {TARGETS['filing_ratio_stretch']}×; 150/s national)"
        rows.append((label,
                     f"{mine.per_second:.1f}/s, p95 {mine.p(95):.0f} ms"
                     + (f", {mine.errors} errors" if mine.errors else ""),
                     f"{theirs.per_second:.1f}/s, p95 {theirs.p(95):.0f} ms",
                     f"{ratio:.2f}", target,
                     _verdict(ratio >= TARGETS[key] and not mine.errors)
                     + (" (stretch too)" if name == "filing"
                        and ratio >= TARGETS["filing_ratio_stretch"] else "")))
    statements = figures["statements"]
    rows.append(("SQL statements per filing (BEGIN/COMMIT not counted)",
                 f"{statements['filing']} (API, submit)",
                 f"{statements['photo']} (API, submit, with a photo)", "", "", ""))
    if "filing_with_similar_check" in filing:
        checked, held = filing["filing_with_similar_check"], figures.get("held_back") or []
        rows.append(_p95_row(
            "filing p95 with the similarity lookup in it (submit + similar_seen)",
            f"p95 {checked.p(95):.0f} ms ({checked.per_second:.1f}/s, {sum(held)} of "
            f"{len(held)} held back)", checked, filing["filing"]))
    for figure in figures.get("open_loop") or []:
        checked = figure.results.get("filing_with_similar_check")
        if checked is not None:
            rows.append(_p95_row(
                f"same, open loop at {figure.rate:.1f}/s ({figure.fraction:.0%} of capacity)",
                f"p95 {checked.p(95):.0f} ms", checked, figure.results["filing"]))
    if "filing_with_lookup" in filing:
        looked = filing["filing_with_lookup"]
        rows.append(_p95_row("the panel's lookup as its own request, then the filing",
                             f"p95 {looked.p(95):.0f} ms ({looked.per_second:.1f}/s)",
                             looked, filing["filing"]))
    for figure in figures.get("open_loop") or []:
        looked = figure.results["lookup_then_filing"]
        rows.append(_p95_row(
            f"lookup + filing, open loop at {figure.rate:.1f}/s ({figure.fraction:.0%} of "
            "capacity)", f"lookup + filing p95 {looked.p(95):.0f} ms", looked,
            figure.results["filing"]))
    cleaning = figures["cleaning"]
    if cleaning:
        done = cleaning["states"].get("clean", 0) + cleaning["states"].get("failed", 0)
        rows.append((f"worker: cleaning the run's {cleaning['filed']} photos",
                     (f"all done {cleaning['after_load_s']:.0f} s after the load"
                      if not cleaning["waiting"] else
                      f"{cleaning['waiting']} still waiting after {cleaning['timeout']:.0f} s")
                     + f" ({cleaning['span_s']:.0f} s from the first filed)",
                     f"task p50 {cleaning['task_p50_ms']:.0f} / p95 "
                     f"{cleaning['task_p95_ms']:.0f} ms", "", "",
                     f"{done}/{cleaning['filed']} processed"))
    phone = (figures.get("phone_photo") or {}).get("phone-photo-upload")
    if phone:
        rows.append(("12 MP phone photo upload (browser test)",
                     f"{phone['request_bytes']:,} bytes after resize",
                     f"{phone['raw_bytes']:,} bytes as taken", f"{phone['ratio']:.1f}× less",
                     "", ""))
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
        f"{figures['total_minutes']:.0f} min; load average at its end "
        f"{' / '.join(f'{x:.1f}' for x in figures['load_average'])} (1/5/15 min: the machine "
        "is shared with other sessions).",
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
        f"{args.concurrency} closed-loop clients; *baseline*, *filing* and "
        f"*filing_with_similar_check* in {args.rounds} alternating rounds of "
        f"{args.seconds / args.rounds:.0f} s each (1 s of warm-up after the first; each "
        "round in another order), merged, so that the other sessions' load on this shared "
        "machine falls on each alike. "
        "*Filing* posts a complete report with "
        f"`submit: true` to `/api/v1/reports/` as one of {CITIZENS:,} citizens (token), each "
        "request "
        "from its own address behind the trusted proxy, so the rate limits are on but not hit. "
        "*With a photo* is one multipart request per report (the fields, `submit` and "
        f"`files`) with a {figures['photo_size'] / 1024 / 1024:.1f} MB JPEG. The *baseline* "
        "is a view of the "
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
    statements = figures["statements"]
    md += [
        "",
        f"**Statements per filing** (counted in-process on the same database, a citizen's "
        "token, the second of two filings so that the process's caches are warm; BEGIN and "
        f"COMMIT not counted): {statements['filing']} for `POST /api/v1/reports/` with "
        f"`submit`; {statements['photo']} with a photo in the same request; "
        f"the similar-reports lookup {statements['lookup']}. The baseline: 1.",
    ]
    cleaning = figures["cleaning"]
    if cleaning:
        states = ", ".join(f"{n} {state}" for state, n in sorted(cleaning["states"].items()))
        md += [
            "",
            "### The photos' cleaning, in the worker",
            "",
            "The upload stores the photo privately as it came and answers; the Celery task "
            "`complaints.clean_attachment` (queued after commit) decodes it, turns it upright, "
            "strips EXIF, re-encodes it and makes the thumbnail. The worker (2 processes) runs "
            f"on the same two cores during the load, at nice {args.worker_nice} (its session's "
            "autogroup too) so that the "
            "requests get a core first (as with workers on their own hosts): the photo "
            "scenario's figure above is the requests' time. After the load, the benchmark "
            "waited until every attachment filed in the run had been processed: "
            f"{cleaning['filed']} photos "
            f"({cleaning['mb']:.0f} MB stored; {states}), "
            + (f"the last one done **{cleaning['after_load_s']:.0f} s after the load ended**, "
               f"{cleaning['span_s']:.0f} s after the first was filed"
               if not cleaning["waiting"] else
               f"**{cleaning['waiting']} still waiting** after {cleaning['timeout']:.0f} s")
            + f"; each task (claimed → processed) p50 {cleaning['task_p50_ms']:.0f} ms, p95 "
            f"{cleaning['task_p95_ms']:.0f} ms, its time including the wait for a core.",
        ]
    lookup = figures["lookup"]
    if "filing_with_lookup" in filing and "filing_with_similar_check" in filing:
        plain, looked = filing["filing"], filing["filing_with_lookup"]
        checked = filing["filing_with_similar_check"]
        held = figures.get("held_back") or []
        md += [
            "",
            "### Filing with the similarity lookup (issue 16)",
            "",
            "*filing_with_similar_check* is the filing with the lookup in it: the same "
            "`POST /api/v1/reports/` with `submit` and `similar_seen`, the tracking numbers "
            "the filing page's panel showed as the report was typed (asked once per place "
            "before the loads, off the clock). The server looks the similar reports up again "
            "within the submission, as the page's submit does (`intake.file_report`), and "
            "files it when every one was shown; one it did not show holds the report back "
            "(409, the draft kept), and the scenario then sends the draft again with the "
            f"numbers listed ({sum(held)} of {len(held)} filings here, every operation "
            "counted, warm-up included). "
            f"p95 {checked.p(95):.0f} ms vs {plain.p(95):.0f} ms for the filing alone, ratio "
            f"**{checked.p(95) / plain.p(95):.2f}** (target ≤ {TARGETS['lookup_p95_ratio']}×).",
            "",
            "*filing_with_lookup* adds the panel's own request: `GET "
            "/api/v1/public/similar-reports/` with the title, the description, the category "
            "and the regency of the report it then files (one lookup per filing here; the "
            "page's script asks at each pause in typing, debounced), then the filing alone. "
            f"p95 {looked.p(95):.0f} ms, ratio **{looked.p(95) / plain.p(95):.2f}**. This "
            "is the capacity the live panel costs a saturated server (every filing brings a "
            "second request), not a wait at submit: the citizen reads the panel while "
            "typing. Within the scenario (every operation, warm-up included) the lookup "
            f"took p50 {percentile(figures['lookup_steps']['lookup'], 50):.0f} / p95 "
            f"{percentile(figures['lookup_steps']['lookup'], 95):.0f} ms and the filing "
            f"request after it p50 {percentile(figures['lookup_steps']['filing'], 50):.0f} / "
            f"p95 {percentile(figures['lookup_steps']['filing'], 95):.0f} ms. "
            f"The lookup alone, one request at a time after the load: p50 "
            f"{percentile(lookup, 50):.1f} ms, p95 {percentile(lookup, 95):.1f} ms "
            f"({len(lookup)} requests).",
        ]
    if figures.get("open_loop"):
        md += render_open_loop(figures["open_loop"], figures["open_loop_capacity"],
                               args.open_loop_seconds, not args.open_loop_even)
    phone = figures.get("phone_photo") or {}
    if phone.get("phone-photo-upload"):
        with_js = phone["phone-photo-upload"]
        md += [
            "",
            "### A 12 MP phone photo: bytes uploaded before and after the resize in the browser",
            "",
            f"Measured by the browser test `{PHONE_PHOTO_TEST}` "
            "(`test_a_phone_on_a_slow_link_files_a_report_with_a_12_mp_photo`: Chromium at "
            "360 px on a throttled 3G link, a 4000 × 3000 camera JPEG with EXIF orientation "
            f"6 and a GPS position; its run of {with_js['_at']} UTC, "
            "`test-results/phone-photo-upload.json`): the photo as taken is "
            f"**{with_js['raw_bytes']:,} bytes**; the page scales it to 2560 px and turns it "
            f"upright before sending, and the whole request was **{with_js['request_bytes']:,} "
            f"bytes** (the photo {with_js['photo_uploaded_bytes']:,}), "
            f"{with_js['ratio']}× less; stored clean: {with_js['stored_clean_bytes']:,} bytes; "
            f"the cleaning task took {with_js['cleaning_task_ms']:,} ms in the test's process.",
        ]
        no_js = phone.get("phone-photo-upload-no-js")
        if no_js:
            md[-1] += (f" Without JavaScript the form sends the photo as it came "
                       f"({no_js['raw_bytes']:,} bytes) and the task cleans the 12 MP photo "
                       f"in {no_js['cleaning_task_ms_12mp']:,} ms "
                       f"({no_js['stored_clean_bytes']:,} bytes stored).")
    md += [
        "",
        "## Reads: the page over HTTP vs its SQL alone",
        "",
        "Each page is requested one at a time over HTTP from gunicorn (after 5 warm-up "
        "requests). The baseline replays the SQL statements that same page sends (captured "
        "in-process, session and user lookups included) on one connection, one after another. "
        "Staff sign in with their second factor, as they must: the pages use a session that "
        "entered the authenticator app's code (`two_factor.verify`, recorded as django-otp "
        "records it), the API a token issued after that code (`mark_token_verified`).",
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
    kept = figures.get("kept_sweep")
    if not sweep and kept:  # --skip-sweep: the last measured figures, said to be older
        md += ["", kept.replace(
            "## Deadline sweep\n",
            "## Deadline sweep\n\nNot re-run by this run (`--skip-sweep`): the section below "
            "is carried over from the previous BENCHMARKS.md.\n", 1).rstrip()]
    stats = figures.get("statistics")
    if stats:
        md += render_statistics(stats)
    md += ["", "## Memory", "",
           f"Peak resident set (VmHWM) of each gunicorn worker: "
           f"{', '.join(f'{m:.0f}' for m in memory['web'])} MB; of the Celery worker's "
           f"processes: {', '.join(f'{m:.0f}' for m in memory['celery'])} MB.", ""]
    notes = BASE_DIR / "benchmarks" / "NOTES.md"
    if notes.exists():
        md += [notes.read_text().strip(), ""]
    return {"table": "\n".join(table), "markdown": "\n".join(md)}


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.1f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    if isinstance(value, bool):
        return "yes" if value else "**no**"
    return str(value).replace("|", "\\|")


def render_statistics(stats: dict[str, Any]) -> list[str]:
    """The statistics benchmark's figures as it wrote them (``--json``): its scalars, then a
    table of each list of rows (the scopes), whatever columns it has."""
    md = ["", "## Statistics pages (`benchmarks/statistics.py`)", "",
          f"`python -m benchmarks.statistics {stats.get('_args', '')} --json F` in its own "
          f"database (exit {stats.get('_exit', '?')}; 1 means a rollup figure differed from "
          "the recomputation)."]
    scalars = [f"{key}: {_cell(value)}" for key, value in stats.items()
               if not key.startswith("_") and not isinstance(value, (list, dict))]
    if scalars:
        md += ["", "; ".join(scalars) + "."]
    for key, value in stats.items():
        if not isinstance(value, list) or not value or not isinstance(value[0], dict):
            continue
        columns = [c for c in value[0] if not isinstance(value[0][c], (list, dict))]
        md += ["", f"{key}:", "", "| " + " | ".join(columns) + " |",
               "|" + "---|" * len(columns)]
        md += ["| " + " | ".join(_cell(row.get(c, "")) for c in columns) + " |"
               for row in value]
    return md


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"
