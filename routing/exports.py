"""Exports of a filtered operators' queue to CSV or XLSX. ``request_export`` (the web side)
records the job and hands it to Celery; ``build_export`` (the worker) streams the rows, re-scoped
to the requester's rights at build time, into a file in the default storage."""

from __future__ import annotations

import csv
import io
import logging
import secrets
import tempfile
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import IO, Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agencies import access
from agencies.models import TimeZone, User
from complaints.errors import ReportError
from complaints.models import Channel, Report, ReportKind, ReportStatus
from routing.models import ExportJob, IdentityDisclosure
from routing.queues import QueueFilters, held_reports

logger = logging.getLogger(__name__)

CHUNK_SIZE = 2000  # rows fetched per round trip of the server-side cursor
PROGRESS_EVERY = 500  # rows between two updates of done_rows
DISCLOSURE_BATCH = 1000  # IdentityDisclosure rows per bulk_create
ANONYMOUS = gettext_lazy("Anonim")

# A spreadsheet treats a cell starting with one of these as a formula (or, for tab and CR, may
# shift it into one): such a value gets a leading apostrophe so it stays text.
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: str) -> str:
    """Keep a cell from being read as a formula (CSV/formula injection)."""
    return "'" + value if value.startswith(_FORMULA_PREFIXES) else value


# Header and width in the XLSX, in the order of ``_Cells.of``.
COLUMNS: list[tuple[Any, int]] = [
    (gettext_lazy("Nomor pelacakan"), 16), (gettext_lazy("Judul"), 50),
    (gettext_lazy("Jenis"), 20), (gettext_lazy("Kategori"), 24), (gettext_lazy("Status"), 22),
    (gettext_lazy("Provinsi"), 20), (gettext_lazy("Kabupaten/kota"), 22),
    (gettext_lazy("Kecamatan"), 20), (gettext_lazy("Instansi pemegang"), 32),
    (gettext_lazy("Dikirim"), 20), (gettext_lazy("Dipegang sejak"), 20),
    (gettext_lazy("Tenggat"), 20), (gettext_lazy("Ditanggapi"), 20),
    (gettext_lazy("Dijawab"), 20), (gettext_lazy("Saluran"), 18), (gettext_lazy("Anonim"), 8),
    (gettext_lazy("Rahasia"), 8), (gettext_lazy("Nama pelapor"), 28),
]

# Only what the columns read: no description, no search vector, no contact email or phone.
_FIELDS = (
    "tracking_number", "title", "kind", "status", "channel", "is_anonymous", "is_confidential",
    "submitted_at", "held_since", "due_at", "holder_responded_at", "resolved_at", "contact_name",
    "category__name", "province__name", "regency__name", "district__name",
    "holder_body__name", "holder_body__time_zone", "reporter__full_name",
)
_RELATED = ("category", "province", "regency", "district", "holder_body", "reporter")


def reporter_name(report: Report) -> str:
    """The name an export may show: "Anonim" for an anonymous report; never email or phone."""
    if report.is_anonymous:
        return str(ANONYMOUS)
    if report.reporter_id is not None:
        return report.reporter.full_name
    return report.contact_name


class _Cells:
    """Turns a report into its cells. Labels and time zones are looked up once per export (a
    lazy label per cell made the build several times slower)."""

    def __init__(self) -> None:
        self.kinds = {value: str(label) for value, label in ReportKind.choices}
        self.statuses = {value: str(label) for value, label in ReportStatus.choices}
        self.channels = {value: str(label) for value, label in Channel.choices}
        self.yes_no = {True: _("Ya"), False: _("Tidak")}
        self.zones: dict[str, tuple[ZoneInfo, str]] = {}

    def _zone(self, name: str) -> tuple[ZoneInfo, str]:
        if name not in self.zones:
            self.zones[name] = (ZoneInfo(name), TimeZone.abbreviation(name))
        return self.zones[name]

    def of(self, r: Report) -> list[str]:
        """The row of ``r``; times in the holder body's time zone, e.g. 2025-03-03 08:05 WIB."""
        zone, abbreviation = self._zone(
            r.holder_body.time_zone if r.holder_body_id else TimeZone.WIB
        )

        def when(value: datetime | None) -> str:
            if value is None:
                return ""
            return f"{value.astimezone(zone):%Y-%m-%d %H:%M} {abbreviation}"

        cells = [
            r.tracking_number or "", r.title, self.kinds.get(r.kind, r.kind),
            r.category.name if r.category_id else "", self.statuses.get(r.status, r.status),
            r.province.name if r.province_id else "", r.regency.name if r.regency_id else "",
            r.district.name if r.district_id else "",
            r.holder_body.name if r.holder_body_id else "",
            when(r.submitted_at), when(r.held_since), when(r.due_at),
            when(r.holder_responded_at), when(r.resolved_at),
            self.channels.get(r.channel, r.channel), self.yes_no[r.is_anonymous],
            self.yes_no[r.is_confidential], reporter_name(r),
        ]
        return [neutralise(cell) for cell in cells]


# --- the web side ------------------------------------------------------------------------


def request_export(*, user: User, filters: QueueFilters, format: str) -> ExportJob:
    """Record an export of the user's held queue with ``filters`` and schedule its build."""
    if not access.bodies_actionable_by(user).exists():
        raise ReportError(_("Hanya operator atau pimpinan instansi yang dapat mengekspor antrean."))
    if format not in ExportJob.Format.values:
        raise ReportError(_("Pilih format CSV atau XLSX."), field="format")
    if filters.errors:
        raise ReportError(
            _("Filter tidak valid: %(names)s.") % {"names": ", ".join(sorted(filters.errors))}
        )
    from routing import tasks  # the task module imports this one

    with transaction.atomic():
        job = ExportJob.objects.create(
            requested_by=user,
            format=format,
            filters=filters.as_params(),
            total_rows=held_reports(user, filters).count(),
        )
        job_id = job.pk
        # robust: a broker outage must not turn a saved job into a server error; the job then
        # stays pending (see the report: nothing re-queues it yet).
        transaction.on_commit(lambda: tasks.build_export.delay(job_id), robust=True)
    return job


def exports_of(user: User) -> QuerySet[ExportJob]:
    """The user's own exports, newest first. Nobody sees another person's export, and a user
    who no longer acts for any body no longer sees their old ones."""
    if not access.bodies_actionable_by(user).exists():
        return ExportJob.objects.none()
    return ExportJob.objects.filter(requested_by=user).order_by("-created_at", "-id")


# --- the worker side ---------------------------------------------------------------------


def build_export(job_id: int) -> None:
    """Build the file of a pending export. Idempotent: only the worker whose conditional update
    moves the job from pending to running builds it; any other call does nothing."""
    if ExportJob.objects.filter(pk=job_id, state=ExportJob.State.PENDING).update(
        state=ExportJob.State.RUNNING
    ) != 1:
        return
    job = ExportJob.objects.select_related("requested_by").get(pk=job_id)
    try:
        with translation.override(settings.LANGUAGE_CODE), tempfile.TemporaryFile() as tmp:
            written = _write(job, tmp)
            tmp.seek(0)
            job.file.save(_storage_name(job), File(tmp), save=False)
    except Exception as exc:
        logger.exception("export %s failed", job_id)
        if job.file:
            job.file.delete(save=False)
        ExportJob.objects.filter(pk=job_id).update(
            state=ExportJob.State.FAILED,
            error=(_("Ekspor gagal dibuat (%(kind)s). Silakan coba lagi.")
                   % {"kind": type(exc).__name__})[:300],
            finished_at=timezone.now(),
        )
        return
    ExportJob.objects.filter(pk=job_id, state=ExportJob.State.RUNNING).update(
        state=ExportJob.State.DONE,
        file=job.file.name,
        done_rows=written,
        total_rows=written,
        finished_at=timezone.now(),
    )


def _storage_name(job: ExportJob) -> str:
    # A random part: the stored name says nothing guessable (the file is served by a view).
    return f"ekspor-{job.pk}-{secrets.token_hex(8)}.{job.format}"


def _reports(job: ExportJob) -> QuerySet[Report]:
    """The job's filters, re-applied with the requester's rights as they are now."""
    filters = QueueFilters.from_params(job.filters)
    queryset = held_reports(job.requested_by, filters)
    key = "due_at" if filters.sort == "due" else "held_since"
    ordering = (
        [F(key).desc(nulls_last=True), F("id").desc()]
        if filters.sort == "newest"
        else [F(key).asc(nulls_last=True), F("id").asc()]
    )
    return queryset.select_related(*_RELATED).only(*_FIELDS).order_by(*ordering)


def _rows(job: ExportJob) -> Iterator[list[str]]:
    """Each report's cells, with progress and identity disclosures recorded on the way."""
    cells = _Cells()
    disclosed: list[IdentityDisclosure] = []
    reason = f"ekspor #{job.pk}"
    count = 0
    for report in _reports(job).iterator(chunk_size=CHUNK_SIZE):
        yield cells.of(report)
        if not report.is_anonymous and reporter_name(report):
            disclosed.append(
                IdentityDisclosure(report_id=report.pk, viewer_id=job.requested_by_id,
                                   reason=reason)
            )
            if len(disclosed) >= DISCLOSURE_BATCH:
                IdentityDisclosure.objects.bulk_create(disclosed)
                disclosed = []
        count += 1
        if count % PROGRESS_EVERY == 0:
            ExportJob.objects.filter(pk=job.pk).update(done_rows=count)
    if disclosed:
        IdentityDisclosure.objects.bulk_create(disclosed)


def _write(job: ExportJob, out: IO[bytes]) -> int:
    """Write the header and every row to ``out``; return the number of rows."""
    headers = [str(header) for header, _width in COLUMNS]
    count = 0
    if job.format == ExportJob.Format.XLSX:
        from openpyxl import Workbook
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
        from openpyxl.utils import get_column_letter

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title=_("Laporan"))
        for index, (_header, width) in enumerate(COLUMNS, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.freeze_panes = "A2"
        sheet.append(headers)
        for cells in _rows(job):
            sheet.append([ILLEGAL_CHARACTERS_RE.sub("", cell) for cell in cells])
            count += 1
        workbook.save(out)
        return count
    # UTF-8 with a byte-order mark, so that Excel reads the file as UTF-8.
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")
    writer = csv.writer(text)
    writer.writerow(headers)
    for cells in _rows(job):
        writer.writerow(cells)
        count += 1
    text.flush()
    text.detach()
    return count


def purge_old_exports(*, now: datetime | None = None, days: int | None = None) -> int:
    """Delete export files older than EXPORT_RETENTION_DAYS (they hold personal data) and their
    jobs; return how many. Run daily by beat."""
    keep_days = days if days is not None else settings.EXPORT_RETENTION_DAYS
    cutoff = (now or timezone.now()) - timedelta(days=keep_days)
    purged = 0
    for job in ExportJob.objects.filter(created_at__lt=cutoff).iterator(chunk_size=200):
        if job.file:
            job.file.storage.delete(job.file.name)
        job.delete()
        purged += 1
    return purged
