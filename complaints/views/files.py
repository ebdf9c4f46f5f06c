"""Attachments are served only through here, after checking who may see the report: a
confidential report's photo is never reachable by guessing a URL (storage names are random
and the storage is not exposed)."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.http import require_GET

from complaints import selectors
from complaints.models import Attachment


def _visible(request: HttpRequest, pk: int) -> Attachment:
    attachment = selectors.attachment_for(request.user, pk)
    if attachment is None:
        raise Http404
    return attachment


def file_response(attachment: Attachment, *, thumbnail: bool = False) -> FileResponse:
    """The bytes of an attachment (already permission-checked) with safe headers."""
    if thumbnail:
        if not attachment.thumbnail:
            raise Http404
        response = FileResponse(attachment.thumbnail.open("rb"), content_type="image/webp")
        response["Cache-Control"] = "private, max-age=86400"
        return response
    response = FileResponse(
        attachment.file.open("rb"),
        content_type=attachment.content_type,
        as_attachment=not attachment.is_image,
        filename=attachment.original_name,
    )
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def attachment_file(request: HttpRequest, pk: int) -> FileResponse:
    return file_response(_visible(request, pk))


@require_GET
def attachment_thumbnail(request: HttpRequest, pk: int) -> FileResponse:
    return file_response(_visible(request, pk), thumbnail=True)
