"""Inputs an attacker or a fuzzer sends, answered as the API's schema says instead of with a 500:
an id that is not a number is a 404 (JSON) on every router's detail URL, a body nested
thousands deep is a translated 400 from every JSON endpoint, and the refusals with no field
keep the one shape (``detail``)."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework import parsers as drf_parsers
from rest_framework.test import APIClient

from agencies.api_urls import router as agencies_router
from complaints.api_urls import router as complaints_router
from lapor import parsers
from lapor.api_errors import exception_handler
from lapor.errors import NotAllowed
from routing.api_urls import router as routing_router

ROUTERS = [agencies_router, complaints_router, routing_router]
NOT_FOUND = {"detail": "Data tidak ditemukan."}  # DRF's own 404, in Indonesian
TOO_DEEP = "Data JSON bersarang terlalu dalam: paling banyak 32 tingkat."


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def _registrations():
    for router in ROUTERS:
        for prefix, viewset, _basename in router.registry:
            yield pytest.param(prefix, viewset, id=prefix)


@pytest.mark.parametrize(("prefix", "viewset"), list(_registrations()))
def test_every_integer_id_in_a_router_url_is_digits_only(prefix, viewset):
    """Every viewset looked up by its integer primary key says so in its URL, so that
    ``/abc/`` never reaches a view that would turn it into a number (the attachments did:
    a 500)."""
    lookup = getattr(viewset, "lookup_field", "pk")
    if lookup == "pk":
        assert viewset.lookup_value_regex == r"[0-9]+"
    else:  # looked up by a code (regions) or a tracking number (staff reports)
        assert viewset.lookup_value_regex not in ("", "[^/.]+")


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "delete"])
@pytest.mark.parametrize("path", [
    "/api/v1/attachments/abc/",
    "/api/v1/attachments/null/",
    "/api/v1/attachments/-1/",
    "/api/v1/attachments/1.5/",
])
def test_an_attachment_id_that_is_not_a_number_is_not_found(api, method, path):
    response = getattr(api, method)(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == NOT_FOUND


@pytest.mark.django_db
@pytest.mark.parametrize("action", ["file", "thumbnail"])
def test_an_attachment_file_with_an_id_that_is_not_a_number_is_not_found(api, action):
    response = api.get(f"/api/v1/attachments/abc/{action}/")
    assert response.status_code == 404
    assert response.json() == NOT_FOUND


@pytest.mark.django_db
@pytest.mark.parametrize("prefix", [
    prefix for router in ROUTERS for prefix, viewset, _ in router.registry
    if getattr(viewset, "lookup_field", "pk") == "pk"
])
def test_every_detail_url_with_a_word_for_an_id_answers_json_404(api, citizen, prefix):
    api.force_authenticate(citizen)
    response = api.get(f"/api/v1/{prefix}/abc/")
    assert response.status_code == 404
    assert response.json() == NOT_FOUND


@pytest.mark.django_db
def test_an_attachment_id_past_every_integer_is_not_found(api):
    response = api.get(f"/api/v1/attachments/{10**30}/")
    assert response.status_code == 404
    assert response.json() == NOT_FOUND


@pytest.mark.django_db
def test_a_page_outside_the_api_stays_the_404_page(client):
    response = client.get("/tidak-ada-halaman-ini/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.django_db
@pytest.mark.parametrize("body", [
    "[" * 5000, "[" * 5000 + "]" * 5000, '{"a":' * 5000 + "1" + "}" * 5000,
])
def test_json_nested_thousands_deep_is_a_translated_400(api, body):
    response = api.post("/api/v1/auth/token/", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"detail": TOO_DEEP}


@pytest.mark.django_db
def test_json_deeper_than_the_bound_is_refused_before_any_serializer(api, citizen):
    api.force_authenticate(citizen)
    deep = "[" * 33 + "]" * 33
    response = api.post("/api/v1/reports/", f'{{"title": {deep}}}', content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"detail": TOO_DEEP}
    # Within the bound, the same body reaches the serializer, which names the field.
    shallow = "[" * 5 + "]" * 5
    response = api.post("/api/v1/reports/", f'{{"title": {shallow}}}',
                        content_type="application/json")
    assert response.status_code == 400
    assert "title" in response.json()


@pytest.mark.django_db
def test_malformed_json_is_a_translated_400(api):
    response = api.post("/api/v1/auth/token/", '{"email": ', content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"].startswith("Data JSON tidak dapat dibaca: ")


@pytest.mark.django_db
def test_nan_is_not_json(api):
    response = api.post("/api/v1/auth/token/", '{"email": NaN}', content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"].startswith("Data JSON tidak dapat dibaca: ")


def test_depth_is_counted_without_recursion():
    assert parsers.depth_of(1) == 0
    assert parsers.depth_of([]) == 1
    assert parsers.depth_of({"a": [1, {"b": []}]}) == 4
    deep: list = []
    for _ in range(100_000):  # far past Python's recursion limit
        deep = [deep]
    assert parsers.depth_of(deep) == parsers.MAX_DEPTH + 1  # stops counting past the bound


def _api_views(resolver: URLResolver | None = None):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _api_views(pattern)
        elif isinstance(pattern, URLPattern):
            view = getattr(pattern.callback, "cls", None)
            if view is not None and hasattr(view, "parser_classes"):
                yield view


def test_every_api_view_reads_json_through_the_bounded_parser():
    views = set(_api_views())
    assert len(views) > 20
    for view in views:
        json_parsers = [p for p in view.parser_classes if issubclass(p, drf_parsers.JSONParser)]
        assert json_parsers, view
        assert all(issubclass(p, parsers.JSONParser) for p in json_parsers), view


@pytest.mark.django_db
def test_a_refusal_with_no_field_is_one_detail(api, citizen):
    """DRF's search filter refuses a NUL character with a bare list; the API answers it in
    the shape of every other refusal."""
    api.force_authenticate(citizen)
    response = api.get("/api/v1/reports/", {"search": "lampu\x00"})
    assert response.status_code == 400
    body = response.json()
    assert isinstance(body, dict) and isinstance(body["detail"], str) and body["detail"]


def test_only_input_at_fault_names_a_field():
    response = exception_handler(NotAllowed("Anda tidak berwenang.", field="body"), {})
    assert (response.status_code, response.data) == (403, {"detail": "Anda tidak berwenang."})


@pytest.mark.django_db
def test_a_search_of_an_unknown_body_finds_nothing(api):
    """The feed's search ran raw SQL over a query that matched nothing by construction (an
    unknown body): a 500."""
    response = api.get("/api/v1/public/reports/", {"body": 6402373705728000, "q": "jalan"})
    assert response.status_code == 200
    assert response.json()["results"] == []
