"""Export pages: start an export of the queue as filtered, follow its progress, download it.
Only the requester ever sees an export; anyone else gets 404."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from agencies import access
from complaints.errors import ReportError
from routing import exports as export_service
from routing.models import ExportJob
from routing.queues import QueueFilters

RECENT = 20
CONTENT_TYPES = {
    ExportJob.Format.CSV: "text/csv; charset=utf-8",
    ExportJob.Format.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@login_required
@require_http_methods(["GET", "POST"])
def exports(request: HttpRequest) -> HttpResponse:
    """GET: the user's recent exports. POST (the queue's export form): start one."""
    error = ""
    if request.method == "POST":
        try:
            job = export_service.request_export(
                user=request.user,
                filters=QueueFilters.from_params(request.POST),
                format=request.POST.get("format", ""),
            )
        except ReportError as exc:
            error = str(exc)
        else:
            return redirect("routing:export-detail", pk=job.pk)
    elif not access.bodies_actionable_by(request.user).exists():
        raise Http404
    return render(
        request,
        "routing/exports.html",
        {"jobs": export_service.exports_of(request.user)[:RECENT], "error": error},
        status=400 if error else 200,
    )


@login_required
@require_GET
def export_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(export_service.exports_of(request.user), pk=pk)
    response = render(request, "routing/export_detail.html", {"job": job})
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def export_download(request: HttpRequest, pk: int) -> FileResponse:
    job = get_object_or_404(
        export_service.exports_of(request.user), pk=pk, state=ExportJob.State.DONE
    )
    return file_response(job)


def file_response(job: ExportJob) -> FileResponse:
    """The finished file of an export (the caller checked it is the requester's)."""
    if not job.file:
        raise Http404
    response = FileResponse(
        job.file.open("rb"),
        as_attachment=True,
        filename=f"laporan-ekspor-{job.pk}.{job.format}",
        content_type=CONTENT_TYPES[ExportJob.Format(job.format)],
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
