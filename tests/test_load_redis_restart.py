"""Concurrent filings (a draft, a photo, the submission, through the API of a live server)
while Redis is killed and started again, with a real Celery worker sending the outbox's email:
no report, no file and no email is lost, and no email is sent twice (counts compared).

The short run (LAPOR_LOAD_SECONDS, 8 s by default) is part of the suite; the long one is
``LAPOR_LOAD=1`` (60 s): ``LAPOR_LOAD=1 pytest -s tests/test_load_redis_restart.py``. Each
prints its figures (``FIGURE …``)."""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection
from PIL import Image
from rest_framework.authtoken.models import Token

from complaints import tasks
from complaints.models import Attachment, OutgoingEmail, Report, ReportStatus
from lapor import outages
from tests.factories import UserFactory
from tests.redis_faults import own_redis, pointed_at

BASE = Path(__file__).resolve().parent.parent
LONG = os.environ.get("LAPOR_LOAD") == "1"
SECONDS = 60.0 if LONG else float(os.environ.get("LAPOR_LOAD_SECONDS", "8"))
FILERS = 6 if LONG else 3
DOWN_SECONDS, UP_SECONDS = 1.5, 2.5  # Redis: killed for this long, then up for this long
DRAIN_WITHIN_SECONDS = 180  # a bound on waiting for the worker, never an expectation


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 120, 200)).save(buffer, "PNG")
    return buffer.getvalue()


PNG = _png()


def _call(base: str, token: str, method: str, path: str, *, payload: dict | None = None,
          upload: bytes | None = None) -> tuple[int, dict]:
    headers = {"Authorization": f"Token {token}", "Accept": "application/json"}
    data = None
    if payload is not None:
        data = json.dumps(payload).encode()
        headers["Content-Type"] = "application/json"
    if upload is not None:
        boundary = uuid.uuid4().hex
        data = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
                f"filename=\"foto.png\"\r\nContent-Type: image/png\r\n\r\n").encode()
        data += upload + f"\r\n--{boundary}--\r\n".encode()
        headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
    request = urllib.request.Request(base + path, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - local
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        body = error.read()
        try:
            return error.code, json.loads(body or b"{}")
        except ValueError:
            return error.code, {"raw": body[:200].decode(errors="replace")}


class Worker:
    """A Celery worker process, started again whenever it exits, as the deployment's
    supervisor does (``restart: unless-stopped`` in docker-compose.yml): kombu 5.7's Redis
    transport sometimes ends the worker with an AttributeError in ``restore_unacked`` when
    the broker drops while tasks are unacknowledged. ``exits`` counts those restarts."""

    def __init__(self, env: dict[str, str], folder: Path) -> None:
        self.env, self.folder = env, folder
        self.exits = 0
        self.process: subprocess.Popen[bytes] | None = None
        self.stopping = threading.Event()
        self.start()
        self.watch = threading.Thread(target=self._supervise, daemon=True)
        self.watch.start()

    def start(self) -> None:
        celery = str(Path(sys.executable).parent / "celery")
        log = self.folder / f"worker-{self.exits}.log"
        with log.open("wb") as out:
            self.process = subprocess.Popen(
                [celery, "-A", "lapor", "worker", "--concurrency", "2", "--loglevel", "INFO",
                 "--without-gossip", "--without-mingle", "--without-heartbeat"],
                env=self.env, cwd=BASE, stdout=out, stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def _supervise(self) -> None:
        while not self.stopping.wait(0.5):
            assert self.process is not None
            if self.process.poll() is not None:
                self._reap()
                self.exits += 1
                self.start()

    def _reap(self) -> None:
        assert self.process is not None
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)  # what the leader left behind
        self.process.wait()

    def stop(self) -> None:
        self.stopping.set()
        self.watch.join()
        assert self.process is not None
        if self.process.poll() is None:
            self.process.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=60)
        self._reap()


@contextlib.contextmanager
def _worker(env: dict[str, str], folder: Path):
    worker = Worker(env, folder)
    try:
        yield worker
    finally:
        worker.stop()


def _test_database_url() -> str:
    """The test database, for the worker process (a unix-socket host, as the embedded server
    of `make test` has, is written percent-encoded, as dj-database-url reads it)."""
    database = connection.settings_dict
    user = quote(database["USER"] or "", safe="")
    if database.get("PASSWORD"):
        user += ":" + quote(database["PASSWORD"], safe="")
    host = database["HOST"] or "127.0.0.1"
    host = quote(host, safe="") if host.startswith("/") else host
    port = f":{database['PORT']}" if database.get("PORT") else ""
    return f"postgres://{user}@{host}{port}/{database['NAME']}"


def _sent_message_ids(folder: Path) -> Counter[str]:
    found: Counter[str] = Counter()
    for path in folder.glob("*.log"):
        found.update(re.findall(r"^Message-ID: (<outbox-\d+@[^>]+>)", path.read_text(),
                                flags=re.MULTILINE))
    return found


@pytest.mark.load
@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_filings_while_redis_restarts_lose_no_report_file_or_email(
        agency_tree, live_server, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.RATE_LIMITS = {action: {"user": (100_000, 3600), "ip": (100_000, 3600)}
                            for action in ("file_report", "upload")}
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    filers = [UserFactory() for _ in range(FILERS)]
    tokens = [Token.objects.create(user=user).key for user in filers]
    env = {
        **os.environ,
        "DATABASE_URL": _test_database_url(),
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    acknowledged: list[int] = []  # reports the API said were submitted
    failures: Counter[str] = Counter()
    attempts = Counter[str]()
    lock = threading.Lock()
    stop = threading.Event()
    restarts = 0

    def file_reports(token: str) -> None:
        n = 0
        while not stop.is_set():
            n += 1
            with lock:
                attempts["filing"] += 1
            status, draft = _call(live_server.url, token, "POST", "/api/v1/reports/", payload={
                "kind": "complaint", "title": f"Jalan rusak nomor {n} di kelurahan",
                "description": "Jalan berlubang besar dan membahayakan pengendara motor.",
                "category": "infrastruktur", "province": "33", "regency": "33.74",
                "submit": False})
            if status != 201:
                with lock:
                    failures[f"draft {status}"] += 1
                continue
            status, _ = _call(live_server.url, token, "POST",
                              f"/api/v1/reports/{draft['id']}/attachments/", upload=PNG)
            if status != 201:
                with lock:
                    failures[f"upload {status}"] += 1
                continue
            status, submitted = _call(live_server.url, token, "POST",
                                      f"/api/v1/reports/{draft['id']}/submit/")
            with lock:
                if status == 200 and submitted.get("status") == "submitted":
                    acknowledged.append(draft["id"])
                else:
                    failures[f"submit {status}"] += 1
        connection.close()

    with own_redis(tmp_path) as server, pointed_at(server.url):
        env["REDIS_URL"] = server.url
        with _worker(env, tmp_path) as worker:
            threads = [threading.Thread(target=file_reports, args=(token,)) for token in tokens]
            started = time.monotonic()
            for thread in threads:
                thread.start()
            while time.monotonic() - started < SECONDS:
                time.sleep(UP_SECONDS)
                server.kill()  # every queued task and every counter is lost with it
                restarts += 1
                time.sleep(DOWN_SECONDS)
                server.start()
            stop.set()
            for thread in threads:
                thread.join()
            elapsed = time.monotonic() - started
            # Redis is back: what beat would send every minute, sent now
            outages.forget_failures()
            tasks.deliver_emails.delay()
            deadline = time.monotonic() + DRAIN_WITHIN_SECONDS
            while (time.monotonic() < deadline
                   and OutgoingEmail.objects.exclude(state="sent").exists()):
                time.sleep(1)
                if OutgoingEmail.objects.filter(state="pending").exists():
                    tasks.deliver_emails.delay()
            drained = time.monotonic() - started - elapsed

    submitted = Report.objects.filter(pk__in=acknowledged, status=ReportStatus.SUBMITTED)
    with_file = Attachment.objects.filter(report_id__in=acknowledged).values("report").distinct()
    emails = OutgoingEmail.objects.all()
    sent = _sent_message_ids(mail_dir)
    print(f"\nFIGURE load: {elapsed:.0f} s, {FILERS} filers, {restarts} Redis restarts, "
          f"{attempts['filing']} filings tried, {len(acknowledged)} acknowledged, "
          f"{submitted.count()} submitted in the database, {with_file.count()} with their "
          f"file, {emails.count()} outbox rows, {emails.filter(state='sent').count()} sent, "
          f"{len(sent)} distinct messages written, {sum(sent.values())} messages in all, "
          f"outbox drained {drained:.0f} s after the load, worker restarted {worker.exits} "
          f"times; refusals: {dict(failures) or 'none'}")
    assert acknowledged, "no filing went through"
    assert restarts >= 1
    assert submitted.count() == len(acknowledged)  # no report lost
    assert with_file.count() == len(acknowledged)  # no file lost
    assert emails.filter(state="sent").count() == emails.count()  # every email left
    assert emails.count() >= len(acknowledged)  # each submission's receipt, at least
    assert len(sent) == emails.count()  # each one written by the worker's mail backend
    assert max(sent.values()) == 1  # none twice
    assert not [code for code in failures if code.endswith(" 500")]  # never a server error
