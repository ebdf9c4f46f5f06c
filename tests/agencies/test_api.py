import pytest
from rest_framework.test import APIClient

from agencies.models import Body, Membership
from tests.conftest import body

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def test_agency_list_is_public_paginated_and_filterable(api):
    response = api.get("/api/v1/bodies/", {"kind": "city", "province": "33"})
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 6
    names = {row["name"] for row in data["results"]}
    assert "Pemerintah Kota Semarang" in names
    first = data["results"][0]
    assert first["time_zone_abbreviation"] == "WIB"
    assert first["parent_id"] == body("province-33").pk


def test_agency_search_matches_acronym_and_old_names(api):
    found = api.get("/api/v1/bodies/", {"q": "Kemenkes"}).json()["results"]
    assert [b["acronym"] for b in found] == ["Kemenkes"]
    old = api.get("/api/v1/bodies/", {"q": "Polhukam"}).json()["results"]
    assert [b["acronym"] for b in old] == ["Kemenko Polkam"]


def test_agency_list_query_count_does_not_grow_with_page_size(api, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        response = api.get("/api/v1/bodies/", {"page_size": 50})
    assert len(response.json()["results"]) == 50


def test_agency_detail_lists_ancestors_and_children(api):
    semarang = body("regency-33.74")
    detail = api.get(f"/api/v1/bodies/{semarang.pk}/").json()
    assert [a["acronym"] for a in detail["ancestors"]][-1] == "Pemprov Jawa Tengah"
    jateng = body("province-33")
    children = api.get(f"/api/v1/bodies/{jateng.pk}/children/").json()
    assert children["count"] == 35


def test_regions_api_by_code_and_filters(api):
    assert api.get("/api/v1/regions/33.74/").json()["name"] == "Kota Semarang"
    districts = api.get("/api/v1/regions/", {"parent": "33.74"}).json()
    assert districts["count"] == 16
    provinces = api.get("/api/v1/regions/", {"level": "province"}).json()
    assert provinces["count"] == 38


def test_anonymous_cannot_write(api):
    semarang = body("regency-33.74")
    response = api.patch(f"/api/v1/bodies/{semarang.pk}/", {"address": "x"}, format="json")
    assert response.status_code in (401, 403)


def test_supervisor_edits_own_subtree_but_not_another(api, supervisor_a, body_a, body_b):
    api.force_authenticate(supervisor_a)
    ok = api.patch(f"/api/v1/bodies/{body_a.pk}/", {"address": "Jl. Pemuda 148"}, format="json")
    assert ok.status_code == 200, ok.content
    assert Body.objects.get(pk=body_a.pk).address == "Jl. Pemuda 148"
    denied = api.patch(f"/api/v1/bodies/{body_b.pk}/", {"address": "x"}, format="json")
    assert denied.status_code == 403
    assert "tidak berwenang" in denied.json()["detail"]
    assert Body.objects.get(pk=body_b.pk).address == ""


def test_create_unit_via_api(api, supervisor_a, body_a, body_b):
    api.force_authenticate(supervisor_a)
    created = api.post(
        "/api/v1/bodies/", {"parent": body_a.pk, "name": "Dinas Sosial"}, format="json"
    )
    assert created.status_code == 201, created.content
    assert created.json()["kind"] == "unit"
    assert created.json()["parent_id"] == body_a.pk
    refused = api.post(
        "/api/v1/bodies/", {"parent": body_b.pk, "name": "Dinas Sosial"}, format="json"
    )
    assert refused.status_code == 403
    assert "tidak berwenang" in refused.json()["detail"]
    empty = api.post("/api/v1/bodies/", {"parent": body_a.pk, "name": ""}, format="json")
    assert empty.status_code == 400


def test_memberships_of_another_body_are_invisible(api, operator_a, operator_b, supervisor_a):
    own_b = Membership.objects.get(user=operator_b)
    api.force_authenticate(operator_a)
    listed = api.get("/api/v1/memberships/").json()
    assert [m["user"] for m in listed["results"]] == ["operator.a@example.id"]
    assert api.get(f"/api/v1/memberships/{own_b.pk}/").status_code == 404
    # the supervisor above A sees A's operator, not B's
    api.force_authenticate(supervisor_a)
    emails = {m["user"] for m in api.get("/api/v1/memberships/").json()["results"]}
    assert "operator.a@example.id" in emails
    assert "operator.b@example.id" not in emails
    assert api.get(f"/api/v1/memberships/{own_b.pk}/").status_code == 404


def test_supervisor_grants_roles_only_in_own_subtree(api, supervisor_a, citizen, body_a, body_b):
    api.force_authenticate(supervisor_a)
    ok = api.post(
        "/api/v1/memberships/",
        {"user": citizen.email, "body": body_a.pk, "role": "operator"},
        format="json",
    )
    assert ok.status_code == 201, ok.content
    other = api.post(
        "/api/v1/memberships/",
        {"user": citizen.email, "body": body_b.pk, "role": "operator"},
        format="json",
    )
    assert other.status_code == 404
    admin_role = api.post(
        "/api/v1/memberships/",
        {"user": citizen.email, "body": body_a.pk, "role": "system_admin"},
        format="json",
    )
    assert admin_role.status_code == 403
    assert "admin sistem" in admin_role.json()["detail"]


def test_openapi_schema_documents_the_tree(client):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "/api/v1/bodies/" in text and "/api/v1/regions/" in text


def test_api_docs_use_local_assets(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/" in html
    assert "cdn" not in html.lower()
