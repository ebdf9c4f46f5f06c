"""Browser policies beside django-csp's header: the ``Permissions-Policy`` header on every
response, from settings.PERMISSIONS_POLICY (for each browser feature, the origins that may
use it: ``["self"]`` our own pages, ``[]`` nobody; a response that set the header itself
keeps its own), and the few paths whose Content-Security-Policy allows inline styles."""

from __future__ import annotations

from collections.abc import Callable

from csp.constants import SELF, UNSAFE_INLINE
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


class InlineStylesWhereNeededMiddleware:
    """Under the prefixes of settings.CSP_INLINE_STYLE_PATHS (pages of other projects' code that
    set inline styles from their JavaScript: the admin's select2 and jQuery, Swagger UI, Redoc)
    the policy's ``style-src`` also allows inline styles; scripts stay as strict as anywhere.
    The nonce leaves ``style-src`` there, since browsers ignore 'unsafe-inline' beside one.
    Stands after django-csp's middleware, which reads the mark on the way out."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.prefixes = tuple(settings.CSP_INLINE_STYLE_PATHS)

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if request.path.startswith(self.prefixes):
            response._csp_replace = {"style-src": [SELF, UNSAFE_INLINE]}  # type: ignore[attr-defined]
        return response
