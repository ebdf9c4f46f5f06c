"""The Atom feeds (complaints.feeds): only the public copy of public reports and the public
answers, never a reporter, a confidential report or an internal note; each feed holds what its
region, body or category names; the queries can read through their indexes; the public pages
point to their feeds."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from agencies.models import Body, Region
from complaints import feeds
from complaints.models import (
    Category,
    EventKind,
    Report,
    ReportEvent,
    ReportStatus,
    Visibility,
)
from tests.conftest import body, make_user
from tests.factories import ReportFactory, add_event, public_report

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
NIK, PHONE, PLATE = "3374015705900003", "0812-3456-7890", "H 1234 AB"
SECRET_TEXT = f"NIK saya {NIK}, telepon {PHONE}, mobil {PLATE} ditilang tanpa surat."


def _entries(client: Client, url: str) -> tuple[str, list[ET.Element]]:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/atom+xml")
    content = response.content.decode()
    return content, ET.fromstring(content).findall(f"{ATOM}entry")


def _titles(client: Client, url: str) -> set[str]:
    _content, entries = _entries(client, url)
    return {e.findtext(f"{ATOM}title") or "" for e in entries}


@pytest.fixture
def reporter(db):
    user = make_user("siti.pelapor@example.id", "Siti Rahayu Pelapor")
    user.phone = "081199887766"
    user.save(update_fields=["phone"])
    return user


def test_feeds_carry_the_masked_public_copy_and_no_identity_or_confidential_report(
        client, reporter):
    report = public_report(title=f"Tilang liar {PLATE}", description=SECRET_TEXT,
                           reporter=reporter, contact_name="Nama Kontak Rahasia",
                           contact_email="kontak@example.id", contact_phone="081355554444")
    public_report(title="Laporan rahasia pungli", description="Isi rahasia sekali.",
                  is_confidential=True, reporter=reporter)
    ReportFactory(title="Belum diverifikasi sama sekali", reporter=reporter)
    add_event(report, EventKind.RESPONSE, note=f"Kami hubungi {PHONE}; NIK {NIK} dicek.",
              actor_body=report.holder_body)
    add_event(report, EventKind.RESOLVED, note="Jawaban akhir: petugas sudah ditegur.",
              actor_body=report.holder_body)
    add_event(report, EventKind.INTERNAL_NOTE, note="Catatan internal petugas",
              visibility=Visibility.STAFF, actor=make_user("op@example.id", "Petugas Budi"))

    reports, report_entries = _entries(client, "/umpan/laporan/")
    answers, answer_entries = _entries(client, "/umpan/jawaban/")
    assert len(report_entries) == 1 and len(answer_entries) == 2
    for content in (reports, answers):
        for secret in (NIK, PHONE, PLATE, "Siti Rahayu", "siti.pelapor", "081199887766",
                       "Nama Kontak", "kontak@example.id", "081355554444", "rahasia",
                       "Belum diverifikasi", "Catatan internal", "Petugas Budi"):
            assert secret not in content, secret
        assert report.tracking_number in content
        assert f"/publik/{report.tracking_number}/" in content
    assert "[NIK disamarkan]" in reports and "[pelat nomor disamarkan]" in reports
    assert "[nomor telepon disamarkan]" in answers
    assert "petugas sudah ditegur" in answers
    entry = report_entries[0]
    assert entry.findtext(f"{ATOM}updated")
    assert "Sedang ditindaklanjuti" in (entry.findtext(f"{ATOM}summary") or "")  # the status


def test_text_typed_into_a_report_is_never_markup_in_a_feed_reader(client):
    public_report(title="Lampu mati", description='<script>alert("x")</script> <b>tebal</b>')
    content, entries = _entries(client, "/umpan/laporan/")
    summary = entries[0].findtext(f"{ATOM}summary") or ""
    # The summary is HTML (type="html"): the text arrives escaped once more inside it.
    assert "&lt;script&gt;" in summary and "<script>" not in summary


def test_each_feed_holds_its_region_body_and_category(client):
    semarang_tengah = Region.objects.get(code="33.74.01")
    other_district = Region.objects.filter(parent__code="33.74", level="district").exclude(
        pk=semarang_tengah.pk).first()
    roads = Category.objects.get(slug="infrastruktur")
    health = Category.objects.exclude(pk=roads.pk).first()
    public_report(title="A jalan Semarang Tengah", district=semarang_tengah, category=roads)
    public_report(title="B kesehatan Semarang Tengah", district=semarang_tengah, category=health)
    public_report(title="C jalan kecamatan lain", district=other_district, category=roads)
    surabaya = body("regency-35.78")
    public_report(title="D Surabaya", province=surabaya.province, regency=surabaya.region,
                  holder_body=surabaya, category=roads)
    unit = Body.objects.add_child(body("regency-33.74"), create_kwargs={
        "name": "Dinas Jalan Kota Semarang", "kind": "unit",
        "region": body("regency-33.74").region})
    public_report(title="E held by a unit below Pemkot", holder_body=unit, category=roads)

    def titles(url):
        return {t.split(": ", 1)[1] for t in _titles(client, url)}

    assert titles("/umpan/laporan/") == {"A jalan Semarang Tengah", "B kesehatan Semarang Tengah",
                                         "C jalan kecamatan lain", "D Surabaya",
                                         "E held by a unit below Pemkot"}
    assert titles("/umpan/laporan/wilayah/33.74.01/") == {
        "A jalan Semarang Tengah", "B kesehatan Semarang Tengah"}
    assert titles("/umpan/laporan/wilayah/33.74.01/kategori/infrastruktur/") == {
        "A jalan Semarang Tengah"}
    assert "D Surabaya" not in titles("/umpan/laporan/wilayah/33/")
    assert titles("/umpan/laporan/wilayah/35.78/") == {"D Surabaya"}
    pemkot = body("regency-33.74")
    assert "D Surabaya" not in titles(f"/umpan/laporan/instansi/{pemkot.pk}/")
    assert "E held by a unit below Pemkot" in titles(f"/umpan/laporan/instansi/{pemkot.pk}/")
    assert titles(f"/umpan/laporan/instansi/{unit.pk}/") == {"E held by a unit below Pemkot"}
    assert titles(f"/umpan/laporan/instansi/{pemkot.pk}/kategori/{health.slug}/") == {
        "B kesehatan Semarang Tengah"}
    assert "B kesehatan Semarang Tengah" not in titles("/umpan/laporan/kategori/infrastruktur/")


def test_the_answers_feed_of_a_region_holds_only_its_answers(client):
    here = public_report(title="Di Semarang")
    there = public_report(title="Di Surabaya", province=body("regency-35.78").province,
                          regency=body("regency-35.78").region,
                          holder_body=body("regency-35.78"))
    add_event(here, EventKind.FIRST_RESPONSE, note="Sudah kami terima (Semarang).")
    add_event(there, EventKind.FIRST_RESPONSE, note="Sudah kami terima (Surabaya).")
    add_event(here, EventKind.INFO_REQUESTED, note="Mohon foto tambahan.")  # not an answer
    content, entries = _entries(client, "/umpan/jawaban/wilayah/33.74/")
    assert len(entries) == 1 and "(Semarang)" in content and "foto tambahan" not in content


def test_a_feed_of_something_that_does_not_exist_is_404(client):
    assert client.get("/umpan/laporan/wilayah/99.99/").status_code == 404
    assert client.get("/umpan/jawaban/instansi/999999/").status_code == 404
    assert client.get("/umpan/laporan/kategori/tidak-ada/").status_code == 404


def test_a_feed_holds_at_most_its_size(client, monkeypatch):
    monkeypatch.setattr(feeds, "FEED_SIZE", 3)
    for i in range(5):
        public_report(title=f"Laporan {i}")
    assert len(_titles(client, "/umpan/laporan/")) == 3


@pytest.fixture
def spread(db):
    """Public reports spread over 20 regencies and their governments, analysed: the
    planner's estimates are then those of a real table, not of an empty one."""
    from complaints.tracking_numbers import new_tracking_number

    governments = list(Body.objects.filter(kind__in=["regency", "city"]).select_related(
        "region").order_by("path")[:20])
    now = timezone.now()
    Report.objects.bulk_create([
        Report(tracking_number=new_tracking_number(), title="Isi", status="in_progress",
               province_id=g.region.parent_id, regency=g.region, holder_body=g,
               submitted_at=now, verified_at=now - timedelta(minutes=i))
        for i in range(1000) for g in [governments[i % len(governments)]]
    ])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE complaints_report")


def _plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.parametrize(("scope", "index"), [
    (lambda: feeds.Scope(), "report_public_verified_idx"),
    (lambda: feeds.Scope(region=Region.objects.get(code="33.74")), "report_public_regency_idx"),
    (lambda: feeds.Scope(region=Region.objects.get(code="33.74.01")),
     "report_public_regency_idx"),
    (lambda: feeds.Scope(body=body("regency-35.78")), "report_public_holder_idx"),
])
def test_the_report_feeds_can_read_through_their_index(spread, scope, index):
    queryset = feeds.scoped_reports(scope()).order_by("-verified_at", "-id")[:50]
    assert index in _plan(queryset)


def test_the_answers_feed_can_read_through_its_index(spread):
    queryset = ReportEvent.objects.filter(
        kind__in=feeds.ANSWER_KINDS, visibility=Visibility.PUBLIC,
        report__in=feeds.scoped_reports(feeds.Scope())).order_by("-created_at", "-id")[:50]
    assert "event_public_answer_idx" in _plan(queryset)


def test_pages_announce_their_feeds(client):
    pemkot = body("regency-33.74")
    page = client.get(f"/instansi/{pemkot.pk}/").content.decode()
    assert ('<link rel="alternate" type="application/atom+xml"' in page
            and f'href="/umpan/laporan/instansi/{pemkot.pk}/"' in page)
    assert "Umpan Atom" in page and f"/peringatan/?instansi={pemkot.pk}" in page
    regions = client.get("/instansi/wilayah/?parent=33.74").content.decode()
    assert 'href="/umpan/laporan/wilayah/33.74/"' in regions
    assert "/umpan/laporan/wilayah/33.74.01/" in regions  # each kecamatan's own feed
    assert "/peringatan/?wilayah=33.74.01" in regions
    listing = client.get("/publik/?province=33&regency=33.74&category=infrastruktur")
    text = listing.content.decode()
    assert 'href="/umpan/laporan/wilayah/33.74/kategori/infrastruktur/"' in text
    assert 'href="/umpan/jawaban/wilayah/33.74/kategori/infrastruktur/"' in text
    assert "/peringatan/?wilayah=33.74&amp;kategori=infrastruktur" in text
    national = client.get("/publik/").content.decode()
    assert 'href="/umpan/laporan/"' in national


def test_a_report_made_public_only_later_appears_by_that_time(client):
    now = timezone.now()
    old = public_report(title="Lama", verified_at=now - timedelta(days=3))
    late = ReportFactory(title="Dikirim dulu, diverifikasi belakangan",
                         submitted_at=now - timedelta(days=10), verified_at=now,
                         status=ReportStatus.DISPOSITIONED, holder_body=old.holder_body)
    _content, entries = _entries(client, "/umpan/laporan/")
    assert late.tracking_number in (entries[0].findtext(f"{ATOM}title") or "")
