"""The Content-Security-Policy holds in a real browser: the main pages (home, the filing form,
a public report, the citizen's report, the staff queue and report page, the API docs) load
and work with the real policy on and raise no ``securitypolicyviolation``; the policy does
refuse what it should (an inline script, a style attribute), so the silence means something.
axe-core is injected past the policy (tests/browser/checks.py) and still runs."""

from __future__ import annotations

import pytest

from complaints.models import ReportStatus
from tests.browser.checks import check_accessibility, watch_csp
from tests.browser.steps import DESKTOP, PHONE, signed_in
from tests.conftest import body, make_user
from tests.factories import ReportFactory, UserFactory, public_report

pytestmark = pytest.mark.browser

REDOC_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"


def _open(browser, size):
    context = browser.new_context(**size)
    return context, watch_csp(context), context.new_page()


def _load(page, url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.status == 200, f"{url}: {response and response.status}"
    assert response.headers.get("content-security-policy"), f"{url} has no CSP"
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_main_pages_meet_no_csp_violation(site, browser, size):
    citizen = UserFactory(email="siti@example.id")
    mine = ReportFactory(reporter=citizen, title="Lampu jalan padam di Jalan Pemuda")
    shown = public_report(title="Trotoar rusak di depan pasar Johar")
    operator = make_user("op.smg@example.id", "Operator Semarang", "operator", "regency-33.74")
    held = public_report(title="Saluran air tersumbat di Tembalang",
                         status=ReportStatus.IN_PROGRESS, holder_body=body("regency-33.74"))

    context, violations, page = _open(browser, size)
    try:
        seen: list[str] = []
        _load(page, site + "/")
        seen.append("home")
        _load(page, site + f"/publik/{shown.tracking_number}/")
        seen.append("public report")

        signed_in(page, site, citizen)
        _load(page, site + "/lapor/")
        # The form's script ran (it fills the regencies when a province is chosen).
        page.get_by_label("Provinsi").select_option(label="Jawa Tengah")
        page.wait_for_function(
            "() => document.querySelector('#id_regency').options.length > 1"
        )
        seen.append("filing form")
        check_accessibility(page, label="filing form under the CSP")
        _load(page, site + f"/laporan-saya/{mine.tracking_number}/")
        seen.append("citizen's report")

        signed_in(page, site, operator)
        _load(page, site + "/petugas/antrean/")
        seen.append("staff queue")
        _load(page, site + f"/petugas/laporan/{held.tracking_number}/")
        seen.append("staff report page")
        check_accessibility(page, label="staff report page under the CSP")

        _load(page, site + "/api/docs/")
        # Swagger UI drew the operations from the schema: its scripts ran.
        page.locator(".swagger-ui .opblock").first.wait_for(timeout=20_000)
        seen.append("API docs (Swagger UI)")
        page.wait_for_timeout(300)  # a late style or worker would report by now
        assert not violations, f"after {seen}:\n" + "\n".join(violations)

        _load(page, site + "/api/redoc/")
        # Redoc drew its menu of operations (folded away on a phone): its scripts ran.
        page.locator("[role=menuitem]").first.wait_for(state="attached", timeout=20_000)
        page.wait_for_timeout(300)
        # The one thing refused there, by design: Redoc's own "API docs by Redocly" logo, which
        # its bundle always fetches from cdn.redoc.ly (and hides when it fails to load). The
        # portal fetches nothing from a CDN, so the policy keeps refusing it.
        unexpected = [v for v in violations if REDOC_LOGO not in v]
        assert not unexpected, "Redoc:\n" + "\n".join(unexpected)
        assert page.locator("img[alt='redocly logo']").count() == 0
    finally:
        context.close()


def test_the_policy_refuses_an_injected_inline_script_and_style(site, browser):
    """The control: what an attacker's injected markup would do is refused and reported."""
    context, violations, page = _open(browser, DESKTOP)
    try:
        _load(page, site + "/")
        page.evaluate("""() => {
          const script = document.createElement("script");
          script.textContent = "window.injected = true";
          document.body.append(script);
          document.querySelector("h1").setAttribute("style", "color: red");
        }""")
        page.wait_for_timeout(200)
        assert page.evaluate("() => window.injected") is None
        assert any("script-src" in v for v in violations), violations
        assert any("style-src" in v for v in violations), violations
    finally:
        context.close()


def test_the_filing_form_may_still_ask_for_the_position(site, browser):
    """Permissions-Policy: geolocation=(self). The "Gunakan lokasi saya" button still fills the
    position on our own origin (the browser's permission granted, the position simulated);
    camera and microphone stay refused (Chromium says so through document.featurePolicy)."""
    citizen = UserFactory(email="siti@example.id")
    context = browser.new_context(**DESKTOP, permissions=["geolocation"],
                                  geolocation={"latitude": -6.966667, "longitude": 110.416664})
    violations = watch_csp(context)
    page = context.new_page()
    try:
        signed_in(page, site, citizen)
        response = page.goto(site + "/lapor/")
        assert "geolocation=(self)" in response.headers["permissions-policy"]
        page.get_by_text("Titik lokasi (opsional)").click()  # opens the <details>
        page.get_by_role("button", name="Gunakan lokasi saya").click()
        page.wait_for_function("() => document.querySelector('#id_latitude').value !== ''")
        assert page.locator("#id_latitude").input_value() == "-6.966667"
        assert page.locator("#id_longitude").input_value() == "110.416664"
        allowed = page.evaluate("""() => document.featurePolicy
            ? [document.featurePolicy.allowsFeature("geolocation"),
               document.featurePolicy.allowsFeature("camera"),
               document.featurePolicy.allowsFeature("microphone")]
            : null""")
        # Chromium tells the page what its policy allows.
        assert allowed == [True, False, False]
        assert not violations, violations
    finally:
        context.close()
