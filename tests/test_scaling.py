"""What running on several hosts needs: the read replica (settings, router, which requests read
from it) and private object storage for files (settings, and views that read files through the
storage API only). README, "Running at national scale"."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.models import Session
from django.core.files import File
from django.core.files.storage import InMemoryStorage, Storage
from django.db import DEFAULT_DB_ALIAS, connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.authtoken.models import Token

from agencies.models import Body
from complaints.models import Report, Support
from complaints.services import intake
from lapor import health
from lapor.db_router import (
    REPLICA,
    ROUTER,
    PublicReadsRouter,
    in_public_reads,
    public_read_view,
    public_reads,
)
from routing import exports
from routing.models import ExportJob
from routing.queues import QueueFilters
from tests.complaints.images import cleaned, jpeg_with_gps, pdf
from tests.factories import UserFactory, public_report

BASE = Path(__file__).resolve().parent.parent

# The replica as a real second connection to the test database (not the primary's own
# connection, which tests/conftest.py gives every other test): it sees only committed rows.
with_replica = pytest.mark.django_db(databases=[DEFAULT_DB_ALIAS, REPLICA])


# --- settings, read in a fresh process from the environment --------------------------------

_PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.core.files.storage import storages
storage = storages["default"]
out = {
    "databases": settings.DATABASES,
    "routers": settings.DATABASE_ROUTERS,
    "storage": settings.STORAGES["default"],
    "storage_class": type(storage).__name__,
}
if out["storage_class"] == "S3Storage":
    out["url"] = storage.url("lampiran/2025/foto.jpg")
    out["secret_key"] = storage.secret_key
print("PROBE" + json.dumps(out, default=str))
"""

_OURS = ("DATABASE_REPLICA_URL", "MEDIA_STORAGE", "DJANGO_ALLOW_ASYNC_UNSAFE")


def _settings_with(**env_changes: str) -> dict:
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in _OURS and not name.startswith("AWS_")
    }
    env.update(env_changes)
    env["DJANGO_SETTINGS_MODULE"] = "lapor.settings"
    result = subprocess.run(
        [sys.executable, "-c", _PROBE], env=env, capture_output=True, text=True, timeout=60,
        cwd=BASE,
    )
    if result.returncode != 0:
        return {"error": result.stderr}
    line = next(line for line in result.stdout.splitlines() if line.startswith("PROBE"))
    return json.loads(line.removeprefix("PROBE"))


def test_without_a_replica_url_there_is_one_database_and_no_router():
    probe = _settings_with()
    assert list(probe["databases"]) == ["default"]
    assert probe["routers"] == []
    assert probe["storage_class"] == "FileSystemStorage"


def test_a_replica_url_adds_the_replica_alias_and_the_router():
    probe = _settings_with(
        DATABASE_REPLICA_URL="postgres://reader:pw@replica.internal:6432/lapor?sslmode=require",
        DATABASE_CONN_MAX_AGE="120",
        DATABASE_CONNECT_TIMEOUT="3",
    )
    replica = probe["databases"]["replica"]
    assert (replica["HOST"], replica["PORT"], replica["USER"], replica["NAME"]) == (
        "replica.internal", 6432, "reader", "lapor"
    )
    # the primary's options, plus the replica URL's own
    assert replica["OPTIONS"] == {"connect_timeout": 3, "sslmode": "require"}
    assert replica["CONN_MAX_AGE"] == probe["databases"]["default"]["CONN_MAX_AGE"] == 120
    assert replica["CONN_HEALTH_CHECKS"] is True
    assert replica["TEST"]["MIRROR"] == "default"
    assert probe["routers"] == [ROUTER]


def test_a_replica_that_is_not_postgresql_is_refused():
    probe = _settings_with(DATABASE_REPLICA_URL="sqlite:///replica.db")
    assert "DATABASE_REPLICA_URL must point at PostgreSQL" in probe["error"]


def test_object_storage_is_private(tmp_path):
    secret = tmp_path / "s3-secret"
    secret.write_text("rahasia-dari-berkas\n")
    probe = _settings_with(
        MEDIA_STORAGE="s3",
        AWS_STORAGE_BUCKET_NAME="lapor-berkas",
        AWS_S3_ENDPOINT_URL="https://s3.example.go.id",
        AWS_S3_REGION_NAME="ap-southeast-3",
        AWS_ACCESS_KEY_ID="AKIAEXAMPLE",
        AWS_SECRET_ACCESS_KEY_FILE=str(secret),
    )
    assert probe["storage_class"] == "S3Storage", probe.get("error")
    options = probe["storage"]["OPTIONS"]
    assert options["bucket_name"] == "lapor-berkas"
    assert options["endpoint_url"] == "https://s3.example.go.id"
    assert options["default_acl"] is None  # no public-read ACL on any object
    assert options["custom_domain"] is None
    assert options["file_overwrite"] is False
    assert probe["secret_key"] == "rahasia-dari-berkas"
    # Nothing serves these URLs, but should one ever be made it is signed and expires.
    assert probe["url"].startswith("https://s3.example.go.id/lapor-berkas/lampiran/2025/foto.jpg?")
    assert "X-Amz-Signature=" in probe["url"] and "X-Amz-Expires=300" in probe["url"]


def test_object_storage_without_a_bucket_is_named():
    probe = _settings_with(MEDIA_STORAGE="s3")
    assert "MEDIA_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME" in probe["error"]


def test_unknown_media_storage_is_named():
    probe = _settings_with(MEDIA_STORAGE="ftp")
    assert "MEDIA_STORAGE='ftp' is not one of: filesystem, s3" in probe["error"]


# --- the router on its own -------------------------------------------------------------------

router = PublicReadsRouter()


def test_reads_go_to_the_primary_outside_public_reads():
    assert not in_public_reads()
    assert router.db_for_read(Report) == "default"


def test_public_reads_go_to_the_replica_except_who_is_asking():
    with public_reads():
        assert router.db_for_read(Report) == "replica"
        assert router.db_for_read(Body) == "replica"
        assert router.db_for_read(Session) == "default"
        assert router.db_for_read(Token) == "default"
    assert router.db_for_read(Report) == "default"


def test_writes_and_migrations_always_go_to_the_primary():
    with public_reads():
        assert router.db_for_write(Report) == "default"
        assert router.db_for_write(Support) == "default"
    assert router.allow_migrate("default", "complaints")
    assert not router.allow_migrate("replica", "complaints")


def test_objects_of_both_aliases_may_be_related():
    from_primary, from_replica, elsewhere = Report(), Body(), Body()
    from_primary._state.db, from_replica._state.db, elsewhere._state.db = (
        "default", "replica", "archive"
    )
    assert router.allow_relation(from_primary, from_replica)
    assert not router.allow_relation(from_primary, elsewhere)


def test_public_reads_end_even_when_the_view_raises():
    with pytest.raises(RuntimeError), public_reads():
        raise RuntimeError
    assert not in_public_reads()


def test_the_view_decorator_uses_the_replica_for_anonymous_visitors_only(rf):
    seen = []

    @public_read_view
    def view(request):
        seen.append(in_public_reads())
        return "ok"

    anonymous = rf.get("/publik/")
    anonymous.user = AnonymousUser()
    signed_in = rf.get("/publik/")
    signed_in.user = UserFactory.build()
    assert view(anonymous) == view(signed_in) == "ok"
    assert seen == [True, False]
    assert not in_public_reads()


# --- requests: which alias answers -----------------------------------------------------------


@pytest.fixture
def queries():
    """The SQL each alias ran, recorded on the two connections themselves."""
    recorded: dict[str, list[str]] = {DEFAULT_DB_ALIAS: [], REPLICA: []}
    assert connections[REPLICA] is not connections[DEFAULT_DB_ALIAS]
    with contextlib.ExitStack() as stack:
        for alias, log in recorded.items():

            def record(execute, sql, params, many, context, log=log):
                log.append(sql)
                return execute(sql, params, many, context)

            stack.enter_context(connections[alias].execute_wrapper(record))
        yield recorded
    connections[REPLICA].close()


def _touching(log: list[str], table: str) -> list[str]:
    return [sql for sql in log if f'"{table}"' in sql]


def _forget(queries: dict[str, list[str]]) -> None:
    """Drop what the test's own set-up ran, to look at the requests only."""
    for log in queries.values():
        log.clear()


@with_replica
def test_anonymous_feed_reads_from_the_replica(client, queries):
    # Written in this test's open transaction: on the primary, not (yet) on the replica, as
    # with replication lag. An anonymous visitor does not see it; it would if the feed read
    # the primary.
    report = public_report(title="Lampu jalan mati di Jalan Pemuda")
    _forget(queries)
    response = client.get(reverse("public:feed"))
    assert response.status_code == 200
    assert report.title not in response.content.decode()
    assert _touching(queries[REPLICA], "complaints_report")
    assert not _touching(queries[DEFAULT_DB_ALIAS], "complaints_report")
    assert client.get(reverse("public:detail", args=[report.tracking_number])).status_code == 404


@with_replica
def test_signed_in_citizen_reads_the_primary_on_public_and_own_pages(client, queries):
    report = public_report(title="Lampu jalan mati di Jalan Pemuda")
    client.force_login(report.reporter)
    for url in (
        reverse("public:feed"),
        reverse("public:detail", args=[report.tracking_number]),
        reverse("complaints:my-reports"),
        reverse("complaints:my-report", args=[report.tracking_number]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert report.title in response.content.decode(), url
    assert _touching(queries[DEFAULT_DB_ALIAS], "complaints_report")
    assert queries[REPLICA] == []


@with_replica
def test_support_is_written_to_the_primary_and_read_back_from_it(client, queries):
    report = public_report()
    supporter = UserFactory()
    client.force_login(supporter)
    detail = reverse("public:detail", args=[report.tracking_number])
    response = client.post(reverse("public:support", args=[report.tracking_number]))
    assert response.status_code == 302
    assert Support.objects.filter(report=report, user=supporter).exists()
    assert client.get(detail).context["report"].support_count == 1
    assert any(sql.startswith("INSERT") for sql in queries[DEFAULT_DB_ALIAS])
    assert queries[REPLICA] == []


@with_replica
def test_anonymous_session_is_read_from_the_primary(client, queries, settings):
    session = client.session
    session["lapor_uji"] = "dari primer"
    session.save()  # uncommitted: only the primary has this row
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    assert client.get(reverse("public:feed")).status_code == 200
    assert _touching(queries[DEFAULT_DB_ALIAS], "django_session")
    assert not _touching(queries[REPLICA], "django_session")
    assert _touching(queries[REPLICA], "complaints_report")


@with_replica
def test_public_api_tree_and_categories_read_from_the_replica(client, queries):
    report = public_report()
    _forget(queries)
    feed = client.get(reverse("api:public-report-list"))
    assert feed.status_code == 200
    assert report.tracking_number not in {row["tracking_number"] for row in feed.json()["results"]}
    categories = client.get("/api/v1/categories/")
    assert categories.status_code == 200 and len(categories.json()) > 0  # seeded, committed
    tree = client.get(reverse("agencies:body-list"))
    assert "Kementerian Dalam Negeri" in tree.content.decode()  # the tree loaded at set-up
    for table in ("complaints_report", "complaints_category", "agencies_body"):
        assert _touching(queries[REPLICA], table), table
        assert not _touching(queries[DEFAULT_DB_ALIAS], table), table


@with_replica
def test_api_client_with_a_token_reads_the_primary(client, queries):
    report = public_report()
    token = Token.objects.create(user=UserFactory())  # uncommitted: the replica has no token
    response = client.get(
        reverse("api:public-report-list"), HTTP_AUTHORIZATION=f"Token {token.key}"
    )
    assert response.status_code == 200
    assert report.tracking_number in {row["tracking_number"] for row in response.json()["results"]}
    assert queries[REPLICA] == []


@pytest.mark.django_db(databases=[DEFAULT_DB_ALIAS, REPLICA], transaction=True)
def test_an_anonymous_public_read_runs_on_the_replica_connection(client, agency_tree):
    """Committed rows (a transactional test), a real second connection: the feed shows the
    report, and its query ran on the replica's connection, none on the primary's."""
    assert connections[REPLICA] is not connections[DEFAULT_DB_ALIAS]
    report = public_report(title="Lampu jalan mati di Jalan Pemuda")
    with (
        CaptureQueriesContext(connections[REPLICA]) as on_replica,
        CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as on_primary,
    ):
        response = client.get(reverse("public:feed"))
    assert report.title in response.content.decode()
    assert _touching([q["sql"] for q in on_replica.captured_queries], "complaints_report")
    assert not _touching([q["sql"] for q in on_primary.captured_queries], "complaints_report")


@pytest.mark.django_db
def test_in_every_other_test_the_replica_alias_is_the_primary_connection(client, monkeypatch):
    """What tests/conftest.py gives the rest of the suite (not a replica read: the test above
    and the ones with ``with_replica`` are): the router still chooses "replica", but that alias
    is the primary's own connection, so a row the test wrote, uncommitted, is seen at once."""
    chosen = []
    db_for_read = PublicReadsRouter.db_for_read

    def spy(self, model, **hints):
        chosen.append(db_for_read(self, model, **hints))
        return chosen[-1]

    monkeypatch.setattr(PublicReadsRouter, "db_for_read", spy)
    assert connections[REPLICA] is connections[DEFAULT_DB_ALIAS]
    report = public_report(title="Lampu jalan mati di Jalan Pemuda")
    chosen.clear()
    assert report.title in client.get(reverse("public:feed")).content.decode()
    assert "replica" in chosen


# --- health ----------------------------------------------------------------------------------


@with_replica
def test_health_reports_the_replica_when_there_is_one():
    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        report = health.overall_health()
    assert report["components"]["replica"] == {"state": "ok"}
    assert [q["sql"] for q in on_replica.captured_queries] == ["SELECT 1"]  # asked the replica


@with_replica
def test_replica_down_is_named_by_health():
    replica = connections[REPLICA]
    replica.close()
    port = replica.settings_dict["PORT"]
    replica.settings_dict["PORT"] = 1
    try:
        report = health.overall_health()
    finally:
        replica.settings_dict["PORT"] = port
        replica.close()
    assert report["components"]["replica"]["state"] == "down"
    assert "replica" in report["down"]
    assert report["components"]["database"] == {"state": "ok"}


# --- files through the storage API only ------------------------------------------------------


class StorageWithoutPaths(Storage):
    """Like object storage, the storage API and no local path (``path()`` raises): code that
    opened a filesystem path instead fails here. The bytes are kept in memory."""

    def __init__(self) -> None:
        self._files = InMemoryStorage()

    def _open(self, name: str, mode: str = "rb") -> File:
        return self._files._open(name, mode)

    def _save(self, name: str, content: File) -> str:
        return self._files._save(name, content)

    def delete(self, name: str) -> None:
        self._files.delete(name)

    def exists(self, name: str) -> bool:
        return self._files.exists(name)

    def size(self, name: str) -> int:
        return self._files.size(name)


@pytest.fixture
def storage_without_paths(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "tests.test_scaling.StorageWithoutPaths"},
    }


@pytest.mark.django_db
def test_attachments_are_served_through_the_storage_api(client, storage_without_paths):
    report = public_report()
    photo = cleaned(
        intake.add_attachment(report=report, upload=jpeg_with_gps(), actor=report.reporter))
    document = cleaned(intake.add_attachment(report=report, upload=pdf(), actor=report.reporter))
    with pytest.raises(NotImplementedError):
        photo.file.path  # noqa: B018 - there is no path to use
    client.force_login(report.reporter)
    for url, content_type in (
        (reverse("complaints:attachment", args=[photo.pk]), "image/jpeg"),
        (reverse("complaints:attachment-thumbnail", args=[photo.pk]), "image/webp"),
        (reverse("complaints:attachment", args=[document.pk]), "application/pdf"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"] == content_type
        assert len(b"".join(response.streaming_content)) > 0
    served = client.get(reverse("complaints:attachment", args=[document.pk]))
    # A PDF is stored as cleaned on upload (pikepdf), and served from the storage as stored.
    body = b"".join(served.streaming_content)
    with document.file.storage.open(document.file.name, "rb") as stored:
        stored.seek(0)  # the in-memory storage hands out one stream per name
        assert body == stored.read() and len(body) == document.size


@pytest.mark.django_db
def test_exports_are_built_served_and_purged_through_the_storage_api(
    client, operator_a, storage_without_paths
):
    from django.core.files.storage import default_storage

    public_report()
    job = exports.request_export(user=operator_a, filters=QueueFilters.from_params({}),
                                 format="csv")
    exports.build_export(job.pk)
    job.refresh_from_db()
    assert job.state == ExportJob.State.DONE
    client.force_login(operator_a)
    response = client.get(reverse("routing:export-download", args=[job.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"\xef\xbb\xbf")
    assert default_storage.exists(job.file.name)
    ExportJob.objects.filter(pk=job.pk).update(created_at=job.created_at.replace(year=2000))
    assert exports.purge_old_exports() == 1
    assert not default_storage.exists(job.file.name)
