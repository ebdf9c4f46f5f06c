"""Test files: a JPEG carrying GPS and a camera serial, a PNG, a PDF, and an impostor."""

from __future__ import annotations

import io

import pikepdf
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from complaints import attachments
from complaints.models import Attachment, AttachmentState

GPS_IFD = 0x8825


def jpeg_with_gps(name: str = "foto.jpg", size: tuple[int, int] = (200, 100)) -> SimpleUploadedFile:
    """A landscape photo whose EXIF says: rotate 90° (orientation 6), taken in Semarang,
    by camera "SerialCam 3000"."""
    image = Image.new("RGB", size, "red")
    exif = Image.Exif()
    exif[0x0110] = "SerialCam 3000"
    exif[0x0112] = 6
    exif[GPS_IFD] = {1: "S", 2: (6.0, 58.0, 0.0), 3: "E", 4: (110.0, 25.0, 0.0)}
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def png(name: str = "denah.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGBA", (40, 30), (0, 128, 0, 200)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def pdf_bytes(text: bytes = b"Surat keterangan") -> bytes:
    """A real one-page PDF (made with pikepdf) whose page draws ``text``."""
    document = pikepdf.new()
    document.add_blank_page(page_size=(595, 842))
    page = document.pages[0]
    page.obj.Contents = document.make_stream(b"BT /F1 12 Tf 72 720 Td (" + text + b") Tj ET")
    page.obj.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica,
    )))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def pdf(name: str = "surat.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


def impostor(name: str = "foto.jpg") -> SimpleUploadedFile:
    """Named like a photo, but a shell script."""
    return SimpleUploadedFile(name, b"#!/bin/sh\nrm -rf /\n", content_type="image/jpeg")


def cleaned(attachment: Attachment) -> Attachment:
    """``attachment`` after the cleaning task ran (as the worker does after commit)."""
    attachments.process(attachment_id=attachment.pk)
    attachment.refresh_from_db()
    return attachment


def clean_pending() -> None:
    """Run the cleaning task for every upload still processing (a test's transaction never
    commits, so the task queued after commit never ran)."""
    for pk in Attachment.objects.filter(state=AttachmentState.PROCESSING).values_list(
            "pk", flat=True):
        attachments.process(attachment_id=pk)
