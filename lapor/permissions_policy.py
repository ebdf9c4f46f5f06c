"""Browser policies beside django-csp's header: the ``Permissions-Policy`` header on every
response, from settings.PERMISSIONS_POLICY (for each browser feature, the origins that may
use it: ``["self"]`` our own pages, ``[]`` nobody; a response that set the header itself
keeps its own), and the few paths whose Content-Security-Policy makes exceptions."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase


def header_value(policy: dict[str, list[str]]) -> str:
    """``{"geolocation": ["self"], "camera": []}`` → ``geolocation=(self), camera=()``."""
    parts = []
    for feature, origins in policy.items():
        allowed = " ".join(origin if origin in ("self", "*") else f'"{origin}"'
                           for origin in origins)
        parts.append(f"{feature}=({allowed})")
    return ", ".join(parts)


class PermissionsPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.value = header_value(settings.PERMISSIONS_POLICY)

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if self.value and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = self.value
        return response


class PolicyExceptionsMiddleware:
    """Under each prefix of settings.CSP_PATH_EXCEPTIONS (pages of other projects' code: the
    API docs' Swagger UI and Redoc), the directives given there replace the policy's own
    (inline styles, Redoc's blob: worker); scripts stay as strict as anywhere. Stands after
    django-csp's middleware, which reads the mark on the way out."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.exceptions = list(settings.CSP_PATH_EXCEPTIONS.items())

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        for prefix, directives in self.exceptions:
            if request.path.startswith(prefix):
                response._csp_replace = directives  # type: ignore[attr-defined]
                break
        return response
