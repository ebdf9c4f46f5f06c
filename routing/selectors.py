"""Reads of routing scoped to a report or a user: who handles a report inside its body, whom
a report may be assigned to, the copies (tembusan) a body follows."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.dateparse import parse_datetime

from agencies import access
from agencies.models import Body, Membership, Role, User
from complaints.models import Report, ReportCopy
from routing.models import Case
from routing.queues import _decode, _encode


def report_handlers(report: Report) -> QuerySet[User]:
    """Who is told first about what a report needs (a deadline coming, a warning): its
    assignee if it has one, else the operators of its holding body. Empty for a report no
    body holds."""
    if report.holder_body_id is None:
        return User.objects.none()
    if report.assignee_id is not None:
        return User.objects.filter(pk=report.assignee_id, is_active=True)
    operators = Membership.objects.filter(
        body_id=report.holder_body_id, role=Role.OPERATOR, is_active=True, user__is_active=True,
    ).values("user_id")
    return User.objects.filter(pk__in=operators)


def assignee_choices(report: Report) -> QuerySet[User]:
    """Whom a supervisor may assign ``report`` to: the operators and supervisors of its
    holding body (a supervisor above may take it too)."""
    holder = report.holder_body
    if holder is None:
        return User.objects.none()
    return access.assignable_members(Body.objects.filter(pk=holder.pk))


def bulk_assignee_choices(user: User, *, body: int | None = None, limit: int = 200
                          ) -> list[User]:
    """Whom a supervisor may pick in the queue's bulk assignment: the operators and
    supervisors of the bodies they supervise (of ``body`` only, when the queue shows one),
    the first ``limit`` by name."""
    bodies = access.bodies_administered_by(user).filter(
        pk__in=access.bodies_actionable_by(user).values("pk"))
    if body:
        bodies = bodies.filter(pk=body)
    return list(access.assignable_members(bodies)[:limit])


COPIES_PAGE_SIZE = 25


def copies_followed_by(user: User) -> QuerySet[ReportCopy]:
    """The copies (tembusan) to the bodies the user acts for (an operator: their body; a
    supervisor: their body and those below), newest first: the "Tembusan" queue, read through
    ``report_copy_queue_idx``."""
    return (
        ReportCopy.objects.filter(body__in=access.bodies_following_copies(user).values("pk"))
        .select_related("report", "report__holder_body", "report__category", "body")
        .defer("report__search_vector", "report__description", "report__contact_name",
               "report__contact_email", "report__contact_phone")
        .order_by("-at", "-id")
    )


def copies_page(user: User, *, cursor: str = "", size: int = COPIES_PAGE_SIZE
                ) -> tuple[list[ReportCopy], str | None]:
    """One page of ``copies_followed_by`` after ``cursor`` (keyset on at, id; never OFFSET)."""
    copies = copies_followed_by(user)
    position = _decode(cursor) if cursor else None
    at = parse_datetime(position["at"]) if position and isinstance(position.get("at"), str) \
        else None
    if position is not None and at is not None:
        copies = copies.filter(Q(at__lt=at) | Q(at=at, id__lt=position["id"]))
    rows = list(copies[: size + 1])
    next_cursor = None
    if len(rows) > size:
        rows = rows[:size]
        next_cursor = _encode({"s": "copies", "at": rows[-1].at.isoformat(), "id": rows[-1].pk})
    return rows, next_cursor


def case_of(report: Report) -> Case | None:
    """The case (kasus bersama) ``report`` belongs to, if any."""
    return Case.objects.filter(members__report=report).first()


def cases_visible_to(user: User) -> QuerySet[Case]:
    """The cases of the bodies whose holdings ``user`` sees, newest first."""
    return (Case.objects.filter(holder_body__in=access.bodies_visible_to(user))
            .select_related("holder_body").order_by("-created_at", "-id"))
