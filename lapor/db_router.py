"""Where queries go when a read replica is configured (``DATABASE_REPLICA_URL``).

Everything goes to the primary ("default") except the reads made while an anonymous visitor is
served a public page (``public_read_view``, or explicitly inside ``public_reads()``): those go to
the "replica" alias. Writes and migrations always go to the primary, so a citizen or a member of
staff, who is signed in, always reads their own writes. See README, "Running at national scale".
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar

from django.db import DEFAULT_DB_ALIAS, models

if TYPE_CHECKING:
    from django.http import HttpRequest
    from rest_framework.request import Request

REPLICA = "replica"
ROUTER = "lapor.db_router.PublicReadsRouter"

# Who is asking, and what a lockout or a token says, is read from the primary even inside
# public reads: a session or token written a moment ago may not have reached the replica yet.
PRIMARY_ONLY_APPS = frozenset({"sessions", "authtoken", "axes"})

_public_reads: ContextVar[bool] = ContextVar("lapor_public_reads", default=False)

P = ParamSpec("P")
R = TypeVar("R")
# A page view's HttpRequest, or a DRF handler's Request (its first argument either way).
Req = TypeVar("Req", bound="HttpRequest | Request")


def in_public_reads() -> bool:
    """Whether reads made now may come from the replica."""
    return _public_reads.get()


@contextmanager
def public_reads() -> Iterator[None]:
    """Send the reads made inside to the replica (writes still go to the primary). A context
    variable, so it is per request in threads and in async code alike."""
    token = _public_reads.set(True)
    try:
        yield
    finally:
        _public_reads.reset(token)


def public_read_view(view: Callable[Concatenate[Req, P], R]) -> Callable[Concatenate[Req, P], R]:
    """For a read-only public page or API view: an anonymous visitor's reads come from the
    replica. A signed-in person's reads stay on the primary (they may have just supported the
    report, filed it, or added a unit to the tree), and so does working out who is asking:
    ``request.user`` (session, token) is resolved before the replica is used. Works on a view
    function and, through ``method_decorator``, on a DRF handler (where DRF has already
    authenticated the request)."""

    @functools.wraps(view)
    def wrapped(request: Req, *args: P.args, **kwargs: P.kwargs) -> R:
        if request.user.is_authenticated:
            return view(request, *args, **kwargs)
        with public_reads():
            return view(request, *args, **kwargs)

    return wrapped


class PublicReadsRouter:
    """Installed (``DATABASE_ROUTERS``) only when the "replica" alias exists."""

    def db_for_read(self, model: type[models.Model], **hints: Any) -> str:
        if _public_reads.get() and model._meta.app_label not in PRIMARY_ONLY_APPS:
            return REPLICA
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model: type[models.Model], **hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: models.Model, obj2: models.Model, **hints: Any) -> bool:
        # Both aliases hold the same rows: an object read from the replica may be linked to
        # one read from the primary (and is then saved on the primary).
        return {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, REPLICA, None}

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == DEFAULT_DB_ALIAS
