"""Telling a body's staff that a report reached them. The message never names the reporter:
staff see the identity (when not anonymous) only inside the application, where it is logged."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from agencies.models import Body, Membership, Role
from complaints.models import Notification, Report
from lapor.mail import send_after_commit


def notify_body_of_new_report(*, report: Report, body: Body) -> None:
    staff = list(
        Membership.objects.filter(
            body=body, role__in=[Role.OPERATOR, Role.SUPERVISOR], is_active=True,
            user__is_active=True,
        ).select_related("user")
    )
    if not staff:
        return
    with translation.override("id"):
        text = render_to_string(
            "routing/email/new_report.txt",
            {"report": report, "body": body, "site_url": settings.SITE_URL},
        ).strip()
    subject, _, message = text.partition("\n")
    Notification.objects.bulk_create(
        Notification(user=m.user, report=report, subject=subject.strip(), body=message.strip())
        for m in staff
    )
    addresses = sorted({m.user.email for m in staff})
    send_after_commit(subject.strip(), message.strip(), addresses)
