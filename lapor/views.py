"""Project-level pages: the home page and the health endpoint."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from agencies.selectors import tree_summary
from lapor.db_router import public_read_view
from lapor.health import overall_health


@require_GET
@public_read_view
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html", {"summary": tree_summary()})


@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    report = overall_health()
    return JsonResponse(report, status=200 if report["status"] == "ok" else 503)
