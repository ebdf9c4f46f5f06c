"""The Ombudsman officers' queue: reports escalated after 60 working days without follow-up,
for the provinces of the officer's office (Ombudsman RI: all), the most overdue first, with
their full history one click away."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from agencies import access
from agencies.models import Role
from agencies.signed_in import AuthenticatedRequest
from routing import queues
from routing.views.queues import RowFormatter, page_links


@login_required
@require_GET
def ombudsman_page(request: AuthenticatedRequest) -> HttpResponse:
    if Role.OMBUDSMAN_OFFICER not in access.roles_of(request.user):
        raise Http404
    filters = queues.QueueFilters.from_params(request.GET)
    sort = queues.ombudsman_sort(filters)
    reports = queues.ombudsman_reports(request.user, filters)
    rows, next_cursor = queues.page(
        queues.for_listing(reports), sort=sort, cursor=request.GET.get("cursor", ""),
        age_field="escalated_at", emergency_first=True,
    )
    formatter = RowFormatter(timezone.now())
    return render(request, "routing/ombudsman.html", {
        **page_links(request, next_cursor),
        "rows": [formatter.row(report) for report in rows],
        "filters": filters,
        "sort": sort,
        "sorts": [("due", _("Paling mendesak")), ("newest", _("Terbaru diteruskan"))],
        "overdue_count": queues.overdue_among(reports),
        "labels": formatter.labels(),
        "shows_holder": True,
    })
