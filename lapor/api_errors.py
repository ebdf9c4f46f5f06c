"""One way from a domain error to an API response (HackSoft's ``exception_handlers.py``): the
status each error carries (lapor.errors), ``{"field": ["message"]}`` for input at fault and
``{"detail": "message"}`` otherwise, in the user's language, with ``Retry-After`` when it says
when to try again. Everything else is DRF's own handling."""

from __future__ import annotations

import logging
from typing import Any

from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from lapor.errors import DomainError
from lapor.outages import OUTAGE_ERRORS, unavailable
from lapor.page_errors import messages_of

logger = logging.getLogger(__name__)


class ErrorSerializer(serializers.Serializer):
    """The body of a refused request (the schema's "Error"): ``detail``, and for input at
    fault the field's name with its messages."""

    detail = serializers.CharField(help_text="Pesan dalam bahasa pengguna.")


REFUSED = OpenApiResponse(ErrorSerializer, description="Pesan dalam bahasa pengguna.")


def response_for(error: DomainError) -> Response:
    found = messages_of(error)
    data: dict[str, Any] = {}
    if None in found:
        data["detail"] = found.pop(None)
    data.update({field: [message] for field, message in found.items() if field is not None})
    data.update(error.details)
    response = Response(data, status=error.status)
    retry_after = getattr(error, "retry_after", None)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DomainError):
        return response_for(exc)
    if isinstance(exc, OUTAGE_ERRORS):  # Redis down or hung where no code expected it
        logger.warning("answered 503: %s: %s", type(exc).__name__, exc)
        return response_for(unavailable())
    return drf_exception_handler(exc, context)
