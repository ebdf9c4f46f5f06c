"""Similar public reports while filing (issue 16): the lookup (region, category, words,
public and open only, five at most), the step before submitting without JavaScript that keeps
everything typed and uploaded, "Tetap kirim laporan saya" in one tap, support instead, the
JSON endpoint the page's script asks, and the query plan through the candidate index."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.db import connection, connections
from rest_framework.test import APIClient

from agencies.models import Region
from complaints import similar
from complaints.api.similar import SimilarResultSerializer
from complaints.models import Category, Report, ReportStatus, Support
from tests.complaints.images import png
from tests.factories import ReportFactory, UserFactory, public_report

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def citizen_client(client):
    user = UserFactory(full_name="Siti Aminah")
    client.force_login(user)
    client.user = user
    return client


def _infra() -> Category:
    return Category.objects.get(slug="infrastruktur")


def _bridge(**kwargs: object) -> Report:
    kwargs.setdefault("title", "Jembatan Kali Garang retak dan miring")
    kwargs.setdefault("description", "Jembatan di atas Kali Garang retak, tiangnya miring, "
                                     "kendaraan berat masih lewat setiap hari.")
    kwargs.setdefault("district", Region.objects.get(code="33.74.01"))
    return public_report(**kwargs)


def _typed(**overrides: object) -> similar.Typed:
    values: dict[str, object] = {
        "title": "Jembatan Kali Garang retak", "description": "Jembatannya miring, berbahaya.",
        "category_id": _infra().pk, "regency_id": Region.objects.get(code="33.74").pk,
        "district_id": Region.objects.get(code="33.74.01").pk,
    }
    values.update(overrides)
    return similar.Typed(**values)  # type: ignore[arg-type]


def _form(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "action": "submit", "kind": "complaint",
        "title": "Jembatan Kali Garang retak parah",
        "description": "Jembatan Kali Garang miring dan retak, takut ambruk saat hujan.",
        "category": str(_infra().pk), "province": "33", "regency": "33.74",
        "district": "33.74.01", "latitude": "", "longitude": "", "event_on": "2026-11-20",
    }
    data.update(overrides)
    return data


# --- the lookup -------------------------------------------------------------------------

def test_a_public_report_about_the_same_thing_nearby_is_found_with_its_status():
    bridge = _bridge()
    found = similar.similar_public_reports(_typed())
    assert [r.tracking_number for r in found] == [bridge.tracking_number]
    assert found[0].status == ReportStatus.IN_PROGRESS
    assert found[0].status_label == "Sedang ditindaklanjuti"
    assert 0 < found[0].score <= 1


def test_another_subject_another_regency_or_category_is_not_similar():
    _bridge(title="Lampu jalan mati di Jalan Pemuda",
            description="Lampu penerangan jalan mati sejak seminggu.")
    _bridge(regency=Region.objects.get(code="35.78"), district=None,
            province=Region.objects.get(code="35"))
    _bridge(category=Category.objects.exclude(slug="infrastruktur").first())
    assert similar.similar_public_reports(_typed()) == []


def test_only_public_open_reports_are_shown_never_a_new_confidential_or_closed_one():
    ReportFactory(title="Jembatan Kali Garang retak dan miring")  # submitted: not public
    _bridge(is_confidential=True)
    _bridge(status=ReportStatus.CLOSED)
    _bridge(status=ReportStatus.REJECTED)
    assert similar.similar_public_reports(_typed()) == []


def test_at_most_five_best_first_and_nothing_without_category_region_or_words():
    for n in range(7):
        _bridge(title=f"Jembatan Kali Garang retak {n}")
    best = _bridge(title="Jembatan Kali Garang retak")
    found = similar.similar_public_reports(_typed())
    assert len(found) == 5
    assert found[0].tracking_number == best.tracking_number
    assert [r.score for r in found] == sorted((r.score for r in found), reverse=True)
    assert similar.similar_public_reports(_typed(category_id=None)) == []
    assert similar.similar_public_reports(_typed(regency_id=None)) == []
    assert similar.similar_public_reports(_typed(title="", description="  ")) == []


def test_the_same_kecamatan_scores_higher_than_elsewhere_in_the_regency():
    here = _bridge()
    there = _bridge(district=Region.objects.get(code="33.74.02"))
    found = similar.similar_public_reports(_typed())
    assert [r.tracking_number for r in found] == [here.tracking_number, there.tracking_number]
    assert found[0].score > found[1].score


def test_may_support_says_whether_the_viewer_can_still_support():
    citizen = UserFactory()
    supported, own, other = _bridge(), _bridge(reporter=citizen), _bridge()
    Support.objects.create(report=supported, user=citizen)
    rows = {r.tracking_number: r for r in similar.similar_public_reports(_typed(),
                                                                         viewer=citizen)}
    assert rows[supported.tracking_number].is_supported
    assert not rows[supported.tracking_number].may_support
    assert not rows[own.tracking_number].may_support
    assert rows[other.tracking_number].may_support


def test_the_candidate_set_is_read_through_the_similar_index():
    _bridge()
    for public in (True, False):
        sql, params = similar.lookup_statement(
            _typed(), statuses=similar.PUBLIC_OPEN_STATUSES if public
            else similar.INDEXED_STATUSES, public=public, exclude_id=1)
        with connection.cursor() as cursor:
            # A test table is small: without these the planner may as well sort a few rows
            # read through another index; at scale the index's order is what bounds the read.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_sort = off")
            cursor.execute("EXPLAIN " + sql, params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        assert "report_similar_idx" in plan, plan
        assert "Limit" in plan  # the candidates are bounded


def test_submit_shows_similar_reports_once_keeping_everything_typed_and_uploaded(
        citizen_client):
    bridge = _bridge()
    response = citizen_client.post("/lapor/", _form(attachments=[png()]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Laporan serupa di sekitar Anda" in html
    assert "Laporan Anda belum terkirim: ada laporan serupa di sekitar Anda." in html
    assert bridge.tracking_number in html and "Sedang ditindaklanjuti" in html
    assert "Dukung laporan ini" in html
    assert "Tetap kirim laporan saya" in html
    assert f'action="/publik/{bridge.tracking_number}/dukung/"' in html
    # nothing lost: the draft keeps the text and the photo; nothing submitted yet
    draft = Report.objects.get(reporter=citizen_client.user)
    assert draft.status == ReportStatus.DRAFT
    assert draft.title == "Jembatan Kali Garang retak parah"
    assert draft.attachments.count() == 1
    assert f'action="/lapor/draf/{draft.pk}/"' in html
    assert "Jembatan Kali Garang miring dan retak" in html
    assert f'name="similar_seen" id="id_similar_seen" value="{bridge.tracking_number}"' in html

    # "Tetap kirim laporan saya": one tap, the same form sent again
    sent = citizen_client.post(f"/lapor/draf/{draft.pk}/",
                               _form(similar_seen=bridge.tracking_number))
    assert sent.status_code == 302
    draft.refresh_from_db()
    assert draft.status == ReportStatus.SUBMITTED
    assert draft.attachments.count() == 1


def test_a_new_similar_report_since_the_step_is_shown_again(citizen_client):
    first = _bridge()
    citizen_client.post("/lapor/", _form())
    draft = Report.objects.get(reporter=citizen_client.user)
    second = _bridge(title="Jembatan Kali Garang retak parah sekali")
    again = citizen_client.post(f"/lapor/draf/{draft.pk}/",
                                _form(similar_seen=first.tracking_number))
    assert again.status_code == 200
    assert second.tracking_number in again.content.decode()


def test_without_similar_reports_submit_goes_straight_through(citizen_client):
    _bridge(title="Sampah menumpuk di pasar", description="Sampah pasar tidak diangkut.",
            category=Category.objects.exclude(slug="infrastruktur").first())
    response = citizen_client.post("/lapor/", _form())
    assert response.status_code == 302
    assert Report.objects.get(reporter=citizen_client.user).status == ReportStatus.SUBMITTED


def test_the_citizen_supports_the_similar_report_instead(citizen_client):
    bridge = _bridge()
    citizen_client.post("/lapor/", _form())
    response = citizen_client.post(f"/publik/{bridge.tracking_number}/dukung/")
    assert response.status_code == 302
    assert response["Location"] == f"/publik/{bridge.tracking_number}/"
    bridge.refresh_from_db()
    assert bridge.support_count == 1
    assert Report.objects.get(reporter=citizen_client.user).status == ReportStatus.DRAFT


def test_the_filing_page_loads_the_script_from_a_static_file_not_inline(citizen_client):
    html = citizen_client.get("/lapor/").content.decode()
    assert 'src="/static/js/similar-reports.js"' in html
    assert 'data-similar-url="/api/v1/public/similar-reports/"' in html
    assert "<script>" not in html


# --- the JSON endpoint ------------------------------------------------------------------

def _api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_api_lists_similar_reports_for_what_is_typed():
    bridge = _bridge()
    user = UserFactory()
    response = _api(user).get("/api/v1/public/similar-reports/", {
        "title": "Jembatan Kali Garang retak", "category": _infra().pk,
        "regency": "33.74", "district": "33.74.01"})
    assert response.status_code == 200
    [row] = response.json()["results"]
    assert row["tracking_number"] == bridge.tracking_number
    assert row["status_label"] == "Sedang ditindaklanjuti"
    assert row["may_support"] is True
    assert "reporter" not in row
    # written out for speed, the shape the schema documents
    typed = similar.typed_from({"title": "Jembatan Kali Garang retak", "category": _infra(),
                                "regency": Region.objects.get(code="33.74"),
                                "district": Region.objects.get(code="33.74.01")})
    found = similar.similar_public_reports(typed, viewer=user)
    assert response.json() == SimilarResultSerializer({"results": found}).data


def test_api_is_empty_until_enough_is_typed_and_names_a_bad_value():
    _bridge()
    client = _api(UserFactory())
    assert client.get("/api/v1/public/similar-reports/",
                      {"title": "Jembatan"}).json() == {"results": []}
    bad = client.get("/api/v1/public/similar-reports/", {"regency": "99.99"})
    assert bad.status_code == 400
    assert "regency" in bad.json()


def test_api_needs_a_signed_in_user():
    assert _api().get("/api/v1/public/similar-reports/").status_code in (401, 403)


def test_api_is_rate_limited(settings):
    settings.RATE_LIMITS = {"similar": {"user": (2, 3600)}}
    client = _api(UserFactory())
    for _ in range(2):
        assert client.get("/api/v1/public/similar-reports/").status_code == 200
    assert client.get("/api/v1/public/similar-reports/").status_code == 429


def test_the_lookup_is_one_statement_whatever_it_finds_planned_once_per_connection():
    viewer, typed = UserFactory(), _typed()
    for n in range(3):
        _bridge(title=f"Jembatan Kali Garang retak {n}")
    Support.objects.create(report=Report.objects.get(title="Jembatan Kali Garang retak 1"),
                           user=viewer)
    with connection.cursor() as cursor:  # as a new session: nothing prepared on it yet
        cursor.execute("DEALLOCATE ALL")
    connections["default"].__dict__.pop("_lapor_prepared", None)
    statements: list[str] = []

    def spy(execute, sql, params, many, context):
        statements.append(sql.split(None, 1)[0])
        return execute(sql, params, many, context)

    with connection.execute_wrapper(spy):
        found = similar.similar_public_reports(typed, viewer=viewer)
        assert len(found) == 3
        # the scored candidates and the viewer's supports in one statement
        assert [r.is_supported for r in found].count(True) == 1
        assert statements == ["PREPARE", "EXECUTE"]
        for n in range(3, 9):
            _bridge(title=f"Jembatan Kali Garang retak {n}")
        statements.clear()
        for _ in range(3):
            assert len(similar.similar_public_reports(typed, viewer=viewer)) == 5
    assert statements == ["EXECUTE"] * 3


def test_the_prepared_lookup_answers_what_the_statement_as_written_answers():
    viewer, typed = UserFactory(), _typed()
    for n in range(7):
        _bridge(title=f"Jembatan Kali Garang retak {n}", district=None if n % 2 else
                Region.objects.get(code="33.74.01"))
    how = {"statuses": tuple(s.value for s in similar.PUBLIC_OPEN_STATUSES), "public": True,
           "viewer_id": viewer.pk}
    sql, params = similar.lookup_statement(typed, **how)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        written = cursor.fetchall()
    for _ in range(7):  # past PostgreSQL's five custom plans: its generic plan, too
        assert similar._found(typed, **how) == written
    assert len(written) == 5


def test_with_personal_data_the_masks_come_first_then_the_similar_reports_then_it_is_sent(
        citizen_client):
    bridge = _bridge()
    typed = _form(description="Jembatan Kali Garang miring dan retak. Hubungi 0812-3456-7890.")
    first = citizen_client.post("/lapor/", typed)
    assert first.status_code == 200
    html = first.content.decode()
    assert "Tampilan untuk umum" in html and bridge.tracking_number not in html
    digest = re.search(r'name="previewed" value="([^"]+)"', html).group(1)
    draft = Report.objects.get(reporter=citizen_client.user)
    second = citizen_client.post(f"/lapor/draf/{draft.pk}/", {**typed, "previewed": digest})
    html = second.content.decode()
    assert "ada laporan serupa di sekitar Anda" in html and bridge.tracking_number in html
    assert f'name="previewed" value="{digest}"' in html  # the masks seen stay seen
    third = citizen_client.post(f"/lapor/draf/{draft.pk}/", {
        **typed, "previewed": digest, "similar_seen": bridge.tracking_number})
    assert third.status_code == 302
    draft.refresh_from_db()
    assert draft.status == ReportStatus.SUBMITTED


# --- the step before submitting on the API (similar_seen) ---------------------------------

def _api_report(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "kind": "complaint", "title": "Jembatan Kali Garang retak parah",
        "description": "Jembatan Kali Garang miring dan retak, takut ambruk saat hujan.",
        "category": "infrastruktur", "province": "33", "regency": "33.74",
        "district": "33.74.01", "submit": True,
    }
    data.update(overrides)
    return data


def test_api_submit_with_similar_seen_holds_the_report_back_until_they_were_seen():
    bridge = _bridge()
    user = UserFactory()
    client = _api(user)
    held = client.post("/api/v1/reports/", _api_report(similar_seen=[]), format="json")
    assert held.status_code == 409
    body = held.json()
    assert "laporan serupa" in body["detail"]
    assert [r["tracking_number"] for r in body["similar"]] == [bridge.tracking_number]
    assert body["similar"][0]["may_support"] is True
    # the shape the lookup endpoint answers, held to its serializer
    typed = similar.typed_from({"title": "Jembatan Kali Garang retak parah",
                                "description": _api_report()["description"],
                                "category": _infra(), "regency": Region.objects.get(code="33.74"),
                                "district": Region.objects.get(code="33.74.01")})
    assert body["similar"] == SimilarResultSerializer(
        {"results": similar.similar_public_reports(typed, viewer=user)}).data["results"]
    # nothing lost: a draft keeps what was sent
    draft = Report.objects.get(pk=body["draft"], reporter=user)
    assert draft.status == ReportStatus.DRAFT
    assert draft.title == "Jembatan Kali Garang retak parah"

    # sent again on the draft with the numbers shown: submitted, the same report
    sent = client.patch(f"/api/v1/reports/{draft.pk}/",
                        {"submit": True, "similar_seen": [bridge.tracking_number]},
                        format="json")
    assert sent.status_code == 200, sent.json()
    assert sent.json()["status"] == ReportStatus.SUBMITTED
    assert Report.objects.filter(reporter=user).count() == 1


def test_api_submit_with_similar_seen_and_nothing_similar_files_in_one_request():
    _bridge(title="Sampah menumpuk di pasar", description="Sampah pasar tidak diangkut.",
            category=Category.objects.exclude(slug="infrastruktur").first())
    response = _api(UserFactory()).post("/api/v1/reports/", _api_report(similar_seen=[]),
                                        format="json")
    assert response.status_code == 201
    assert response.json()["status"] == ReportStatus.SUBMITTED


def test_api_submit_without_similar_seen_does_no_lookup(django_assert_num_queries):
    _bridge()
    user = UserFactory()
    client = _api(user)
    client.post("/api/v1/reports/", _api_report(title="Pertama"), format="json")  # warm
    response = client.post("/api/v1/reports/", _api_report(), format="json")
    assert response.status_code == 201  # filed: apps that show nothing are not held back
    statements: list[str] = []
    with connection.execute_wrapper(lambda execute, sql, *a: (statements.append(sql),
                                                              execute(sql, *a))[1]):
        client.post("/api/v1/reports/", _api_report(title="Ketiga"), format="json")
    assert not any("similarity(" in sql for sql in statements)


def test_api_similar_seen_in_a_multipart_filing_with_a_photo():
    bridge = _bridge()
    user = UserFactory()
    client = _api(user)
    fields = {k: str(v) for k, v in _api_report().items()}
    held = client.post("/api/v1/reports/", {**fields, "similar_seen": "", "files": [png()]},
                       format="multipart")
    assert held.status_code == 409
    draft = Report.objects.get(pk=held.json()["draft"])
    assert draft.attachments.count() == 1  # the photo kept with the draft
    sent = client.patch(f"/api/v1/reports/{draft.pk}/",
                        {"submit": "true", "similar_seen": bridge.tracking_number},
                        format="multipart")
    assert sent.status_code == 200, sent.json()
    draft.refresh_from_db()
    assert draft.status == ReportStatus.SUBMITTED
    assert draft.attachments.count() == 1
