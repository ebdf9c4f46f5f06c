"""The statistics (/statistik/): rollups rebuilt from the reports equal a recomputation from
the reports themselves; the ranking's minimum; confidential reports in totals only,
archived ones nowhere public; every table as CSV and JSON; the refresh reads only the days
that changed."""

import csv
import datetime as dt
import io
import json
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.db.models import Min, Sum

from agencies.models import Region
from complaints.models import Category, EventKind, Report, ReportEvent, ReportStatus
from routing import statistics as stats
from routing.models import (
    Clock,
    ClockKind,
    StatCube,
    StatHistogram,
    StatRefresh,
    StatRollup,
)
from routing.services import handling, outcomes, verification
from routing.services import statistics as rollups
from tests.conftest import body, make_user
from tests.factories import ReportFactory

WIB = ZoneInfo("Asia/Jakarta")
MONDAY = dt.datetime(2026, 3, 2, 9, 0, tzinfo=WIB)
FIRST, LAST = dt.date(2026, 3, 1), dt.date(2026, 4, 30)


def at(moment):
    return time_machine.travel(moment, tick=False)


@pytest.fixture
def scene(db, verifier_national, operator_a, operator_b):
    """Reports in Kota Semarang (body A) and Kota Surabaya (body B) through the real acts:
    answered within a day and later, rejected with reasons, archived, confidential, rated."""
    a, b = body("regency-33.74"), body("regency-35.78")
    surabaya = {"province": Region.objects.get(code="35"),
                "regency": Region.objects.get(code="35.78")}
    roads = Category.objects.get(slug="infrastruktur")
    other = Category.objects.exclude(pk=roads.pk).first()
    made = []
    for i in range(12):
        day = MONDAY + dt.timedelta(days=i * 3)
        with at(day):
            kw = surabaya if i % 3 == 0 else {}
            r = ReportFactory(category=roads if i % 2 else other,
                              is_confidential=(i % 4 == 1), **kw)
            made.append(r)
            if i % 6 == 5:
                verification.reject_report(report=r, actor=verifier_national,
                                           reason="spam" if i < 6 else "incomplete")
                continue
            if i == 4:
                outcomes.archive_report(report=r, actor=verifier_national, reason="test")
                continue
            target, op = (b, operator_b) if kw else (a, operator_a)
            verification.disposition_report(report=r, to_body=target, actor=verifier_national)
        if i % 6 == 5 or i == 4:
            continue
        later = dt.timedelta(hours=3) if i % 2 else dt.timedelta(days=4)
        with at(day + later):
            handling.respond(report=r, actor=op, note="Sedang kami periksa di lapangan.")
        if i < 9:
            with at(day + later + dt.timedelta(days=2)):
                handling.resolve(report=r, actor=op, answer="Sudah diperbaiki.")
    rollups.rebuild(first=FIRST, last=LAST)
    return made


def recomputed(reports):
    """The figures from the reports themselves, as a person would count them."""
    out = {"received": 0, "verified": 0, "rejected": 0, "archived": 0, "first_responses": 0,
           "first_within_24h": 0, "final_answers": 0, "confidential": 0}
    for r in reports:
        if r.status == ReportStatus.ARCHIVED:
            out["archived"] += 1
            continue
        out["received"] += 1
        out["confidential"] += r.is_confidential
        out["verified"] += r.verified_at is not None
        out["rejected"] += r.status == ReportStatus.REJECTED
        first = ReportEvent.objects.filter(report=r, kind=EventKind.FIRST_RESPONSE).aggregate(
            m=Min("created_at"))["m"]
        if first:
            out["first_responses"] += 1
            out["first_within_24h"] += (first - r.first_dispositioned_at) <= dt.timedelta(hours=24)
        out["final_answers"] += ReportEvent.objects.filter(report=r,
                                                           kind=EventKind.RESOLVED).exists()
    return out


def _sums(scope):
    f = stats.figures(scope, FIRST, LAST)
    return {k: f.sums[k] for k in ("received", "verified", "rejected", "archived",
                                    "first_responses", "first_within_24h", "final_answers",
                                    "confidential")}


def test_rollups_equal_a_recomputation_from_the_reports(scene):
    everything = Report.objects.exclude(status=ReportStatus.DRAFT)
    assert _sums(stats.Scope()) == recomputed(everything)
    jatim = Region.objects.get(code="35")
    assert _sums(stats.Scope(province=jatim)) == recomputed(everything.filter(province=jatim))
    semarang = Region.objects.get(code="33.74")
    assert _sums(stats.Scope(regency=semarang)) == recomputed(everything.filter(regency=semarang))
    # A body with everything below it: Pemprov Jawa Tengah holds none itself, Semarang does.
    jateng = body("province-33")
    held = everything.filter(holder_body__path__startswith=jateng.path)
    assert _sums(stats.Scope(body=jateng)) == recomputed(held)
    assert recomputed(held)["received"] > 0
    roads = Category.objects.get(slug="infrastruktur")
    assert _sums(stats.Scope(category=roads)) == recomputed(everything.filter(category=roads))
    # Rejections by reason, and the histogram holds every first response with a start.
    assert stats.rejected_by_reason(stats.Scope(), FIRST, LAST) == {"incomplete": 1, "spam": 1}
    f = stats.figures(stats.Scope(), FIRST, LAST)
    assert sum(f.first_hist.values()) == f.sums["first_responses"]
    assert f.first_median is not None and f.first_p90 >= f.first_median


def test_percentiles_come_from_the_buckets():
    assert stats.percentile({1: 5, 2: 3, 5: 2}, 0.5) == 1
    assert stats.percentile({1: 5, 2: 3, 5: 2}, 0.9) == 5
    assert stats.percentile({}, 0.5) is None


def test_working_days_buckets_follow_the_deadline_rule(db):
    # The deadline rule's default: day 1 is the first working day after the day of receipt.
    # Received Monday 09:00: answered the same day, 0 (the "≤ 1" group); Tuesday, day 1;
    # Friday, day 4; the next Monday, day 5 (the weekend is not counted).
    start = MONDAY
    assert rollups.bucket_of(start, start + dt.timedelta(hours=2), "Asia/Jakarta", None) == 0
    assert rollups.bucket_of(start, start + dt.timedelta(days=1), "Asia/Jakarta", None) == 1
    assert rollups.bucket_of(start, start + dt.timedelta(days=4), "Asia/Jakarta", None) == 4
    assert rollups.bucket_of(start, start + dt.timedelta(days=7), "Asia/Jakarta", None) == 5


def test_follow_up_met_and_breached_come_from_the_clocks(scene):
    everything = Report.objects.exclude(status=ReportStatus.DRAFT)
    clocks = Clock.objects.filter(kind=ClockKind.FOLLOW_UP)
    report = everything.filter(status=ReportStatus.IN_PROGRESS).first()
    clocks.filter(report=report).update(breached_at=MONDAY + dt.timedelta(days=90))
    rollups.rebuild_days([rollups.local_day(report.submitted_at)])
    f = stats.figures(stats.Scope(), FIRST, LAST)
    met = sum(1 for r in everything if clocks.filter(report=r, outcome="met").exists()
              and not clocks.filter(report=r, breached_at__isnull=False).exists())
    assert f.sums["follow_up_breached"] == 1
    assert f.sums["follow_up_met"] == met


def test_refresh_recomputes_only_the_days_that_changed(scene, operator_a):
    assert rollups.refresh().days == 0  # nothing changed since the backfill
    StatRefresh.objects.all().delete()
    first_run = rollups.refresh()  # the first run ever: everything
    assert first_run.is_full and first_run.reports == len(scene)
    report = Report.objects.filter(status=ReportStatus.IN_PROGRESS,
                                   holder_body=body("regency-33.74")).first()
    handling.resolve(report=report, actor=operator_a, answer="Selesai diperbaiki.")
    run = rollups.refresh()
    assert not run.is_full and run.days == 1
    assert run.reports == Report.objects.filter(
        submitted_at__date=report.submitted_at.astimezone(WIB).date()).count()
    everything = Report.objects.exclude(status=ReportStatus.DRAFT)
    assert _sums(stats.Scope()) == recomputed(everything)
    # The act marked its day in its own transaction and the run took the mark: the next run
    # reads nothing.
    assert rollups.changed_days() == set()
    assert rollups.refresh().days == 0


def test_acts_mark_their_receipt_day_in_the_same_transaction(scene, operator_a):
    assert rollups.changed_days() == set()  # the backfill took every mark
    report = Report.objects.filter(status=ReportStatus.IN_PROGRESS,
                                   holder_body=body("regency-33.74")).first()
    day = rollups.local_day(report.submitted_at)
    handling.resolve(report=report, actor=operator_a, answer="Selesai diperbaiki.")
    assert rollups.changed_days() == {day}
    rollups.refresh()
    # The sweep's breach saves no report: the clock's own trigger marks the day.
    other = Report.objects.filter(status=ReportStatus.IN_PROGRESS).exclude(pk=report.pk).first()
    Clock.objects.filter(report=other, kind=ClockKind.FOLLOW_UP).update(
        breached_at=MONDAY + dt.timedelta(days=90))
    assert rollups.changed_days() == {rollups.local_day(other.submitted_at)}
    rollups.refresh()
    # A save that changes nothing the statistics read marks nothing.
    Report.objects.filter(pk=report.pk).update(title="Judul baru yang lain sekali")
    assert rollups.changed_days() == set()
    # And the refresh made the figures right again.
    f = stats.figures(stats.Scope(), FIRST, LAST)
    assert f.sums["follow_up_breached"] == 1
    assert _sums(stats.Scope()) == recomputed(Report.objects.exclude(status=ReportStatus.DRAFT))


def _daily(scope, first, last):
    rows = scope.filter(StatRollup.objects.filter(day__gte=first, day__lte=last))
    return {k: int(v or 0) for k, v in rows.aggregate(
        **{k: Sum(k) for k in stats.FIGURES}).items()}


def test_the_monthly_grain_equals_the_sum_of_its_days(scene):
    jatim = Region.objects.get(code="35")
    scopes = [stats.Scope(), stats.Scope(province=jatim),
              stats.Scope(regency=Region.objects.get(code="33.74")),
              stats.Scope(body=body("province-33")),
              stats.Scope(category=Category.objects.get(slug="infrastruktur"))]
    for scope in scopes:
        code, scope_id = scope.cube()
        for month in (dt.date(2026, 3, 1), dt.date(2026, 4, 1)):
            cube = StatCube.objects.filter(scope=code, scope_id=scope_id, month=month, dim="")
            got = {k: int(v or 0) for k, v in cube.aggregate(
                **{k: Sum(k) for k in stats.FIGURES}).items()}
            assert got == _daily(scope, month, rollups.next_month(month) - dt.timedelta(days=1))
        # Parts sum to the whole, per part kind.
        c = stats.cells(scope, FIRST, LAST)
        for dim, parts in c.parts.items():
            if dim not in ("category", "province", "regency"):
                continue  # not every report has a holder body; reasons are of rejections
            assert sum(p.get("received", 0) for p in parts.values()) == c.total()["received"]
        # A period with partial months (days from the daily rows) equals the daily sums.
        # And one of a partial month and a whole one.
        first, last = dt.date(2026, 3, 10), dt.date(2026, 3, 31)
        assert stats.split_period(first, last)[0] == []
        assert stats.figures(scope, first, last).sums == _daily(scope, first, last)
        last = dt.date(2026, 4, 30)
        assert stats.split_period(first, last)[0] == [dt.date(2026, 4, 1)]
        assert stats.figures(scope, first, last).sums == _daily(scope, first, last)
    # Whole-month histograms hold the same buckets as the days.
    national = stats.figures(stats.Scope(), FIRST, LAST)
    days = dict(StatHistogram.objects.filter(measure="first_response").values_list("bucket")
                .annotate(n=Sum("n")))
    assert national.first_hist == days


def test_a_month_is_whole_up_to_the_last_day_with_rows(scene):
    latest = StatRollup.objects.order_by("-day").values_list("day", flat=True).first()
    months, ranges = stats.split_period(dt.date(2026, 3, 1), latest)
    assert months == [dt.date(2026, 3, 1), dt.date(2026, 4, 1)] and ranges == []
    months, ranges = stats.split_period(dt.date(2026, 3, 2), dt.date(2026, 3, 20))
    assert months == [] and ranges == [(dt.date(2026, 3, 2), dt.date(2026, 3, 20))]


def test_the_sql_buckets_equal_the_calendar(scene):
    # Each first response's bucket, counted by routing.calendar report by report.
    expected: dict[int, int] = {}
    for r in Report.objects.exclude(status__in=[ReportStatus.DRAFT, ReportStatus.ARCHIVED]):
        first = ReportEvent.objects.filter(report=r, kind=EventKind.FIRST_RESPONSE).aggregate(
            m=Min("created_at"))["m"]
        if first and r.first_dispositioned_at:
            b = rollups.bucket_of(r.first_dispositioned_at, first,
                                  r.holder_body.time_zone or "Asia/Jakarta", r.province_id)
            expected[b] = expected.get(b, 0) + 1
    got = dict(StatHistogram.objects.filter(measure="first_response").values_list("bucket")
               .annotate(n=Sum("n")))
    assert got == expected and len(got) > 1


def test_page_figures_are_cached_until_the_next_refresh(scene, client):
    rollups.refresh()
    url = "/statistik/?dari=2026-03-01&sampai=2026-04-30&tabel=ringkasan&unduh=json"

    def received():
        rows = json.loads(client.get(url).content)
        return next(r["value"] for r in rows if r["figure"] == "received")

    before = received()
    with at(MONDAY + dt.timedelta(days=1)):
        ReportFactory()
    rollups.rebuild_days(rollups.changed_days())  # rows rebuilt, no new refresh yet
    assert received() == before  # as of the last refresh, which the page says
    rollups.refresh()
    assert received() == before + 1


def _rows():
    cols = ("day", "body_id", "category_id", "province_id", "regency_id", "rejection_reason",
            *stats.FIGURES)
    return (sorted(StatRollup.objects.values_list(*cols)),
            sorted(StatHistogram.objects.values_list("day", "body_id", "category_id",
                                                     "measure", "bucket", "n")),
            sorted(StatCube.objects.values_list("month", "scope", "scope_id", "dim", "key",
                                                *stats.FIGURES)))


def test_the_backfills_join_equals_the_refreshs_lookups(scene, monkeypatch):
    # A long span groups the events and clocks once; a short one looks them up per report.
    before = _rows()
    monkeypatch.setattr(rollups, "MANY_DAYS", 0)
    rollups.rebuild(first=FIRST, last=LAST)
    assert _rows() == before and before[0] and before[1] and before[2]


def test_backfill_command_is_idempotent(scene):
    rows = StatRollup.objects.count()
    hist = StatHistogram.objects.count()
    call_command("rebuild_statistics", "--from", "2026-03-01", "--to", "2026-04-30")
    assert StatRollup.objects.count() == rows and StatHistogram.objects.count() == hist


def test_ranking_needs_the_minimum_and_says_so(scene, client, monkeypatch):
    monkeypatch.setattr(stats, "RANKING_MINIMUM", 5)
    ranked, unranked = stats.ranking("kabupaten-kota", FIRST, LAST)
    semarang, surabaya = body("regency-33.74"), body("regency-35.78")
    assert [r["body"] for r in ranked] == [semarang]  # 7 received
    assert [r["body"] for r in unranked] == [surabaya]  # 3 received: not ranked
    page = client.get("/statistik/peringkat/?tingkat=kabupaten-kota&dari=2026-03-01"
                      "&sampai=2026-04-30")
    html = page.content.decode()
    assert "paling sedikit 5 laporan" in html
    ranked_part, unranked_part = html.split('id="table-belum-diperingkat"')
    assert f'data-id="{semarang.pk}"' in ranked_part
    assert f'data-id="{surabaya.pk}"' not in ranked_part
    assert f'data-id="{surabaya.pk}"' in unranked_part


def test_confidential_reports_count_and_nothing_identifies_anyone(scene, client):
    confidential = [r for r in scene if r.is_confidential]
    assert confidential
    page = client.get("/statistik/?dari=2026-03-01&sampai=2026-04-30")
    html = page.content.decode()
    everything = Report.objects.exclude(status=ReportStatus.DRAFT)
    assert f'data-figure="received">{recomputed(everything)["received"]}<' in html
    for r in scene:
        assert r.tracking_number not in html
        assert r.title not in html
        assert r.reporter.full_name not in html and r.reporter.email not in html


def test_archived_reports_are_out_of_public_counts(scene, client):
    archived = Report.objects.filter(status=ReportStatus.ARCHIVED).count()
    assert archived == 1
    f = stats.figures(stats.Scope(), FIRST, LAST)
    assert f.sums["received"] == Report.objects.exclude(
        status__in=[ReportStatus.DRAFT, ReportStatus.ARCHIVED]).count()
    assert "archived" not in f.as_row()


@pytest.mark.parametrize("table", ["ringkasan", "tren", "alasan-penolakan", "rincian",
                                   "kategori"])
def test_every_table_downloads_as_csv_and_json(scene, client, table):
    base = f"/statistik/?dari=2026-03-01&sampai=2026-04-30&tabel={table}"
    as_json = client.get(base + "&unduh=json")
    assert as_json.status_code == 200 and as_json["Content-Type"].startswith("application/json")
    rows = json.loads(as_json.content)
    assert rows
    as_csv = client.get(base + "&unduh=csv")
    assert as_csv.status_code == 200 and "attachment" in as_csv["Content-Disposition"]
    parsed = list(csv.DictReader(io.StringIO(as_csv.content.decode())))
    assert len(parsed) == len(rows)
    assert list(parsed[0]) == list(rows[0])


def test_downloaded_numbers_equal_the_recomputation(scene, client):
    rows = json.loads(client.get("/statistik/?dari=2026-03-01&sampai=2026-04-30"
                                 "&tabel=rincian&unduh=json").content)
    everything = Report.objects.exclude(status=ReportStatus.DRAFT)
    for row in rows:
        assert row["received"] == recomputed(everything.filter(province_id=row["id"]))["received"]
    assert sum(r["received"] for r in rows) == recomputed(everything)["received"]


def test_pages_drill_down_and_a_bad_period_says_so(scene, client):
    jatim = Region.objects.get(code="35")
    surabaya = Region.objects.get(code="35.78")
    b = body("regency-35.78")
    for url in ("/statistik/", f"/statistik/provinsi/{jatim.pk}/",
                f"/statistik/wilayah/{surabaya.pk}/", f"/statistik/instansi/{b.pk}/",
                "/statistik/kategori/infrastruktur/", "/statistik/peringkat/"):
        page = client.get(url + "?tahun=2026")
        assert page.status_code == 200, url
        assert "<svg" in page.content.decode() or "peringkat" in url
    national = client.get("/statistik/?tahun=2026").content.decode()
    assert f'href="/statistik/provinsi/{jatim.pk}/?tahun=2026"' in national
    bad = client.get("/statistik/?bulan=2026-13")
    assert bad.status_code == 200
    assert "Periode tidak dikenali" in bad.content.decode()
    assert client.get("/statistik/?unduh=csv&tabel=tidak-ada").status_code == 404


def test_a_page_reads_no_report(scene, client, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        client.get(f"/statistik/instansi/{body('province-33').pk}/?tahun=2026")
    assert not [q for q in ctx.captured_queries if '"complaints_report"' in q["sql"]]
    with django_assert_max_num_queries(30):
        client.get("/statistik/?tahun=2026")


def test_supervisor_sees_figures_below_with_links_to_the_queue(scene, client):
    supervisor = make_user("pimpinan.jateng2@example.id", "Pimpinan", "supervisor",
                           "province-33")
    client.force_login(supervisor)
    page = client.get("/petugas/statistik/?dari=2026-03-01&sampai=2026-04-30")
    assert page.status_code == 200
    html = page.content.decode()
    semarang = body("regency-33.74")
    assert f"/petugas/antrean/?body={semarang.pk}" in html
    assert body("regency-35.78").name not in html


def test_a_bodys_page_shows_its_card_for_the_last_twelve_months(db, client):
    semarang = body("regency-33.74")
    now = dt.datetime.now(tz=WIB)
    for months_ago in (1, 5, 13):  # the last one is outside the twelve months
        with at(now - dt.timedelta(days=30 * months_ago)):
            ReportFactory(status=ReportStatus.IN_PROGRESS, holder_body=semarang,
                          verified_at=dt.datetime.now(tz=WIB))
    rollups.refresh()
    html = client.get(f"/instansi/{semarang.pk}/").content.decode()
    assert 'id="kinerja"' in html and 'data-figure="received">2<' in html
    assert f'href="/statistik/instansi/{semarang.pk}/"' in html
    # The province's card counts what is below it.
    jateng = client.get(f"/instansi/{body('province-33').pk}/").content.decode()
    assert 'data-figure="received">2<' in jateng


def test_reports_and_queues_link_to_the_card(scene, client, operator_a):
    report = Report.objects.filter(status=ReportStatus.IN_PROGRESS, is_confidential=False,
                                   holder_body=body("regency-33.74")).first()
    link = f'/instansi/{body("regency-33.74").pk}/#kinerja'
    assert link in client.get(f"/publik/{report.tracking_number}/").content.decode()
    client.force_login(operator_a)
    assert link in client.get("/petugas/antrean/").content.decode()
    assert link in client.get(f"/petugas/laporan/{report.tracking_number}/").content.decode()


def test_the_ranking_rows_follow_the_refresh(scene, client, monkeypatch):
    # The ranking's rows are rendered once per refresh (hundreds of regencies and cities).
    monkeypatch.setattr(stats, "RANKING_MINIMUM", 1)
    rollups.refresh()
    url = "/statistik/peringkat/?tingkat=kabupaten-kota&dari=2026-03-01&sampai=2026-04-30"
    semarang = body("regency-33.74")

    def shown():
        html = client.get(url).content.decode()
        row = html.split(f'data-id="{semarang.pk}"')[1].split("</tr>")[0]
        return int(re.findall(r'<td class="num">(\d+)</td>', row)[1])  # rank, received

    before = shown()
    with at(MONDAY + dt.timedelta(days=1)):
        ReportFactory(holder_body=semarang, status=ReportStatus.IN_PROGRESS)
    rollups.rebuild_days(rollups.changed_days())
    assert shown() == before  # as of the last refresh
    rollups.refresh()
    assert shown() == before + 1
