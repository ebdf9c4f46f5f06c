"""The daily open data set on disk: ``build`` writes one day's folder under OPEN_DATA_DIR
(the reports as CSV and NDJSON, the data dictionary, the licence, the statistics tables, a
manifest), ``data_sets`` lists what is kept, ``purge`` drops days older than
OPEN_DATA_KEEP_DAYS. Called by the daily Celery task and ``manage.py build_open_data``.

A day is built in a hidden folder of its own and renamed into place in one step, so a reader
never sees half a set; the manifest names every file with its size, rows and SHA-256. A
second build of a day that has its manifest does nothing (unless forced), and two builds at
once are kept apart by a PostgreSQL advisory lock."""

from __future__ import annotations

import csv
import hashlib
import json
import logging
import os
import re
import shutil
import uuid
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from agencies.models import Body, Region
from complaints.models import Category
from routing import opendata
from routing import statistics as stats
from routing.exports import neutralise

logger = logging.getLogger(__name__)

MANIFEST = "manifest.json"
REPORTS_CSV = "reports.csv"
REPORTS_NDJSON = "reports.ndjson"
CONTENT_TYPES = {
    ".csv": "text/csv; charset=utf-8",
    ".ndjson": "application/x-ndjson; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
}
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# pg_try_advisory_xact_lock key: "open data" (any constant other code does not use).
_LOCK_KEY = 0x0DA7A
_TEXT_COLUMNS = ("public_title", "public_description", "category_name", "holder_body_name")

LICENSE_TEXT = f"""\
Data terbuka LAPOR! / LAPOR! open data

Lisensi / Licence: {opendata.LICENCE_NAME} ({opendata.LICENCE})
{opendata.LICENCE_URL}
Teks hukum / Legal code: {opendata.LICENCE_URL}legalcode

Anda bebas membagikan dan mengolah data ini untuk keperluan apa pun, termasuk komersial,
asalkan menyebut sumbernya: "LAPOR! (Layanan Aspirasi dan Pengaduan Online Rakyat)", tautan ke
lisensi, dan apakah data diubah.

You may share and adapt this data for any purpose, commercial included, provided you give
credit: "LAPOR! (Layanan Aspirasi dan Pengaduan Online Rakyat)", a link to the licence, and
whether you changed the data.

Data wilayah (kode dan nama provinsi, kabupaten/kota, kecamatan): idn-area-data, ODbL 1.0.
Region codes and names: idn-area-data, ODbL 1.0.

Hanya laporan publik (lolos verifikasi, tidak rahasia) dengan salinan publiknya: data pribadi
yang diketik pelapor disamarkan, dan tidak ada data yang mengenali pelapor.
Public reports only (verified, not confidential), in their public copy: personal data typed by
reporters is masked, and nothing identifies a reporter.
"""


def root() -> Path:
    return Path(settings.OPEN_DATA_DIR)


def today() -> date:
    return timezone.now().astimezone(opendata.ZONE).date()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _write_reports(folder: Path) -> int:
    """Both files of the reports in one pass over one cursor (so they hold the same rows)."""
    n = 0
    with (folder / REPORTS_CSV).open("w", encoding="utf-8", newline="") as c, \
            (folder / REPORTS_NDJSON).open("w", encoding="utf-8") as j:
        writer = csv.DictWriter(c, fieldnames=opendata.COLUMN_NAMES)
        writer.writeheader()
        for row in opendata.stream_rows():
            j.write(json.dumps(row, ensure_ascii=False))
            j.write("\n")
            writer.writerow({**row, **{k: neutralise(row[k] or "") for k in _TEXT_COLUMNS},
                             "is_escalated": "true" if row["is_escalated"] else "false"})
            n += 1
    return n


def _write_csv(path: Path, fieldnames: list[str], rows: Iterable[dict[str, Any]]) -> int:
    n = 0
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=fieldnames)
        writer.writeheader()
        for row in rows:
            writer.writerow(row)
            n += 1
    return n


_FIGURE_NAMES = list(stats.Figures(sums={k: 0 for k in stats.FIGURES}).as_row())


def _figure_rows(rows: list[dict[str, Any]], names: dict[int, tuple[str, str]]
                 ) -> list[dict[str, Any]]:
    out = []
    for r in rows:
        code, name = names.get(r["key"], ("", ""))
        figures = stats.Figures(sums={k: r[k] for k in stats.FIGURES}).as_row()
        out.append({"code": code, "name": name, **figures})
    return out


def statistics_tables(first: date, last: date) -> dict[str, tuple[list[str], list[dict[str, Any]]]]:
    """The tables of /statistik/ for the period, by the public functions of
    ``routing.statistics``: the national summary, the monthly trend, and the figures per
    province, regency/city, holding body and category."""
    scope = stats.Scope()
    tables: dict[str, tuple[list[str], list[dict[str, Any]]]] = {}
    summary = stats.figures(scope, first, last).as_row()
    tables["statistik-ringkasan.csv"] = (["figure", "value"],
                                         [{"figure": k, "value": v} for k, v in summary.items()])
    trend = stats.by_month(scope, first, last)
    tables["statistik-tren.csv"] = (["month", "received", "final_answers",
                                     "first_within_24h_pct"], trend)
    regions = {r.pk: (r.code, r.name) for r in Region.objects.exclude(
        level=Region.Level.DISTRICT).only("pk", "code", "name")}
    for by, name in (("province", "provinsi"), ("regency", "kabupaten-kota")):
        rows = stats.breakdown(scope, first, last, by)
        tables[f"statistik-{name}.csv"] = (["code", "name", *_FIGURE_NAMES],
                                           _figure_rows(rows, regions))
    rows = stats.breakdown(scope, first, last, "body")
    bodies = {b.pk: (str(b.pk), b.name) for b in Body.objects.filter(
        pk__in=[r["key"] for r in rows]).only("pk", "name")}
    tables["statistik-instansi.csv"] = (["code", "name", *_FIGURE_NAMES],
                                        _figure_rows(rows, bodies))
    categories = {c.pk: (c.slug, c.name) for c in Category.objects.all()}
    tables["statistik-kategori.csv"] = (["code", "name", *_FIGURE_NAMES],
                                        _figure_rows(stats.breakdown(scope, first, last,
                                                                     "category"), categories))
    return tables


def _write_dictionary(folder: Path) -> None:
    entries = opendata.dictionary()
    _write_csv(folder / "data-dictionary.csv", list(entries[0]), entries)
    document = {
        "title": "Data terbuka LAPOR! — laporan publik / LAPOR! open data — public reports",
        "licence": {"name": opendata.LICENCE_NAME, "id": opendata.LICENCE,
                    "url": opendata.LICENCE_URL},
        "files": {
            REPORTS_CSV: "CSV, UTF-8, header row, comma-separated; text starting with = + - @ "
                         "gets a leading apostrophe (spreadsheet formula guard).",
            REPORTS_NDJSON: "NDJSON (JSON Lines): one JSON object per line, UTF-8, values as "
                            "typed (null for empty).",
            "statistik-*.csv": "The tables of /statistik/ for the period in the manifest "
                               "(received = reports received in the period, confidential "
                               "ones included in counts; archived ones left out).",
        },
        "order": "received_at descending, then internal id descending",
        "columns": entries,
    }
    (folder / "data-dictionary.json").write_text(
        json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")


def _csv_rows(path: Path) -> int:
    with path.open("r", encoding="utf-8", newline="") as f:
        return max(sum(1 for _row in csv.reader(f)) - 1, 0)


def _write_set(folder: Path, day: date, now: datetime) -> dict[str, Any]:
    rows = {REPORTS_CSV: _write_reports(folder)}
    rows[REPORTS_NDJSON] = rows[REPORTS_CSV]
    _write_dictionary(folder)
    rows["data-dictionary.csv"] = len(opendata.COLUMNS)
    (folder / "LICENSE.txt").write_text(LICENSE_TEXT, encoding="utf-8")
    first, last = stats.last_twelve_months(day)
    for name, (fields, table) in statistics_tables(first, last).items():
        rows[name] = _write_csv(folder / name, fields, table)
    refreshed = stats.as_of()
    files = []
    for path in sorted(folder.iterdir()):
        files.append({"name": path.name, "size": path.stat().st_size,
                      "rows": rows.get(path.name), "sha256": _sha256(path),
                      "content_type": content_type(path.name)})
    manifest = {
        "date": day.isoformat(),
        "as_of": opendata.when(now),
        "statistics_period": {"first": first.isoformat(), "last": last.isoformat()},
        "statistics_as_of": opendata.when(refreshed.as_of) if refreshed else None,
        "licence": {"id": opendata.LICENCE, "name": opendata.LICENCE_NAME,
                    "url": opendata.LICENCE_URL},
        "reports": rows[REPORTS_CSV],
        "files": files,
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1),
                                   encoding="utf-8")
    return manifest


def _publish(tmp: Path, folder: Path) -> None:
    """Put the finished ``tmp`` in place of ``folder`` by renames (atomic on one file
    system): a reader sees the old set or the new one, for at most a moment neither."""
    old = None
    if folder.exists():
        old = folder.with_name(f".{folder.name}.old-{uuid.uuid4().hex[:8]}")
        os.rename(folder, old)
    os.rename(tmp, folder)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def build(*, now: datetime | None = None, force: bool = False) -> dict[str, Any] | None:
    """The data set of the day of ``now`` (WIB), written and published; its manifest. The
    manifest already there when the day is built and not ``force``; None when another build
    holds the lock (it will publish the same day)."""
    now = now or timezone.now()
    day = now.astimezone(opendata.ZONE).date()
    folder = root() / day.isoformat()
    if not force and (existing := manifest_of(day)) is not None:
        return existing
    root().mkdir(parents=True, exist_ok=True)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [_LOCK_KEY])
            if not cursor.fetchone()[0]:
                logger.info("open data %s: another build is running", day)
                return None
        tmp = root() / f".{day.isoformat()}.building-{uuid.uuid4().hex[:8]}"
        tmp.mkdir()
        try:
            manifest = _write_set(tmp, day, now)
            _publish(tmp, folder)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    logger.info("open data %s: %d reports", day, manifest["reports"])
    purge(today=day)
    return manifest


def content_type(name: str) -> str:
    return CONTENT_TYPES.get(Path(name).suffix, "application/octet-stream")


def manifest_of(day: date) -> dict[str, Any] | None:
    path = root() / day.isoformat() / MANIFEST
    try:
        manifest: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return manifest


def _days() -> list[date]:
    try:
        names = [p.name for p in root().iterdir() if p.is_dir() and _DAY.match(p.name)]
    except OSError:
        return []
    days = []
    for name in names:
        try:
            days.append(date.fromisoformat(name))
        except ValueError:
            continue
    return sorted(days, reverse=True)


def data_sets() -> list[dict[str, Any]]:
    """The manifests of every day kept, newest first."""
    return [m for m in (manifest_of(d) for d in _days()) if m is not None]


def file_of(day: date, name: str) -> Path | None:
    """A file of the day's set, only if its manifest names it (never any other path)."""
    manifest = manifest_of(day)
    if manifest is None or name not in {MANIFEST, *(f["name"] for f in manifest["files"])}:
        return None
    path = root() / day.isoformat() / name
    return path if path.is_file() else None


def purge(*, today: date) -> int:
    """Delete the days older than OPEN_DATA_KEEP_DAYS, and folders left by builds that
    died; how many day folders went."""
    keep_from = today - timedelta(days=max(settings.OPEN_DATA_KEEP_DAYS, 1) - 1)
    gone = 0
    for day in _days():
        if day < keep_from:
            shutil.rmtree(root() / day.isoformat(), ignore_errors=True)
            gone += 1
    cutoff = timezone.now().timestamp() - 24 * 3600
    for leftover in root().glob(".*-*"):
        if leftover.is_dir() and leftover.stat().st_mtime < cutoff:
            shutil.rmtree(leftover, ignore_errors=True)
    return gone
