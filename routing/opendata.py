"""The open data set of public reports (*data terbuka*): which reports, which columns, and what
each column means. One definition, read by the daily files (``routing.opendata_files``) and
the public API (``routing.api.opendata``), so both always hold the same rows.

A row is a public report (verified, not confidential: ``complaints.selectors.public_reports``)
with its public copy only (``public_title``/``public_description``, personal data masked by
``complaints.redaction``) and nothing that identifies its reporter: no account, name, email,
phone, NIK, address, point on the map, rating comment or channel."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import BooleanField, ExpressionWrapper, Min, OuterRef, Q, QuerySet, Subquery

from agencies.models import Body
from complaints.models import VERIFIED_STATUSES, EventKind, ReportEvent, ReportKind
from complaints.selectors import filter_reports, public_reports

LICENCE = "CC BY 4.0"
LICENCE_NAME = "Creative Commons Attribution 4.0 International"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
# Dates and times are written in the capital's zone, with their offset, as the API does.
ZONE = ZoneInfo("Asia/Jakarta")
CHUNK_SIZE = 2000  # rows per round trip of the server-side cursor


@dataclass(frozen=True)
class Column:
    """One column of the data set, as the data dictionary describes it."""

    name: str
    type: str  # string, integer, boolean, datetime
    meaning_id: str
    meaning_en: str
    allowed: str = ""


_STATUSES = ", ".join(s.value for s in VERIFIED_STATUSES)
_KINDS = ", ".join(ReportKind.values)
_EMPTY_ID = " Kosong bila tidak ada."
_EMPTY_EN = " Empty when there is none."

COLUMNS: tuple[Column, ...] = (
    Column("tracking_number", "string", "Nomor pelacakan laporan.",
           "The report's tracking number.", "LPR-XXXX-XXXX"),
    Column("kind", "string", "Jenis laporan.", "Kind of report.", _KINDS),
    Column("status", "string", "Status laporan saat data dibuat.",
           "The report's status when the data set was made.", _STATUSES),
    Column("category_slug", "string", "Kode kategori." + _EMPTY_ID, "Category code." + _EMPTY_EN),
    Column("category_name", "string", "Nama kategori.", "Category name."),
    Column("province_code", "string", "Kode Kemendagri provinsi.",
           "Kemendagri (Ministry of Home Affairs) code of the province.", "NN (33)"),
    Column("province_name", "string", "Nama provinsi.", "Province name."),
    Column("regency_code", "string", "Kode Kemendagri kabupaten/kota." + _EMPTY_ID,
           "Kemendagri code of the regency or city." + _EMPTY_EN, "NN.NN (33.74)"),
    Column("regency_name", "string", "Nama kabupaten/kota.", "Regency or city name."),
    Column("district_code", "string", "Kode Kemendagri kecamatan." + _EMPTY_ID,
           "Kemendagri code of the district (kecamatan)." + _EMPTY_EN,
           "NN.NN.NN (33.74.01)"),
    Column("district_name", "string", "Nama kecamatan.", "District (kecamatan) name."),
    Column("holder_body_id", "integer", "Nomor instansi yang memegang laporan (seperti di "
           "/instansi/ dan /statistik/instansi/).", "Id of the body holding the report (as in "
           "/instansi/ and /statistik/instansi/)."),
    Column("holder_body_name", "string", "Nama instansi yang memegang laporan.",
           "Name of the body holding the report."),
    Column("received_at", "datetime", "Waktu laporan diterima (dikirim pelapor).",
           "When the report was received (sent by the reporter).", "ISO 8601, +07:00"),
    Column("verified_at", "datetime", "Waktu laporan lolos verifikasi.",
           "When the report passed verification.", "ISO 8601, +07:00"),
    Column("first_response_at", "datetime", "Waktu tanggapan pertama instansi." + _EMPTY_ID,
           "When a body first responded." + _EMPTY_EN, "ISO 8601, +07:00"),
    Column("final_answer_at", "datetime", "Waktu jawaban akhir pertama." + _EMPTY_ID,
           "When the first final answer was given." + _EMPTY_EN, "ISO 8601, +07:00"),
    Column("is_escalated", "boolean", "Diteruskan ke Ombudsman RI setelah 60 hari kerja tanpa "
           "tindak lanjut.", "Escalated to the Ombudsman RI after 60 working days without "
           "follow-up.", "true, false"),
    Column("rating", "integer", "Penilaian pelapor atas jawaban." + _EMPTY_ID,
           "The reporter's rating of the answer." + _EMPTY_EN, "1–5"),
    Column("support_count", "integer", "Jumlah warga yang mendukung laporan.",
           "How many citizens supported the report.", "0, 1, 2, …"),
    Column("public_title", "string", "Judul laporan, salinan publik: NIK, nomor telepon, email, "
           "pelat nomor dan nomor rekening disamarkan.", "The report's title, public copy: NIK, "
           "phone numbers, emails, vehicle plates and bank accounts masked."),
    Column("public_description", "string", "Isi laporan, salinan publik (disamarkan seperti "
           "judul).", "The report's text, public copy (masked as the title)."),
)
COLUMN_NAMES = tuple(c.name for c in COLUMNS)

# The fields read from the database, in one query (the two event times as subqueries through
# the events' report index, as the statistics' rollups read them).
_FIELDS = (
    "id", "tracking_number", "kind", "status", "category__slug", "category__name",
    "province__code", "province__name", "regency__code", "regency__name", "district__code",
    "district__name", "holder_body_id", "holder_body__name", "submitted_at", "verified_at",
    "first_response_at", "final_answer_at", "is_escalated", "rating", "support_count",
    "public_title", "public_description",
)


def _first_event(kind: str) -> Subquery:
    return Subquery(
        ReportEvent.objects.filter(report=OuterRef("pk"), kind=kind)
        .values("report").annotate(at=Min("created_at")).values("at")[:1]
    )


def day_start(day: date) -> datetime:
    """The start of ``day`` in the capital's zone (the statistics' calendar of days)."""
    return datetime.combine(day, time.min, tzinfo=ZONE).astimezone(UTC)


def open_data_reports(*, province: str = "", regency: str = "", district: str = "",
                      body: Body | None = None, category: str = "", status: str = "",
                      kind: str = "", received_from: date | None = None,
                      received_to: date | None = None) -> QuerySet[Any, dict[str, Any]]:
    """The public reports as rows of ``_FIELDS`` (dicts), newest received first (the order of
    ``report_public_feed_idx``). Places by Kemendagri code, the body with everything below
    it, the category by slug, days received inclusive, in WIB. Empty values filter nothing."""
    rows = filter_reports(public_reports(), province=province, regency=regency,
                          category=category, kind=kind)
    if district:
        rows = rows.filter(district__code=district)
    if body is not None:
        rows = rows.filter(holder_body__path__startswith=body.path)
    if status:
        rows = rows.filter(status=status)
    if received_from is not None:
        rows = rows.filter(submitted_at__gte=day_start(received_from))
    if received_to is not None:
        rows = rows.filter(submitted_at__lt=day_start(received_to + timedelta(days=1)))
    return (
        rows.annotate(
            first_response_at=_first_event(EventKind.FIRST_RESPONSE),
            final_answer_at=_first_event(EventKind.RESOLVED),
            is_escalated=ExpressionWrapper(Q(escalated_at__isnull=False),
                                           output_field=BooleanField()),
        )
        .values(*_FIELDS)
        .order_by("-submitted_at", "-id")
    )


def when(moment: datetime | None) -> str | None:
    """ISO 8601 in WIB, to the second; None stays None."""
    return None if moment is None else moment.astimezone(ZONE).isoformat(timespec="seconds")


def as_row(values: dict[str, Any]) -> dict[str, Any]:
    """One database row as the data set's row: exactly ``COLUMN_NAMES``, in their order."""
    return {
        "tracking_number": values["tracking_number"],
        "kind": values["kind"],
        "status": values["status"],
        "category_slug": values["category__slug"],
        "category_name": values["category__name"],
        "province_code": values["province__code"],
        "province_name": values["province__name"],
        "regency_code": values["regency__code"],
        "regency_name": values["regency__name"],
        "district_code": values["district__code"],
        "district_name": values["district__name"],
        "holder_body_id": values["holder_body_id"],
        "holder_body_name": values["holder_body__name"],
        "received_at": when(values["submitted_at"]),
        "verified_at": when(values["verified_at"]),
        "first_response_at": when(values["first_response_at"]),
        "final_answer_at": when(values["final_answer_at"]),
        "is_escalated": bool(values["is_escalated"]),
        "rating": values["rating"],
        "support_count": values["support_count"],
        "public_title": values["public_title"],
        "public_description": values["public_description"],
    }


def stream_rows(**filters: Any) -> Iterator[dict[str, Any]]:
    """Every row of the data set, read through a server-side cursor ``CHUNK_SIZE`` rows at a
    time: memory stays flat however many reports there are."""
    for values in open_data_reports(**filters).iterator(chunk_size=CHUNK_SIZE):
        yield as_row(values)


def dictionary() -> list[dict[str, str]]:
    """The data dictionary: each column's name, type, meaning (Indonesian, English), values."""
    return [
        {"name": c.name, "type": c.type, "meaning_id": c.meaning_id,
         "meaning_en": c.meaning_en, "allowed_values": c.allowed}
        for c in COLUMNS
    ]
