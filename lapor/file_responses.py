"""Serving a private stored file (an attachment, its thumbnail, an export), the one way every
page and API view does it, after the caller checked who may read it: never a public URL of
the storage, never sniffed as another type, cached only by the reader's own browser. And a
file published for everyone (the open data set), cacheable by anyone."""

from __future__ import annotations

from pathlib import Path

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


def public_file_response(path: Path, *, content_type: str, filename: str,
                         as_attachment: bool = True, max_age: int = 3600) -> FileResponse:
    """A file published for everyone (the open data set): any cache may keep it ``max_age``
    seconds, never sniffed as another type."""
    response = FileResponse(path.open("rb"), content_type=content_type,
                            as_attachment=as_attachment, filename=filename)
    response["Cache-Control"] = f"public, max-age={max_age}"
    response["X-Content-Type-Options"] = "nosniff"
    return response
