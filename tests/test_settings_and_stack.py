"""Configuration from the environment, the production checks, and the dev-stack launcher."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from lapor import devstack

BASE = Path(__file__).resolve().parent.parent


def _manage(*args, env_changes=None, drop=()):
    env = {**os.environ, **(env_changes or {})}
    for name in (*drop, "DJANGO_ALLOW_ASYNC_UNSAFE"):
        env.pop(name, None)
    return subprocess.run(
        [sys.executable, str(BASE / "manage.py"), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_under_production_settings():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_changes={
            "DEBUG": "false",
            "HTTPS": "true",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "lapor.example.go.id",
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_debug_is_off_unless_asked_for():
    result = _manage(
        "shell", "-c", "from django.conf import settings; print(settings.DEBUG)", drop=["DEBUG"]
    )
    assert result.stdout.strip().endswith("False"), result.stderr


def test_missing_database_url_is_a_clear_message(tmp_path):
    # an empty var/ too: nothing remembered from an earlier `make run`
    result = _manage("check", env_changes={"LAPOR_VAR_DIR": str(tmp_path)}, drop=["DATABASE_URL"])
    assert result.returncode != 0
    assert "DATABASE_URL is not set" in result.stderr


def test_sqlite_is_refused():
    result = _manage("check", env_changes={"DATABASE_URL": "sqlite:///x.db"})
    assert result.returncode != 0
    assert "must point at PostgreSQL" in result.stderr


def test_bad_boolean_is_named():
    result = _manage("check", env_changes={"DEBUG": "maybe"})
    assert result.returncode != 0
    assert "DEBUG='maybe' is not a boolean" in result.stderr


def test_secret_key_can_come_from_a_file(tmp_path):
    key_file = tmp_path / "key"
    key_file.write_text("from-a-file\n")
    result = _manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.SECRET_KEY)",
        env_changes={"SECRET_KEY_FILE": str(key_file)},
        drop=["SECRET_KEY"],
    )
    assert result.stdout.strip().endswith("from-a-file"), result.stderr


def test_missing_site_url_with_debug_off_stops_the_process_at_start(tmp_path):
    # an empty var/ too: nothing remembered from an earlier `make run`
    result = _manage("check", env_changes={"LAPOR_VAR_DIR": str(tmp_path), "DEBUG": "false"},
                     drop=["SITE_URL"])
    assert result.returncode != 0
    assert "ImproperlyConfigured: SITE_URL (the portal's public address" in result.stderr
    assert "must be set when DEBUG is off" in result.stderr


def test_site_url_without_a_scheme_is_named():
    result = _manage("check", env_changes={"SITE_URL": "lapor.example.go.id"})
    assert result.returncode != 0
    assert "SITE_URL='lapor.example.go.id' must start with http:// or https://" in result.stderr


def test_debug_without_site_url_links_to_the_default_local_address(tmp_path):
    result = _manage(
        "shell", "-c", "from django.conf import settings; print(settings.SITE_URL)",
        env_changes={"LAPOR_VAR_DIR": str(tmp_path), "DEBUG": "true"}, drop=["SITE_URL"],
    )
    assert result.stdout.strip().endswith("http://127.0.0.1:8000"), result.stderr


_WEBHOOK = ("OMBUDSMAN_WEBHOOK_URL", "OMBUDSMAN_WEBHOOK_SECRET", "OMBUDSMAN_WEBHOOK_SECRET_FILE")
_PRINT_WEBHOOK = (
    "from django.conf import settings; "
    "print(repr((settings.OMBUDSMAN_WEBHOOK_URL, settings.OMBUDSMAN_WEBHOOK_SECRET)))"
)


def _manage_with_webhook(*args, **env_changes):
    """manage.py with only the webhook variables given here (none from the caller's shell)."""
    drop = [name for name in _WEBHOOK if name not in env_changes]
    return _manage(*args, env_changes=env_changes, drop=drop)


def test_webhook_url_without_its_secret_stops_the_process_at_start():
    result = _manage_with_webhook("check", OMBUDSMAN_WEBHOOK_URL="https://ombudsman.go.id/in")
    assert result.returncode != 0
    assert (
        "ImproperlyConfigured: OMBUDSMAN_WEBHOOK_URL is set, so OMBUDSMAN_WEBHOOK_SECRET (or "
        "OMBUDSMAN_WEBHOOK_SECRET_FILE), the key shared with the receiver to sign its webhooks, "
        "must be set too." in result.stderr
    ), result.stderr


def test_webhook_secret_is_never_the_secret_key():
    key = secrets.token_urlsafe(50)
    result = _manage_with_webhook(
        "check", SECRET_KEY=key, OMBUDSMAN_WEBHOOK_URL="https://ombudsman.go.id/in",
        OMBUDSMAN_WEBHOOK_SECRET=key,
    )
    assert result.returncode != 0
    assert "OMBUDSMAN_WEBHOOK_SECRET must differ from SECRET_KEY" in result.stderr
    assert key not in result.stderr


def test_without_a_webhook_url_no_secret_is_needed_nor_borrowed():
    result = _manage_with_webhook("shell", "-c", _PRINT_WEBHOOK)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("('', '')")  # not SECRET_KEY


def test_webhook_secret_can_come_from_a_file(tmp_path):
    secret_file = tmp_path / "webhook-secret"
    secret_file.write_text("rahasia-bersama-ombudsman\n")
    result = _manage_with_webhook(
        "shell", "-c", _PRINT_WEBHOOK, OMBUDSMAN_WEBHOOK_URL="https://ombudsman.go.id/in",
        OMBUDSMAN_WEBHOOK_SECRET_FILE=str(secret_file),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith(
        "('https://ombudsman.go.id/in', 'rahasia-bersama-ombudsman')"
    )


@pytest.mark.parametrize(("host", "port", "url"), [
    ("127.0.0.1", 8101, "http://127.0.0.1:8101"),
    ("0.0.0.0", 8155, "http://127.0.0.1:8155"),
    ("::", 8000, "http://127.0.0.1:8000"),
    ("", 8000, "http://127.0.0.1:8000"),
    ("localhost", 9000, "http://localhost:9000"),
    ("::1", 8101, "http://[::1]:8101"),
    ("[::1]", 8101, "http://[::1]:8101"),
    ("192.168.1.20", 8101, "http://192.168.1.20:8101"),
])
def test_make_run_derives_the_site_url_from_host_and_port(host, port, url):
    assert devstack.site_url_for(host, port) == url


def test_make_run_takes_site_url_from_the_environment_first():
    assert devstack.site_url({"PORT": "8101"}) == "http://127.0.0.1:8101"
    assert devstack.site_url({"HOST": "0.0.0.0", "PORT": "8155"}) == "http://127.0.0.1:8155"
    assert devstack.site_url({}) == "http://127.0.0.1:8000"
    assert devstack.site_url(
        {"SITE_URL": "https://lapor.example.go.id/", "PORT": "8101"}
    ) == "https://lapor.example.go.id"


def test_unreachable_database_is_a_sentence_not_a_traceback():
    env = {**os.environ, "DATABASE_URL": "postgres://postgres@127.0.0.1:1/lapor"}
    result = subprocess.run(
        [sys.executable, "-m", "lapor.devstack", "test", "--collect-only", "-q"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=BASE,
    )
    assert result.returncode == 2
    assert "PostgreSQL at DATABASE_URL cannot be reached" in result.stderr
    assert "Traceback" not in result.stderr


def test_unreachable_redis_is_named():
    with pytest.raises(devstack.ServiceError, match="REDIS_URL"):
        devstack.check_reachable(os.environ["DATABASE_URL"], "redis://127.0.0.1:1/0")


@pytest.mark.services
def test_embedded_redis_starts_and_stops(tmp_path):
    import redis

    with devstack.embedded_redis(tmp_path / "redis", persist=False) as url:
        assert redis.Redis.from_url(url).ping()
    with pytest.raises(redis.exceptions.ConnectionError):
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()


# Ctrl-C in a terminal sends SIGINT to its foreground process group. `make run` starts web
# and worker in sessions of their own and stops them first; the embedded servers must not be
# in the terminal's group either, or they die under the workers (Celery's tracebacks).
@pytest.mark.services
def test_embedded_redis_runs_in_its_own_session_so_ctrl_c_does_not_reach_it(tmp_path):
    import redis

    with devstack.embedded_redis(tmp_path / "redis", persist=False) as url:
        pid = redis.Redis.from_url(url).info("server")["process_id"]
        assert os.getsid(pid) == pid != os.getsid(0)
        assert os.getpgid(pid) != os.getpgid(0)


@pytest.mark.services
def test_embedded_postgres_runs_in_its_own_session_so_ctrl_c_does_not_reach_it(tmp_path):
    import dj_database_url
    import psycopg2

    with devstack.embedded_postgres(tmp_path / "pg", "lapor_embedded") as url:
        config = dj_database_url.parse(url)
        connection = psycopg2.connect(
            host=config["HOST"], port=config["PORT"], user="postgres", dbname="lapor_embedded"
        )
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                backend = cursor.fetchone()[0]  # forked by the postmaster: the same session
            # Asked while the connection is open: once closed, the backend exits, and on a busy
            # machine it is gone before the next line runs (ProcessLookupError).
            assert os.getsid(backend) != os.getsid(0)
            assert os.getpgid(backend) != os.getpgid(0)
        finally:
            connection.close()


@pytest.mark.services
def test_embedded_postgres_is_a_real_postgresql_with_pg_trgm(tmp_path):
    import dj_database_url
    import psycopg2

    with devstack.embedded_postgres(tmp_path / "pg", "lapor_embedded") as url:
        config = dj_database_url.parse(url)
        connection = psycopg2.connect(
            host=config["HOST"], port=config["PORT"], user="postgres", dbname="lapor_embedded"
        )
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version_num")
            assert int(cursor.fetchone()[0]) >= 180000
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            cursor.execute("SELECT similarity('Semarang', 'Semarangg') > 0.5")
            assert cursor.fetchone()[0] is True
        connection.close()


def test_manage_py_finds_what_make_run_remembered(tmp_path):
    (tmp_path / "secret_key").write_text("remembered-key")
    (tmp_path / "database_url").write_text(os.environ["DATABASE_URL"])
    (tmp_path / "redis_url").write_text(os.environ["REDIS_URL"])
    (tmp_path / "site_url").write_text("http://127.0.0.1:8101")
    result = _manage(
        "shell", "-c",
        "from django.conf import settings; print(settings.SECRET_KEY, settings.SITE_URL)",
        env_changes={"LAPOR_VAR_DIR": str(tmp_path), "DEBUG": "false"},
        drop=["SECRET_KEY", "DATABASE_URL", "REDIS_URL", "SITE_URL"],
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("remembered-key http://127.0.0.1:8101")


def test_make_test_provides_a_site_url_and_remembers_it(tmp_path):
    assert devstack.site_url_for_tests(tmp_path, {"PORT": "8101"}) == "http://127.0.0.1:8101"
    assert (tmp_path / "site_url").read_text() == "http://127.0.0.1:8101"
    # later runs keep what an earlier `make run` remembered, unless SITE_URL is set
    assert devstack.site_url_for_tests(tmp_path, {}) == "http://127.0.0.1:8101"
    assert devstack.site_url_for_tests(tmp_path, {"SITE_URL": "http://x.test"}) == "http://x.test"
    assert (tmp_path / "site_url").read_text() == "http://127.0.0.1:8101"
