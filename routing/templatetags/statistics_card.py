"""``{% body_card body %}``: a body's statistics card for the last 12 months (with everything
below it), from the rollups, shown on its page /instansi/<id>/ and linking to its statistics
page. A template tag, so the agencies page needs no import of routing."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from agencies.models import Body
from routing import statistics as stats

register = template.Library()


@register.inclusion_tag("routing/_body_card.html")
def body_card(body: Body) -> dict[str, Any]:
    first, last = stats.last_twelve_months(timezone.localdate())
    figs = stats.figures(stats.Scope(body=body), first, last)
    return {"body": body, "card": figs.as_row(), "first": first, "last": last,
            "as_of": stats.as_of()}
