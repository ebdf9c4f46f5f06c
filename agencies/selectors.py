"""Reads of the body and region trees: each is one query, scoped where the data is private."""

from __future__ import annotations

from django.db.models import Case, Count, Q, QuerySet, Value, When

from agencies import access
from agencies.models import Body, Membership, Region, User


def tree_summary() -> dict[str, int]:
    """Counts for the home page: bodies by kind and regions by level (two small queries)."""
    counts = dict(
        Body.objects.filter(is_active=True).order_by().values_list("kind").annotate(n=Count("id"))
    )
    regions = dict(Region.objects.order_by().values_list("level").annotate(n=Count("id")))
    return {
        "central": counts.get(Body.Kind.MINISTRY, 0)
        + counts.get(Body.Kind.COORDINATING_MINISTRY, 0)
        + counts.get(Body.Kind.AGENCY, 0),
        "provinces": regions.get(Region.Level.PROVINCE, 0),
        "regencies": regions.get(Region.Level.REGENCY, 0),
        "districts": regions.get(Region.Level.DISTRICT, 0),
        "regional_bodies": counts.get(Body.Kind.PROVINCE, 0)
        + counts.get(Body.Kind.REGENCY, 0)
        + counts.get(Body.Kind.CITY, 0),
        "ombudsman_offices": counts.get(Body.Kind.OMBUDSMAN_OFFICE, 0),
        "units": counts.get(Body.Kind.UNIT, 0),
    }


def bodies_for_listing() -> QuerySet[Body]:
    return Body.objects.select_related("province", "region")


def subtree(body: Body, *, include_self: bool = True) -> QuerySet[Body]:
    """``body`` and every body below it: one prefix match on the indexed path."""
    qs = Body.objects.filter(path__startswith=body.path)
    return qs if include_self else qs.exclude(pk=body.pk)


def ancestors(body: Body) -> QuerySet[Body]:
    """From the root down to the parent of ``body``: one ``path IN (…)`` query."""
    return Body.objects.get_ancestors(body)


# Siblings are listed coordinating ministries first, then ministries, agencies, regional
# governments, the Ombudsman and units, each group by name.
_KIND_RANK = Case(
    *(When(kind=kind, then=Value(rank)) for rank, kind in enumerate(Body.Kind.values)),
    default=Value(len(Body.Kind.values)),
)


def children(body: Body) -> QuerySet[Body]:
    return (
        Body.objects.filter(path__startswith=body.path, depth=body.depth + 1)
        .select_related("province", "region")
        .order_by(_KIND_RANK, "name")
    )


def roots() -> QuerySet[Body]:
    return Body.objects.filter(depth=1).order_by("path")


def memberships_visible_to(user: User) -> QuerySet[Membership]:
    """Active memberships the user may see: their own and those of bodies they administer."""
    administered = access.bodies_administered_by(user).values("pk")
    return (
        Membership.objects.filter(is_active=True)
        .filter(Q(body__in=administered) | Q(user=user))
        .select_related("user", "body")
        .order_by("body__path", "role", "user__email")
    )
