"""Checking and cleaning uploaded files before anyone else sees them.

Two steps. At upload (``accept_upload``, inside the request): the size limit and the type,
decided by the file's first bytes, never by its name; the bytes are then stored privately as
they came (``Attachment.state`` processing) and the request is answered. In a Celery task
(``process``, queued after commit; retried; the beat ``sweep`` picks up whatever the broker
lost or a killed worker left): one cleaning step per kind (``CLEANERS``). Photos are decoded
with Pillow under its decompression-bomb guard, turned upright from their EXIF orientation,
and encoded again without any metadata (GPS position, camera serial numbers, times), at most
2560 px on the long side; a 320 px WebP thumbnail is made for lists. Faces are looked for
in the clean photo (complaints.faces) and, where found, blurred in a public copy with its own
thumbnail (``public_file``, ``public_thumbnail``); the clean photo is kept for the staff who
may see the report and for its reporter (who sent it). PDFs are parsed with
pikepdf (qpdf) and written again without what runs or hides inside them: JavaScript (the
document's /OpenAction, the /JavaScript name tree, every /JS and JavaScript, launch,
submit-form and import actions, ``javascript:`` links), the /AA automatic actions of the
document, pages, annotations and fields, XFA forms, embedded files (the /EmbeddedFiles name
tree, file-attachment annotations, every file specification's /EF), rich media, and who made
them (the Info dictionary's author, creator and producer, every XMP /Metadata stream,
/PieceInfo). A PDF that cannot be parsed, is locked with a password, or still holds
JavaScript once cleaned is refused with a sentence saying so. Until a file is clean it is
served to nobody
(``attachment_response``), and a photo not yet looked at for faces is served to no public
audience; a file that fails is deleted, its row keeps the reason, and its
uploader is told.
"""

from __future__ import annotations

import io
import logging
import time
import uuid
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

import pikepdf
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from complaints import faces
from complaints.models import (
    Attachment,
    AttachmentState,
    attachment_path,
    public_path,
    thumbnail_path,
)
from complaints.services.notifications import notify_file_refused
from lapor.errors import Absent, Invalid
from lapor.file_responses import private_file_response

logger = logging.getLogger("lapor.attachments")

MAX_BYTES = 10 * 1024 * 1024
MAX_FILES_PER_REPORT = 5
MAX_SIDE = 2560
THUMBNAIL_SIDE = 320

_SIGNATURES: list[tuple[bytes, int, str]] = [
    (b"\xff\xd8\xff", 0, "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", 0, "image/png"),
    (b"%PDF-", 0, "application/pdf"),
]
_EXTENSIONS = {
    "image/jpeg": "jpg", "image/png": "png", "image/webp": "webp", "application/pdf": "pdf",
}
_PIL_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}


def sniff(head: bytes) -> str | None:
    """The content type that the first bytes of a file prove, or None."""
    for signature, offset, content_type in _SIGNATURES:
        if head[offset : offset + len(signature)] == signature:
            return content_type
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


@dataclass
class CleanFile:
    content: bytes
    content_type: str
    extension: str
    width: int | None = None
    height: int | None = None
    thumbnail: bytes | None = None
    public: PublicCopy | None = None


@dataclass(frozen=True)
class PublicCopy:
    """What the public sees of a clean photo: ``content`` and ``thumbnail`` None when no face
    was found (the public then gets the clean file); ``faces_found`` None when the detector
    failed (the public gets nothing, ``detector`` says why)."""

    faces_found: int | None
    detector: str
    content: bytes | None = None
    thumbnail: bytes | None = None


@dataclass(frozen=True)
class Accepted:
    """An upload that passed the checks made inside the request: its bytes and proven type."""

    content: bytes
    content_type: str
    extension: str


def _limit() -> int:
    return int(getattr(settings, "ATTACHMENT_MAX_BYTES", MAX_BYTES))


def photo_limits() -> dict[str, int]:
    """What the browser scales a photo to before upload: the size the server keeps."""
    return {"photo_max_side": MAX_SIDE, "photo_max_bytes": _limit()}


def _too_big(name: str, size: int | None, limit: int) -> Invalid:
    if size is None:
        message = _("Berkas “%(name)s” terlalu besar. Batasnya %(limit)d MB.") % {
            "name": name, "limit": limit // 1_048_576}
    else:
        message = _(
            "Berkas “%(name)s” terlalu besar (%(size).1f MB). Batasnya %(limit)d MB."
        ) % {"name": name, "size": size / 1_048_576, "limit": limit // 1_048_576}
    return Invalid(message, field="attachments")


def accept_upload(upload: UploadedFile) -> Accepted:
    """The checks made at once, whatever the client sent (its size, its first bytes); the
    decoding waits for the task. Invalid names the file and why."""
    name = upload.name or "berkas"
    limit = _limit()
    if upload.size is not None and upload.size > limit:
        raise _too_big(name, upload.size, limit)
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise _too_big(name, None, limit)
    content_type = sniff(data[:16])
    if content_type is None:
        raise Invalid(
            _(
                "Berkas “%(name)s” bukan foto (JPEG, PNG, WebP) atau PDF. Isi berkasnya tidak "
                "sesuai, apa pun nama berkasnya."
            )
            % {"name": name},
            field="attachments",
        )
    return Accepted(content=data, content_type=content_type,
                    extension=_EXTENSIONS[content_type])


def clean_content(data: bytes, content_type: str, name: str) -> CleanFile:
    """The cleaning step of this kind of file (run by the task); Invalid says why a file is
    refused. The size limit holds here too, whatever reached the storage."""
    limit = _limit()
    if len(data) > limit:
        raise _too_big(name, len(data), limit)
    if sniff(data[:16]) != content_type:
        raise Invalid(_("Berkas “%(name)s” tidak sesuai dengan jenisnya.") % {"name": name},
                      field="attachments")
    return CLEANERS[content_type](data, content_type, name)


def clean_upload(upload: UploadedFile) -> CleanFile:
    """Both steps at once (for callers that need the clean bytes now, e.g. tests)."""
    accepted = accept_upload(upload)
    return clean_content(accepted.content, accepted.content_type, upload.name or "berkas")


# --- PDFs -----------------------------------------------------------------------------------

# Actions that run code, open or send something outside the viewer: removed wherever they are.
_ACTIVE_ACTIONS = frozenset({
    "/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/ResetForm", "/GoToE",
    "/RichMediaExecute", "/Rendition", "/Movie", "/Sound", "/SetOCGState", "/Hide",
})
# Annotations that carry a file, a player or a 3D scene of their own.
_ACTIVE_ANNOTATIONS = frozenset({
    "/FileAttachment", "/RichMedia", "/Movie", "/Sound", "/Screen", "/3D",
})
# Keys dropped from every dictionary: automatic actions, scripts, embedded file streams,
# metadata and editors' private data.
_DROPPED_KEYS = ("/AA", "/JS", "/EF", "/Metadata", "/PieceInfo", "/RichMediaContent")
# What a cleaned file may not contain any more (checked on the written bytes' objects).
_FORBIDDEN_AFTER = frozenset({"/JS", "/JavaScript", "/AA", "/OpenAction", "/EmbeddedFiles",
                              "/EF", "/XFA"})


def _pdf_refused(name: str, reason: str) -> Invalid:
    return Invalid(reason % {"name": name}, field="attachments")


def _clean_pdf(data: bytes, name: str) -> CleanFile:
    if b"%%EOF" not in data[-2048:]:
        raise _pdf_refused(name, _("Berkas “%(name)s” adalah PDF yang rusak atau tidak lengkap."))
    try:
        with pikepdf.open(io.BytesIO(data)) as document:
            if len(document.pages) == 0:
                raise _pdf_refused(name, _("Berkas “%(name)s” adalah PDF tanpa halaman."))
            _strip_pdf(document)
            out = io.BytesIO()
            # Streams are copied as they are (never decompressed: no zip bomb, no change to
            # what the pages show); only what pages reach is written, so removed objects go.
            document.save(
                out,
                stream_decode_level=pikepdf.StreamDecodeLevel.none,
                fix_metadata_version=False,
                deterministic_id=True,
            )
        cleaned = out.getvalue()
        with pikepdf.open(io.BytesIO(cleaned)) as check:
            left = _forbidden_left(check)
    except pikepdf.PasswordError as exc:
        raise _pdf_refused(
            name,
            _(
                "Berkas “%(name)s” adalah PDF yang dikunci dengan kata sandi. Kirim salinannya "
                "tanpa kata sandi."
            ),
        ) from exc
    except (pikepdf.PdfError, ValueError, TypeError, KeyError, RecursionError) as exc:
        raise _pdf_refused(
            name,
            _("Berkas “%(name)s” tidak dapat dibaca sebagai PDF; mungkin rusak. Coba kirim ulang."),
        ) from exc
    if left:
        raise _pdf_refused(
            name,
            _(
                "Berkas “%(name)s” berisi skrip atau berkas tersembunyi yang tidak dapat "
                "dibersihkan. Cetak ke PDF baru atau kirim sebagai foto."
            ),
        )
    return CleanFile(content=cleaned, content_type="application/pdf", extension="pdf")


def _strip_pdf(document: pikepdf.Pdf) -> None:
    root = document.Root
    for key in ("/OpenAction", "/AA", "/Metadata", "/PieceInfo", "/Threads", "/SpiderInfo"):
        if key in root:
            del root[key]
    if "/Names" in root:
        for key in ("/JavaScript", "/EmbeddedFiles", "/AlternatePresentations", "/Renditions"):
            if key in root.Names:
                del root.Names[key]
    if "/AcroForm" in root and "/XFA" in root.AcroForm:
        del root.AcroForm["/XFA"]
    # Nothing of who made it: no Info dictionary at all.
    if "/Info" in document.trailer:
        del document.trailer["/Info"]
    for page in document.pages:
        if "/Annots" in page.obj:
            kept = [
                annotation for annotation in page.obj.Annots
                if isinstance(annotation, pikepdf.Dictionary)
                and _name(annotation, "/Subtype") not in _ACTIVE_ANNOTATIONS
            ]
            page.obj.Annots = pikepdf.Array(kept)
    seen: set[tuple[int, int]] = set()
    for obj in document.objects:
        _strip_object(obj, seen)


def _strip_object(obj: object, seen: set[tuple[int, int]]) -> None:
    """Drop active keys from ``obj`` and the direct objects inside it (indirect ones are each
    visited once, from the document's list of objects)."""
    if isinstance(obj, pikepdf.Object) and obj.is_indirect:
        if obj.objgen in seen:
            return
        seen.add(obj.objgen)
    if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
        for key in _DROPPED_KEYS:
            if key in obj:
                del obj[key]
        for key in ("/A", "/Next", "/PA"):
            if key in obj and _is_active_action(obj[key]):
                del obj[key]
        if _name(obj, "/S") in _ACTIVE_ACTIONS or _script_uri(obj):
            # An action object reached some other way: make it do nothing.
            for key in list(obj.keys()):
                del obj[key]
            return
        for key in list(obj.keys()):
            child = obj[key]
            if isinstance(child, pikepdf.Dictionary | pikepdf.Array) and not child.is_indirect:
                _strip_object(child, seen)
    elif isinstance(obj, pikepdf.Array):
        for child in obj:
            if isinstance(child, pikepdf.Dictionary | pikepdf.Array) and not child.is_indirect:
                _strip_object(child, seen)


def _name(obj: pikepdf.Object, key: str) -> str:
    """The name under ``key`` as text ("" when absent or not a name)."""
    value = obj.get(key)
    return str(value) if isinstance(value, pikepdf.Name) else ""


def _is_active_action(action: object) -> bool:
    if isinstance(action, pikepdf.Array):
        return any(_is_active_action(item) for item in action)
    return isinstance(action, pikepdf.Dictionary) and (
        _name(action, "/S") in _ACTIVE_ACTIONS or "/JS" in action or _script_uri(action)
    )


def _script_uri(action: pikepdf.Object) -> bool:
    """A link action whose address is a script (``javascript:…``) rather than a page."""
    uri = action.get("/URI")
    return (
        _name(action, "/S") == "/URI"
        and isinstance(uri, pikepdf.String)
        and bytes(uri).strip().lower().startswith(b"javascript:")
    )


def _forbidden_left(document: pikepdf.Pdf) -> bool:
    """Whether any object of the written file still names a script, an automatic action, an
    embedded file or an XFA form."""
    for obj in document.objects:
        if _names_forbidden(obj, depth=0):
            return True
    return "/Info" in document.trailer or "/Metadata" in document.Root


def _names_forbidden(obj: object, *, depth: int) -> bool:
    if depth > 50:
        return True
    if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
        if any(key in _FORBIDDEN_AFTER for key in obj.keys()):
            return True
        if _name(obj, "/S") in _ACTIVE_ACTIONS or _name(obj, "/Type") == "/EmbeddedFile":
            return True
        if _script_uri(obj):
            return True
        children = [obj[key] for key in obj.keys()]
    elif isinstance(obj, pikepdf.Array):
        children = list(obj)
    else:
        return False
    return any(
        _names_forbidden(child, depth=depth + 1)
        for child in children
        if isinstance(child, pikepdf.Dictionary | pikepdf.Array) and not child.is_indirect
    )


def _clean_image(data: bytes, content_type: str, name: str) -> CleanFile:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image: Image.Image = Image.open(io.BytesIO(data))
            image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombWarning,
            Image.DecompressionBombError) as exc:
        raise Invalid(
            _("Foto “%(name)s” tidak dapat dibaca; mungkin rusak. Coba kirim ulang.")
            % {"name": name},
            field="attachments",
        ) from exc
    image = ImageOps.exif_transpose(image)  # apply the orientation, then drop every tag
    if image.mode not in ("RGB", "RGBA", "L"):
        image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    pil_format = _PIL_FORMATS[content_type]
    if pil_format == "JPEG" and image.mode == "RGBA":
        image = image.convert("RGB")
    clean = _encode(image, pil_format)
    return CleanFile(
        content=clean,
        content_type=content_type,
        extension=_EXTENSIONS[content_type],
        width=image.width,
        height=image.height,
        thumbnail=_thumbnail(image),
        public=public_copy(image, pil_format),
    )


def _thumbnail(image: Image.Image) -> bytes:
    thumb = image.copy()
    thumb.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE))
    return _encode(thumb, "WEBP")


def public_copy(image: Image.Image, pil_format: str) -> PublicCopy:
    """The public copy of a clean photo: its faces blurred, or nothing to change. Always made
    from the clean photo, never from an earlier public copy (a second run blurs nothing twice).
    A detector that fails leaves the photo out of every public page rather than failing it."""
    try:
        boxes = faces.detect(image)
        detector = faces.detector_version()
    except Exception as exc:  # OpenCV's errors are not one class
        logger.exception("face detection failed")
        return PublicCopy(faces_found=None, detector=f"failed: {type(exc).__name__}"[:80])
    if not boxes:
        return PublicCopy(faces_found=0, detector=detector)
    blurred = faces.blur(image, boxes)
    return PublicCopy(faces_found=len(boxes), detector=detector,
                      content=_encode(blurred, pil_format), thumbnail=_thumbnail(blurred))


def _encode(image: Image.Image, pil_format: str) -> bytes:
    # A fresh image object carries no info dict: no EXIF, XMP, ICC comments or GPS.
    fresh = Image.new(image.mode, image.size)
    fresh.paste(image)
    buffer = io.BytesIO()
    options: dict[str, object] = {}
    if pil_format == "JPEG":
        options = {"quality": 85, "optimize": True, "progressive": True}
    elif pil_format == "WEBP":
        options = {"quality": 80, "method": 4}
    elif pil_format == "PNG":
        options = {"optimize": True}
    fresh.save(buffer, format=pil_format, **options)
    return buffer.getvalue()


CLEANERS: dict[str, Callable[[bytes, str, str], CleanFile]] = {
    "image/jpeg": _clean_image,
    "image/png": _clean_image,
    "image/webp": _clean_image,
    "application/pdf": lambda data, _content_type, name: _clean_pdf(data, name),
}


def store_incoming(accepted: Accepted) -> str:
    """Keep the upload privately as it came, under a random name; returns that name."""
    return default_storage.save(f"incoming/{uuid.uuid4().hex}.{accepted.extension}",
                                ContentFile(accepted.content))


def _claim(attachment_id: int) -> Attachment | None:
    """Count one more try, committed before the work starts: a worker killed mid-way leaves
    the row processing with its try counted, so the sweep (or the redelivered task) goes on
    and a file that kills every worker fails after ATTACHMENT_MAX_ATTEMPTS."""
    with transaction.atomic():
        attachment = (
            Attachment.objects.select_for_update(skip_locked=True)
            .filter(pk=attachment_id, state=AttachmentState.PROCESSING).first()
        )
        if attachment is None:
            return None
        attachment.attempts += 1
        attachment.claimed_at = timezone.now()
        attachment.save(update_fields=["attempts", "claimed_at"])
    return attachment


def process(*, attachment_id: int) -> str:
    """Clean one stored upload (idempotent: a file already clean or failed, or claimed by
    another worker right now, is left alone). Returns what happened: "clean", "failed",
    "skipped". Storage errors propagate (the task retries)."""
    attachment = _claim(attachment_id)
    if attachment is None:
        return "skipped"
    started = time.monotonic()
    name = attachment.original_name
    if attachment.attempts > max_attempts():
        return _fail(attachment, _(
            "Berkas “%(name)s” tidak dapat diproses setelah beberapa kali dicoba. "
            "Coba kirim ulang dalam ukuran lebih kecil.") % {"name": name})
    incoming = attachment.file.name
    with default_storage.open(incoming, "rb") as stored:
        data = stored.read(_limit() + 1)
    try:
        clean = clean_content(data, attachment.content_type, name)
    except Invalid as error:
        return _fail(attachment, str(error))
    saved = [default_storage.save(
        attachment_path(attachment, f"lampiran.{clean.extension}"), ContentFile(clean.content))]
    if clean.thumbnail is not None:
        saved.append(default_storage.save(thumbnail_path(attachment, "kecil.webp"),
                                          ContentFile(clean.thumbnail)))
    public_names = _save_public(attachment, clean.public, clean.extension)
    saved += [name for name in public_names if name]
    with transaction.atomic():
        current = Attachment.objects.select_for_update().filter(
            pk=attachment.pk, state=AttachmentState.PROCESSING).first()
        if current is None:  # another run finished first (or the draft lost the file)
            transaction.on_commit(partial(_delete, saved))
            return "skipped"
        current.file.name = saved[0]
        current.thumbnail.name = saved[1] if len(saved) > 1 else ""
        current.size = len(clean.content)
        current.width, current.height = clean.width, clean.height
        current.state = AttachmentState.CLEAN
        current.processed_at = timezone.now()
        _set_public(current, clean.public, public_names)
        current.save(update_fields=["file", "thumbnail", "size", "width", "height", "state",
                                    "processed_at", *_PUBLIC_FIELDS])
        transaction.on_commit(partial(_delete, [incoming]))
    logger.info("attachment %s cleaned in %.0f ms (%d → %d bytes)", attachment.pk,
                (time.monotonic() - started) * 1000, len(data), len(clean.content))
    return "clean"


_PUBLIC_FIELDS = ("public_file", "public_thumbnail", "faces_found", "face_detector")


def _save_public(attachment: Attachment, copy: PublicCopy | None,
                 extension: str) -> tuple[str, str]:
    """Store the blurred copy and its thumbnail (nothing when no face was blurred)."""
    if copy is None or copy.content is None or copy.thumbnail is None:
        return "", ""
    return (
        default_storage.save(public_path(attachment, f"publik.{extension}"),
                             ContentFile(copy.content)),
        default_storage.save(thumbnail_path(attachment, "publik.webp"),
                             ContentFile(copy.thumbnail)),
    )


def _set_public(attachment: Attachment, copy: PublicCopy | None, names: tuple[str, str]) -> None:
    attachment.public_file.name, attachment.public_thumbnail.name = names
    attachment.faces_found = copy.faces_found if copy is not None else None
    attachment.face_detector = copy.detector if copy is not None else ""


def faces_pending() -> QuerySet[Attachment]:
    """Clean photos never looked at for faces (cleaned before faces were blurred), oldest
    first; a photo the detector failed on is not retried (its ``face_detector`` says so)."""
    return Attachment.objects.filter(
        state=AttachmentState.CLEAN, faces_found__isnull=True, face_detector="",
        content_type__startswith="image/",
    ).order_by("created_at", "id")


def make_public_copy(*, attachment_id: int) -> str:
    """Make the public copy of one clean photo cleaned before faces were blurred, from its
    clean file (idempotent: a photo already looked at, or being looked at by another worker
    right now, is left alone). Returns "blurred", "no_face", "failed" or "skipped"."""
    attachment = faces_pending().filter(pk=attachment_id).first()
    if attachment is None:
        return "skipped"
    with attachment.file.open("rb") as stored:
        image: Image.Image = Image.open(io.BytesIO(stored.read()))
        image.load()
    copy = public_copy(image, _PIL_FORMATS[attachment.content_type])
    names = _save_public(attachment, copy, _EXTENSIONS[attachment.content_type])
    with transaction.atomic():
        current = faces_pending().select_for_update(skip_locked=True).filter(
            pk=attachment.pk).first()
        if current is None:  # another run finished first
            transaction.on_commit(partial(_delete, list(names)))
            return "skipped"
        _set_public(current, copy, names)
        current.save(update_fields=list(_PUBLIC_FIELDS))
    if copy.faces_found is None:
        return "failed"
    return "blurred" if copy.faces_found else "no_face"


def sweep_faces(*, batch: int = 20) -> dict[str, int]:
    """Public copies for photos cleaned before faces were blurred, ``batch`` at a time (the
    beat sweep and ``manage.py blur_faces``; resumable: each photo done is done for good)."""
    counts: dict[str, int] = {}
    for attachment_id in list(faces_pending().values_list("pk", flat=True)[:batch]):
        outcome = make_public_copy(attachment_id=attachment_id)
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts


def _fail(attachment: Attachment, reason: str) -> str:
    with transaction.atomic():
        current = Attachment.objects.select_for_update().select_related("report").filter(
            pk=attachment.pk, state=AttachmentState.PROCESSING).first()
        if current is None:
            return "skipped"
        incoming = current.file.name
        current.state = AttachmentState.FAILED
        current.failure = reason[:300]
        current.processed_at = timezone.now()
        current.file.name = ""
        current.save(update_fields=["state", "failure", "processed_at", "file"])
        notify_file_refused(attachment=current, reason=reason)
        transaction.on_commit(partial(_delete, [incoming]))
    logger.info("attachment %s refused: %s", attachment.pk, reason)
    return "failed"


def _delete(names: list[str]) -> None:
    for name in names:
        if name:
            default_storage.delete(name)


def max_attempts() -> int:
    return int(getattr(settings, "ATTACHMENT_MAX_ATTEMPTS", 3))


def due_for_sweep(now: datetime | None = None) -> QuerySet[Attachment]:
    """Uploads still waiting: never picked up ATTACHMENT_STALE_SECONDS after upload (the
    broker was down) or claimed that long ago by a worker that never finished."""
    now = now or timezone.now()
    stale = now - timedelta(seconds=int(getattr(settings, "ATTACHMENT_STALE_SECONDS", 120)))
    return Attachment.objects.filter(state=AttachmentState.PROCESSING, created_at__lt=stale).filter(
        Q(claimed_at__isnull=True) | Q(claimed_at__lt=stale)).order_by("created_at")


def sweep(*, now: datetime | None = None, batch: int = 100) -> dict[str, int]:
    """The beat sweep: clean what is due (in this worker, one by one), then make the public
    copies of a few photos cleaned before faces were blurred."""
    counts: dict[str, int] = {}
    for attachment_id in list(due_for_sweep(now).values_list("pk", flat=True)[:batch]):
        outcome = process(attachment_id=attachment_id)
        counts[outcome] = counts.get(outcome, 0) + 1
    # A few only: a photo takes seconds, and the next sweep starts a minute later.
    for outcome, count in sweep_faces(batch=5).items():
        counts[f"faces_{outcome}"] = count
    return counts


def attachment_response(attachment: Attachment, *, thumbnail: bool = False,
                        public: bool = False) -> FileResponse:
    """The bytes of an attachment (already permission-checked): a photo shown in the page, a
    document downloaded; or its thumbnail. A file not yet clean (or refused) is served to
    nobody, its uploader included. ``public``: the public copy (faces blurred), and none of a
    photo not yet looked at for faces."""
    if not attachment.is_clean:
        raise Absent(
            _("Berkas ini sedang diproses dan belum dapat dibuka.") if attachment.is_processing
            else _("Berkas ini ditolak: %(reason)s") % {"reason": attachment.failure}
        )
    if public and not attachment.is_public_ready:
        raise Absent(_("Berkas ini sedang diproses dan belum dapat dibuka."))
    blurred = public and attachment.faces_blurred
    if thumbnail:
        return private_file_response(
            attachment.public_thumbnail if blurred else attachment.thumbnail,
            content_type="image/webp", max_age=86400)
    return private_file_response(
        attachment.public_file if blurred else attachment.file,
        content_type=attachment.content_type,
        as_attachment=not attachment.is_image, filename=attachment.original_name, max_age=3600,
    )
