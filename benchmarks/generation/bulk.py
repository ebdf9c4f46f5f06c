"""Bulk loading for the generator: COPY streams fed while Python generates, and the secondary
indexes and foreign keys of the filled tables set aside during the load and rebuilt after.

- ``TableStream``: one table's ``COPY … FROM STDIN`` on its own connection, in its own thread,
  reading chunks the generator queues (psycopg2 releases the GIL while it sends), so Python
  generates while PostgreSQL parses, checks and stores. A bounded queue holds memory flat.
- ``set_aside`` / ``rebuild``: non-unique indexes that back no constraint are dropped and
  recreated from their captured definitions (``pg_indexes``); foreign keys are dropped (their
  row-by-row checks would cost more than the load) and re-added ``NOT VALID``, then validated
  with one join each. The definitions are also written to ``generate_reports_pending``, so a
  run killed halfway is repaired by the next one before it does anything else.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from psycopg2 import sql

Connect = Callable[[], Any]  # returns a new psycopg2 connection
PENDING_TABLE = "generate_reports_pending"
CHUNK_BYTES = 1 << 20


class TableStream(threading.Thread):
    """``COPY table (columns) FROM STDIN`` fed from a queue of byte chunks."""

    def __init__(self, connect: Connect, table: str, columns: Iterable[str]) -> None:
        super().__init__(name=f"copy-{table}", daemon=True)
        self.table = table
        self.columns = tuple(columns)
        self.connection = connect()
        self._queue: queue.Queue[bytes] = queue.Queue(maxsize=8)
        self._lines: list[str] = []
        self._size = 0
        self.rows = 0
        self.bytes = 0
        self.wait_seconds = 0.0  # time the generator waited for PostgreSQL
        self.finished_after = 0.0
        self.error: BaseException | None = None
        self._started_at = time.perf_counter()
        self.start()

    # the file-like side, read by psycopg2 in this thread
    def read(self, size: int = -1) -> bytes:
        return self._queue.get()

    def run(self) -> None:
        statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
            sql.Identifier(self.table), sql.SQL(", ").join(map(sql.Identifier, self.columns))
        )
        try:
            with self.connection.cursor() as cursor:
                cursor.execute("SET synchronous_commit = off")
                cursor.copy_expert(statement.as_string(self.connection), self, size=CHUNK_BYTES)
        except BaseException as exc:  # noqa: BLE001 - handed to the generator's thread
            self.error = exc
            while True:  # unblock the producer until it notices
                try:
                    if self._queue.get(timeout=5) == b"":
                        break
                except queue.Empty:
                    break
        self.finished_after = time.perf_counter() - self._started_at

    # the generator's side
    def add(self, text: str | bytes, rows: int = 1) -> None:
        """Queue ``text``: one line, or a block of ``rows`` lines (UTF-8 bytes or str)."""
        self._lines.append(text if isinstance(text, bytes) else text.encode())
        self._size += len(text)
        self.rows += rows
        if self._size >= CHUNK_BYTES:
            self.flush()

    def flush(self) -> None:
        if not self._lines:
            return
        chunk = b"".join(self._lines)
        self._lines, self._size = [], 0
        self.bytes += len(chunk)
        self._put(chunk)

    def _put(self, chunk: bytes) -> None:
        started = time.perf_counter()
        while True:
            if self.error is not None:
                raise RuntimeError(f"COPY into {self.table} failed: {self.error}") from self.error
            try:
                self._queue.put(chunk, timeout=1)
                break
            except queue.Full:
                continue
        self.wait_seconds += time.perf_counter() - started

    def finish(self) -> None:
        """Send what is left and the end of data; wait for PostgreSQL to take it all."""
        self.flush()
        if self.error is None:
            self._put(b"")
        started = time.perf_counter()
        self.join()
        self.wait_seconds += time.perf_counter() - started
        if self.error is not None:
            raise RuntimeError(f"COPY into {self.table} failed: {self.error}") from self.error

    def abort(self) -> None:
        if self.is_alive():
            try:
                self.connection.cancel()
            finally:
                try:
                    self._queue.put_nowait(b"")
                except queue.Full:
                    pass
                self.join(timeout=30)
        self.connection.rollback()
        self.connection.close()


@dataclass
class SetAside:
    """What was dropped for the load: (table, name, definition) of indexes and foreign keys."""

    indexes: list[tuple[str, str, str]] = field(default_factory=list)
    foreign_keys: list[tuple[str, str, str]] = field(default_factory=list)


def set_aside(cursor: Any, tables: Iterable[str], referenced: Iterable[str] = ()) -> SetAside:
    """Drop the secondary indexes and the foreign keys of ``tables``, and the foreign keys
    pointing at ``referenced`` (deleting many rows there checks each one), recording them
    first. Primary keys, unique indexes and unique/check constraints stay: they keep the load
    honest and cost little."""
    tables = list(tables)
    cursor.execute(
        """
        SELECT x.tablename, x.indexname, x.indexdef
        FROM pg_indexes x
        JOIN pg_class i ON i.relname = x.indexname
        JOIN pg_namespace n ON n.oid = i.relnamespace AND n.nspname = x.schemaname
        JOIN pg_index ix ON ix.indexrelid = i.oid
        WHERE x.schemaname = current_schema() AND x.tablename = ANY(%s)
          AND NOT ix.indisprimary AND NOT ix.indisunique
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.oid)
        ORDER BY x.tablename, x.indexname
        """,
        [tables],
    )
    aside = SetAside(indexes=[tuple(row) for row in cursor.fetchall()])
    cursor.execute(
        """
        SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid)
        FROM pg_constraint c
        WHERE c.contype = 'f'
          AND (c.conrelid::regclass::text = ANY(%s) OR c.confrelid::regclass::text = ANY(%s))
        ORDER BY 1, 2
        """,
        [tables, list(referenced)],
    )
    aside.foreign_keys = [tuple(row) for row in cursor.fetchall()]
    cursor.execute(
        f"CREATE TABLE IF NOT EXISTS {PENDING_TABLE} "
        "(kind text NOT NULL, tbl text NOT NULL, name text NOT NULL, definition text NOT NULL)"
    )
    cursor.executemany(
        f"INSERT INTO {PENDING_TABLE} VALUES (%s, %s, %s, %s)",  # noqa: S608 - a constant
        [("index", *row) for row in aside.indexes]
        + [("foreign_key", *row) for row in aside.foreign_keys],
    )
    for table, name, _definition in aside.foreign_keys:
        cursor.execute(sql.SQL("ALTER TABLE {} DROP CONSTRAINT {}").format(
            sql.Identifier(table), sql.Identifier(name)))
    for _table, name, _definition in aside.indexes:
        cursor.execute(sql.SQL("DROP INDEX {}").format(sql.Identifier(name)))
    return aside


def pending(cursor: Any) -> SetAside | None:
    """What an interrupted run left set aside, if anything."""
    cursor.execute("SELECT to_regclass(%s)", [PENDING_TABLE])
    if cursor.fetchone()[0] is None:
        return None
    cursor.execute(f"SELECT kind, tbl, name, definition FROM {PENDING_TABLE}")  # noqa: S608
    aside = SetAside()
    for kind, table, name, definition in cursor.fetchall():
        (aside.indexes if kind == "index" else aside.foreign_keys).append(
            (table, name, definition))
    return aside


def rebuild(connect: Connect, aside: SetAside, *, workers: int = 2,
            maintenance_work_mem: str = "1GB") -> list[tuple[str, float]]:
    """Recreate what ``set_aside`` dropped; returns (statement label, seconds) per step.

    Foreign keys come back ``NOT VALID`` first (instant), then each table's indexes are built
    and its foreign keys validated, tables spread over ``workers`` connections, largest first
    (validation only takes a ROW SHARE lock on the referenced table, so it runs beside index
    builds on that table)."""
    timings: list[tuple[str, float]] = []
    connection = connect()
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()")
        present = {row[0] for row in cursor.fetchall()}
        cursor.execute("SELECT conname FROM pg_constraint WHERE contype = 'f'")
        present |= {row[0] for row in cursor.fetchall()}
        for table, name, definition in aside.foreign_keys:
            if name in present:
                continue
            started = time.perf_counter()
            cursor.execute(sql.SQL("ALTER TABLE {} ADD CONSTRAINT {} {} NOT VALID").format(
                sql.Identifier(table), sql.Identifier(name), sql.SQL(definition)))
            timings.append((f"{name} (add)", time.perf_counter() - started))
    jobs: dict[str, list[tuple[str, Any]]] = {}
    for table, name, definition in aside.indexes:
        if name not in present:
            jobs.setdefault(table, []).append((name, sql.SQL(definition)))
    for table, name, _definition in aside.foreign_keys:
        jobs.setdefault(table, []).append((f"{name} (validate)", sql.SQL(
            "ALTER TABLE {} VALIDATE CONSTRAINT {}").format(sql.Identifier(table),
                                                            sql.Identifier(name))))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, relpages FROM pg_class WHERE relname = ANY(%s)", [list(jobs)])
        size = dict(cursor.fetchall())
    ordered = sorted(jobs, key=lambda t: -size.get(t, 0))
    timings += _run_jobs(connect, [jobs[t] for t in ordered], workers,
                         [f"SET maintenance_work_mem = '{maintenance_work_mem}'"])
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {PENDING_TABLE}")
    connection.close()
    return timings


def analyze(connect: Connect, tables: Iterable[str], *, workers: int = 2
            ) -> list[tuple[str, float]]:
    jobs = [[(table, sql.SQL("ANALYZE {}").format(sql.Identifier(table)))] for table in tables]
    return _run_jobs(connect, jobs, workers, [])


def _run_jobs(connect: Connect, jobs: list[list[tuple[str, Any]]], workers: int,
              setup: list[str]) -> list[tuple[str, float]]:
    """Run each job's statements in order; jobs spread over ``workers`` connections."""
    todo: queue.Queue[list[tuple[str, Any]]] = queue.Queue()
    for job in jobs:
        todo.put(job)
    timings: list[tuple[str, float]] = []
    errors: list[BaseException] = []

    def work() -> None:
        connection = connect()
        connection.autocommit = True
        try:
            with connection.cursor() as cursor:
                for statement in setup:
                    cursor.execute(statement)
                while not errors:
                    try:
                        job = todo.get_nowait()
                    except queue.Empty:
                        return
                    for label, statement in job:
                        started = time.perf_counter()
                        cursor.execute(statement)
                        timings.append((label, time.perf_counter() - started))
        except BaseException as exc:  # noqa: BLE001 - re-raised below in the caller's thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, daemon=True) for _i in range(max(1, workers))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return timings


def reset_sequences(cursor: Any, tables: Iterable[str]) -> None:
    """Point each table's id sequence past its largest id."""
    for table in tables:
        cursor.execute(
            sql.SQL("SELECT setval(pg_get_serial_sequence(%s, 'id'), "
                    "COALESCE((SELECT MAX(id) FROM {}), 0) + 1, false)").format(
                sql.Identifier(table)),
            [table],
        )
