"""Exports of a filtered operators' queue to CSV or XLSX. ``plan_export`` says what a file will
hold before it is built; ``request_export`` (the web side) records the job and hands it to
Celery; ``build_export`` (the worker) streams the rows, re-scoped to the requester's rights at
build time, into a file in the default storage. Reporters' identities go into a file only when
asked for with a reason, and each one written is logged as an ``IdentityDisclosure``."""

from __future__ import annotations

import csv
import io
import json
import logging
import secrets
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import IO, Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.files import File
from django.db import connection, transaction
from django.db.models import Count, F, Q, QuerySet
from django.http import FileResponse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agencies import access
from agencies.models import Body, Region, TimeZone, User
from complaints.models import Category, Channel, Report, ReportKind, ReportStatus
from lapor.errors import Invalid, NotAllowed, TooMany
from lapor.file_responses import private_file_response
from lapor.outages import publish_after_commit
from routing import queues
from routing.models import ExportJob, IdentityDisclosure
from routing.queues import QueueFilters, held_reports
from routing.services.identity import identity_of

logger = logging.getLogger(__name__)
CONTENT_TYPES = {
    ExportJob.Format.CSV: "text/csv; charset=utf-8",
    ExportJob.Format.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

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
    (gettext_lazy("Rahasia"), 8), (gettext_lazy("Jawaban pertanyaan tambahan (JSON)"), 40),
]
# Appended only to an export that asked for identities (``ExportJob.includes_identity``).
IDENTITY_COLUMNS: list[tuple[Any, int]] = [
    (gettext_lazy("Nama pelapor"), 28), (gettext_lazy("Email pelapor"), 28),
    (gettext_lazy("Telepon pelapor"), 18),
]
REASON_MAX = 250  # the disclosure's reason is "ekspor #<id>: " and this, within 300

# Only what the columns read: no description, no search vector; the reporter and the contact
# typed at assisted intake only for an export with identities.
_FIELDS = (
    "tracking_number", "title", "kind", "status", "channel", "is_anonymous", "is_confidential",
    "submitted_at", "held_since", "due_at", "holder_responded_at", "resolved_at",
    "category__name", "province__name", "regency__name", "district__name",
    "holder_body__name", "holder_body__time_zone", "answers",
)
_RELATED = ("category", "province", "regency", "district", "holder_body")
_IDENTITY_FIELDS = (
    "contact_name", "contact_email", "contact_phone", "reporter__full_name", "reporter__email",
    "reporter__phone", "reporter__erased_at",
)


def columns(*, includes_identity: bool) -> list[tuple[Any, int]]:
    """The file's columns (header, XLSX width)."""
    return COLUMNS + IDENTITY_COLUMNS if includes_identity else list(COLUMNS)


class _Cells:
    """Turns a report into its cells. Labels and time zones are looked up once per export (a
    lazy label per cell made the build several times slower)."""

    def __init__(self) -> None:
        self.kinds = {value: str(label) for value, label in ReportKind.choices}
        self.statuses = {value: str(label) for value, label in ReportStatus.choices}
        self.channels = {value: str(label) for value, label in Channel.choices}
        self.yes_no = {True: _("Ya"), False: _("Tidak")}
        self.anonymous = str(ANONYMOUS)
        self.zones: dict[str, tuple[ZoneInfo, str]] = {}

    def _zone(self, name: str) -> tuple[ZoneInfo, str]:
        if name not in self.zones:
            self.zones[name] = (ZoneInfo(name), TimeZone.abbreviation(name))
        return self.zones[name]

    def of(self, r: Report) -> list[str]:
        """The row of ``r``; times in the holder body's time zone, e.g. 2025-03-03 08:05 WIB."""
        zone, abbreviation = self._zone(
            r.holder_body.time_zone if r.holder_body else TimeZone.WIB
        )

        def when(value: datetime | None) -> str:
            if value is None:
                return ""
            return f"{value.astimezone(zone):%Y-%m-%d %H:%M} {abbreviation}"

        cells = [
            r.tracking_number or "", r.title, self.kinds.get(r.kind, r.kind),
            r.category.name if r.category else "", self.statuses.get(r.status, r.status),
            r.province.name if r.province else "", r.regency.name if r.regency else "",
            r.district.name if r.district else "",
            r.holder_body.name if r.holder_body else "",
            when(r.submitted_at), when(r.held_since), when(r.due_at),
            when(r.holder_responded_at), when(r.resolved_at),
            self.channels.get(r.channel, r.channel), self.yes_no[r.is_anonymous],
            self.yes_no[r.is_confidential],
            # One column for every category's questions: {code: answer}, as the API has them.
            json.dumps(r.answers, ensure_ascii=False, sort_keys=True) if r.answers else "",
        ]
        return [neutralise(cell) for cell in cells]

    def identity(self, r: Report, *, reveals_anonymous: bool) -> list[str] | None:
        """Name, email and phone of who filed ``r``; None for an anonymous report unless the
        export may reveal it (the system admin's, with a reason)."""
        if r.is_anonymous and not reveals_anonymous:
            return None
        person = identity_of(r)
        return [neutralise(person.name), neutralise(person.email), neutralise(person.phone)]


# --- what a file will hold ----------------------------------------------------------------


def may_export(user: User) -> bool:
    """Operators and supervisors export what their bodies hold; the system admin (who holds
    nothing and reads across bodies) any body's holdings."""
    return access.is_system_admin(user) or access.bodies_actionable_by(user).exists()


def _scoped(user: User, filters: QueueFilters) -> QuerySet[Report]:
    """What the export reads: the user's held queue, the same one the queue page lists; for the
    system admin, what every body holds (or the chosen one)."""
    if not access.is_system_admin(user):
        return held_reports(user, filters)
    reports = Report.objects.filter(holder_body__isnull=False)
    if filters.body:
        reports = reports.filter(holder_body_id=filters.body)
    return queues._held(reports, filters, user)


@dataclass(frozen=True)
class FilterInWords:
    name: str  # the parameter, as in ``QueueFilters.as_params``
    label: str
    value: str


@dataclass(frozen=True)
class ExportPlan:
    """What a file will hold, said before it is built: the filters in words, the rows, the
    columns, and whose identities (if asked for) will be written and logged."""

    format: str
    filters: dict[str, str]
    described: list[FilterInWords]
    total_rows: int
    anonymous_rows: int
    reveals_anonymous: bool  # the system admin: anonymous reporters are readable too
    includes_identity: bool
    reason: str

    @property
    def readable_identity_rows(self) -> int:
        """Rows whose reporter's identity the file holds if identities are asked for."""
        return self.total_rows if self.reveals_anonymous else self.total_rows - self.anonymous_rows

    @property
    def withheld_anonymous_rows(self) -> int:
        """Anonymous rows whose identity stays out even when identities are asked for."""
        return 0 if self.reveals_anonymous else self.anonymous_rows

    @property
    def identity_rows(self) -> int:
        """Identities this file will hold, each one logged as a disclosure."""
        return self.readable_identity_rows if self.includes_identity else 0

    @property
    def columns(self) -> list[str]:
        return [str(h) for h, _w in columns(includes_identity=self.includes_identity)]


SORT_LABELS = {
    "due": gettext_lazy("Paling mendesak"),
    "age": gettext_lazy("Terlama dipegang"),
    "newest": gettext_lazy("Terbaru diterima"),
}


def _bodies(user: User) -> QuerySet[Body]:
    """The bodies whose holdings the user exports."""
    return Body.objects.all() if access.is_system_admin(user) else access.bodies_actionable_by(user)


def describe_filters(user: User, filters: QueueFilters) -> list[FilterInWords]:
    """The filters as a person reads them (the confirm step, the export's own page)."""
    words = [FilterInWords("status", _("Status"), (
        str(ReportStatus(filters.status).label) if filters.status else _("Semua yang terbuka")
    ))]
    if filters.body:
        name = _bodies(user).filter(pk=filters.body).values_list("name", flat=True).first()
        words.append(FilterInWords("body", _("Instansi"), name or _(
            "instansi #%(id)s, di luar cakupan Anda (0 laporan)"
        ) % {"id": filters.body}))
    else:
        words.append(FilterInWords("body", _("Instansi"), (
            _("Semua instansi") if access.is_system_admin(user) else _("Semua instansi Anda")
        )))
    if filters.kind:
        words.append(FilterInWords("kind", _("Jenis"), str(ReportKind(filters.kind).label)))
    if filters.category:
        category = (
            Category.objects.filter(slug=filters.category).values_list("name", flat=True).first()
        )
        words.append(FilterInWords("category", _("Kategori"), category or filters.category))
    for field, label in (("province", _("Provinsi")), ("regency", _("Kabupaten/kota"))):
        code = getattr(filters, field)
        if code:
            name = Region.objects.filter(code=code).values_list("name", flat=True).first()
            words.append(FilterInWords(field, label, name or code))
    if filters.overdue:
        words.append(FilterInWords("overdue", _("Hanya yang terlambat"), _("Ya")))
    if filters.assignee:
        words.append(FilterInWords("assignee", _("Petugas pemegang"), (
            _("Milik saya") if filters.assignee == "me" else _("Belum ada yang memegang"))))
    if filters.due_before:
        day = formats.date_format(timezone.localtime(filters.due_before), "j F Y")
        words.append(FilterInWords("due_before", _("Tenggat sebelum"), day))
    if filters.q:
        words.append(FilterInWords("q", _("Pencarian"), f"“{filters.q}”"))
    words.append(FilterInWords("sort", _("Urutan"), str(SORT_LABELS[filters.sort])))
    return words


def _check(*, user: User, filters: QueueFilters, format: str, include_identity: bool,
           reason: str) -> str:
    """Refuse what cannot be exported; return the reason, stripped."""
    if not may_export(user):
        raise NotAllowed(_("Hanya operator atau pimpinan instansi yang dapat mengekspor antrean."))
    if format not in ExportJob.Format.values:
        raise Invalid(_("Pilih format CSV atau XLSX."), field="format")
    if filters.errors:
        raise Invalid(
            _("Filter tidak valid: %(names)s.") % {"names": ", ".join(sorted(filters.errors))}
        )
    if filters.body and not _bodies(user).filter(pk=filters.body).exists():
        raise Invalid(_("Instansi itu tidak termasuk antrean Anda."), field="body")
    reason = reason.strip()
    if include_identity and not reason:
        raise Invalid(_("Tuliskan alasan menyertakan identitas pelapor."), field="reason")
    if len(reason) > REASON_MAX:
        raise Invalid(
            _("Alasan paling banyak %(max)d karakter.") % {"max": REASON_MAX}, field="reason"
        )
    return reason


def plan_export(*, user: User, filters: QueueFilters, format: str = ExportJob.Format.CSV,
                include_identity: bool = False, reason: str = "") -> ExportPlan:
    """What the export would hold, without building it (the confirm step, the API preview).
    Refuses exactly what ``request_export`` refuses."""
    reason = _check(user=user, filters=filters, format=format,
                    include_identity=include_identity, reason=reason)
    described = describe_filters(user, filters)
    counts = _scoped(user, filters).order_by().aggregate(
        total=Count("id"), anonymous=Count("id", filter=Q(is_anonymous=True))
    )
    return ExportPlan(
        format=format, filters=filters.as_params(), described=described,
        total_rows=counts["total"], anonymous_rows=counts["anonymous"],
        reveals_anonymous=access.is_system_admin(user), includes_identity=include_identity,
        reason=reason if include_identity else "",
    )


# --- the web side ------------------------------------------------------------------------


def request_export(*, user: User, filters: QueueFilters, format: str,
                   include_identity: bool = False, reason: str = "") -> ExportJob:
    """Record an export of the user's held queue with ``filters`` and schedule its build.
    ``include_identity`` (with a ``reason``) adds the reporters' identity columns, for the
    reports whose reporter the user may read: not anonymous, or any for the system admin."""
    reason = _check(user=user, filters=filters, format=format,
                    include_identity=include_identity, reason=reason)
    from routing import tasks  # the task module imports this one

    with transaction.atomic():
        _within_limits(user)
        job = ExportJob.objects.create(
            requested_by=user,
            format=format,
            filters=filters.as_params(),
            includes_identity=include_identity,
            identity_reason=reason if include_identity else "",
            total_rows=_scoped(user, filters).count(),
        )
        # One try after commit: while the broker is down the job stays pending and
        # reclaim_stale_exports queues it again once the broker is back.
        publish_after_commit(tasks.build_export, job.pk)
    return job


def _within_limits(user: User) -> None:
    """At most EXPORT_LIMIT_ACTIVE of the person's exports waiting or being built, and at
    most EXPORT_LIMIT_PER_HOUR requested in the last hour. Counted in PostgreSQL under a lock
    on the person's row, so two requests at once cannot both slip under a limit."""
    User.objects.select_for_update().filter(pk=user.pk).first()
    now = timezone.now()
    mine = ExportJob.objects.filter(requested_by=user)
    active = mine.filter(state__in=[ExportJob.State.PENDING, ExportJob.State.RUNNING]).count()
    if active >= settings.EXPORT_LIMIT_ACTIVE:
        raise TooMany(
            _("Anda sudah punya %(count)d ekspor yang sedang dibuat. Tunggu sampai selesai, "
              "lalu coba lagi.") % {"count": active},
            settings.EXPORT_HEARTBEAT_SECONDS * 3,
        )
    window = timedelta(hours=1)
    recent = list(mine.filter(created_at__gt=now - window)
                  .order_by("created_at").values_list("created_at", flat=True))
    if len(recent) >= settings.EXPORT_LIMIT_PER_HOUR:
        # the oldest of the hour's exports that must leave the window before another fits
        frees_at = recent[len(recent) - settings.EXPORT_LIMIT_PER_HOUR] + window
        retry_after = max(1, int((frees_at - now).total_seconds()) + 1)
        raise TooMany(
            _("Paling banyak %(limit)d ekspor per jam. Silakan coba lagi dalam %(minutes)d "
              "menit.") % {"limit": settings.EXPORT_LIMIT_PER_HOUR,
                          "minutes": max(1, -(-retry_after // 60))},
            retry_after,
        )


def exports_of(user: User) -> QuerySet[ExportJob]:
    """The user's own exports, newest first. Nobody sees another person's export, and a user
    who no longer acts for any body no longer sees their old ones."""
    if not may_export(user):
        return ExportJob.objects.none()
    return ExportJob.objects.filter(requested_by=user).order_by("-created_at", "-id")


# --- the worker side ---------------------------------------------------------------------


class _Heartbeat:
    """While a build runs, a thread of the worker writes the job's ``heartbeat_at`` every
    EXPORT_HEARTBEAT_SECONDS (its own database connection, closed when it stops). A worker
    that is killed stops beating with it, and the sweep takes the job back."""

    def __init__(self, job_id: int, attempt: int) -> None:
        self.job_id, self.attempt = job_id, attempt
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._beat, name=f"export-{job_id}-heartbeat",
                                       daemon=True)

    def _beat(self) -> None:
        try:
            while not self.stop.wait(settings.EXPORT_HEARTBEAT_SECONDS):
                ExportJob.objects.filter(
                    pk=self.job_id, state=ExportJob.State.RUNNING, attempts=self.attempt
                ).update(heartbeat_at=timezone.now())
        except Exception:  # a missed beat only makes the sweep take the job back
            logger.exception("export %s: heartbeat failed", self.job_id)
        finally:
            connection.close()

    def __enter__(self) -> _Heartbeat:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join(timeout=settings.EXPORT_HEARTBEAT_SECONDS + 5)


def build_export(job_id: int) -> None:
    """Build the file of a pending export. Idempotent: only the worker whose conditional update
    moves the job from pending to running builds it; any other call does nothing. Each build
    is numbered (``attempts``): a build whose job was taken back meanwhile (its worker seemed
    dead) writes nothing over the newer one."""
    if ExportJob.objects.filter(pk=job_id, state=ExportJob.State.PENDING).update(
        state=ExportJob.State.RUNNING, heartbeat_at=timezone.now(), attempts=F("attempts") + 1,
    ) != 1:
        return
    job = ExportJob.objects.select_related("requested_by").get(pk=job_id)
    this_build = ExportJob.objects.filter(
        pk=job_id, state=ExportJob.State.RUNNING, attempts=job.attempts
    )
    try:
        with (_Heartbeat(job_id, job.attempts), translation.override(settings.LANGUAGE_CODE),
              tempfile.TemporaryFile() as tmp):
            written = _write(job, tmp)
            tmp.seek(0)
            job.file.save(_storage_name(job), File(tmp), save=False)
    except Exception as exc:
        logger.exception("export %s failed", job_id)
        if job.file:
            job.file.delete(save=False)
        this_build.update(
            state=ExportJob.State.FAILED,
            error=(_("Ekspor gagal dibuat (%(kind)s). Silakan coba lagi.")
                   % {"kind": type(exc).__name__})[:300],
            finished_at=timezone.now(),
        )
        return
    if not this_build.update(
        state=ExportJob.State.DONE,
        file=job.file.name,
        done_rows=written,
        total_rows=written,
        finished_at=timezone.now(),
    ):
        job.file.delete(save=False)  # taken back meanwhile: the newer build's file counts


def reclaim_stale_exports(*, now: datetime | None = None) -> dict[str, int]:
    """Take back the jobs whose worker is gone (run every minute by beat). A running job whose
    heartbeat is older than EXPORT_STALE_AFTER_SECONDS is queued again, or, after
    EXPORT_MAX_ATTEMPTS builds, marked failed with a reason its requester reads; a pending job
    that no worker picked up in that time (the broker was down) is queued again."""
    from routing import tasks  # the task module imports this one

    current = now or timezone.now()
    cutoff = current - timedelta(seconds=settings.EXPORT_STALE_AFTER_SECONDS)
    outcome = {"requeued": 0, "failed": 0}
    with transaction.atomic():
        stale = list(
            ExportJob.objects.select_for_update(skip_locked=True)
            .filter(state__in=[ExportJob.State.PENDING, ExportJob.State.RUNNING],
                    heartbeat_at__lt=cutoff)
            .order_by("heartbeat_at")[:200]
        )
        for job in stale:
            if job.state == ExportJob.State.RUNNING and job.attempts >= (
                settings.EXPORT_MAX_ATTEMPTS
            ):
                with translation.override(settings.LANGUAGE_CODE):
                    job.error = _(
                        "Ekspor terhenti karena pekerja server berhenti di tengah jalan "
                        "(%(attempts)d kali dicoba). Silakan minta ekspor baru."
                    ) % {"attempts": job.attempts}
                job.state = ExportJob.State.FAILED
                job.finished_at = current
                job.save(update_fields=["state", "error", "finished_at"])
                outcome["failed"] += 1
                continue
            if job.state == ExportJob.State.RUNNING:
                logger.warning("export %s: no heartbeat since %s, queued again", job.pk,
                               job.heartbeat_at)
            job.state = ExportJob.State.PENDING
            job.done_rows = 0
            job.heartbeat_at = current
            job.save(update_fields=["state", "done_rows", "heartbeat_at"])
            publish_after_commit(tasks.build_export, job.pk)
            outcome["requeued"] += 1
    return outcome


def _storage_name(job: ExportJob) -> str:
    # A random part: the stored name says nothing guessable (the file is served by a view).
    return f"ekspor-{job.pk}-{secrets.token_hex(8)}.{job.format}"


def _reports(job: ExportJob) -> QuerySet[Report]:
    """The job's filters, re-applied with the requester's rights as they are now."""
    filters = QueueFilters.from_params(job.filters)
    queryset = _scoped(job.requested_by, filters)
    key = "due_at" if filters.sort == "due" else "held_since"
    ordering = (
        [F(key).desc(nulls_last=True), F("id").desc()]
        if filters.sort == "newest"
        else [F(key).asc(nulls_last=True), F("id").asc()]
    )
    related: tuple[str, ...] = _RELATED
    fields: tuple[str, ...] = _FIELDS
    if job.includes_identity:
        related, fields = (*_RELATED, "reporter"), (*_FIELDS, *_IDENTITY_FIELDS)
    return queryset.select_related(*related).only(*fields).order_by(*ordering)


def disclosure_reason(job: ExportJob) -> str:
    """The reason logged with each identity the export writes: the job and the user's words."""
    return f"ekspor #{job.pk}: {job.identity_reason}"[:300]


def _rows(job: ExportJob) -> Iterator[list[str]]:
    """Each report's cells, with progress and identity disclosures recorded on the way (in
    batches: one insert per DISCLOSURE_BATCH identities, never one per row)."""
    cells = _Cells()
    disclosed: list[IdentityDisclosure] = []
    reason = disclosure_reason(job)
    # Re-checked at build time, like the scope: a former system admin reveals no one.
    reveals_anonymous = job.includes_identity and access.is_system_admin(job.requested_by)
    withheld = [cells.anonymous, "", ""]
    count = 0
    for report in _reports(job).iterator(chunk_size=CHUNK_SIZE):
        row = cells.of(report)
        if job.includes_identity:
            identity = cells.identity(report, reveals_anonymous=reveals_anonymous)
            row += identity or withheld
            if identity is not None:
                disclosed.append(IdentityDisclosure(
                    report_id=report.pk, viewer_id=job.requested_by_id, reason=reason
                ))
                if len(disclosed) >= DISCLOSURE_BATCH:
                    IdentityDisclosure.objects.bulk_create(disclosed)
                    disclosed = []
        yield row
        count += 1
        if count % PROGRESS_EVERY == 0:
            ExportJob.objects.filter(pk=job.pk, attempts=job.attempts).update(
                done_rows=count, heartbeat_at=timezone.now()
            )
    if disclosed:
        IdentityDisclosure.objects.bulk_create(disclosed)


def _write(job: ExportJob, out: IO[bytes]) -> int:
    """Write the header and every row to ``out``; return the number of rows."""
    layout = columns(includes_identity=job.includes_identity)
    headers = [str(header) for header, _width in layout]
    count = 0
    if job.format == ExportJob.Format.XLSX:
        from openpyxl import Workbook
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
        from openpyxl.utils import get_column_letter

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title=_("Laporan"))
        for index, (_header, width) in enumerate(layout, start=1):
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


def export_response(job: ExportJob) -> FileResponse:
    """The finished file of an export (the caller checked it is the requester's)."""
    return private_file_response(
        job.file, content_type=CONTENT_TYPES[ExportJob.Format(job.format)], as_attachment=True,
        filename=f"laporan-ekspor-{job.pk}.{job.format}",
    )
