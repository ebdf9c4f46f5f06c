"""``{% citizen_status report %}``: a report's status as citizens read it, as a badge; a
duplicate reads "Digabung dengan LPR-…" with a link to the report that carries on, where the
viewer may open it. The words come from ``selectors.citizen_status``, the one place that
decides them. ``events|final_answer``: the answer a citizen is asked to accept."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template
from django.contrib.auth.models import AnonymousUser
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

from complaints import selectors
from complaints.models import EventKind, Report, ReportEvent

register = template.Library()


@register.simple_tag(takes_context=True, name="citizen_status")
def citizen_status_badge(context: template.Context, subject: Report | selectors.CitizenStatus
                         ) -> SafeString:
    """The badge of ``subject``: a report (read for the request's user) or its status."""
    if isinstance(subject, Report):
        request: Any = context.get("request")
        viewer = getattr(request, "user", None) or AnonymousUser()
        status = selectors.citizen_status(subject, viewer)
    else:
        status = subject
    label = conditional_escape(status.label)
    if status.merged_into:
        number = conditional_escape(status.merged_into)
        target = (format_html('<a class="tracking" href="{}">{}</a>', status.merged_into_url,
                              status.merged_into)
                  if status.merged_into_url
                  else format_html('<span class="tracking">{}</span>', status.merged_into))
        # The number in the label (letters, digits and dashes only) becomes the link.
        label = mark_safe(label.replace(number, target, 1))  # noqa: S308 - both escaped
    return format_html('<span class="status status-{}">{}</span>', status.value, label)


@register.filter
def final_answer(events: Iterable[ReportEvent]) -> ReportEvent | None:
    """The body's latest final answer among ``events`` (a timeline, newest first): shown where
    the citizen accepts or disputes it, not only far below in the history."""
    return next((event for event in events if event.kind == EventKind.RESOLVED), None)


@register.filter
def latest_of(events: Iterable[ReportEvent], kind: str) -> ReportEvent | None:
    """The latest event of ``kind`` among ``events`` (a timeline, newest first): what a
    verification outcome told the citizen (where to go, until when it is postponed), shown
    at the top of their report's page."""
    return next((event for event in events if event.kind == kind), None)
