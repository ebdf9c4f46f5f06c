"""Attachments are served only through here, after checking who may see the report: a
confidential report's photo is never reachable by guessing a URL (storage names are random
and the storage is not exposed). A photo as it was sent goes to its reporter and the staff
who may open the report; everyone else gets the public copy (faces blurred), and the public
page links the public copy for everyone."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from complaints import selectors
from complaints.attachments import attachment_response
from complaints.models import Attachment


def _visible(request: HttpRequest, pk: int) -> Attachment:
    attachment = selectors.attachment_for(request.user, pk)
    if attachment is None:
        raise Http404
    return attachment


def _for_viewer(request: HttpRequest, pk: int, *, thumbnail: bool) -> FileResponse:
    attachment = _visible(request, pk)
    public = not selectors.sees_original_photos(request.user, attachment.report)
    response = attachment_response(attachment, thumbnail=thumbnail, public=public)
    patch_vary_headers(response, ["Cookie"])  # who reads decides which copy
    return response


@require_GET
def attachment_file(request: HttpRequest, pk: int) -> FileResponse:
    return _for_viewer(request, pk, thumbnail=False)


@require_GET
def attachment_thumbnail(request: HttpRequest, pk: int) -> FileResponse:
    return _for_viewer(request, pk, thumbnail=True)


@require_GET
def public_attachment_file(request: HttpRequest, pk: int) -> FileResponse:
    """The public copy, whoever asks (the public page and API link this one)."""
    return attachment_response(_visible(request, pk), public=True)


@require_GET
def public_attachment_thumbnail(request: HttpRequest, pk: int) -> FileResponse:
    return attachment_response(_visible(request, pk), thumbnail=True, public=True)
