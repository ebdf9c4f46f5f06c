"""The staff queues, pages and API: who sees which reports, the filters, the orders and their
keyset pages, counts per status, the routing rule's suggestion, no reporter identity, the
index the operators' queue uses, and query counts that do not grow with the page."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from agencies.models import Body, Region, Role
from complaints.models import Attachment, Category, Report, ReportStatus
from routing import queues
from routing.models import RoutingRule
from tests.conftest import body, make_user
from tests.factories import ReportFactory, UserFactory, public_report

pytestmark = pytest.mark.django_db

QUEUE = "/petugas/antrean/"
VERIFICATION = "/petugas/verifikasi/"
QUEUE_API = "/api/v1/staff/queue/"
VERIFICATION_API = "/api/v1/staff/verification/"
SECRET_NAME = "Nama Rahasia Pelapor"


def held(holder: Body | None = None, **kwargs: object) -> Report:
    """A report held by ``holder`` (default Kota Semarang) since an hour ago."""
    now = timezone.now()
    kwargs.setdefault("held_since", now - timedelta(hours=1))
    kwargs.setdefault("due_at", now + timedelta(hours=23))
    if holder is not None:
        kwargs["holder_body"] = holder
    return public_report(**kwargs)


def page_of(client, url: str, **params: object) -> str:
    response = client.get(url, params)
    assert response.status_code == 200, response.content.decode()[:2000]
    return response.content.decode()


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def api_numbers(user, url: str, **params: object) -> list[str]:
    response = api(user).get(url, params)
    assert response.status_code == 200, response.content
    return [row["tracking_number"] for row in response.json()["results"]]


def shown(html: str, *reports: Report) -> list[bool]:
    return [r.tracking_number in html for r in reports]


@pytest.fixture
def unit_a(body_a) -> Body:
    return Body.objects.add_child(
        body_a,
        create_kwargs={
            "name": "Dinas Perhubungan Kota Semarang", "kind": "unit", "region": body_a.region,
        },
    )


# --- who sees what ------------------------------------------------------------------------


def test_operator_sees_only_their_bodys_reports(client, operator_a, body_a, body_b):
    mine, theirs = held(body_a), held(body_b)
    client.force_login(operator_a)
    assert shown(page_of(client, QUEUE), mine, theirs) == [True, False]
    assert api_numbers(operator_a, QUEUE_API) == [mine.tracking_number]


def test_operator_b_sees_none_of_as_reports(client, operator_b, body_a, body_b):
    theirs = held(body_a)
    client.force_login(operator_b)
    html = page_of(client, QUEUE)
    assert theirs.tracking_number not in html
    assert "Tidak ada laporan di antrean ini." in html
    assert api_numbers(operator_b, QUEUE_API) == []
    # Naming A's body does not widen B's scope.
    assert api_numbers(operator_b, QUEUE_API, body=body_a.pk) == []


def test_supervisor_sees_their_body_and_the_units_below_not_another_province(
    client, supervisor_a, body_a, body_b, unit_a
):
    at_a, at_unit, at_b = held(body_a), held(unit_a), held(body_b)
    client.force_login(supervisor_a)
    html = page_of(client, QUEUE)
    assert shown(html, at_a, at_unit, at_b) == [True, True, False]
    assert "Dinas Perhubungan Kota Semarang" in html  # the holder column and the selector
    assert sorted(api_numbers(supervisor_a, QUEUE_API)) == sorted(
        [at_a.tracking_number, at_unit.tracking_number]
    )
    rows = api(supervisor_a).get(QUEUE_API).json()["results"]
    assert {row["holder_body"]["name"] for row in rows} == {body_a.name, unit_a.name}


def test_supervisor_picks_one_body_of_the_subtree(client, supervisor_a, body_a, unit_a):
    at_a, at_unit = held(body_a), held(unit_a)
    client.force_login(supervisor_a)
    html = page_of(client, QUEUE, body=unit_a.pk)
    assert shown(html, at_a, at_unit) == [False, True]
    assert f'<option value="{unit_a.pk}" selected>' in html


def test_a_large_subtree_is_searched_by_body_name(client, body_a, body_b):
    supervisor = make_user("pimpinan.kemendagri@example.id", "Pimpinan Kemendagri",
                           Role.SUPERVISOR, "kemendagri")
    at_a, at_b = held(body_a), held(body_b)
    client.force_login(supervisor)
    html = page_of(client, QUEUE)
    assert 'name="body_q"' in html and 'name="body"' not in html  # no select of 550 bodies
    assert shown(html, at_a, at_b) == [True, True]
    html = page_of(client, QUEUE, body_q="Kota Semarang")
    assert f'<option value="{body_a.pk}">' in html
    assert f'<option value="{body_b.pk}">' not in html
    html = page_of(client, QUEUE, body=body_a.pk)
    assert f'<option value="{body_a.pk}" selected>' in html
    assert shown(html, at_a, at_b) == [True, False]


@pytest.mark.parametrize(
    "who", ["citizen", "ombudsman_jateng", "verifier_jateng", "verifier_national", "system_admin"]
)
def test_only_operators_and_supervisors_open_the_queue(client, request, who, body_a):
    held(body_a)
    user = request.getfixturevalue(who)
    client.force_login(user)
    assert client.get(QUEUE).status_code == 404
    response = api(user).get(QUEUE_API)
    assert response.status_code == 403
    assert "Hanya operator dan pimpinan" in response.json()["detail"]


@pytest.mark.parametrize("who", ["citizen", "operator_a", "supervisor_a", "ombudsman_jateng"])
def test_only_verifiers_open_the_verification_queue(client, request, who):
    ReportFactory()
    user = request.getfixturevalue(who)
    client.force_login(user)
    assert client.get(VERIFICATION).status_code == 404
    response = api(user).get(VERIFICATION_API)
    assert response.status_code == 403
    assert "Hanya verifikator" in response.json()["detail"]


def test_anonymous_visitors_are_sent_to_log_in_or_refused(client):
    assert client.get(QUEUE).status_code == 302
    assert client.get(VERIFICATION).status_code == 302
    assert APIClient().get(QUEUE_API).status_code == 401
    assert APIClient().get(VERIFICATION_API).status_code == 401


def jatim_report(**kwargs: object) -> Report:
    kwargs.setdefault("province", Region.objects.get(code="35"))
    kwargs.setdefault("regency", Region.objects.get(code="35.78"))
    return ReportFactory(**kwargs)


def test_provincial_verifier_sees_new_reports_of_its_province_only(
    client, verifier_jateng, verifier_national, body_a
):
    jateng, jatim = ReportFactory(), jatim_report()
    already_held = held(body_a)
    client.force_login(verifier_jateng)
    html = page_of(client, VERIFICATION)
    assert shown(html, jateng, jatim, already_held) == [True, False, False]
    assert "1 laporan menunggu verifikasi." in html
    assert api_numbers(verifier_jateng, VERIFICATION_API) == [jateng.tracking_number]
    client.force_login(verifier_national)
    assert shown(page_of(client, VERIFICATION), jateng, jatim) == [True, True]
    assert sorted(api_numbers(verifier_national, VERIFICATION_API)) == sorted(
        [jateng.tracking_number, jatim.tracking_number]
    )


# --- filters ------------------------------------------------------------------------------


@pytest.fixture
def spread(body_a, unit_a) -> dict[str, Report]:
    now = timezone.now()
    return {
        "lamp": held(body_a, title="Lampu jalan padam", due_at=now + timedelta(hours=5)),
        "unit": held(
            unit_a,
            title="Antrean puskesmas panjang",
            kind="aspiration",
            category=Category.objects.get(slug="kesehatan"),
            status=ReportStatus.RESOLVED,
            due_at=now - timedelta(hours=3),
        ),
        "info": held(
            body_a,
            title="Data anggaran sekolah",
            kind="information_request",
            regency=Region.objects.get(code="33.01"),
            status=ReportStatus.DISPOSITIONED,
            due_at=now + timedelta(days=3),
        ),
    }


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, {"lamp", "unit", "info"}),
        ({"status": "resolved"}, {"unit"}),
        ({"status": "closed"}, set()),
        ({"kind": "aspiration"}, {"unit"}),
        ({"category": "kesehatan"}, {"unit"}),
        ({"province": "33"}, {"lamp", "unit", "info"}),
        ({"province": "35"}, set()),
        ({"regency": "33.01"}, {"info"}),
        ({"overdue": "1"}, {"unit"}),
        ({"q": "lampu"}, {"lamp"}),
        ({"province": "33", "regency": "35.78"}, {"lamp", "unit", "info"}),  # stale regency
        ({"kind": "tidak-ada"}, {"lamp", "unit", "info"}),  # dropped on the page
    ],
)
def test_queue_filters(client, supervisor_a, spread, params, expected):
    client.force_login(supervisor_a)
    html = page_of(client, QUEUE, **params)
    assert {k for k, r in spread.items() if r.tracking_number in html} == expected
    response = api(supervisor_a).get(QUEUE_API, params)
    if "tidak-ada" in params.values():
        assert response.status_code == 400
        assert "kind" in response.json()
        return
    found = {row["tracking_number"] for row in response.json()["results"]}
    assert {k for k, r in spread.items() if r.tracking_number in found} == expected


def test_queue_filters_by_body_and_due_date(client, supervisor_a, spread, unit_a):
    client.force_login(supervisor_a)
    html = page_of(client, QUEUE, body=unit_a.pk)
    assert {k for k, r in spread.items() if r.tracking_number in html} == {"unit"}
    due_before = timezone.localdate() + timedelta(days=2)
    html = page_of(client, QUEUE, due_before=due_before.isoformat())
    assert {k for k, r in spread.items() if r.tracking_number in html} == {"lamp", "unit"}
    assert f'value="{due_before.isoformat()}"' in html


def test_a_bad_date_or_cursor_is_ignored_not_a_server_error(client, operator_a, body_a):
    report = held(body_a)
    client.force_login(operator_a)
    for params in (
        {"due_before": "2025-02-30"},
        {"due_before": "kemarin"},
        {"cursor": "bukan-kursor"},
        {"cursor": "eyJhdCI6IDEyLCAiaWQiOiAzfQ"},  # {"at": 12, "id": 3}
        {"sort": "acak"},
    ):
        assert report.tracking_number in page_of(client, QUEUE, **params)
    assert api(operator_a).get(QUEUE_API, {"due_before": "2025-02-30"}).status_code == 400
    assert api(operator_a).get(QUEUE_API, {"page_size": 101}).status_code == 400
    assert api(operator_a).get(QUEUE_API, {"page_size": "x"}).status_code == 400


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, {"semarang", "surabaya", "aspiration"}),
        ({"kind": "aspiration"}, {"aspiration"}),
        ({"category": "kesehatan"}, {"aspiration"}),
        ({"province": "35"}, {"surabaya"}),
        ({"regency": "33.74"}, {"semarang"}),
        ({"q": "banjir"}, {"surabaya"}),
    ],
)
def test_verification_filters(client, verifier_national, params, expected):
    reports = {
        "semarang": ReportFactory(title="Jalan rusak di Semarang"),
        "surabaya": jatim_report(title="Banjir tidak surut"),
        "aspiration": ReportFactory(
            title="Usul taman kota",
            kind="aspiration",
            category=Category.objects.get(slug="kesehatan"),
            regency=Region.objects.get(code="33.01"),
        ),
    }
    client.force_login(verifier_national)
    html = page_of(client, VERIFICATION, **params)
    assert {k for k, r in reports.items() if r.tracking_number in html} == expected
    found = set(api_numbers(verifier_national, VERIFICATION_API, **params))
    assert {k for k, r in reports.items() if r.tracking_number in found} == expected


# --- order and pages ----------------------------------------------------------------------


def test_due_sort_puts_overdue_first_and_reports_without_a_deadline_last(
    client, operator_a, body_a
):
    now = timezone.now()
    later = held(body_a, due_at=now + timedelta(hours=20))
    none = held(body_a, due_at=None)
    overdue = held(body_a, due_at=now - timedelta(hours=3, minutes=10))
    soon = held(body_a, due_at=now + timedelta(hours=2))
    expected = [overdue, soon, later, none]
    assert api_numbers(operator_a, QUEUE_API) == [r.tracking_number for r in expected]
    client.force_login(operator_a)
    html = page_of(client, QUEUE)
    positions = [html.index(r.tracking_number) for r in expected]
    assert positions == sorted(positions)
    assert "terlambat 3 jam" in html
    assert html.count('class="flag"') == 1  # the overdue row is marked in words
    assert "Tidak ada tenggat" in html
    rows = {r["tracking_number"]: r for r in api(operator_a).get(QUEUE_API).json()["results"]}
    assert rows[overdue.tracking_number]["is_overdue"] is True
    assert rows[soon.tracking_number]["is_overdue"] is False
    assert rows[none.tracking_number]["is_overdue"] is False


def test_deadline_is_shown_in_the_holding_bodys_time_zone(client):
    makassar = body("regency-73.71")
    operator = make_user("operator.makassar@example.id", "Operator Makassar", Role.OPERATOR,
                         "regency-73.71")
    due = timezone.now().replace(microsecond=0) + timedelta(days=5)
    due = due.replace(hour=1, minute=0, second=0)  # 01.00 UTC is 09.00 WITA
    held(makassar, due_at=due, holder_responded_at=None)
    client.force_login(operator)
    html = page_of(client, QUEUE)
    assert "09.00 WITA" in html
    assert "Belum ditanggapi" in html
    assert re.search(r"sisa \d+ hari \d+ jam", html)


def collect(user, url: str, **params: object) -> tuple[list[str], list[int]]:
    """Every tracking number of the queue, following next_cursor; and the page lengths."""
    numbers: list[str] = []
    sizes: list[int] = []
    cursor = ""
    while True:
        response = api(user).get(url, {**params, **({"cursor": cursor} if cursor else {})})
        assert response.status_code == 200
        data = response.json()
        numbers += [row["tracking_number"] for row in data["results"]]
        sizes.append(len(data["results"]))
        cursor = data["next_cursor"]
        if not cursor:
            return numbers, sizes


@pytest.fixture
def sixty(body_a) -> list[Report]:
    """60 reports: deadlines and holding times with ties (so the id decides), 20 without a
    deadline (so a page crosses into them)."""
    base = timezone.now().replace(microsecond=0)
    reports = []
    for i in range(60):
        reports.append(
            held(
                body_a,
                due_at=None if i % 3 == 0 else base + timedelta(hours=(i * 7) % 11),
                held_since=base - timedelta(hours=(i * 5) % 13),
            )
        )
    return reports


@pytest.mark.parametrize("sort", ["due", "age", "newest"])
def test_keyset_pages_have_no_duplicates_or_gaps(operator_a, sixty, sort):
    key = "due_at" if sort == "due" else "held_since"
    present = [r for r in sixty if getattr(r, key) is not None]
    absent = sorted((r for r in sixty if getattr(r, key) is None), key=lambda r: r.pk)
    ordered = sorted(present, key=lambda r: (getattr(r, key), r.pk), reverse=sort == "newest")
    expected = [r.tracking_number for r in ordered + absent]
    numbers, sizes = collect(operator_a, QUEUE_API, sort=sort)
    assert sizes == [25, 25, 10]
    assert numbers == expected


@pytest.mark.parametrize("sort", ["due", "age", "newest"])
def test_supervisor_pages_merge_every_body_in_order(supervisor_a, body_a, unit_a, sort):
    """A supervisor's queue is read per body and merged: across pages, every report of the
    subtree once, in one global order, ties broken by id, those without a deadline last."""
    other = Body.objects.get(source_key="regency-33.01")
    base = timezone.now().replace(microsecond=0)
    reports = [
        held(
            (body_a, unit_a, other)[i % 3],
            due_at=None if i % 4 == 0 else base + timedelta(hours=(i * 7) % 11),
            held_since=base - timedelta(hours=(i * 5) % 13),
        )
        for i in range(45)
    ]
    held(Body.objects.get(source_key="regency-35.78"))  # another province: never listed
    key = "due_at" if sort == "due" else "held_since"
    present = [r for r in reports if getattr(r, key) is not None]
    absent = sorted((r for r in reports if getattr(r, key) is None), key=lambda r: r.pk)
    ordered = sorted(present, key=lambda r: (getattr(r, key), r.pk), reverse=sort == "newest")
    numbers, sizes = collect(supervisor_a, QUEUE_API, sort=sort, page_size=10)
    assert sizes == [10, 10, 10, 10, 5]
    assert numbers == [r.tracking_number for r in ordered + absent]


def test_supervisor_queue_reads_a_page_per_body_through_the_index(supervisor_a, body_a, unit_a):
    for i in range(30):
        held((body_a, unit_a)[i % 2])
    filters = queues.QueueFilters()
    bodies = list(queues._held_bodies(supervisor_a, filters).values_list("pk", flat=True))
    held_open = queues._held(Report.objects.all(), filters, supervisor_a)
    part = queues.page_querysets(held_open, sort="due")[0]
    with CaptureQueriesContext(connection) as captured:
        queues._per_body_ids(part, bodies, 26)
    sql = captured.captured_queries[-1]["sql"]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        # Tiny tables may make sorting one body's few rows look cheapest; what is asserted
        # is that its index range gives the order (the merge above still sorts).
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("EXPLAIN " + sql)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    # For each body (Function Scan on unnest) a limited index range scan, then the merge.
    assert "Nested Loop" in plan and "Function Scan on unnest" in plan, plan
    assert re.search(r"Limit.*\n.*Index (Only )?Scan using report_queue_due_idx", plan), plan


def test_page_follows_the_next_link(client, operator_a, sixty):
    client.force_login(operator_a)
    seen: list[str] = []
    url = QUEUE
    for _ in range(3):
        html = client.get(url).content.decode()
        seen += re.findall(r'<span class="tracking">(LPR-[A-Z0-9-]+)</span>', html)
        match = re.search(r'<a rel="next" class="button" href="([^"]+)">Muat berikutnya', html)
        url = QUEUE + unescape(match.group(1)) if match else None
    assert url is None
    assert len(seen) == 60 and len(set(seen)) == 60


def test_verification_keyset_oldest_first(verifier_jateng):
    base = timezone.now()
    reports = [ReportFactory(submitted_at=base - timedelta(minutes=i % 7)) for i in range(30)]
    expected = sorted(reports, key=lambda r: (r.submitted_at, r.pk))
    numbers, sizes = collect(verifier_jateng, VERIFICATION_API, page_size=12)
    assert sizes == [12, 12, 6]
    assert numbers == [r.tracking_number for r in expected]


# --- counts, suggestions, privacy ---------------------------------------------------------


def test_counts_per_status(client, operator_a, body_a, body_b):
    for status, n in (
        (ReportStatus.DISPOSITIONED, 2),
        (ReportStatus.IN_PROGRESS, 1),
        (ReportStatus.RESOLVED, 3),
        (ReportStatus.CLOSED, 1),
    ):
        for _ in range(n):
            held(body_a, status=status)
    held(body_b, status=ReportStatus.IN_PROGRESS)
    counts = api(operator_a).get(QUEUE_API).json()["counts"]
    assert counts["dispositioned"] == 2
    assert counts["in_progress"] == 1
    assert counts["resolved"] == 3
    assert counts["closed"] == 1
    assert counts["submitted"] == 0
    client.force_login(operator_a)
    html = page_of(client, QUEUE)
    assert "Semua yang terbuka: <strong>6</strong>" in html
    assert "Diteruskan ke instansi: <strong>2</strong>" in html
    assert "Selesai: <strong>1</strong>" in html
    # The counts link to the status filter; the closed one lists the closed report only.
    assert 'href="?status=closed"' in html
    assert len(api_numbers(operator_a, QUEUE_API, status="closed")) == 1


def test_suggestion_comes_from_the_most_specific_rule(client, verifier_jateng):
    infrastructure = Category.objects.get(slug="infrastruktur")
    semarang, jateng = Region.objects.get(code="33.74"), Region.objects.get(code="33")
    RoutingRule.objects.create(category=None, region=None, body=body("kemenpanrb"))
    RoutingRule.objects.create(category=infrastructure, region=jateng, body=body("province-33"))
    RoutingRule.objects.create(category=None, region=semarang, body=body("regency-35.78"))
    RoutingRule.objects.create(
        category=infrastructure, region=semarang, body=body("regency-33.74")
    )
    in_semarang = ReportFactory()
    in_cilacap = ReportFactory(regency=Region.objects.get(code="33.01"))
    uncovered = jatim_report(category=Category.objects.get(slug="kesehatan"))
    RoutingRule.objects.filter(region=None).update(is_active=False)
    Attachment.objects.create(
        report=in_semarang, file="attachments/x.jpg", original_name="x.jpg",
        content_type="image/jpeg", size=10,
    )

    client.force_login(verifier_jateng)
    html = page_of(client, VERIFICATION)
    assert body("regency-33.74").name in html and body("province-33").name in html
    assert body("regency-35.78").name not in html  # a less specific rule for the same place
    assert "Belum ada aturan" not in html
    rows = {
        r["tracking_number"]: r
        for r in api(verifier_jateng).get(VERIFICATION_API).json()["results"]
    }
    assert rows[in_semarang.tracking_number]["suggested_body"]["id"] == body("regency-33.74").pk
    assert rows[in_semarang.tracking_number]["attachment_count"] == 1
    assert rows[in_cilacap.tracking_number]["suggested_body"]["id"] == body("province-33").pk
    assert rows[in_cilacap.tracking_number]["attachment_count"] == 0
    verifier = make_user("verif.2@example.id", "Verifikator Dua", Role.VERIFIER, "kemenpanrb")
    rows = {
        r["tracking_number"]: r for r in api(verifier).get(VERIFICATION_API).json()["results"]
    }
    assert rows[uncovered.tracking_number]["suggested_body"] is None
    client.force_login(verifier)
    assert "Belum ada aturan" in page_of(client, VERIFICATION, province="35")


def test_reporter_identity_never_appears_in_queues(
    client, operator_a, supervisor_a, verifier_jateng, body_a
):
    reporter = UserFactory(
        full_name=SECRET_NAME, email="rahasia.pelapor@example.id", phone="081299990000"
    )
    secrets = (SECRET_NAME, "rahasia.pelapor@example.id", "081299990000")
    held(body_a, reporter=reporter, is_anonymous=True)
    ReportFactory(reporter=reporter, is_anonymous=True)
    ReportFactory(
        reporter=None, contact_name=SECRET_NAME, contact_email="rahasia.pelapor@example.id",
        contact_phone="081299990000",
    )
    for user, urls in (
        (operator_a, (QUEUE, QUEUE_API)),
        (supervisor_a, (QUEUE, QUEUE_API)),
        (verifier_jateng, (VERIFICATION, VERIFICATION_API)),
    ):
        client.force_login(user)
        page = page_of(client, urls[0])
        payload = api(user).get(urls[1]).content.decode()
        for secret in secrets:
            assert secret not in page
            assert secret not in payload
        assert "LPR-" in page and "LPR-" in payload  # the reports themselves are listed


# --- plans and query counts ---------------------------------------------------------------


def explain(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        # Tiny test tables (and whatever statistics earlier tests left) can make sorting a
        # handful of rows look cheapest; what is asserted is that the index gives the order,
        # which it does whether or not sorting is allowed.
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_operator_queue_by_due_uses_the_due_index(operator_a, body_a, sixty):
    filters = queues.QueueFilters.from_params({"sort": "due"})
    listing = queues.for_listing(queues.held_reports(operator_a, filters))
    first, _ = queues.page_querysets(listing, sort="due")
    plan = explain(first[: queues.PAGE_SIZE + 1])
    print(plan)  # noqa: T201 - kept in the test output (pytest -s) as the plan of record
    assert "report_queue_due_idx" in plan
    assert not re.search(r"^\s*(->\s*)?Sort\b", plan, re.MULTILINE)  # the index gives the order
    # The next page starts from the cursor inside the same index.
    _, cursor = queues.page(listing, sort="due", size=10)
    after, _ = queues.page_querysets(listing, sort="due", cursor=cursor)
    plan = explain(after[: queues.PAGE_SIZE + 1])
    assert "report_queue_due_idx" in plan
    assert re.search(r"Index Cond: .*due_at >=", plan)


def test_provincial_verification_queue_uses_the_verification_index(verifier_jateng):
    base = timezone.now()
    for i in range(30):
        ReportFactory(submitted_at=base - timedelta(minutes=i))
    waiting = queues.for_listing(
        queues.verification_reports(verifier_jateng, queues.QueueFilters())
    )
    first, _ = queues.page_querysets(waiting, sort="age", age_field="submitted_at")
    plan = explain(first[: queues.PAGE_SIZE + 1])
    # either partial index serves it in order (which one depends on the statistics)
    assert re.search(r"report_verification(_all)?_idx", plan), plan
    assert not re.search(r"^\s*(->\s*)?Sort\b", plan, re.MULTILINE)


def test_national_verification_queue_reads_in_order_without_sorting(verifier_national):
    base = timezone.now()
    for i in range(30):
        ReportFactory(submitted_at=base - timedelta(minutes=i))
    waiting = queues.for_listing(
        queues.verification_reports(verifier_national, queues.QueueFilters())
    )
    first, _ = queues.page_querysets(waiting, sort="age", age_field="submitted_at")
    plan = explain(first[: queues.PAGE_SIZE + 1])
    assert "report_verification_all_idx" in plan, plan
    assert not re.search(r"^\s*(->\s*)?Sort\b", plan, re.MULTILINE)


@pytest.mark.parametrize("n", [5, 25])
def test_queue_queries_do_not_grow_with_the_rows(
    client, supervisor_a, body_a, unit_a, n, django_assert_max_num_queries
):
    for i in range(n):
        held(body_a if i % 2 else unit_a, due_at=None if i % 5 == 0 else timezone.now())
    client.force_login(supervisor_a)
    # 16: one of them reads the second-factor device this session was verified with
    # (django-otp's middleware), as on every staff page; one reads whom the supervisor may
    # assign the checked reports to; one range scan reads the overdue "darurat" reports first.
    with django_assert_max_num_queries(16):
        assert client.get(QUEUE).status_code == 200
    client_api = api(supervisor_a)
    with django_assert_max_num_queries(8):  # likewise
        assert len(client_api.get(QUEUE_API).json()["results"]) == n


@pytest.mark.parametrize("n", [5, 25])
def test_verification_queries_do_not_grow_with_the_rows(
    client, verifier_national, n, django_assert_max_num_queries
):
    for i in range(n):
        report = ReportFactory() if i % 2 else jatim_report()
        Attachment.objects.create(
            report=report, file="attachments/x.pdf", original_name="x.pdf",
            content_type="application/pdf", size=10,
        )
    RoutingRule.objects.create(category=None, region=None, body=body("kemenpanrb"))
    client.force_login(verifier_national)
    with django_assert_max_num_queries(12):
        assert client.get(VERIFICATION).status_code == 200
    client_api = api(verifier_national)
    with django_assert_max_num_queries(6):
        assert len(client_api.get(VERIFICATION_API).json()["results"]) == n
