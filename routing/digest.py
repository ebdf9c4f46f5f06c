"""The daily digest: each supervisor gets the overdue reports of their body and below, and
those that fall due in the next two working days (today, when it is one, and the next)."""

from __future__ import annotations

from django.utils import timezone, translation

from agencies.models import Membership, Role
from complaints.models import Report
from lapor.mail import render_email, send_now
from routing import calendar
from routing.queues import OPEN_HELD

MAX_LISTED = 50
UPCOMING_WORKING_DAYS = 2


def send_overdue_digest() -> int:
    """Email every supervisor with overdue or soon due reports below them; returns emails
    sent."""
    now = timezone.now()
    sent = 0
    supervisors = (
        Membership.objects.filter(role=Role.SUPERVISOR, is_active=True, user__is_active=True)
        .select_related("user", "body")
        .order_by("user_id")
    )
    for membership in supervisors.iterator(chunk_size=500):
        body = membership.body
        below = Report.objects.filter(
            status__in=OPEN_HELD, holder_body__path__startswith=body.path,
        ).select_related("holder_body").order_by("due_at", "id")
        overdue = below.filter(due_at__lt=now)
        # The horizon in the supervisor's body's zone and calendar.
        horizon = calendar.working_days_from(now, UPCOMING_WORKING_DAYS, body.time_zone,
                                             province_id=body.province_id)
        upcoming = below.filter(due_at__gte=now, due_at__lte=horizon)
        count, upcoming_count = overdue.count(), upcoming.count()
        if not count and not upcoming_count:
            continue
        with translation.override("id"):
            subject, text = render_email("routing/email/overdue_digest.txt", {
                "body": body, "count": count, "reports": overdue[:MAX_LISTED],
                "upcoming_count": upcoming_count, "upcoming": upcoming[:MAX_LISTED],
                "horizon": horizon, "now": now,
            })
        sent += send_now(subject, text, [membership.user.email])
    return sent
