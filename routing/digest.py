"""The daily digest: each supervisor gets the overdue reports of their body and below."""

from __future__ import annotations

from django.utils import timezone, translation

from agencies.models import Membership, Role
from complaints.models import Report
from lapor.mail import render_email, send_now
from routing.queues import OPEN_HELD

MAX_LISTED = 50


def send_overdue_digest() -> int:
    """Email every supervisor with overdue reports below them; returns emails sent."""
    now = timezone.now()
    sent = 0
    supervisors = (
        Membership.objects.filter(role=Role.SUPERVISOR, is_active=True, user__is_active=True)
        .select_related("user", "body")
        .order_by("user_id")
    )
    for membership in supervisors.iterator(chunk_size=500):
        overdue = Report.objects.filter(
            status__in=OPEN_HELD, due_at__lt=now,
            holder_body__path__startswith=membership.body.path,
        ).select_related("holder_body").order_by("due_at")
        count = overdue.count()
        if not count:
            continue
        with translation.override("id"):
            subject, text = render_email("routing/email/overdue_digest.txt", {
                "body": membership.body, "count": count, "reports": overdue[:MAX_LISTED],
                "now": now,
            })
        sent += send_now(subject, text, [membership.user.email])
    return sent
