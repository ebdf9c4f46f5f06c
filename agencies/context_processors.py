"""Puts the signed-in user's roles into every template, for the navigation."""

from __future__ import annotations

from django.http import HttpRequest

from agencies import access
from agencies.models import Role


def roles(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"user_roles": set(), "may_use_admin": False}
    user_roles = access.roles_of(user)
    return {
        "user_roles": user_roles,
        "user_memberships": access.memberships_of(user),
        "is_citizen": not user_roles and not user.is_superuser,
        "is_verifier": Role.VERIFIER in user_roles,
        "is_operator": bool({Role.OPERATOR, Role.SUPERVISOR} & user_roles),
        "is_supervisor": Role.SUPERVISOR in user_roles,
        "is_ombudsman": Role.OMBUDSMAN_OFFICER in user_roles,
        "may_use_admin": access.may_use_admin_site(user),
        "may_assist": bool({Role.VERIFIER, Role.OPERATOR, Role.SUPERVISOR} & user_roles),
    }
