"""Attachments are served only through here, after checking who may see the report: a
confidential report's photo is never reachable by guessing a URL (storage names are random
and the storage is not exposed)."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.http import require_GET

from complaints import selectors
from complaints.attachments import attachment_response
from complaints.models import Attachment


def _visible(request: HttpRequest, pk: int) -> Attachment:
    attachment = selectors.attachment_for(request.user, pk)
    if attachment is None:
        raise Http404
    return attachment


@require_GET
def attachment_file(request: HttpRequest, pk: int) -> FileResponse:
    return attachment_response(_visible(request, pk))


@require_GET
def attachment_thumbnail(request: HttpRequest, pk: int) -> FileResponse:
    return attachment_response(_visible(request, pk), thumbnail=True)
