"""The daily digest: each supervisor gets the overdue reports of their body and below."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone, translation

from agencies.models import Membership, Role
from complaints.models import Report
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
            text = render_to_string("routing/email/overdue_digest.txt", {
                "body": membership.body, "count": count, "reports": overdue[:MAX_LISTED],
                "site_url": settings.SITE_URL, "now": now,
            }).strip()
        subject, _, message = text.partition("\n")
        send_mail(subject.strip(), message.strip(), settings.DEFAULT_FROM_EMAIL,
                  [membership.user.email])
        sent += 1
    return sent
