"""The benchmark server's URLs: the whole portal plus the baseline of the filing benchmark.

The baseline is the least a server of the same stack can do to take a report: the same
Django, middleware, gunicorn and PostgreSQL, but one view that parses the body and does one
INSERT of a report row (no authentication, validation, routing, history, clocks or
notifications). Only ``benchmarks.wsgi`` serves it; the portal's own URLs never include it.
"""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt

from complaints.models import Report


@csrf_exempt
def minimal_insert(request: HttpRequest) -> HttpResponse:
    """Parse the posted report (JSON, or a multipart form with a file) and insert one row."""
    if request.method != "POST":
        return HttpResponse(status=405)
    if request.content_type == "application/json":
        values = json.loads(request.body)
    else:
        values = request.POST.dict()
        for upload in request.FILES.values():  # read like a real upload would be, then drop
            for _chunk in upload.chunks():
                pass
    report = Report.objects.create(
        kind=values.get("kind", "complaint"), title=values.get("title", ""),
        description=values.get("description", ""),
    )
    return JsonResponse({"id": report.pk}, status=201)


urlpatterns = [
    path("bench/insert/", minimal_insert),
    path("", include("lapor.urls")),
]
