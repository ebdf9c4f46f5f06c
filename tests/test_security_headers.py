"""Every response carries the Content-Security-Policy and the Permissions-Policy: pages, the
API, its docs, errors (404, 403, a domain error's page, a 500). (Static files get them too: the
middleware stands before WhiteNoise.) Scripts never
run inline; geolocation is ours alone; no camera, no microphone. The browser side is in
tests/browser/test_security_policy.py."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import path

from lapor import urls as lapor_urls
from lapor.permissions_policy import header_value


def _directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    out = {}
    for part in policy.split(";"):
        name, *values = part.split()
        out[name] = values
    return out


def _assert_protected(response, *, docs: bool = False) -> None:
    assert "Content-Security-Policy" in response, response.request["PATH_INFO"]
    d = _directives(response)
    assert d["default-src"] == ["'self'"]
    assert "'unsafe-inline'" not in d["script-src"] and "'unsafe-eval'" not in d["script-src"]
    assert d["object-src"] == ["'none'"] and d["base-uri"] == ["'none'"]
    assert d["frame-ancestors"] == ["'none'"] and d["form-action"] == ["'self'"]
    if docs:
        assert d["style-src"] == ["'self'", "'unsafe-inline'"]
        assert d["worker-src"] in (["'self'"], ["'self'", "blob:"])
    else:
        assert "'unsafe-inline'" not in d["style-src"]
    for directive, values in d.items():
        assert "*" not in values and "https:" not in values, (directive, values)
    permissions = response["Permissions-Policy"]
    assert "geolocation=(self)" in permissions
    assert "camera=()" in permissions and "microphone=()" in permissions


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    ["/", "/lacak/", "/publik/", "/akun/masuk/", "/akun/daftar/", "/instansi/",
     "/api/v1/bodies/", "/api/v1/track/LPR-0000-0000/", "/api/schema/"],
)
def test_pages_and_the_api_carry_both_policies(client, url):
    response = client.get(url)
    assert response.status_code in (200, 404)
    _assert_protected(response)


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/api/docs/", "/api/redoc/"])
def test_the_api_docs_allow_inline_styles_but_never_inline_scripts(client, url):
    response = client.get(url)
    assert response.status_code == 200
    _assert_protected(response, docs=True)
    html = response.content.decode()
    assert "fonts.googleapis.com" not in html and "cdn." not in html
    # No inline <script>: every one has a src (Swagger UI's set-up script is a file of its own).
    assert html.count("<script") == html.count("<script src=")


@pytest.mark.django_db
def test_the_admin_has_the_strict_policy(client):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    _assert_protected(response)
    assert _directives(response)["worker-src"] == ["'self'"]


@pytest.mark.django_db
def test_swagger_uis_set_up_script_is_served_as_a_file(client):
    page = client.get("/api/docs/").content.decode()
    start = page.index('/api/docs/?')
    script_url = page[start:page.index('"', start)].replace("&amp;", "&")
    script = client.get(script_url)
    assert script.status_code == 200
    assert "SwaggerUIBundle" in script.content.decode()


@pytest.mark.django_db
def test_errors_carry_both_policies(client, citizen):
    _assert_protected(client.get("/tidak-ada-halaman-ini/"))  # 404
    _assert_protected(client.get("/petugas/antrean/"))  # a redirect to sign in
    client.force_login(citizen)
    forbidden = client.get("/petugas/antrean/")
    assert forbidden.status_code in (403, 404)
    _assert_protected(forbidden)
    _assert_protected(client.get("/api/v1/attachments/999999/"))


def _boom(request):
    raise RuntimeError("boom")


urlpatterns = [*lapor_urls.urlpatterns, path("boom/", _boom)]


@pytest.mark.django_db
@pytest.mark.urls("tests.test_security_headers")
def test_a_server_error_page_carries_both_policies_and_no_inline_style():
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    _assert_protected(response)
    assert b"style=" not in response.content and b"<style" not in response.content


def test_no_template_has_an_inline_handler_style_or_script():
    """What the policy would refuse, kept out of the templates at the source."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[1] / "templates"
    offending = []
    for template in root.rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        for pattern in (r"\son[a-z]+=", r"javascript:", r"\sstyle=", r"<script(?![^>]*\ssrc=)",
                        r"<style(?![^>]*\snonce=)"):
            if re.search(pattern, text) and "drf_spectacular" not in str(template):
                offending.append(f"{template.relative_to(root)}: {pattern}")
    assert not offending, offending


def test_permissions_policy_header_value():
    assert header_value({"geolocation": ["self"], "camera": [],
                         "fullscreen": ["self", "https://peta.example.id"]}) == (
        'geolocation=(self), camera=(), fullscreen=(self "https://peta.example.id")'
    )


def test_a_template_that_asks_for_the_nonce_gets_it_in_the_policy(rf):
    """The way for a future inline <script>: nonce="{{ request.csp_nonce }}" in the template,
    the same value in script-src; a page that asks for none has no nonce in its header."""
    from csp.middleware import CSPMiddleware
    from django.http import HttpResponse
    from django.template import engines

    template = engines["django"].from_string('<script nonce="{{ request.csp_nonce }}"></script>')

    def with_script(request):
        return HttpResponse(template.render({}, request))

    response = CSPMiddleware(with_script)(rf.get("/"))
    nonce = response.content.decode().split('nonce="')[1].split('"')[0]
    assert len(nonce) >= 16
    assert f"'nonce-{nonce}'" in _directives(response)["script-src"]
    plain = CSPMiddleware(lambda request: HttpResponse("<p>tanpa skrip</p>"))(rf.get("/"))
    assert "nonce-" not in plain["Content-Security-Policy"]
