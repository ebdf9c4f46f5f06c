"""Export pages: say what a file of the queue as filtered will hold, start it, follow its
progress, download it. Only the requester ever sees an export; anyone else gets 404."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from agencies import access
from agencies.signed_in import AuthenticatedRequest
from lapor.errors import DomainError
from lapor.page_errors import with_retry_after
from routing import exports as export_service
from routing.models import ExportJob
from routing.queues import QUEUE_ROLES, QueueFilters

RECENT = 20


@login_required
@require_GET
def exports(request: AuthenticatedRequest) -> HttpResponse:
    """The user's recent exports, and the way to export the whole queue."""
    if not export_service.may_export(request.user):
        raise Http404
    return render(
        request,
        "routing/exports.html",
        {"jobs": export_service.exports_of(request.user)[:RECENT],
         "is_system_admin": access.is_system_admin(request.user)},
    )


def _options(data: Any) -> dict[str, Any]:
    return {
        "format": data.get("format") or ExportJob.Format.CSV,
        "include_identity": data.get("include_identity", "") in ("1", "on", "true"),
        "reason": data.get("reason", ""),
    }


@login_required
@require_http_methods(["GET", "POST"])
def export_create(request: AuthenticatedRequest) -> HttpResponse:
    """GET (the queue's export form): what the file will hold, with a "Buat berkas" button.
    POST: start building it. Nothing typed is lost on an error."""
    user = request.user
    data = request.POST if request.method == "POST" else request.GET
    filters = QueueFilters.from_params(data)
    options = _options(data)
    error: DomainError | None = None
    if request.method == "POST":
        try:
            job = export_service.request_export(user=user, filters=filters, **options)
        except DomainError as exc:
            error = exc
        else:
            return redirect("routing:export-detail", pk=job.pk)
    elif not export_service.may_export(user):
        raise Http404
    plan = None
    try:
        # The summary as it stands without identities: the page says what asking adds.
        plan = export_service.plan_export(user=user, filters=filters, format=options["format"])
    except DomainError as exc:
        error = error or exc
    has_queue = bool(access.roles_of(user) & QUEUE_ROLES)
    back = reverse("routing:exports")
    if has_queue:
        back = reverse("routing:queue") + "?" + urlencode(filters.as_params())
    response = render(
        request,
        "routing/export_confirm.html",
        {
            "plan": plan,
            "options": options,
            "hidden": filters.as_params(),
            "error": error if error and error.field != "reason" else None,
            "reason_error": error if error and error.field == "reason" else None,
            "back_url": back,
            "has_queue": has_queue,
            "formats": ExportJob.Format.choices,
            # The columns as the form stands (the plan is the one without identities).
            "columns": [str(header) for header, _width in export_service.columns(
                includes_identity=options["include_identity"])],
        },
        status=error.status if error else 200,
    )
    return with_retry_after(response, error)


@login_required
@require_GET
def export_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(export_service.exports_of(request.user), pk=pk)
    described = export_service.describe_filters(
        request.user, QueueFilters.from_params(job.filters)
    )
    response = render(
        request, "routing/export_detail.html", {"job": job, "described": described}
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def export_download(request: AuthenticatedRequest, pk: int) -> FileResponse:
    job = get_object_or_404(
        export_service.exports_of(request.user), pk=pk, state=ExportJob.State.DONE
    )
    return export_service.export_response(job)
