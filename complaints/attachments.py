"""Checking and cleaning uploaded files before anyone else sees them.

The type is decided by the file's first bytes, never by its name. Photos are decoded with
Pillow, turned upright from their EXIF orientation, and encoded again without any metadata
(GPS position, camera serial numbers, times), at most 2560 px on the long side; a 320 px WebP
thumbnail is made for lists. PDFs are parsed with pikepdf (qpdf) and written again without
what runs or hides inside them: JavaScript (the document's /OpenAction, the /JavaScript name
tree, every /JS and JavaScript, launch, submit-form and import actions, ``javascript:``
links), the /AA automatic actions of the document, pages, annotations and fields, XFA forms,
embedded files (the /EmbeddedFiles name tree, file-attachment annotations, every file
specification's /EF), rich media, and who made them (the Info dictionary's author, creator
and producer, every XMP /Metadata stream, /PieceInfo). A PDF that cannot be parsed, is
locked with a password, or still holds JavaScript once cleaned is refused with a sentence
saying so.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

import pikepdf
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from complaints.models import Attachment
from lapor.errors import Invalid
from lapor.file_responses import private_file_response

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


def clean_upload(upload: UploadedFile) -> CleanFile:
    """Check ``upload`` and return its cleaned content; Invalid names the file and why."""
    name = upload.name or "berkas"
    limit = getattr(settings, "ATTACHMENT_MAX_BYTES", MAX_BYTES)
    if upload.size is not None and upload.size > limit:
        raise Invalid(
            _("Berkas “%(name)s” terlalu besar (%(size).1f MB). Batasnya %(limit)d MB.")
            % {"name": name, "size": upload.size / 1_048_576, "limit": limit // 1_048_576},
            field="attachments",
        )
    upload.seek(0)
    data = upload.read()
    if len(data) > limit:
        raise Invalid(
            _("Berkas “%(name)s” terlalu besar. Batasnya %(limit)d MB.")
            % {"name": name, "limit": limit // 1_048_576},
            field="attachments",
        )
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
    if content_type == "application/pdf":
        return _clean_pdf(data, name)
    return _clean_image(data, content_type, name)


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
    thumb = image.copy()
    thumb.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE))
    return CleanFile(
        content=clean,
        content_type=content_type,
        extension=_EXTENSIONS[content_type],
        width=image.width,
        height=image.height,
        thumbnail=_encode(thumb, "WEBP"),
    )


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


def attachment_response(attachment: Attachment, *, thumbnail: bool = False) -> FileResponse:
    """The bytes of an attachment (already permission-checked): a photo shown in the page, a
    document downloaded; or its thumbnail."""
    if thumbnail:
        return private_file_response(attachment.thumbnail, content_type="image/webp",
                                     max_age=86400)
    return private_file_response(
        attachment.file, content_type=attachment.content_type,
        as_attachment=not attachment.is_image, filename=attachment.original_name, max_age=3600,
    )
