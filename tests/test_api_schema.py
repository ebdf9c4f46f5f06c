"""The OpenAPI schema says what the API answers (issue 13, point 7): every operation lists the
refusals it may answer, in the shapes the one exception handler gives them; what may be null
is nullable; ids in paths are integers. tests/test_api_fuzz.py checks the answers themselves
against it."""

from __future__ import annotations

import pytest
from drf_spectacular.generators import SchemaGenerator

from lapor.api_errors import refusals

ERROR = "#/components/schemas/Error"
INVALID = "#/components/schemas/InvalidInput"


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def _operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            yield path, method.upper(), operation


def test_what_may_be_null_is_nullable(schema):
    components = schema["components"]["schemas"]
    assert components["Body"]["properties"]["province"]["nullable"] is True
    assert components["BodyDetail"]["properties"]["province"]["nullable"] is True
    assert components["Region"]["properties"]["parent"]["nullable"] is True
    assert components["Region"]["properties"]["province"]["nullable"] is True
    assert components["ExportJob"]["properties"]["download_url"]["nullable"] is True


# The filings a similar report may hold back (similar_seen): their 409 is the Error and more.
SIMILAR_HELD = "#/components/schemas/SimilarHeld"
HELD_BACK = {("POST", "/api/v1/reports/"), ("PUT", "/api/v1/reports/{id}/"),
             ("PATCH", "/api/v1/reports/{id}/")}


def test_every_refusal_has_its_one_shape(schema):
    count = 0
    for path, method, operation in _operations(schema):
        responses = operation["responses"]
        assert "401" in responses, (method, path)  # a token that does not work, anywhere
        for code, answer in responses.items():
            if int(code) < 400:
                continue
            count += 1
            expected = (INVALID if code == "400" else SIMILAR_HELD
                        if code == "409" and (method, path) in HELD_BACK else ERROR)
            assert answer["content"] == {"application/json": {"schema": {"$ref": expected}}}, (
                method, path, code)
            assert answer["description"], (method, path, code)
            assert ("Retry-After" in answer.get("headers", {})) == (code in ("429", "503"))
    assert count > 300


def test_a_400_is_a_message_or_the_fields_with_theirs(schema):
    shape = schema["components"]["schemas"]["InvalidInput"]
    assert set(shape["properties"]) == {"detail", "draft"}
    assert "required" not in shape  # {"password": ["Kata sandi salah."]} has no detail
    error = schema["components"]["schemas"]["Error"]
    assert error["required"] == ["detail"]


@pytest.mark.parametrize(("path", "method"), [
    ("/api/v1/auth/token/", "post"),
    ("/api/v1/auth/confirm-email/", "post"),
    ("/api/v1/auth/register/", "post"),
    ("/api/v1/auth/password-reset/", "post"),
    ("/api/v1/auth/resend-confirmation/", "post"),
    ("/api/v1/me/erase/", "post"),
])
def test_the_auth_endpoints_400_is_the_fields_with_their_messages(schema, path, method):
    answer = schema["paths"][path][method]["responses"]["400"]
    assert answer["content"]["application/json"]["schema"] == {"$ref": INVALID}


def test_writes_list_every_refusal_a_service_may_raise(schema):
    for path, method, operation in _operations(schema):
        if method == "GET":
            continue
        codes = set(operation["responses"])
        assert {"400", "401", "403", "404", "429", "503"} <= codes, (method, path)
        # 409: a write on something named in the path changed meanwhile; or a filing held
        # back by similar reports the client had not shown (similar_seen)
        held = path == "/api/v1/reports/" and method == "POST"
        assert ("409" in codes) == ("{" in path or held), (method, path)


def test_a_filing_held_back_by_similar_reports_is_documented_with_them(schema):
    for method, path in HELD_BACK:
        answer = schema["paths"][path][method.lower()]["responses"]["409"]
        assert answer["content"]["application/json"]["schema"] == {"$ref": SIMILAR_HELD}
    held = schema["components"]["schemas"]["SimilarHeld"]
    assert {"detail", "draft", "similar"} <= set(held["properties"])
    assert held["required"] == ["detail"]  # a stale draft's 409 is the Error alone
    assert "laporan serupa" in schema["paths"]["/api/v1/reports/"]["post"]["responses"][
        "409"]["description"]
    body = schema["components"]["schemas"]["Report"]["properties"]
    assert body["similar_seen"]["type"] == "array"


def test_reads_list_what_they_refuse(schema):
    bodies = schema["paths"]["/api/v1/bodies/"]["get"]["responses"]
    assert set(bodies) == {"200", "400", "401", "404"}  # a bad filter, a page past the end
    body = schema["paths"]["/api/v1/bodies/{id}/"]["get"]["responses"]
    assert set(body) == {"200", "401", "404"}
    queue = schema["paths"]["/api/v1/staff/queue/"]["get"]["responses"]
    assert {"401", "403"} <= set(queue)  # staff only


def test_ids_in_paths_are_integers(schema):
    for path, _method, operation in _operations(schema):
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "path" and parameter["name"] == "id":
                assert parameter["schema"] == {"type": "integer", "minimum": 0}, path


def test_the_rule_of_refusals():
    read = dict(method="GET", signed_in_only=False, path_parameters=False,
                query_parameters=False, paginated=False, body=False)
    assert refusals(**read) == {401}
    assert refusals(**{**read, "declared": [429]}) == {401, 429, 503}
    assert refusals(**{**read, "signed_in_only": True, "paginated": True,
                       "query_parameters": True}) == {400, 401, 403, 404}
    write = {**read, "method": "POST", "body": True}
    assert refusals(**write) == {400, 401, 403, 404, 415, 429, 503}
    assert 409 in refusals(**{**write, "method": "PATCH", "path_parameters": True})
