"""Per-process copies of what rarely changes (regions, categories, deadline policies, routing
rules), correct with any number of processes.

The database keeps one "config version" (``lapor_config_version``). A statement-level trigger
on every table cached here (agencies_region, agencies_body, complaints_category,
routing_deadlinepolicy, routing_routingrule) sets it to a new value of a sequence in the
transaction of the write, whoever makes it (a service, the admin, ``update()``, COPY, raw SQL).
Each process keeps what it loaded under the version it read first; a different version empties
its copies. So:

- a committed change is seen by every process from its next request on (it reads the version
  once per request, one short statement, and at every call outside a request: tasks, shell);
- a change rolled back leaves nothing behind: the sequence never gives a value twice, so a copy
  loaded under a version that was rolled back is never taken for the current one;
- in the process that made the change, post_save/post_delete forget the version read in this
  request, so the rest of the request sees the change too (``forget_version()`` for writers
  that use ``update()``).

Values handed out are shared between requests and threads: read them, never change them.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any, TypeVar

from django.core.signals import request_finished, request_started
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models.signals import post_delete, post_save

T = TypeVar("T")

TABLE = "lapor_config_version"
WATCHED_TABLES = frozenset({
    "agencies_region", "agencies_body", "complaints_category", "routing_deadlinepolicy",
    "routing_routingrule",
})

# The SQL of the migrations: the version row, its sequence and the trigger function; each app
# puts the trigger on its own tables (``trigger_sql``).
INSTALL_SQL = """
CREATE SEQUENCE lapor_config_version_seq;
CREATE TABLE lapor_config_version (
    id smallint PRIMARY KEY CHECK (id = 1), version bigint NOT NULL
);
INSERT INTO lapor_config_version (id, version) VALUES (1, nextval('lapor_config_version_seq'));
CREATE FUNCTION lapor_bump_config_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE lapor_config_version SET version = nextval('lapor_config_version_seq') WHERE id = 1;
    RETURN NULL;
END $$;
"""
UNINSTALL_SQL = """
DROP FUNCTION lapor_bump_config_version() CASCADE;
DROP TABLE lapor_config_version;
DROP SEQUENCE lapor_config_version_seq;
"""


def trigger_sql(table: str) -> tuple[str, str]:
    """(install, uninstall) SQL of the version trigger on ``table``."""
    name = f"{table}_config_version"
    return (
        f"CREATE TRIGGER {name} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION lapor_bump_config_version();",
        f"DROP TRIGGER IF EXISTS {name} ON {table};",
    )


_OUTSIDE = -1  # not in a request: every call reads the version
_UNREAD = -2  # in a request, not read yet
_request_version: ContextVar[int] = ContextVar("lapor_config_version", default=_OUTSIDE)


def read_version(using: str = DEFAULT_DB_ALIAS) -> int:
    with connections[using].cursor() as cursor:
        cursor.execute(f"SELECT version FROM {TABLE} WHERE id = 1")  # noqa: S608 - constant
        row = cursor.fetchone()
    return int(row[0]) if row else 0


def current_version() -> int:
    """The config version: read once per request (and at each call outside one)."""
    memo = _request_version.get()
    if memo >= 0:
        return memo
    version = read_version()
    if memo == _UNREAD:
        _request_version.set(version)
    return version


def forget_version(**_kwargs: Any) -> None:
    """The next ``current_version()`` of this request reads the database again."""
    if _request_version.get() != _OUTSIDE:
        _request_version.set(_UNREAD)


def _request_starts(**_kwargs: Any) -> None:
    _request_version.set(_UNREAD)


def _request_ends(**_kwargs: Any) -> None:
    _request_version.set(_OUTSIDE)


def _written(sender: type, **_kwargs: Any) -> None:
    if getattr(getattr(sender, "_meta", None), "db_table", None) in WATCHED_TABLES:
        forget_version()


class ConfigCache:
    """Values loaded once per config version, by key. Thread-safe; a load runs outside the
    lock (two threads may both load a missing key; either result is right)."""

    def __init__(self, version: Callable[[], int] = current_version) -> None:
        self._version_of = version
        self._lock = threading.Lock()
        self._version: int | None = None
        self._values: dict[Any, Any] = {}
        self.loads = 0  # how many loads ran (tests, benchmarks)

    def get(self, key: Any, load: Callable[[], T]) -> T:
        version = self._version_of()
        with self._lock:
            if version != self._version:
                self._version, self._values = version, {}
            elif key in self._values:
                return self._values[key]
        value = load()
        with self._lock:
            self.loads += 1
            if self._version == version:
                self._values[key] = value
        return value

    def clear(self) -> None:
        with self._lock:
            self._version, self._values = None, {}


cache = ConfigCache()

request_started.connect(_request_starts, dispatch_uid="lapor_config_version_start")
request_finished.connect(_request_ends, dispatch_uid="lapor_config_version_end")
post_save.connect(_written, dispatch_uid="lapor_config_version_save")
post_delete.connect(_written, dispatch_uid="lapor_config_version_delete")
