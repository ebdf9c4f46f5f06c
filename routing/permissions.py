"""Who may verify a report and who may act on it: answered from agencies.access."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from agencies import access
from agencies.models import Role, User
from complaints.models import VERIFIED_STATUSES, Report, ReportStatus


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


# A report that is public (verified) or may become so (waiting for verification).
MODERATED_STATUSES = frozenset({ReportStatus.SUBMITTED, ReportStatus.POSTPONED,
                                *VERIFIED_STATUSES})


def may_moderate(user: User | AnonymousUser, report: Report) -> bool:
    """May ``user`` change what the public sees of ``report`` (its public title and text,
    which of its files are shown)? The verifiers whose scope covers its province, as long as
    it exists (whatever its status: a published report is moderated too), and the system
    admin. Not the staff of the body that holds it, nor that body's supervisors: what the
    public reads about a body is not the body's to edit (domain.md: verification decides what
    becomes public; the bodies answer). Only while the report is or may become public: not a
    confidential one, nor one rejected, archived or referred out."""
    if report.is_confidential or report.status not in MODERATED_STATUSES:
        return False
    return may_verify(user, report) or access.is_system_admin(user)
