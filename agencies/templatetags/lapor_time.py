"""Times as people read them, one way per language: ``{{ value|when }}`` is "2 Des 2026 14.41
WIB" in Indonesian and "2 Dec 2026 14:41 WIB" in English, in the time zone the template has
active (``{% timezone … %}``). A built-in of the templates (settings.TEMPLATES), so no page
needs to load it."""

from __future__ import annotations

from datetime import datetime

from django import template
from django.utils import formats, timezone

register = template.Library()


@register.filter
def when(value: datetime | None) -> str:
    if not value:
        return ""
    at = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{formats.date_format(at, 'SHORT_DATETIME_FORMAT')} {formats.date_format(at, 'T')}"
