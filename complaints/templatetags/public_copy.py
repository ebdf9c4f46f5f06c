"""The public copy in templates: ``stored|masks`` shows a stored public copy (a report's
``public_title``/``public_description``) with its masks in the reader's language;
``text|public_text`` masks a text that has no stored copy (an event's note) as it is shown."""

from __future__ import annotations

from django import template

from complaints import redaction

register = template.Library()


@register.filter
def masks(stored: str) -> str:
    return redaction.localised(stored)


@register.filter
def public_text(text: str) -> str:
    return redaction.localised(redaction.public_copy(text))
