"""The staff pages (/petugas/, the admin) ask for the second factor of whoever must use one and
has not entered a code in this session, so a stolen password alone opens none of them.

That can happen in the middle of work: a role that requires it was just given, a system admin
reset the person's second factor, a session began before it was required. Nothing the person
was doing is lost (FixMyStreet lost staff reports when it first required it, PR #2701): a form
sent without the code is kept, its fields in the session and its files in the default storage,
and once the code is entered (or the app set up) the person sends it on with one press
(``/akun/dua-langkah/lanjutkan/``); the view then receives exactly what was first posted.

The check runs as ``process_view``, after the CSRF check, so only the site's own forms are
kept.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from agencies import two_factor

GATED = ("/petugas/", "/admin/")
OPEN = ("/admin/login/", "/admin/logout/")
KEPT_SESSION_KEY = "lapor_kept_submission"
KEPT_FIELD = "_kept_submission"
KEPT_FOLDER = "kept-submissions"
_CSRF_FIELD = "csrfmiddlewaretoken"


def kept_submission(request: HttpRequest) -> dict[str, Any] | None:
    kept = request.session.get(KEPT_SESSION_KEY)
    return kept if isinstance(kept, dict) else None


def discard_kept(request: HttpRequest) -> None:
    kept = request.session.pop(KEPT_SESSION_KEY, None)
    if isinstance(kept, dict):
        for stored in kept.get("files", []):
            default_storage.delete(stored["path"])


def _keep(request: HttpRequest) -> None:
    """Keep the POST being refused: its fields (all but the CSRF token) and its files."""
    discard_kept(request)  # one kept form at a time: the latest
    ident = secrets.token_hex(8)
    folder = f"{KEPT_FOLDER}/{timezone.now():%Y-%m-%d}/{ident}"
    files: list[dict[str, str]] = []
    for field, uploads in request.FILES.lists():
        for upload in uploads:
            path = default_storage.save(f"{folder}/{len(files)}", upload)
            files.append({
                "field": field, "path": path, "name": upload.name or "",
                "content_type": upload.content_type or "application/octet-stream",
            })
    request.session[KEPT_SESSION_KEY] = {
        "id": ident,
        "path": request.get_full_path(),
        "fields": [(k, v) for k, v in request.POST.lists() if k != _CSRF_FIELD],
        "files": files,
    }


def purge_abandoned_files() -> int:
    """Delete the files of kept forms nobody sent on or threw away (the person signed out, or
    never came back) once the session they were kept for has expired. Returns how many."""
    cutoff = (timezone.now() - dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)).date()
    if not default_storage.exists(KEPT_FOLDER):
        return 0
    removed = 0
    days, _files = default_storage.listdir(KEPT_FOLDER)
    for day in days:
        try:
            if dt.date.fromisoformat(day) >= cutoff:
                continue
        except ValueError:
            continue
        for ident in default_storage.listdir(f"{KEPT_FOLDER}/{day}")[0]:
            for name in default_storage.listdir(f"{KEPT_FOLDER}/{day}/{ident}")[1]:
                default_storage.delete(f"{KEPT_FOLDER}/{day}/{ident}/{name}")
                removed += 1
    return removed


def _restore(request: HttpRequest, kept: dict[str, Any]) -> None:
    """Give the view the kept POST in place of the one-field form that sent it on."""
    data = QueryDict(mutable=True)
    for field, values in kept["fields"]:
        data.setlist(field, values)
    data[_CSRF_FIELD] = request.POST.get(_CSRF_FIELD, "")
    data._mutable = False
    uploads: MultiValueDict[str, Any] = MultiValueDict()
    for stored in kept["files"]:
        with default_storage.open(stored["path"]) as handle:
            content = handle.read()
        uploads.appendlist(
            stored["field"], SimpleUploadedFile(stored["name"], content, stored["content_type"])
        )
    discard_kept(request)
    request.POST = data  # type: ignore[assignment]
    request._files = uploads  # type: ignore[attr-defined]


def step_url(request: HttpRequest, next_url: str) -> str:
    """Where to enter the code (or, with no app yet, to set one up), coming back to
    ``next_url``."""
    user: Any = request.user
    step = "two_factor_verify" if two_factor.has_second_factor(user) else "two_factor_setup"
    return f"{reverse(step)}?{urlencode({'next': next_url})}"


class SecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view: Any, args: Any, kwargs: Any
                     ) -> HttpResponse | None:
        path = request.path_info
        if not path.startswith(GATED) or path.startswith(OPEN):
            return None
        user: Any = request.user
        if not user.is_authenticated or not two_factor.must_verify(user):
            return None
        if two_factor.is_verified(user):
            if request.method == "POST" and request.POST.get(KEPT_FIELD):
                kept = kept_submission(request)
                if kept and kept["id"] == request.POST[KEPT_FIELD] and (
                    kept["path"] == request.get_full_path()
                ):
                    _restore(request, kept)
            return None
        if request.method == "POST":
            _keep(request)
            messages.info(request, _(
                "Isian Anda tersimpan. Masukkan kode verifikasi dua langkah, lalu kirim isian "
                "itu dengan satu tombol."
            ))
            return HttpResponseRedirect(step_url(request, reverse("two_factor_continue")))
        return HttpResponseRedirect(step_url(request, request.get_full_path()))
