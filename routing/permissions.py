"""Who may verify a report and who may act on it: answered from agencies.access."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from agencies import access
from agencies.models import Role, User
from complaints.models import Report


def verifier_provinces(user: User | AnonymousUser) -> set[int] | None:
    """The provinces a verifier covers; None means nationwide; empty set means none."""
    provinces: set[int] = set()
    for membership in access.memberships_of(user):
        if membership.role != Role.VERIFIER:
            continue
        if membership.body.province_id is None:
            return None
        provinces.add(membership.body.province_id)
    return provinces


def is_verifier(user: User | AnonymousUser) -> bool:
    return Role.VERIFIER in access.roles_of(user)


def may_verify(user: User | AnonymousUser, report: Report) -> bool:
    if not is_verifier(user):
        return False
    provinces = verifier_provinces(user)
    return provinces is None or report.province_id in provinces


def may_handle(user: User | AnonymousUser, report: Report) -> bool:
    """May ``user`` act on ``report`` for the body that holds it?"""
    return report.holder_body is not None and access.may_act_on_holdings(
        user, report.holder_body
    )
