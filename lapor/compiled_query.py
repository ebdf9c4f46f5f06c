"""A query of one value, compiled once per process: for the read every API request makes
(its token, with the user and the marks authentication needs).

Django compiles a queryset's SQL on every evaluation; for the token read of each API request
(a join of three tables and a subquery) that was a fifth of a filing's CPU in the web process
(benchmarks/NOTES.md, stop 22). ``CompiledQuery`` builds the queryset once with a stand-in for
its one value, keeps the SQL Django wrote and how Django maps its columns to objects, and runs
the same statement with each value: the objects come out as ``ModelIterable`` makes them
(``from_db``, the related objects of ``select_related``, the annotations, the converters).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db import connections, router
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators  # type: ignore[attr-defined]

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple[Any, ...]
    value_at: int
    model: type[Model]
    init_list: tuple[str, ...]
    model_columns: slice
    populators: tuple[Any, ...]  # Django's RelatedPopulator per select_related object
    annotations: tuple[tuple[str, int], ...]
    converters: tuple[tuple[int, Any, tuple[Any, ...]], ...]


class CompiledQuery(Generic[M]):
    """``build(value)`` is a queryset of model rows filtered by ``value`` (a string), with
    ``select_related`` and annotations as needed; ``get(value)`` is its one row, as
    ``build(value).get()`` would return it."""

    def __init__(self, build: Callable[[str], QuerySet[M]]) -> None:
        self._build = build
        self._compiled: dict[str, _Compiled] = {}
        self._model: type[Model] | None = None

    def _compile(self, using: str) -> _Compiled:
        compiled = self._compiled.get(using)
        if compiled is not None:
            return compiled
        stand_in = f"compiled-query-{uuid.uuid4().hex}"
        queryset = self._build(stand_in)
        compiler = queryset.query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        at = [i for i, param in enumerate(params) if param == stand_in]
        if len(at) != 1:
            raise ValueError("the query must use its value exactly once, as a parameter")
        select, klass_info = compiler.select, compiler.klass_info
        fields = klass_info["select_fields"]
        columns = slice(fields[0], fields[-1] + 1)
        converters = compiler.get_converters([s[0] for s in select[:compiler.col_count]])
        compiled = _Compiled(
            sql=sql, params=tuple(params), value_at=at[0], model=klass_info["model"],
            init_list=tuple(f[0].target.attname for f in select[columns]),
            model_columns=columns,
            populators=tuple(get_related_populators(klass_info, select, using)),
            annotations=tuple(compiler.annotation_col_map.items()),
            converters=tuple((i, expression, tuple(found))
                             for i, (found, expression) in converters.items()),
        )
        self._compiled[using] = compiled
        return compiled

    def get(self, value: str, *, using: str | None = None) -> M:
        """The one row for ``value``, from the database the router reads the model from;
        the model's ``DoesNotExist`` when there is none."""
        if using is None:
            if self._model is None:
                self._model = self._build("").model
            using = router.db_for_read(self._model)
        compiled = self._compile(using)
        connection = connections[using]
        params = list(compiled.params)
        params[compiled.value_at] = value
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchmany(2)
        model = compiled.model
        if not rows:
            raise model.DoesNotExist(  # type: ignore[attr-defined]
                f"{model._meta.object_name} matching query does not exist.")
        if len(rows) > 1:
            raise model.MultipleObjectsReturned(  # type: ignore[attr-defined]
                f"get() returned more than one {model._meta.object_name}")
        row = list(rows[0])
        for i, expression, converters in compiled.converters:
            for converter in converters:
                row[i] = converter(row[i], expression, connection)
        obj = model.from_db(using, list(compiled.init_list), row[compiled.model_columns])
        for populator in compiled.populators:
            populator.populate(row, obj)
        for name, at in compiled.annotations:
            setattr(obj, name, row[at])
        return obj  # type: ignore[return-value]
