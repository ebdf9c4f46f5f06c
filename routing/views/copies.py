"""The "Tembusan" queue: reports other bodies copied to the user's bodies, newest first. Their
staff follow them (read, internal notes); the holder keeps acting on them."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from agencies import access
from agencies.signed_in import AuthenticatedRequest
from routing import selectors
from routing.queues import QUEUE_ROLES
from routing.views.queues import page_links


@login_required
@require_GET
def copies_page(request: AuthenticatedRequest) -> HttpResponse:
    """For operators and supervisors; 404 for anyone else."""
    if not access.roles_of(request.user) & QUEUE_ROLES:
        raise Http404
    rows, next_cursor = selectors.copies_page(request.user,
                                              cursor=request.GET.get("cursor", ""))
    return render(request, "routing/copies.html",
                  {"rows": rows, **page_links(request, next_cursor)})
