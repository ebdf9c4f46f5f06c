"""The open data set (/data-terbuka/, /api/v1/open-data/reports/): public reports only, in
their public copy, with nothing that identifies a reporter; the files, their manifest and the
API hold the same rows; the build is idempotent, atomic and streams (its queries do not grow
with the rows); old days go; the statistics tables beside it agree with /statistik/."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from agencies.models import Region
from complaints.models import Category, EventKind, Report, ReportEvent, ReportStatus
from routing import opendata, opendata_files, tasks
from routing import statistics as stats
from routing.services import handling, verification
from routing.services import statistics as rollups
from tests.conftest import body
from tests.factories import ReportFactory, UserFactory

WIB = ZoneInfo("Asia/Jakarta")
MONDAY = dt.datetime(2026, 3, 2, 9, 0, tzinfo=WIB)
FIRST, LAST = dt.date(2026, 3, 1), dt.date(2026, 4, 30)
BUILD_AT = dt.datetime(2026, 5, 4, 1, 30, tzinfo=WIB)

NIK = "3374015705900003"  # Semarang Tengah, a woman born 17 May 1990
PHONE = "0812-3456-7890"
PLATE = "H 1234 XY"
SECRET_TITLE = "Rahasia: pungutan liar di kantor kelurahan"
REPORTER_NAME = "Sulastri Wahyuningsih"
REPORTER_EMAIL = "sulastri.w@contoh.id"
REPORTER_PHONE = "081298765432"
CONTACT = {"contact_name": "Bambang Sutrisno", "contact_email": "bambang.s@contoh.id",
           "contact_phone": "085711112222"}

EXPECTED_COLUMNS = (
    "tracking_number", "kind", "status", "category_slug", "category_name", "province_code",
    "province_name", "regency_code", "regency_name", "district_code", "district_name",
    "holder_body_id", "holder_body_name", "received_at", "verified_at", "first_response_at",
    "final_answer_at", "is_escalated", "rating", "support_count", "public_title",
    "public_description",
)


def at(moment):
    return time_machine.travel(moment, tick=False)


@pytest.fixture(autouse=True)
def folder(settings, tmp_path):
    settings.OPEN_DATA_DIR = tmp_path / "open-data"
    settings.OPEN_DATA_KEEP_DAYS = 30
    return settings.OPEN_DATA_DIR


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def scene(db, verifier_national, operator_a, operator_b):
    """Reports through the real acts: public ones in Kota Semarang and Kota Surabaya (one
    with a NIK, a phone number and a plate in its text, one anonymous, one filed for a person
    without an account), a confidential one, one still waiting, one rejected."""
    a, b = body("regency-33.74"), body("regency-35.78")
    surabaya = {"province": Region.objects.get(code="35"),
                "regency": Region.objects.get(code="35.78")}
    roads = Category.objects.get(slug="infrastruktur")
    other = Category.objects.exclude(pk=roads.pk).first()
    named = UserFactory(full_name=REPORTER_NAME, email=REPORTER_EMAIL, phone=REPORTER_PHONE)
    made = {}

    def filed(key, i, **kw):
        with at(MONDAY + dt.timedelta(days=i * 3)):
            made[key] = ReportFactory(**kw)
        return made[key]

    def disposed(key, i, target, op, *, answer=False):
        r = made[key]
        day = MONDAY + dt.timedelta(days=i * 3)
        with at(day + dt.timedelta(hours=1)):
            verification.disposition_report(report=r, to_body=target, actor=verifier_national)
        with at(day + dt.timedelta(hours=5)):
            handling.respond(report=r, actor=op, note="Sedang kami periksa di lapangan.")
        if answer:
            with at(day + dt.timedelta(days=2)):
                handling.resolve(report=r, actor=op, answer="Sudah diperbaiki.")

    filed("personal", 0, reporter=named, category=roads,
          title=f"Jalan rusak, hubungi {PHONE}",
          description=f"NIK saya {NIK}, mobil {PLATE} terperosok di lubang.")
    disposed("personal", 0, a, operator_a, answer=True)
    filed("anonymous", 1, reporter=named, is_anonymous=True, category=other)
    disposed("anonymous", 1, a, operator_a)
    filed("assisted", 2, reporter=None, category=roads, **CONTACT)
    disposed("assisted", 2, a, operator_a, answer=True)
    filed("surabaya", 3, category=other, **surabaya)
    disposed("surabaya", 3, b, operator_b)
    filed("secret", 4, reporter=named, is_confidential=True, title=SECRET_TITLE)
    disposed("secret", 4, a, operator_a)
    filed("waiting", 5, reporter=named, title="Menunggu verifikasi: lampu jalan padam")
    filed("rejected", 6, reporter=named, title="Ditolak: iklan pinjaman")
    with at(MONDAY + dt.timedelta(days=19)):
        verification.reject_report(report=made["rejected"], actor=verifier_national,
                                   reason="spam")
    for r in made.values():
        r.refresh_from_db()
    rollups.rebuild(first=FIRST, last=LAST)
    return made


def build(**kw):
    with at(BUILD_AT):
        return opendata_files.build(**kw)


def day_folder(folder):
    return folder / BUILD_AT.date().isoformat()


def read_csv(path):
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def read_ndjson(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def api_rows(api, **params):
    response = api.get("/api/v1/open-data/reports/", params)
    assert response.status_code == 200, response.content
    return response.json()["results"]


def public(scene):
    return [scene[k] for k in ("personal", "anonymous", "assisted", "surabaya")]


# --- what is published ---------------------------------------------------------------------

def test_only_public_reports_are_in_the_files_and_the_api(scene, folder, api):
    build()
    expected = {r.tracking_number for r in public(scene)}
    csv_rows = read_csv(day_folder(folder) / "reports.csv")
    assert {r["tracking_number"] for r in csv_rows} == expected
    assert {r["tracking_number"] for r in read_ndjson(day_folder(folder) / "reports.ndjson")} == (
        expected)
    assert {r["tracking_number"] for r in api_rows(api)} == expected


def test_a_confidential_report_appears_nowhere(scene, folder, api):
    secret = scene["secret"]
    assert secret.status == ReportStatus.IN_PROGRESS  # public in every way but the flag
    build()
    for path in day_folder(folder).iterdir():
        text = path.read_text(encoding="utf-8")
        assert secret.tracking_number not in text, path.name
        assert "pungutan liar" not in text, path.name
    assert secret.tracking_number not in json.dumps(api_rows(api, page_size=1000))
    assert api_rows(api, regency="33.74", status="in_progress") == [
        api_rows(api, regency="33.74", status="in_progress")[0]]  # the anonymous one only


def test_personal_data_in_the_text_appears_only_in_the_masked_copy(scene, folder, api):
    personal = scene["personal"]
    assert NIK in personal.description and PHONE in personal.title  # staff read the original
    build()
    csv_row = next(r for r in read_csv(day_folder(folder) / "reports.csv")
                   if r["tracking_number"] == personal.tracking_number)
    json_row = next(r for r in read_ndjson(day_folder(folder) / "reports.ndjson")
                    if r["tracking_number"] == personal.tracking_number)
    api_row = next(r for r in api_rows(api) if r["tracking_number"] == personal.tracking_number)
    for row in (csv_row, json_row, api_row):
        assert row["public_title"] == "Jalan rusak, hubungi [nomor telepon disamarkan]"
        assert row["public_description"] == (
            "NIK saya [NIK disamarkan], mobil [pelat nomor disamarkan] terperosok di lubang.")
    everything = "".join(p.read_text(encoding="utf-8") for p in day_folder(folder).iterdir())
    everything += json.dumps(api_rows(api))
    for raw in (NIK, PHONE, PLATE, "08123456789"):
        assert raw not in everything


def test_no_column_and_no_value_identifies_a_reporter(scene, folder, api):
    build()
    assert opendata.COLUMN_NAMES == EXPECTED_COLUMNS
    assert list(read_csv(day_folder(folder) / "reports.csv")[0]) == list(EXPECTED_COLUMNS)
    assert list(read_ndjson(day_folder(folder) / "reports.ndjson")[0]) == list(EXPECTED_COLUMNS)
    assert list(api_rows(api)[0]) == list(EXPECTED_COLUMNS)
    reporters = [r.reporter for r in public(scene) if r.reporter is not None]
    identities = [REPORTER_NAME, REPORTER_EMAIL, REPORTER_PHONE, *CONTACT.values()]
    identities += [u.full_name for u in reporters] + [u.email for u in reporters]
    everything = "".join(p.read_text(encoding="utf-8") for p in day_folder(folder).iterdir())
    everything += json.dumps(api_rows(api))
    for identity in identities:
        assert identity not in everything, identity


def test_a_row_carries_the_reports_dates_and_outcome(scene, folder, api):
    personal, anonymous = scene["personal"], scene["anonymous"]
    personal.rating = 4
    personal.save(update_fields=["rating"])
    build()
    rows = {r["tracking_number"]: r for r in read_ndjson(day_folder(folder) / "reports.ndjson")}
    row = rows[personal.tracking_number]
    first = ReportEvent.objects.filter(report=personal, kind=EventKind.FIRST_RESPONSE).first()
    final = ReportEvent.objects.filter(report=personal, kind=EventKind.RESOLVED).first()
    assert row["received_at"] == personal.submitted_at.astimezone(WIB).isoformat(
        timespec="seconds")
    assert row["received_at"].endswith("+07:00")
    assert row["verified_at"] == opendata.when(personal.verified_at)
    assert row["first_response_at"] == opendata.when(first.created_at)
    assert row["final_answer_at"] == opendata.when(final.created_at)
    assert rows[anonymous.tracking_number]["final_answer_at"] is None
    assert row["rating"] == 4 and row["is_escalated"] is False
    assert (row["province_code"], row["regency_code"]) == ("33", "33.74")
    assert row["holder_body_id"] == body("regency-33.74").pk
    assert api_rows(api, regency="33.74")[-1]["tracking_number"] == personal.tracking_number
    csv_row = next(r for r in read_csv(day_folder(folder) / "reports.csv")
                   if r["tracking_number"] == personal.tracking_number)
    assert (csv_row["is_escalated"], csv_row["rating"], csv_row["district_code"]) == (
        "false", "4", "")


def test_a_spreadsheet_formula_in_the_text_stays_text_in_the_csv(scene, folder):
    r = scene["surabaya"]
    r.title = "=HYPERLINK(\"http://x\")"
    r.save(update_fields=["title"])
    build()
    row = next(x for x in read_csv(day_folder(folder) / "reports.csv")
               if x["tracking_number"] == r.tracking_number)
    assert row["public_title"].startswith("'=")
    row = next(x for x in read_ndjson(day_folder(folder) / "reports.ndjson")
               if x["tracking_number"] == r.tracking_number)
    assert row["public_title"].startswith("=")  # JSON carries the value as it is


# --- the API -------------------------------------------------------------------------------

def numbers(rows):
    return {r["tracking_number"] for r in rows}


def test_the_api_filters(scene, api):
    semarang = {scene[k].tracking_number for k in ("personal", "anonymous", "assisted")}
    surabaya = {scene["surabaya"].tracking_number}
    assert numbers(api_rows(api, province="33")) == semarang
    assert numbers(api_rows(api, regency="35.78")) == surabaya
    assert numbers(api_rows(api, body=body("province-35").pk)) == surabaya  # the subtree
    assert numbers(api_rows(api, body=body("regency-33.74").pk)) == semarang
    assert numbers(api_rows(api, category="infrastruktur")) == {
        scene["personal"].tracking_number, scene["assisted"].tracking_number}
    assert numbers(api_rows(api, status="resolved")) == {
        scene["personal"].tracking_number, scene["assisted"].tracking_number}
    assert numbers(api_rows(api, kind="aspiration")) == set()
    # Received 2, 5, 8 and 11 March (WIB); the range is inclusive, by the day in WIB.
    assert numbers(api_rows(api, received_from="2026-03-05", received_to="2026-03-08")) == {
        scene["anonymous"].tracking_number, scene["assisted"].tracking_number}
    assert numbers(api_rows(api, received_to="2026-03-02")) == {
        scene["personal"].tracking_number}
    district = Region.objects.filter(level=Region.Level.DISTRICT, parent__code="33.74").first()
    r = scene["anonymous"]
    r.district = district
    r.save(update_fields=["district"])
    assert numbers(api_rows(api, district=district.code)) == {r.tracking_number}


@pytest.mark.parametrize("params", [{"status": "submitted"}, {"body": "999999"},
                                    {"received_from": "kemarin"}, {"kind": "x"}])
def test_a_bad_filter_is_a_400(scene, api, params):
    response = api.get("/api/v1/open-data/reports/", params)
    assert response.status_code == 400


def test_the_cursor_walks_every_row_once_newest_first(scene, api):
    seen, url = [], "/api/v1/open-data/reports/?page_size=1"
    while url:
        page = api.get(url).json()
        assert len(page["results"]) <= 1
        seen += [r["received_at"] for r in page["results"]]
        url = page["next"]
    assert len(seen) == 4 and seen == sorted(seen, reverse=True)
    assert api.get("/api/v1/open-data/reports/?cursor=rusak").status_code == 404


def test_the_api_is_rate_limited_per_address(scene, api, settings):
    cache.clear()
    settings.RATE_LIMITS = {"open_data": {"ip": (2, 3600)}}
    assert api.get("/api/v1/open-data/reports/").status_code == 200
    assert api.get("/api/v1/open-data/reports/").status_code == 200
    response = api.get("/api/v1/open-data/reports/")
    assert response.status_code == 429 and "Retry-After" in response


def test_api_queries_do_not_grow_with_the_page(scene, api, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        assert len(api_rows(api, page_size=1)) == 1
    with django_assert_max_num_queries(2):
        assert len(api_rows(api, page_size=100)) == 4


def test_the_schema_documents_the_endpoint():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    operation = schema["paths"]["/api/v1/open-data/reports/"]["get"]
    names = {p["name"] for p in operation["parameters"]}
    assert {"province", "regency", "district", "body", "category", "status", "kind",
            "received_from", "received_to", "cursor", "page_size"} <= names
    assert {"200", "400", "404", "429"} <= set(operation["responses"])
    row = schema["components"]["schemas"]["OpenDataReport"]["properties"]
    assert list(row) == list(EXPECTED_COLUMNS)
    assert row["received_at"]["format"] == "date-time"


# --- the build -----------------------------------------------------------------------------

def test_the_manifest_names_every_file_with_its_digest_and_rows(scene, folder):
    manifest = build()
    here = day_folder(folder)
    assert manifest == json.loads((here / "manifest.json").read_text())
    assert manifest["date"] == "2026-05-04" and manifest["reports"] == 4
    assert manifest["licence"]["id"] == "CC BY 4.0"
    names = {f["name"] for f in manifest["files"]}
    assert names == {p.name for p in here.iterdir()} - {"manifest.json"}
    assert {"reports.csv", "reports.ndjson", "data-dictionary.csv", "data-dictionary.json",
            "LICENSE.txt", "statistik-provinsi.csv", "statistik-kabupaten-kota.csv",
            "statistik-instansi.csv", "statistik-kategori.csv", "statistik-tren.csv",
            "statistik-ringkasan.csv"} <= names
    for f in manifest["files"]:
        data = (here / f["name"]).read_bytes()
        assert f["sha256"] == hashlib.sha256(data).hexdigest()
        assert f["size"] == len(data)
        if f["name"].endswith(".csv"):
            assert f["rows"] == len(read_csv(here / f["name"]))
    assert [p.name for p in folder.iterdir()] == ["2026-05-04"]  # no temporary folder left


def test_the_data_dictionary_describes_every_column_in_both_languages(scene, folder):
    build()
    entries = read_csv(day_folder(folder) / "data-dictionary.csv")
    assert [e["name"] for e in entries] == list(EXPECTED_COLUMNS)
    assert all(e["type"] and e["meaning_id"] and e["meaning_en"] for e in entries)
    status = next(e for e in entries if e["name"] == "status")
    assert status["allowed_values"] == "dispositioned, in_progress, resolved, closed"
    document = json.loads((day_folder(folder) / "data-dictionary.json").read_text())
    assert document["licence"]["id"] == "CC BY 4.0"
    assert "CC BY 4.0" in (day_folder(folder) / "LICENSE.txt").read_text()


def test_a_second_build_of_the_day_changes_nothing_unless_forced(scene, folder,
                                                                  verifier_national):
    first = build()
    stamp = (day_folder(folder) / "reports.csv").stat().st_mtime_ns
    verification.disposition_report(report=scene["waiting"], to_body=body("regency-33.74"),
                                    actor=verifier_national)
    assert build() == first
    assert (day_folder(folder) / "reports.csv").stat().st_mtime_ns == stamp
    again = build(force=True)
    assert again["reports"] == 5
    assert scene["waiting"].tracking_number in (day_folder(folder) / "reports.csv").read_text()
    assert [p.name for p in folder.iterdir()] == ["2026-05-04"]


def test_a_build_while_another_holds_the_lock_does_nothing(scene, folder):
    from django.db import connections

    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [opendata_files._LOCK_KEY])
            assert build() is None
            cursor.execute("SELECT pg_advisory_unlock(%s)", [opendata_files._LOCK_KEY])
    finally:
        other.close()
    assert not folder.exists() or list(folder.iterdir()) == []


def test_the_task_and_the_command_build_the_same_set(scene, folder, settings):
    with at(BUILD_AT):
        assert tasks.build_open_data() == 4
        manifest = opendata_files.manifest_of(BUILD_AT.date())
        out = io.StringIO()
        call_command("build_open_data", "--force", stdout=out)
    assert "2026-05-04: 4 laporan" in out.getvalue()
    again = opendata_files.manifest_of(BUILD_AT.date())
    digests = {f["name"]: f["sha256"] for f in again["files"]}
    assert digests["reports.csv"] == {f["name"]: f["sha256"]
                                      for f in manifest["files"]}["reports.csv"]
    entry = settings.CELERY_BEAT_SCHEDULE["build-open-data"]
    assert entry["task"] == tasks.build_open_data.name == "routing.build_open_data"


def test_days_older_than_the_setting_are_deleted(scene, folder, settings):
    settings.OPEN_DATA_KEEP_DAYS = 2
    for days in (3, 2, 1, 0):
        with at(BUILD_AT - dt.timedelta(days=days)):
            opendata_files.build()
    assert sorted(p.name for p in folder.iterdir()) == ["2026-05-03", "2026-05-04"]
    assert [m["date"] for m in opendata_files.data_sets()] == ["2026-05-04", "2026-05-03"]


def test_the_build_streams_its_queries_do_not_grow_with_the_rows(scene, folder, monkeypatch):
    monkeypatch.setattr(opendata, "CHUNK_SIZE", 3)  # several fetches of the cursor

    def queries():
        # each build computes its tables, as the day's first build does
        stats.forget_cached_figures()
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            build(force=True)
        return len(captured), [q["sql"] for q in captured if "complaints_report" in q["sql"]]

    few, report_reads = queries()
    assert len(report_reads) == 1  # one query reads the reports ...
    ReportFactory.create_batch(20, status=ReportStatus.IN_PROGRESS,
                               holder_body=body("regency-33.74"),
                               verified_at=BUILD_AT - dt.timedelta(days=1))
    many, _reads = queries()
    assert many == few  # ... however many rows it reads (through a server-side cursor)
    assert opendata_files.manifest_of(BUILD_AT.date())["reports"] == 24


# --- beside /statistik/ --------------------------------------------------------------------

def test_the_data_sets_counts_agree_with_the_statistics(scene, folder, api):
    """A public row is a verified report that is not confidential: per province, the rows
    equal the statistics' "verified" less the confidential verified reports (which the
    statistics count and the data set leaves out)."""
    provinces = {r["key"]: r for r in stats.breakdown(stats.Scope(), FIRST, LAST, "province")}
    for code in ("33", "35"):
        region = Region.objects.get(code=code)
        confidential = Report.objects.filter(province=region, is_confidential=True,
                                             verified_at__isnull=False).count()
        rows = api_rows(api, province=code, received_from=FIRST.isoformat(),
                        received_to=LAST.isoformat())
        assert len(rows) == provinces[region.pk]["verified"] - confidential
        assert sum(1 for r in rows if r["final_answer_at"]) == provinces[region.pk][
            "final_answers"]
        assert sum(1 for r in rows if r["first_response_at"]) == provinces[region.pk][
            "first_responses"] - confidential


def test_the_statistics_tables_are_those_of_the_statistics_pages(scene, folder):
    with at(BUILD_AT):
        opendata_files.build()
    first, last = stats.last_twelve_months(BUILD_AT.date())
    rows = {r["code"]: r for r in read_csv(day_folder(folder) / "statistik-provinsi.csv")}
    for r in stats.breakdown(stats.Scope(), first, last, "province"):
        region = Region.objects.get(pk=r["key"])
        assert int(rows[region.code]["received"]) == r["received"]
        assert rows[region.code]["name"] == region.name
    summary = {r["figure"]: r["value"]
               for r in read_csv(day_folder(folder) / "statistik-ringkasan.csv")}
    assert int(summary["received"]) == stats.figures(stats.Scope(), first, last).sums["received"]
    assert int(summary["received"]) == 7  # every report received, the confidential one too


# --- the page ------------------------------------------------------------------------------

def test_the_page_lists_the_latest_and_earlier_days(scene, client, folder):
    assert "belum dibuat" in client.get("/data-terbuka/").content.decode()
    for days in (1, 0):
        with at(BUILD_AT - dt.timedelta(days=days)):
            opendata_files.build()
    page = client.get("/data-terbuka/").content.decode()
    assert "/data-terbuka/2026-05-04/reports.csv" in page
    assert "/data-terbuka/2026-05-03/reports.csv" in page
    assert "CC BY 4.0" in page and "public_description" in page
    assert "/data-terbuka/" in client.get("/statistik/").content.decode()


@pytest.mark.parametrize(("name", "content_type", "attachment"), [
    ("reports.csv", "text/csv; charset=utf-8", True),
    ("reports.ndjson", "application/x-ndjson; charset=utf-8", True),
    ("data-dictionary.json", "application/json; charset=utf-8", False),
    ("LICENSE.txt", "text/plain; charset=utf-8", False),
    ("manifest.json", "application/json; charset=utf-8", False),
])
def test_downloads_have_their_content_types(scene, client, folder, name, content_type,
                                            attachment):
    build()
    response = client.get(f"/data-terbuka/2026-05-04/{name}")
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"].startswith("public")
    assert response["Content-Disposition"].startswith("attachment" if attachment else "inline")
    body_bytes = b"".join(response.streaming_content)
    assert body_bytes == (day_folder(folder) / name).read_bytes()
    latest = client.get(f"/data-terbuka/terbaru/{name}")
    assert latest.status_code == 302 and latest["Location"] == f"/data-terbuka/2026-05-04/{name}"


@pytest.mark.parametrize("path", ["2026-05-04/nothing.csv", "2026-05-03/reports.csv",
                                  "2026-13-40/reports.csv", "2026-05-04/..%2Fmanifest.json",
                                  "terbaru/nothing.csv"])
def test_no_other_file_is_served(scene, client, folder, path):
    build()
    (folder / "secret.txt").write_text("x")
    assert client.get(f"/data-terbuka/{path}").status_code == 404
