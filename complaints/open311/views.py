"""The GeoReport v2 endpoints (/open311/v2/…​.json or .xml): parse, call the reads of
``documents`` or the one service ``posting.post_request``, render. Every refusal answers in
the spec's shape (``render.domain_error``)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from complaints.open311 import documents, keys, posting, render
from complaints.rate_limits import limiter
from lapor.db_router import public_read_view
from lapor.errors import DomainError, NotAllowed

View = Callable[..., HttpResponse]


def _spec_errors(view: View) -> View:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, fmt: str | None = None, **kwargs: Any
                ) -> HttpResponse:
        fmt = fmt or "xml"
        try:
            return view(request, *args, fmt=fmt, **kwargs)
        except DomainError as error:
            return render.domain_error(error, fmt)
    return wrapped


@require_GET
@_spec_errors
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    base = request.build_absolute_uri("/open311/v2/")
    return render.document("discovery", documents.discovery(base), fmt)


@require_GET
@public_read_view
@_spec_errors
def services(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.GET.get("jurisdiction_id"):
        documents.region_for(request.GET["jurisdiction_id"])
    return render.document("services", documents.services(), fmt)


@require_GET
@public_read_view
@_spec_errors
def service_definition(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    definition = documents.definition(documents.service(code))
    return render.document("service_definition", definition, fmt)


@csrf_exempt  # no cookies: a POST is authorised by its api_key alone
@require_http_methods(["GET", "POST"])
@_spec_errors
def requests(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _post(request, fmt)
    return _list(request, fmt)


@public_read_view
def _list(request: HttpRequest, fmt: str) -> HttpResponse:
    found = documents.find_requests(documents.parse_filters(request.GET))
    return render.document("service_requests",
                           [documents.request_document(r) for r in found], fmt)


def _post(request: HttpRequest, fmt: str) -> HttpResponse:
    params = {key: request.POST.get(key, "") for key in request.POST}
    client = keys.client_for_key(params.pop("api_key", "") or request.GET.get("api_key", ""))
    if client is None or client.account is None:
        raise NotAllowed(_("api_key tidak ada atau tidak berlaku; kunci diterbitkan oleh "
                           "admin sistem."))
    request.user = client.account  # the key authenticates as the client (its rate limit)
    posted = posting.post_request(client=client, params=params, limits=limiter(request))
    return render.document("service_requests", [{
        "service_request_id": posted.report.tracking_number, "token": posted.token,
        "service_notice": documents.service_notice(posted.report), "account_id": "",
    }], fmt, status=201)


@require_GET
@public_read_view
@_spec_errors
def request_detail(request: HttpRequest, service_request_id: str, fmt: str) -> HttpResponse:
    report = documents.find_request(service_request_id)
    return render.document("service_requests", [documents.request_document(report)], fmt)


@require_GET
@_spec_errors
def token(request: HttpRequest, token: str, fmt: str) -> HttpResponse:
    return render.document("service_requests", [documents.token_document(token)], fmt)
