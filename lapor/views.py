"""Project-level pages: the home page, the health endpoint, and the 404 of a path that
matches no URL."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.defaults import page_not_found
from rest_framework.exceptions import NotFound

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


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """``handler404``: under /api/ a JSON answer in the API's shape (``detail``, as DRF's own
    404), e.g. for an id that is not a number; elsewhere the 404 page."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": str(NotFound.default_detail)}, status=404)
    return page_not_found(request, exception)
