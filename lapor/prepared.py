"""Statements PostgreSQL plans once per connection: ``PREPARE`` the first time a connection
runs one, ``EXECUTE`` after. For a statement asked on every pause in typing whose planning
costs more than its execution (the similar-reports lookup: ~1 ms to plan a scan of a few
dozen index rows that takes ~0.4 ms), PostgreSQL's plan cache then plans it once per value
shape (``plan_cache_mode``: after five custom plans it keeps a generic one when that is no
worse).

A prepared statement lives with the database session, not the transaction (a rollback
keeps it), so which ones a connection holds is kept beside Django's connection object and
forgotten when Django opens a new one. Behind PgBouncer in transaction pooling mode
(``DISABLE_SERVER_SIDE_CURSORS``, the setting that says so) a session is not ours to keep:
there the statement is sent as it is, every time. A column changed by a migration while a
connection holds a statement is re-planned by PostgreSQL; connections are recycled after
``CONN_MAX_AGE`` anyway.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.backends.utils import CursorWrapper

_NAMED = re.compile(r"%\((\w+)\)s")


@dataclass(frozen=True)
class PreparedStatement:
    """One statement with named parameters (``%(name)s``), each given its SQL type."""

    name: str
    named_sql: str  # as written, run as it is where nothing may be prepared
    positional_sql: str  # $1, $2 … in the order ``parameters`` names them
    parameters: tuple[str, ...]
    types: tuple[str, ...]

    @classmethod
    def of(cls, name: str, named_sql: str, types: Mapping[str, str]) -> PreparedStatement:
        order: list[str] = []

        def number(match: re.Match[str]) -> str:
            if match.group(1) not in order:
                order.append(match.group(1))
            return f"${order.index(match.group(1)) + 1}"

        positional = _NAMED.sub(number, named_sql)
        return cls(name=name, named_sql=named_sql, positional_sql=positional,
                   parameters=tuple(order), types=tuple(types[p] for p in order))

    def execute(self, cursor: CursorWrapper, params: Mapping[str, Any]) -> None:
        """Run it on ``cursor`` (rows to fetch from it), preparing it on this connection
        first if it is not yet."""
        database = cursor.db
        if database.settings_dict.get("DISABLE_SERVER_SIDE_CURSORS"):
            cursor.execute(self.named_sql, params)
            return
        raw = database.connection
        held: tuple[object, set[str]] | None = getattr(database, "_lapor_prepared", None)
        if held is None or held[0] is not raw:
            held = (raw, set())
            database._lapor_prepared = held
        if self.name not in held[1]:
            cursor.execute(f"PREPARE {self.name} ({', '.join(self.types)}) AS "
                           f"{self.positional_sql}")
            held[1].add(self.name)
        placeholders = ", ".join(["%s"] * len(self.parameters))
        cursor.execute(f"EXECUTE {self.name} ({placeholders})",
                       [params[p] for p in self.parameters])
