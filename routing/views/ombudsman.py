"""The Ombudsman officers' queue: reports escalated after 60 working days without follow-up,
for the provinces of the officer's office (Ombudsman RI: all), with their full history."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from agencies import access
from agencies.models import Role
from routing import queues


@login_required
@require_GET
def ombudsman_page(request: HttpRequest) -> HttpResponse:
    if Role.OMBUDSMAN_OFFICER not in access.roles_of(request.user):
        raise Http404
    filters = queues.QueueFilters.from_params(request.GET)
    rows, next_cursor = queues.page(
        queues.for_listing(queues.ombudsman_reports(request.user, filters))
        .select_related("ombudsman_office"),
        sort="newest",
        cursor=request.GET.get("cursor", ""),
        age_field="escalated_at",
    )
    params = request.GET.copy()
    params.pop("cursor", None)
    if next_cursor:
        params["cursor"] = next_cursor
    return render(request, "routing/ombudsman.html", {
        "rows": rows, "filters": filters, "next_query": params.urlencode() if next_cursor else "",
    })
