"""Who may see and act on what a body holds. Every view, API view and admin page that shows a
body's reports, members or settings asks these functions; none builds its own filter.

- system admin: sees everything, administers the whole tree;
- supervisor of B: sees and acts on B and every body below it, administers that subtree;
- operator of B: sees and acts on B only;
- verifier: sees the bodies of its province (of a central body: all), acts on none;
- Ombudsman officer: sees the bodies of its office's province (of Ombudsman RI: all);
- citizen (no membership): none.

Who must sign in with a second factor (``requires_second_factor``) is decided here too.
A body a report was copied to (*tembusan*) follows it: its operators and the supervisors above
it read the report and its internal notes and add notes, but never act for the holder
(``follows_copy``).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import reduce
from operator import or_

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Q, QuerySet

from agencies.models import Body, Membership, Role, User

_CACHE_ATTR = "_lapor_memberships"


def memberships_of(user: User | AnonymousUser) -> list[Membership]:
    """The user's active memberships with their bodies, read once per user object."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = list(
            Membership.objects.filter(user=user, is_active=True, body__is_active=True)
            .select_related("body", "body__province")
            .order_by("role", "body__path")
        )
        setattr(user, _CACHE_ATTR, cached)
    return cached


def has_memberships_subquery() -> Exists:
    """For a query that reads users: whether the user has a membership ``memberships_of``
    would return (``OuterRef("user_id")``); with ``known_memberships``, a citizen's request
    asks nothing more."""
    return Exists(Membership.objects.filter(
        user_id=OuterRef("user_id"), is_active=True, body__is_active=True))


def known_memberships(user: User, *, has_any: bool) -> None:
    """Record what a query already said: a user without a membership has none to read."""
    if not has_any:
        setattr(user, _CACHE_ATTR, [])


def forget_memberships(user: User) -> None:
    """Drop the per-object cache after memberships change."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def roles_of(user: User | AnonymousUser) -> set[str]:
    return {m.role for m in memberships_of(user)}


def is_system_admin(user: User | AnonymousUser) -> bool:
    if getattr(user, "is_superuser", False) and user.is_active:
        return True
    return Role.SYSTEM_ADMIN in roles_of(user)


def is_citizen(user: User | AnonymousUser) -> bool:
    return (
        getattr(user, "is_authenticated", False)
        and not memberships_of(user)
        and not (user.is_superuser)
    )


def _scope(memberships: list[Membership], roles: set[str]) -> Q | None:
    """A filter on Body for the memberships in ``roles``; None if they grant nothing."""
    parts: list[Q] = []
    for m in memberships:
        if m.role not in roles:
            continue
        if m.role == Role.OPERATOR:
            parts.append(Q(pk=m.body_id))
        elif m.role == Role.SUPERVISOR:
            parts.append(Q(path__startswith=m.body.path))
        elif m.role in (Role.VERIFIER, Role.OMBUDSMAN_OFFICER):
            if m.body.province_id is None:
                return Q()  # a central verifier or Ombudsman RI itself: nationwide
            parts.append(Q(province_id=m.body.province_id))
        elif m.role == Role.SYSTEM_ADMIN:
            return Q()
    if not parts:
        return None
    return reduce(or_, parts)


_VIEW_ROLES = {Role.OPERATOR, Role.SUPERVISOR, Role.VERIFIER, Role.OMBUDSMAN_OFFICER}
_ACT_ROLES = {Role.OPERATOR, Role.SUPERVISOR}


def _bodies(user: User | AnonymousUser, roles: set[str]) -> QuerySet[Body]:
    if is_system_admin(user) and Role.SYSTEM_ADMIN in roles:
        return Body.objects.all()
    scope = _scope(memberships_of(user), roles)
    if scope is None:
        return Body.objects.none()
    return Body.objects.filter(scope)


def bodies_visible_to(user: User | AnonymousUser) -> QuerySet[Body]:
    """Bodies whose holdings (reports, members) the user may see: one query when evaluated."""
    return _bodies(user, {*_VIEW_ROLES, Role.SYSTEM_ADMIN})


def bodies_actionable_by(user: User | AnonymousUser) -> QuerySet[Body]:
    """Bodies on whose holdings the user may act (respond, redirect, resolve)."""
    return _bodies(user, set(_ACT_ROLES))


def bodies_administered_by(user: User | AnonymousUser) -> QuerySet[Body]:
    """Bodies whose details, units and members the user may edit: the system admin all,
    a supervisor their subtree."""
    return _bodies(user, {Role.SUPERVISOR, Role.SYSTEM_ADMIN})


def may_view_holdings(user: User | AnonymousUser, body: Body) -> bool:
    """May ``user`` see what ``body`` holds? Decided in memory from the cached memberships."""
    return _allows(user, body, {*_VIEW_ROLES, Role.SYSTEM_ADMIN})


def may_act_on_holdings(user: User | AnonymousUser, body: Body) -> bool:
    """May ``user`` act on what ``body`` holds?"""
    return _allows(user, body, set(_ACT_ROLES))


def may_assign_within(user: User | AnonymousUser, body: Body) -> bool:
    """May ``user`` assign (or reassign) what ``body`` holds to a named member of staff? A
    supervisor of the body or of a body above it."""
    return _allows(user, body, {Role.SUPERVISOR})


def may_hold_for(user: User | AnonymousUser, body: Body) -> bool:
    """May ``user`` be the named assignee of a report ``body`` holds? Whoever may act on its
    holdings: its operators, the supervisors above it (an active account)."""
    return bool(getattr(user, "is_active", False)) and may_act_on_holdings(user, body)


def assignable_members(bodies: QuerySet[Body]) -> QuerySet[User]:
    """The people a report held by one of ``bodies`` may be assigned to: their operators and
    supervisors (a supervisor above them too is checked per report by ``may_hold_for``)."""
    return User.objects.filter(
        is_active=True,
        memberships__is_active=True,
        memberships__role__in=[Role.OPERATOR, Role.SUPERVISOR],
        memberships__body__in=bodies,
    ).distinct().order_by("full_name", "id")


def follows_copy(user: User | AnonymousUser, bodies: Iterable[Body]) -> Body | None:
    """Of ``bodies`` (those a report was copied to), the first whose copy ``user`` follows:
    an operator of it, a supervisor of it or above it. None: the user follows none of them.
    Following a copy is reading the report, its internal notes, and adding notes; acting on
    it stays the holder's (``may_act_on_holdings`` of the holder)."""
    return next((body for body in bodies if may_act_on_holdings(user, body)), None)


def bodies_following_copies(user: User | AnonymousUser) -> QuerySet[Body]:
    """The bodies whose copies (the "Tembusan" queue) the user follows."""
    return bodies_actionable_by(user)


def may_administer(user: User | AnonymousUser, body: Body) -> bool:
    return _allows(user, body, {Role.SUPERVISOR, Role.SYSTEM_ADMIN})


def _allows(user: User | AnonymousUser, body: Body, roles: set[str]) -> bool:
    if Role.SYSTEM_ADMIN in roles and is_system_admin(user):
        return True
    for m in memberships_of(user):
        if m.role not in roles:
            continue
        if m.role == Role.OPERATOR and m.body_id == body.pk:
            return True
        if m.role == Role.SUPERVISOR and body.path.startswith(m.body.path):
            return True
        if m.role in (Role.VERIFIER, Role.OMBUDSMAN_OFFICER) and (
            m.body.province_id is None or m.body.province_id == body.province_id
        ):
            return True
    return False


def may_use_admin_site(user: User | AnonymousUser) -> bool:
    """The Django admin is for system admins and for supervisors (their own subtree)."""
    return bool(getattr(user, "is_active", False)) and (
        is_system_admin(user) or Role.SUPERVISOR in roles_of(user)
    )


# The roles that may read a reporter's identity (routing.services.identity.reveal_reporter:
# whoever handles the report, i.e. its body's operators and supervisors, the verifiers, and
# system admins, the only ones for an anonymous reporter; queue exports with identities are
# for operators and supervisors). A stolen password of any of them reads names, addresses and
# phone numbers, so each must sign in with a second factor. tests/agencies/test_two_factor.py
# checks this set against reveal_reporter itself.
IDENTITY_ROLES = frozenset({Role.OPERATOR, Role.SUPERVISOR, Role.VERIFIER})


def requires_second_factor(user: User | AnonymousUser) -> bool:
    """Must ``user`` sign in with a second factor (an authenticator app's code)? System
    admins and everyone who may reveal reporters' identities. Ombudsman officers and citizens
    may choose to; they are not obliged."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return is_system_admin(user) or bool(roles_of(user) & IDENTITY_ROLES)
