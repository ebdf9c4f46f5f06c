"""One way from a domain error to an API response (HackSoft's ``exception_handlers.py``): the
status each error carries (lapor.errors), ``{"field": ["message"]}`` for input at fault and
``{"detail": "message"}`` otherwise, in the user's language, with ``Retry-After`` when it says
when to try again. Everything else is DRF's own handling, in the same two shapes.

What the schema says about refusals is here too, in one place: ``refusals()`` decides which
statuses an operation may answer, from what the operation is (a write, signed-in only, with an
id in its path, paginated, with a body), and ``lapor.api_schema.AutoSchema`` writes them, with
their shapes, into every operation of the OpenAPI schema."""

from __future__ import annotations

import logging
from collections.abc import Iterable
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
    """The body of a refused request (the schema's "Error"): ``detail``. A 400 may instead
    name each field at fault with its messages (the schema's "InvalidInput", below)."""

    detail = serializers.CharField(help_text="Pesan dalam bahasa pengguna.")


REFUSED = OpenApiResponse(ErrorSerializer, description="Pesan dalam bahasa pengguna.")

# The schema of a 400: the one message, or each field at fault with its messages (a nested
# field: its own fields' messages), and ``draft`` when a refused submission kept its draft.
INVALID_INPUT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "Masukan yang ditolak: ``detail``, atau setiap isian yang salah dengan "
                   "pesannya.",
    "properties": {
        "detail": {"type": "string", "description": "Pesan dalam bahasa pengguna."},
        "draft": {"type": "integer", "description": "Draf yang disimpan dari kiriman ini."},
    },
    "additionalProperties": {
        "anyOf": [
            {"type": "array", "items": {"anyOf": [{"type": "string"}, {"type": "object"}]}},
            {"type": "object"},
        ]
    },
}

# What each refusal means (lapor.errors, and DRF's own 401 and 415).
REFUSALS: dict[int, str] = {
    400: "Masukan ditolak: aturan dilanggar atau data tidak dapat dibaca.",
    401: "Belum masuk: operasi ini memerlukan token, atau token yang dikirim tidak berlaku.",
    403: "Tidak diizinkan: orang ini tidak boleh melakukan ini.",
    404: "Tidak ditemukan, atau tidak boleh diketahui orang ini (jawabannya sama).",
    409: "Sudah diubah orang lain sejak dibaca; pesannya menyebut apa yang berubah.",
    415: "Jenis isi permintaan tidak diterima.",
    429: "Terlalu banyak percobaan; Retry-After menyebut kapan boleh mencoba lagi.",
    503: "Bagian yang diperlukan sedang tidak tersedia; coba lagi setelah Retry-After.",
}
RETRY_AFTER_HEADER: dict[str, Any] = {
    "Retry-After": {
        "schema": {"type": "integer"},
        "description": "Detik sampai boleh mencoba lagi.",
        "required": True,
    }
}
WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def refusals(*, method: str, signed_in_only: bool, path_parameters: bool,
             query_parameters: bool, paginated: bool, body: bool,
             declared: Iterable[int] = ()) -> set[int]:
    """The statuses besides success that an operation may answer.

    Every operation takes a token, and a token that does not work is a 401 anywhere. A write
    goes through a service, which may refuse it for any of the domain's reasons (lapor.errors):
    400, 403, 404, 409 (for a write on something that exists, named in the path), 429, 503. A
    read refuses what it reads (400 for a bad filter), hides what is not there or not the
    reader's (404: an id in the path, a page past the end), and, when it is for signed-in
    people only, what they may not see (403). A body in a type the operation does not read
    is a 415. ``declared``: what the view's own ``extend_schema`` adds (a read that is
    rate-limited: 429); whatever is counted in Redis may find it down (503)."""
    write = method.upper() in WRITES
    codes = {401, *declared}
    if write or query_parameters or body:
        codes.add(400)
    if write or signed_in_only:
        codes.add(403)
    if write or path_parameters or paginated:
        codes.add(404)
    if write and path_parameters:
        codes.add(409)
    if body:
        codes.add(415)
    if write:
        codes |= {429, 503}
    if 429 in codes:
        codes.add(503)
    return codes


def response_for(error: DomainError) -> Response:
    # Only input at fault (a 400) names its fields; every other refusal is one ``detail``.
    found = messages_of(error) if error.status == 400 else {None: str(error)}
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
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(response.data, list):
        # A ValidationError of no field (DRF's search filter refusing a NUL character):
        # one message, in the shape of every other refusal.
        response.data = {"detail": " ".join(str(message) for message in response.data)}
    return response
