"""The public feed, its search, a public report's page and support (*dukung*): what anyone may
see, what they never see (confidential reports, reporter names), keyset pages, query counts."""

from __future__ import annotations

import base64
import json
import uuid
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from agencies.models import Body, Region, TimeZone
from complaints.feed import FeedParams, feed, feed_queryset
from complaints.models import (
    Attachment,
    Category,
    EventKind,
    Report,
    ReportStatus,
    Support,
    Visibility,
)
from tests.factories import ReportFactory, UserFactory, add_event, public_report

FEED = "public:feed"
API_LIST = "api:public-report-list"


@pytest.fixture(autouse=True)
def _own_cache(settings):
    """Rate-limit counters of this module's tests start from zero, without flushing the
    Redis database that other test runs share."""
    settings.CACHES = {
        "default": {
            **settings.CACHES["default"],
            "KEY_PREFIX": f"test-feed-{uuid.uuid4().hex}",
        }
    }


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def detail_url(report: Report) -> str:
    return reverse("public:detail", args=[report.tracking_number])


def support_url(report: Report) -> str:
    return reverse("public:support", args=[report.tracking_number])


def api_detail_url(report: Report) -> str:
    return reverse("api:public-report-detail", args=[report.tracking_number])


def api_support_url(report: Report) -> str:
    return reverse("api:public-report-support", args=[report.tracking_number])


def numbers(page) -> list[str]:
    return [row.tracking_number for row in page.rows]


def surabaya_report(**kwargs: object) -> Report:
    kwargs.setdefault("province", Region.objects.get(code="35"))
    kwargs.setdefault("regency", Region.objects.get(code="35.78"))
    kwargs.setdefault("holder_body", Body.objects.get(source_key="regency-35.78"))
    return public_report(**kwargs)


def image(report: Report, **kwargs: object) -> Attachment:
    kwargs.setdefault("is_staff_only", False)
    return Attachment.objects.create(
        report=report,
        file="attachments/2026/01/a.jpg",
        thumbnail="thumbnails/2026/01/a.webp",
        original_name="foto_budi_santoso.jpg",
        content_type="image/jpeg",
        size=1234,
        faces_found=0,  # looked at for faces, none found: the public copy is the file
        **kwargs,
    )


@pytest.fixture
def hidden_reports(db) -> dict[str, Report]:
    """One report of each kind that must never be in the public feed."""
    return {
        "confidential": public_report(title="Jalan rusak rahasia", is_confidential=True),
        "submitted": ReportFactory(title="Jalan rusak menunggu", status=ReportStatus.SUBMITTED),
        "rejected": ReportFactory(title="Jalan rusak ditolak", status=ReportStatus.REJECTED),
        "draft": ReportFactory(title="Jalan rusak draf", status=ReportStatus.DRAFT),
    }


# --- what is public ------------------------------------------------------------------------


def test_feed_shows_only_verified_non_confidential_reports(client, api, hidden_reports):
    shown = public_report(title="Jalan rusak terbuka")
    closed = public_report(title="Jalan rusak selesai", status=ReportStatus.CLOSED)

    assert set(numbers(feed(FeedParams()))) == {shown.tracking_number, closed.tracking_number}
    searched = feed(FeedParams(q="jalan rusak"))
    assert set(numbers(searched)) == {shown.tracking_number, closed.tracking_number}

    page = client.get(reverse(FEED), {"q": "rusak"}).content.decode()
    answer = api.get(reverse(API_LIST), {"q": "rusak"}).json()
    for hidden in hidden_reports.values():
        assert hidden.title not in page
        assert hidden.tracking_number not in page
        assert hidden.tracking_number not in json.dumps(answer)
    assert shown.title in page
    assert {r["tracking_number"] for r in answer["results"]} == {
        shown.tracking_number,
        closed.tracking_number,
    }


def test_status_filter_cannot_reach_unverified_reports(client, api, hidden_reports):
    public_report(title="Jalan rusak terbuka")
    # The page ignores a status it does not offer; the API says it is invalid.
    page = client.get(reverse(FEED), {"status": "submitted"}).content.decode()
    assert "Jalan rusak terbuka" in page
    assert "Jalan rusak menunggu" not in page
    assert api.get(reverse(API_LIST), {"status": "submitted"}).status_code == 400
    assert api.get(reverse(API_LIST), {"status": "rejected"}).status_code == 400


@pytest.mark.parametrize("which", ["confidential", "submitted", "rejected", "draft"])
def test_report_that_is_not_public_is_404_for_others(client, api, hidden_reports, which):
    report = hidden_reports[which]
    assert client.get(detail_url(report)).status_code == 404
    assert api.get(api_detail_url(report)).status_code == 404
    client.force_login(UserFactory())
    assert client.get(detail_url(report)).status_code == 404


@pytest.mark.parametrize("which", ["confidential", "submitted", "rejected", "draft"])
def test_reporter_sees_own_report_that_is_not_public(client, api, hidden_reports, which):
    report = hidden_reports[which]
    client.force_login(report.reporter)
    response = client.get(detail_url(report))
    assert response.status_code == 200
    assert report.title in response.content.decode()
    assert "tidak tampil untuk umum" in response.content.decode()
    api.force_authenticate(report.reporter)
    answer = api.get(api_detail_url(report)).json()
    assert answer["is_public"] is False
    assert answer["may_support"] is False


def test_staff_of_the_holder_sees_a_confidential_report(client, hidden_reports, operator_a):
    client.force_login(operator_a)
    assert client.get(detail_url(hidden_reports["confidential"])).status_code == 200


def test_unknown_or_malformed_number_is_404(client, api, db):
    assert client.get(reverse("public:detail", args=["LPR-2222-2222"])).status_code == 404
    assert client.get(reverse("public:detail", args=["bukan-nomor"])).status_code == 404
    assert api.get(reverse("api:public-report-detail", args=["x"])).status_code == 404


def test_number_typed_in_lower_case_redirects_to_the_canonical_page(client, db):
    report = public_report()
    response = client.get(reverse("public:detail", args=[report.tracking_number.lower()]))
    assert response.status_code == 301
    assert response["Location"] == detail_url(report)


# --- no reporter names anywhere --------------------------------------------------------------


def test_anonymous_reporter_name_appears_nowhere(client, api, db):
    reporter = UserFactory(full_name="Rahasia Sekali Namanya")
    report = public_report(
        title="Pungutan liar di kantor kelurahan", reporter=reporter, is_anonymous=True
    )
    add_event(report, EventKind.RESPONSE, note="Sedang kami periksa.")
    viewer = UserFactory()
    secret = "Rahasia Sekali Namanya"

    responses = [
        client.get(reverse(FEED)),
        client.get(reverse(FEED), {"q": "pungutan"}),
        client.get(detail_url(report)),
        api.get(reverse(API_LIST)),
        api.get(reverse(API_LIST), {"q": "pungutan"}),
        api.get(api_detail_url(report)),
    ]
    client.force_login(viewer)
    api.force_authenticate(viewer)
    responses += [
        client.get(reverse(FEED)),
        client.get(detail_url(report)),
        api.get(reverse(API_LIST)),
        api.get(api_detail_url(report)),
    ]
    for response in responses:
        assert response.status_code == 200
        body = response.content.decode()
        assert report.tracking_number in body
        assert secret not in body
        assert reporter.email not in body


def test_feed_and_page_name_no_reporter_even_when_not_anonymous(client, api, db):
    reporter = UserFactory(full_name="Nama Pelapor Terbuka")
    report = public_report(reporter=reporter, is_anonymous=False)
    for response in (
        client.get(reverse(FEED)),
        client.get(detail_url(report)),
        api.get(reverse(API_LIST)),
        api.get(api_detail_url(report)),
    ):
        assert "Nama Pelapor Terbuka" not in response.content.decode()


def test_public_timeline_is_newest_first_with_body_names_not_staff_names(
    client, api, body_a, operator_a
):
    report = public_report()
    at = timezone.now().replace(microsecond=0) - timedelta(days=2)
    add_event(report, EventKind.DISPOSITIONED, to_body=body_a, at=at)
    add_event(
        report,
        EventKind.INTERNAL_NOTE,
        actor=operator_a,
        actor_body=body_a,
        note="Catatan internal rahasia",
        visibility=Visibility.STAFF,
        at=at + timedelta(hours=1),
    )
    add_event(
        report,
        EventKind.RESPONSE,
        actor=operator_a,
        actor_body=body_a,
        note="Perbaikan dijadwalkan minggu depan.",
        at=at + timedelta(hours=2),
    )

    page = client.get(detail_url(report)).content.decode()
    assert "Catatan internal rahasia" not in page
    assert operator_a.full_name not in page
    assert page.index("Perbaikan dijadwalkan") < page.index("Diteruskan ke instansi</strong>")
    assert body_a.name in page
    wib = (at + timedelta(hours=2)).astimezone(ZoneInfo(TimeZone.WIB.value))
    assert f"{wib:%H.%M} WIB" in page

    answer = api.get(api_detail_url(report)).json()
    assert [e["kind"] for e in answer["timeline"]] == ["response", "dispositioned"]
    assert answer["timeline"][0]["body"] == body_a.name
    assert operator_a.full_name not in json.dumps(answer)


def test_timeline_is_shown_in_the_viewers_time_zone(client, db):
    report = public_report()
    at = timezone.now().replace(microsecond=0)
    add_event(report, EventKind.RESPONSE, note="Dijawab.", at=at)
    viewer = UserFactory(time_zone=TimeZone.WIT)
    client.force_login(viewer)
    page = client.get(detail_url(report)).content.decode()
    assert f"{at.astimezone(ZoneInfo(TimeZone.WIT.value)):%H.%M} WIT" in page


def test_detail_shows_public_attachments_only(client, db):
    report = public_report()
    photo = image(report)
    internal = image(report, is_staff_only=True)
    page = client.get(detail_url(report)).content.decode()
    thumbnail = reverse("complaints:attachment-public-thumbnail", args=[photo.pk])
    assert thumbnail in page
    assert reverse("complaints:attachment-public", args=[photo.pk]) in page
    assert reverse("complaints:attachment", args=[internal.pk]) not in page
    # The original file name may hold a person's name: the public page does not show it.
    assert "foto_budi_santoso" not in page


# --- search --------------------------------------------------------------------------------


def test_search_finds_title_and_ranks_title_match_above_description_match(db):
    in_description = public_report(
        title="Keluhan warga RT 05",
        description="Sudah tiga bulan jalan rusak di depan sekolah tidak ditangani.",
        submitted_at=timezone.now(),
    )
    in_title = public_report(
        title="Jalan rusak di Jalan Pemuda",
        description="Lubang besar membahayakan pengendara.",
        submitted_at=timezone.now() - timedelta(days=3),
    )
    public_report(title="Lampu mati", description="Penerangan umum padam sejak Senin.")

    page = feed(FeedParams(q="jalan rusak"))
    assert page.sort == "relevance"
    assert numbers(page) == [in_title.tracking_number, in_description.tracking_number]


def test_relevance_ranks_only_the_newest_matches_and_newest_pages_through_all(
    db, monkeypatch
):
    monkeypatch.setattr("complaints.feed.RELEVANCE_CANDIDATES", 3)
    now = timezone.now()
    # The best match is the oldest: outside the 3 newest matches, relevance leaves it out.
    best_but_old = public_report(title="Jalan rusak jalan rusak", description="Jalan rusak.",
                                 submitted_at=now - timedelta(days=9))
    newer = [
        public_report(title=f"Keluhan warga nomor {i}", description="Ada jalan rusak di sini.",
                      submitted_at=now - timedelta(days=i))
        for i in range(1, 5)
    ]
    relevant = feed(FeedParams(q="jalan rusak"))
    assert set(numbers(relevant)) == {r.tracking_number for r in newer[:3]}
    everything = feed(FeedParams(q="jalan rusak", sort="newest"))
    assert numbers(everything) == [r.tracking_number for r in newer] + [
        best_but_old.tracking_number
    ]


@pytest.mark.parametrize("window", [4, 5000])
def test_newest_search_pages_through_every_match_past_the_window(db, monkeypatch, window):
    """A small window forces both paths: matches found in the window, and a rare stretch
    where the window holds fewer than a page and the search index takes over."""
    monkeypatch.setattr("complaints.feed.SEARCH_WINDOW", window)
    now = timezone.now()
    matches = []
    for i in range(14):
        report = public_report(
            title=f"Laporan warga nomor {i}",
            description="Air PDAM tidak mengalir." if i % 3 else "Lampu taman mati.",
            submitted_at=now - timedelta(hours=i),
        )
        if i % 3:
            matches.append(report.tracking_number)
    seen, cursor = [], ""
    for _ in range(10):
        page = feed(FeedParams(q="air pdam", sort="newest", page_size=3, cursor=cursor))
        seen += numbers(page)
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    assert seen == matches


def test_search_uses_indonesian_stemming(db):
    # The `indonesian` snowball stemmer strips the affixes: perbaikan, diperbaiki and
    # memperbaiki all become "baik"; pelayanan and dilayani become "layan".
    repaired = public_report(
        title="Lampu jalan", description="Lampu jalan sudah lama tidak diperbaiki."
    )
    served = public_report(title="Antrean puskesmas", description="Kami tidak dilayani petugas.")
    assert numbers(feed(FeedParams(q="perbaikan"))) == [repaired.tracking_number]
    assert numbers(feed(FeedParams(q="memperbaiki"))) == [repaired.tracking_number]
    assert numbers(feed(FeedParams(q="pelayanan"))) == [served.tracking_number]


def test_websearch_syntax_excludes_words(db):
    public_report(title="Jalan rusak", description="Aspal terkelupas.")
    flooded = public_report(title="Jalan banjir", description="Air setinggi lutut.")
    assert numbers(feed(FeedParams(q="jalan -rusak"))) == [flooded.tracking_number]


def test_snippet_marks_matches_and_escapes_markup(client, api, db):
    report = public_report(
        title="Keluhan",
        description='<script>alert("x")</script> Jalan rusak & berlubang <b>parah</b>.',
    )
    row = feed(FeedParams(q="rusak")).rows[0]
    assert "<mark>rusak</mark>" in row.snippet
    assert "&lt;/script&gt;" in row.snippet
    assert "<script" not in row.snippet
    assert "</script" not in row.snippet
    assert "<b>" not in row.snippet
    assert "&amp;" in row.snippet

    page = client.get(reverse(FEED), {"q": "rusak"}).content.decode()
    assert "<mark>rusak</mark>" in page
    assert "<script>alert" not in page
    assert "</script> Jalan" not in page
    assert "&lt;/script&gt; Jalan" in page

    result = api.get(reverse(API_LIST), {"q": "rusak"}).json()["results"][0]
    assert result["tracking_number"] == report.tracking_number
    assert "<mark>rusak</mark>" in result["snippet"]
    assert "<script>" not in result["snippet"]


def test_excerpt_without_search_is_plain_and_short(client, db):
    public_report(description="<i>miring</i> " + "kata " * 100)
    row = feed(FeedParams()).rows[0]
    assert row.snippet is None
    assert len(row.excerpt) <= 201
    assert row.excerpt.endswith("…")
    page = client.get(reverse(FEED)).content.decode()
    assert "&lt;i&gt;miring" in page
    assert "<i>miring" not in page


def test_search_without_words_finds_nothing_rather_than_failing(client, api, db):
    # Only quotes and a minus: websearch_to_tsquery finds no word in it, so nothing matches
    # (it is not taken for "no search", which would list every report).
    report = public_report(title="Trotoar ambles di Jalan Pandanaran")
    wordless = {"q": '"" -'}
    assert report.title in client.get(reverse(FEED)).content.decode()  # listed without it
    assert api.get(reverse(API_LIST)).json()["results"]

    response = client.get(reverse(FEED), wordless)
    assert response.status_code == 200
    assert response.context["page"].rows == []
    page = response.content.decode()
    assert "Tidak ada laporan yang cocok." in page
    assert report.title not in page and report.tracking_number not in page
    assert "report-card" not in page

    answer = api.get(reverse(API_LIST), wordless)
    assert answer.status_code == 200
    assert answer.json()["results"] == []


# --- filters -------------------------------------------------------------------------------


@pytest.fixture
def spread(body_a, body_b) -> dict[str, Report]:
    unit = Body.objects.add_child(
        body_a,
        create_kwargs={
            "name": "Dinas Pekerjaan Umum Kota Semarang", "kind": "unit", "region": body_a.region,
        },
    )
    return {
        "semarang": public_report(title="Semarang", kind="complaint"),
        "unit": public_report(
            title="Unit",
            holder_body=unit,
            kind="aspiration",
            category=Category.objects.get(slug="kesehatan"),
            status=ReportStatus.RESOLVED,
        ),
        "surabaya": surabaya_report(title="Surabaya", kind="information_request"),
        "unit_body": unit,
    }


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"province": "33"}, {"semarang", "unit"}),
        ({"province": "35"}, {"surabaya"}),
        ({"regency": "35.78"}, {"surabaya"}),
        ({"province": "33", "regency": "33.74"}, {"semarang", "unit"}),
        ({"category": "kesehatan"}, {"unit"}),
        ({"kind": "aspiration"}, {"unit"}),
        ({"kind": "information_request"}, {"surabaya"}),
        ({"status": "resolved"}, {"unit"}),
        ({"status": "in_progress"}, {"semarang", "surabaya"}),
        ({"body": "province-33"}, {"semarang", "unit"}),
        ({"body": "regency-33.74"}, {"semarang", "unit"}),
        ({"body": "unit"}, {"unit"}),
        ({"body": "regency-35.78"}, {"surabaya"}),
        ({"body": "root"}, {"semarang", "unit", "surabaya"}),
    ],
)
def test_filters(client, api, spread, params, expected):
    params = dict(params)
    if params.get("body") == "unit":
        params["body"] = spread["unit_body"].pk
    elif params.get("body") == "root":
        params["body"] = Body.objects.get_first_root_node().pk
    elif "body" in params:
        params["body"] = Body.objects.get(source_key=params["body"]).pk
    want = {spread[name].tracking_number for name in expected}

    assert set(numbers(feed(FeedParams(**params)))) == want
    results = api.get(reverse(API_LIST), params).json()["results"]
    assert {r["tracking_number"] for r in results} == want
    page = client.get(reverse(FEED), params).content.decode()
    for name in ("semarang", "unit", "surabaya"):
        assert (spread[name].tracking_number in page) == (name in expected)


def test_unknown_body_finds_nothing(db):
    public_report()
    assert feed(FeedParams(body=999_999_999)).rows == []


def test_regency_of_another_province_is_dropped(client, spread):
    page = client.get(reverse(FEED), {"province": "35", "regency": "33.74"}).content.decode()
    assert spread["surabaya"].tracking_number in page
    assert spread["semarang"].tracking_number not in page


def test_regency_choices_follow_the_chosen_province(client, db):
    assert "Kota Semarang</option>" not in client.get(reverse(FEED)).content.decode()
    page = client.get(reverse(FEED), {"province": "33"}).content.decode()
    assert '<option value="33.74">Kota Semarang</option>' in page
    assert "Kota Surabaya</option>" not in page


def test_empty_result_suggests_removing_filters(client, db):
    public_report(title="Jalan rusak")
    page = client.get(reverse(FEED), {"q": "gajah terbang"}).content.decode()
    assert "Tidak ada laporan yang cocok." in page
    assert "hapus semua filter" in page


def test_invalid_api_parameters_answer_400(api, db):
    assert api.get(reverse(API_LIST), {"page_size": 51}).status_code == 400
    assert api.get(reverse(API_LIST), {"kind": "gosip"}).status_code == 400
    assert api.get(reverse(API_LIST), {"sort": "acak"}).status_code == 400
    assert api.get(reverse(API_LIST), {"page_size": 50}).status_code == 200


# --- keyset pagination ---------------------------------------------------------------------


def walk(params: FeedParams) -> list[list[str]]:
    pages = []
    cursor = ""
    while True:
        page = feed(FeedParams(**{**params.__dict__, "cursor": cursor}))
        pages.append(numbers(page))
        if page.next_cursor is None:
            return pages
        cursor = page.next_cursor


@pytest.fixture
def forty_five(db) -> list[Report]:
    """45 public reports with ties on every sort key, so that pages must break ties by id."""
    now = timezone.now()
    reports = []
    for i in range(45):
        reports.append(
            public_report(
                title=f"Jalan rusak nomor {i}" if i % 2 else f"Laporan nomor {i}",
                description="Jalan rusak " * (1 + i % 3),
                submitted_at=now - timedelta(hours=i // 4),  # four reports per hour
                support_count=i % 5,
            )
        )
    return reports


@pytest.mark.parametrize(
    ("params", "key"),
    [
        (FeedParams(), lambda r: (-r.submitted_at.timestamp(), -r.pk)),
        (FeedParams(sort="oldest"), lambda r: (r.submitted_at.timestamp(), r.pk)),
        (FeedParams(sort="most_supported"), lambda r: (-r.support_count, -r.pk)),
        (FeedParams(q="jalan rusak"), None),
        (
            FeedParams(q="jalan rusak", sort="newest"),
            lambda r: (-r.submitted_at.timestamp(), -r.pk),
        ),
    ],
)
def test_keyset_pages_have_no_duplicates_and_no_gaps(forty_five, params, key):
    pages = walk(params)
    assert [len(p) for p in pages] == [20, 20, 5]
    seen = [number for page in pages for number in page]
    assert len(seen) == len(set(seen)) == 45
    if key is not None:
        assert seen == [r.tracking_number for r in sorted(forty_five, key=key)]
    else:
        # Relevance: the same order as one unpaginated query.
        everything = feed(FeedParams(q=params.q, page_size=50))
        assert seen == numbers(everything)


def test_keyset_pages_through_the_page_and_the_api(client, api, forty_five):
    seen: list[str] = []
    url = reverse(FEED)
    for expected in (20, 20, 5):
        response = client.get(url)
        page = response.context["page"]
        assert len(page.rows) == expected
        seen += numbers(page)
        if response.context["next_url"]:
            assert "Muat berikutnya" in response.content.decode()
            url = reverse(FEED) + response.context["next_url"]
    assert response.context["next_url"] is None
    assert len(set(seen)) == 45

    seen = []
    cursor = None
    for expected in (20, 20, 5):
        query = {"cursor": cursor} if cursor else {}
        answer = api.get(reverse(API_LIST), query).json()
        assert len(answer["results"]) == expected
        seen += [r["tracking_number"] for r in answer["results"]]
        cursor = answer["next_cursor"]
    assert cursor is None
    assert len(set(seen)) == 45

    answer = api.get(reverse(API_LIST), {"page_size": 7}).json()
    assert len(answer["results"]) == 7


def _b64(value: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "cursor",
    [
        "bukan-kursor",
        "%%%",
        _b64(["a", 1]),
        _b64({"s": "newest", "v": "kemarin", "i": 5}),
        _b64({"s": "newest", "v": "2026-01-01T00:00:00", "i": 5}),  # no time zone
        _b64({"s": "newest", "v": "2026-01-01T00:00:00+07:00", "i": "5"}),
        _b64({"s": "most_supported", "v": 3, "i": 5}),  # a cursor of another order
        _b64({"s": "newest", "v": "2026-01-01T00:00:00+07:00", "i": True}),
    ],
)
def test_tampered_cursor_gives_the_first_page(client, api, forty_five, cursor):
    first = numbers(feed(FeedParams()))
    assert numbers(feed(FeedParams(cursor=cursor))) == first
    response = client.get(reverse(FEED), {"cursor": cursor})
    assert response.status_code == 200
    assert numbers(response.context["page"]) == first
    answer = api.get(reverse(API_LIST), {"cursor": cursor}).json()
    assert [r["tracking_number"] for r in answer["results"]] == first


def test_default_feed_is_served_by_the_partial_index(forty_five):
    with connection.cursor() as cursor:
        # Small tables make a sequential scan cheapest; forbid it to see the index is usable.
        cursor.execute("SET LOCAL enable_seqscan = off")
    first = feed(FeedParams())
    for params in (FeedParams(), FeedParams(cursor=first.next_cursor)):
        plan = feed_queryset(params)[:21].explain()
        assert "report_public_feed_idx" in plan, plan


# --- query counts --------------------------------------------------------------------------


@pytest.fixture
def rich_reports(db):
    """Reports with images and a viewer who supported some of them."""
    viewer = UserFactory()
    reports = [public_report(title=f"Jalan rusak {i}") for i in range(25)]
    for report in reports[::2]:
        image(report)
        image(report)
        Support.objects.create(report=report, user=viewer)
    return viewer, reports


def _count(func) -> int:
    with CaptureQueriesContext(connection) as queries:
        func()
    return len(queries)


@pytest.mark.parametrize("q", ["", "jalan"])
def test_feed_queries_do_not_grow_with_page_size(rich_reports, django_assert_max_num_queries, q):
    viewer, _ = rich_reports
    for size in (5, 20):
        # The page, its images, the viewer's supports; a search first finds its ids (1 or 2).
        with django_assert_max_num_queries(5 if q else 3):
            page = feed(FeedParams(q=q, page_size=size), viewer=viewer)
        assert len(page.rows) == size
        assert sum(r.thumbnail_id is not None for r in page.rows) >= 2
        assert any(r.is_supported for r in page.rows)


def test_feed_page_and_api_queries_do_not_grow_with_page_size(
    client, api, rich_reports, django_assert_max_num_queries
):
    viewer, _ = rich_reports
    client.force_login(viewer)
    api.force_authenticate(viewer)
    counts = {}
    for size in (5, 20):
        # 10 today: session, user, memberships and unread notifications (menu), the page,
        # images, supports, provinces, regencies, categories. Room for the menu to grow.
        with django_assert_max_num_queries(12):
            response = client.get(reverse(FEED), {"page_size": size, "province": "33"})
        assert len(response.context["page"].rows) == size
        counts[("page", size)] = _count(
            lambda size=size: client.get(reverse(FEED), {"page_size": size, "province": "33"})
        )
        with django_assert_max_num_queries(3):
            answer = api.get(reverse(API_LIST), {"page_size": size}).json()
        assert len(answer["results"]) == size
        counts[("api", size)] = _count(
            lambda size=size: api.get(reverse(API_LIST), {"page_size": size})
        )
    assert counts[("page", 5)] == counts[("page", 20)]
    assert counts[("api", 5)] == counts[("api", 20)]


def test_detail_page_query_count(client, rich_reports, django_assert_max_num_queries):
    viewer, reports = rich_reports
    report = reports[0]
    for _ in range(5):
        add_event(report, EventKind.RESPONSE, note="Ditanggapi.")
    client.force_login(viewer)
    # 8 today: session, user, memberships, unread notifications, report, events,
    # attachments, support.
    with django_assert_max_num_queries(10):
        assert client.get(detail_url(report)).status_code == 200


# --- support -------------------------------------------------------------------------------


def test_support_once_then_a_message(client, db):
    report = public_report()
    citizen = UserFactory()
    client.force_login(citizen)
    back = reverse(FEED) + "?q=jalan"

    response = client.post(support_url(report), {"next": back}, follow=True)
    assert response.redirect_chain[-1][0] == back
    assert "dukungan Anda sudah tercatat" in response.content.decode()
    report.refresh_from_db()
    assert report.support_count == 1

    response = client.post(support_url(report), follow=True)
    assert response.redirect_chain[-1][0] == detail_url(report)
    assert "Anda sudah mendukung laporan ini." in response.content.decode()
    report.refresh_from_db()
    assert report.support_count == 1


def test_support_button_only_for_those_who_may_support(client, db):
    report = public_report()
    action = f'action="{support_url(report)}"'

    page = client.get(detail_url(report)).content.decode()
    assert action not in page
    assert "Masuk untuk mendukung" in page

    client.force_login(report.reporter)
    assert action not in client.get(detail_url(report)).content.decode()
    assert action not in client.get(reverse(FEED)).content.decode()

    citizen = UserFactory()
    client.force_login(citizen)
    assert action in client.get(detail_url(report)).content.decode()
    assert action in client.get(reverse(FEED)).content.decode()
    Support.objects.create(report=report, user=citizen)
    assert action not in client.get(reverse(FEED)).content.decode()
    assert "Anda sudah mendukung" in client.get(detail_url(report)).content.decode()


def test_support_of_own_report_is_refused(client, db):
    report = public_report()
    client.force_login(report.reporter)
    response = client.post(support_url(report), follow=True)
    assert "Anda tidak dapat mendukung laporan Anda sendiri." in response.content.decode()
    report.refresh_from_db()
    assert report.support_count == 0


def test_confidential_report_cannot_be_supported(client, db):
    report = public_report(is_confidential=True)
    client.force_login(UserFactory())
    assert client.post(support_url(report)).status_code == 404
    report.refresh_from_db()
    assert report.support_count == 0
    assert not Support.objects.filter(report=report).exists()


def test_support_needs_sign_in(client, db):
    report = public_report()
    response = client.post(support_url(report))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert "next=" in response["Location"]
    assert client.get(support_url(report)).status_code == 405


def test_support_does_not_redirect_off_site(client, db):
    report = public_report()
    client.force_login(UserFactory())
    response = client.post(support_url(report), {"next": "https://contoh.invalid/"})
    assert response["Location"] == detail_url(report)


def test_support_is_rate_limited(client, settings, db):
    settings.RATE_LIMITS = {"support": {"user": (1, 3600)}}
    first, second = public_report(), public_report()
    client.force_login(UserFactory())
    client.post(support_url(first))
    response = client.post(support_url(second), follow=True)
    assert "Terlalu banyak percobaan" in response.content.decode()
    second.refresh_from_db()
    assert second.support_count == 0


# --- the API -------------------------------------------------------------------------------


def test_api_support_201_then_400_with_the_same_message(api, db):
    report = public_report()
    api.force_authenticate(UserFactory())
    response = api.post(api_support_url(report))
    assert response.status_code == 201
    assert response.json() == {"support_count": 1}
    response = api.post(api_support_url(report))
    assert response.status_code == 400
    assert response.json() == {"detail": "Anda sudah mendukung laporan ini."}


def test_api_support_rules(api, db):
    report = public_report()
    confidential = public_report(is_confidential=True)
    assert api.post(api_support_url(report)).status_code in (401, 403)
    api.force_authenticate(report.reporter)
    response = api.post(api_support_url(report))
    assert response.status_code == 403
    assert response.json()["detail"] == "Anda tidak dapat mendukung laporan Anda sendiri."
    api.force_authenticate(UserFactory())
    assert api.post(api_support_url(confidential)).status_code == 404
    api.force_authenticate(confidential.reporter)
    assert api.post(api_support_url(confidential)).status_code == 400


def test_api_support_is_rate_limited(api, settings, db):
    settings.RATE_LIMITS = {"support": {"user": (1, 3600)}}
    first, second = public_report(), public_report()
    api.force_authenticate(UserFactory())
    assert api.post(api_support_url(first)).status_code == 201
    response = api.post(api_support_url(second))
    assert response.status_code == 429
    assert response.json()["detail"].startswith("Terlalu banyak percobaan")
    assert int(response["Retry-After"]) > 0


def test_api_rows_tell_the_viewer_what_they_may_do(api, rich_reports):
    viewer, reports = rich_reports
    api.force_authenticate(viewer)
    answer = api.get(reverse(API_LIST), {"page_size": 50}).json()
    rows = {r["tracking_number"]: r for r in answer["results"]}
    supported, other = reports[0], reports[1]
    assert rows[supported.tracking_number]["is_supported"] is True
    assert rows[supported.tracking_number]["may_support"] is False
    assert rows[supported.tracking_number]["thumbnail_url"] is not None
    assert rows[other.tracking_number]["may_support"] is True
    assert rows[other.tracking_number]["thumbnail_url"] is None
    assert "reporter" not in rows[other.tracking_number]


def test_api_detail_of_a_public_report(api, db):
    report = public_report(title="Sampah menumpuk", description="Belum diangkut seminggu.")
    image(report)
    answer = api.get(api_detail_url(report)).json()
    assert answer["title"] == "Sampah menumpuk"
    assert answer["holder_body"] == "Pemerintah Kota Semarang"
    assert answer["regency"] == "Kota Semarang"
    assert answer["is_public"] is True
    assert len(answer["attachments"]) == 1
    assert "reporter" not in answer
    assert "contact_name" not in answer
