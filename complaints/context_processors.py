"""The number of unread notifications, for the navigation badge (one small indexed count)."""

from __future__ import annotations

from django.http import HttpRequest

from complaints.models import Notification


def notifications(request: HttpRequest) -> dict[str, int]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications": 0}
    count = Notification.objects.filter(user=user, read_at__isnull=True).count()
    return {"unread_notifications": count}
