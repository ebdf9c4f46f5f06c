"""INSERTs whose SQL is built once per process: for the rows every filing writes (the report,
its first event, the citizen's notice and email, the verification clock).

Django builds each INSERT anew: a query object, a compiler, the column list, a placeholder per
value, the RETURNING clause. For a filing's five rows that was a fifth of the web process's CPU
(benchmarks/NOTES.md, stop 22), more than PostgreSQL spent on them. ``CompiledInsert`` keeps
all of ``Model.save``: the model's own ``save``, ``pre_save``/``post_save`` signals, the
fields' ``pre_save`` (``auto_now``) and ``get_db_prep_save`` (JSON, dates), the RETURNING of
the database's defaults and generated columns and their converters. Only the text of the
statement is reused: the same text Django would write, for the same fields, on PostgreSQL.
A value that is an expression (``Now()``, a database default) or a field with a placeholder
of its own goes Django's way, as before.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import Field, Model

Converter = Callable[[Any, Any, Any], Any]


@dataclass(frozen=True)
class _Statement:
    sql: str
    # per RETURNING column: the converters Django applies to it (JSON loads, …)
    converters: tuple[tuple[int, Any, tuple[Converter, ...]], ...]


_statements: dict[tuple[Any, ...], _Statement | None] = {}


def _statement(model: type[Model], using: str, fields: Sequence[Field],
               returning: Sequence[Field]) -> _Statement | None:
    key = (model, using, tuple(fields), tuple(returning))
    if key in _statements:
        return _statements[key]
    connection = connections[using]
    statement = None
    if (connection.vendor == "postgresql" and fields
            and not any(hasattr(field, "get_placeholder") for field in fields)):
        qn = connection.ops.quote_name
        table = model._meta.db_table
        # names from the model, quoted; every value is a parameter
        sql = (f"INSERT INTO {qn(table)} ({', '.join(qn(f.column) for f in fields)}) "  # noqa: S608
               f"VALUES ({', '.join(['%s'] * len(fields))})")
        returning_sql, returning_params = connection.ops.return_insert_columns(returning)
        if returning_sql and not returning_params:
            sql = f"{sql} {returning_sql}"
            converters = []
            for index, field in enumerate(returning):
                column = field.get_col(table)
                found = (connection.ops.get_db_converters(column)
                         + column.get_db_converters(connection))
                if found:
                    converters.append((index, column, tuple(found)))
            statement = _Statement(sql, tuple(converters))
        elif not returning:
            statement = _Statement(sql, ())
    _statements[key] = statement
    return statement


class CompiledInsert:
    """Mixed into a model (before ``models.Model``): its INSERTs reuse their SQL text."""

    def _do_insert(self, manager: Any, using: str, fields: Sequence[Field],
                   returning_fields: Sequence[Field] | None, raw: bool) -> list[Any]:
        model = type(self)
        statement = _statement(model, using, fields, returning_fields or ())  # type: ignore[arg-type]
        if statement is None:
            return super()._do_insert(  # type: ignore[misc]
                manager, using, fields, returning_fields, raw)
        connection = connections[using]
        params = []
        for field in fields:
            value = (getattr(self, field.attname) if raw
                     else field.pre_save(self, True))  # type: ignore[arg-type]
            if hasattr(value, "resolve_expression"):
                # an expression, or the database's default: Django compiles it
                return super()._do_insert(  # type: ignore[misc]
                    manager, using, fields, returning_fields, raw)
            params.append(field.get_db_prep_save(value, connection=connection))
        with connection.cursor() as cursor:
            cursor.execute(statement.sql, params)
            if not returning_fields:
                return []
            row = list(cursor.fetchone())
        for index, expression, converters in statement.converters:
            for converter in converters:
                row[index] = converter(row[index], expression, connection)
        return [tuple(row)]
