"""Checking and cleaning uploaded files before anyone else sees them.

The type is decided by the file's first bytes, never by its name. Photos are decoded with
Pillow, turned upright from their EXIF orientation, and encoded again without any metadata
(GPS position, camera serial numbers, times), at most 2560 px on the long side; a 320 px WebP
thumbnail is made for lists. PDFs are stored as they are, after a structural check.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

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
        if b"%%EOF" not in data[-2048:]:
            raise Invalid(
                _("Berkas “%(name)s” adalah PDF yang rusak atau tidak lengkap.") % {"name": name},
                field="attachments",
            )
        return CleanFile(content=data, content_type=content_type, extension="pdf")
    return _clean_image(data, content_type, name)


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
