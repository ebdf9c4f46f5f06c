"""One way from a domain error to a page: on the form that caused it (each message on its
field, as the API names them), or, when no form shows it, as an error page with the status the
error carries (lapor.errors). ``DomainErrorMiddleware`` is the page side's catch-all, as
``lapor.api_errors`` is the API's: a view catches a domain error only to show its form again."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django import forms
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from lapor.errors import DomainError, Invalid
from lapor.outages import OUTAGE_ERRORS, unavailable

logger = logging.getLogger(__name__)


def messages_of(error: DomainError) -> dict[str | None, str]:
    """The error's messages by field (None: the form as a whole)."""
    if isinstance(error, Invalid) and error.errors:
        return {field: message for field, message in error.errors.items()}
    return {error.field: str(error)}


def show_on_form(form: forms.BaseForm, error: DomainError) -> None:
    """Put ``error`` on ``form``: each message on its field when the form has one by that
    name, else on the form as a whole."""
    for field, message in messages_of(error).items():
        form.add_error(field if field in form.fields else None, message)


def with_retry_after(response: HttpResponse, error: DomainError | None) -> HttpResponse:
    """``response`` with the ``Retry-After`` of ``error`` (a 429 or a 503), if it says one."""
    retry_after = getattr(error, "retry_after", None)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


def error_page(request: HttpRequest, error: DomainError) -> HttpResponse:
    response = render(request, "error.html", {"error": error}, status=error.status)
    return with_retry_after(response, error)


class DomainErrorMiddleware:
    """A domain error no view showed on a form becomes a page with its status and sentence."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception
                          ) -> HttpResponse | None:
        if isinstance(exception, OUTAGE_ERRORS):  # Redis down or hung: 503, never a 500
            logger.warning("answered 503: %s: %s", type(exception).__name__, exception)
            error = unavailable()
            if request.path.startswith("/api/"):
                response = JsonResponse({"detail": str(error)}, status=error.status)
                return with_retry_after(response, error)
            return error_page(request, error)
        if isinstance(exception, DomainError) and not request.path.startswith("/api/"):
            return error_page(request, exception)
        return None
