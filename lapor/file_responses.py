"""Serving a private stored file (an attachment, its thumbnail, an export), the one way every
page and API view does it, after the caller checked who may read it: never a public URL of
the storage, never sniffed as another type, cached only by the reader's own browser."""

from __future__ import annotations

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404


def private_file_response(stored: FieldFile, *, content_type: str, filename: str = "",
                          as_attachment: bool = False, max_age: int = 0) -> FileResponse:
    """``stored`` (already permission-checked) with safe headers; 404 when there is none.
    ``max_age`` 0: the browser keeps no copy."""
    if not stored:
        raise Http404
    response = FileResponse(stored.open("rb"), content_type=content_type,
                            as_attachment=as_attachment, filename=filename)
    response["Cache-Control"] = f"private, max-age={max_age}" if max_age else "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
