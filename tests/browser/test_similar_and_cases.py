"""Fewer duplicates (issue 16) in a real browser: a citizen typing a report like an existing
one sees it as they type and supports it instead (and, without JavaScript, sees it once
before submitting and files anyway in one tap); a verifier merges a new report into its
likely duplicate in one click; a body groups three reports into a case, answers it once, and
each citizen reads the answer on their own report.

Every page visited passes the checks of ``steps.seen`` (axe-core, no sideways scroll at
360 px); screenshots at 360 and 1280 px go to the folder named by LAPOR_SCREENSHOTS, else to
test-results/."""

from __future__ import annotations

import pytest

from agencies.models import Region, Role
from complaints.models import Category, Report, ReportStatus
from routing.models import Case
from routing.services import verification
from tests.browser.conftest import screenshot
from tests.browser.steps import (
    DESKTOP,
    PHONE,
    click_through,
    filed,
    fresh,
    main_text,
    message,
    screen,
    seen,
    signed_in,
    visit,
)
from tests.conftest import body, make_user
from tests.factories import UserFactory

pytestmark = pytest.mark.browser

@pytest.fixture
def people(agency_tree):
    return {
        "verifier": make_user("verif@example.id", "Verifikator Nasional", Role.VERIFIER,
                              "kemenpanrb"),
        "operator": make_user("op.smg@example.id", "Sari Operator", Role.OPERATOR,
                              "regency-33.74"),
        "citizen": UserFactory(full_name="Ani Pelapor", email="ani@example.id"),
    }


BRIDGE = "Jembatan Kali Garang retak dan miring"
DISTRICT = "33.74.01"


def _held(people, title: str, reporter=None, **values) -> Report:
    report = filed(reporter or UserFactory(), title, **values)
    verification.disposition_report(report=report, to_body=body("regency-33.74"),
                                    actor=people["verifier"])
    return fresh(report)


def _fill(page, title: str, description: str) -> None:
    page.locator("#id_title").fill(title)
    page.locator("#id_description").fill(description)
    page.locator("#id_category").select_option(
        label=Category.objects.get(slug="infrastruktur").name)
    page.locator("#id_province").select_option("33")
    page.wait_for_selector("#id_regency option[value='33.74']", state="attached")
    page.locator("#id_regency").select_option("33.74")
    page.wait_for_selector(f"#id_district option[value='{DISTRICT}']", state="attached")
    page.locator("#id_district").select_option(DISTRICT)


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["1280", "360"])
def test_a_citizen_typing_a_like_report_sees_it_and_supports_it_instead(site, browser, people,
                                                                        size):
    existing = _held(people, BRIDGE, district=Region.objects.get(code=DISTRICT))
    width = size["viewport"]["width"]
    with screen(browser, size) as page:
        signed_in(page, site, people["citizen"])
        visit(page, site + "/lapor/")
        _fill(page, "Jembatan Kali Garang retak", "Jembatannya miring, takut ambruk.")
        panel = page.locator("#similar-reports")
        panel.wait_for(state="visible")
        card = panel.locator("li.similar-report", has_text=existing.tracking_number)
        card.wait_for()
        assert "Sedang ditindaklanjuti" in card.inner_text() or \
            "Diteruskan ke instansi" in card.inner_text()
        seen(page)
        screenshot(page, f"filing-similar-{width}")
        click_through(page, card.get_by_role("button", name="Dukung laporan ini"))
        assert "dukungan Anda sudah tercatat" in message(page)
        assert existing.tracking_number in main_text(page)
        screenshot(page, f"filing-similar-supported-{width}")
    assert fresh(existing).support_count == 1
    # nothing was filed: no draft, no report of the citizen's
    assert not Report.objects.filter(reporter=people["citizen"]).exists()


def test_without_javascript_the_similar_reports_come_once_and_filing_anyway_is_one_tap(
        site, browser, people):
    existing = _held(people, BRIDGE, district=Region.objects.get(code=DISTRICT))
    # axe-core cannot run without JavaScript: plain navigation here (the same page with
    # JavaScript passed the checks in the test above)
    context = browser.new_context(java_script_enabled=False, **PHONE)
    page = context.new_page()

    def press(name: str) -> None:
        with page.expect_navigation():
            page.get_by_role("button", name=name).click()

    try:
        signed_in(page, site, people["citizen"])
        page.goto(site + "/lapor/")
        page.locator("#id_title").fill("Jembatan Kali Garang retak parah")
        page.locator("#id_description").fill("Jembatan miring dan retak, takut ambruk.")
        page.locator("#id_category").select_option(
            label=Category.objects.get(slug="infrastruktur").name)
        page.locator("#id_province").select_option("33")
        press("Perbarui pilihan wilayah")
        page.locator("#id_regency").select_option("33.74")
        press("Perbarui pilihan wilayah")
        page.locator("#id_district").select_option(DISTRICT)
        press("Kirim laporan")
        panel = page.locator("#similar-reports")
        assert panel.is_visible()
        assert existing.tracking_number in panel.inner_text()
        assert "Dukung laporan ini" in panel.inner_text()
        assert page.locator("#id_title").input_value() == "Jembatan Kali Garang retak parah"
        screenshot(page, "filing-similar-step-nojs-360")
        press("Tetap kirim laporan saya")
        assert "/terkirim/" in page.url
    finally:
        context.close()
    report = Report.objects.get(reporter=people["citizen"])
    assert report.status == ReportStatus.SUBMITTED
    assert report.title == "Jembatan Kali Garang retak parah"


def test_a_verifier_merges_two_in_one_click(site, browser, people):
    first = filed(UserFactory(), BRIDGE, district=Region.objects.get(code=DISTRICT))
    second = filed(people["citizen"], "Jembatan Kali Garang retak parah",
                   district=Region.objects.get(code=DISTRICT))
    for size, width in ((DESKTOP, 1280), (PHONE, 360)):
        with screen(browser, size) as page:
            signed_in(page, site, people["verifier"])
            visit(page, site + f"/petugas/laporan/{second.tracking_number}/")
            panel = page.locator("section.likely-duplicates")
            assert first.tracking_number in panel.inner_text()
            assert "Skor" in panel.inner_text()
            screenshot(page, f"verifier-duplicates-{width}")
    with screen(browser) as page:
        signed_in(page, site, people["verifier"])
        visit(page, site + f"/petugas/laporan/{second.tracking_number}/")
        click_through(page, page.get_by_role(
            "button", name=f"Gabungkan ke {first.tracking_number}"))
        assert "digabung dengan laporan aslinya" in message(page)
    merged = fresh(second)
    assert merged.duplicate_of_id == first.pk and merged.status == ReportStatus.REJECTED
    with screen(browser, PHONE) as page:
        signed_in(page, site, people["citizen"])
        visit(page, site + f"/laporan-saya/{second.tracking_number}/")
        assert f"Digabung dengan {first.tracking_number}" in main_text(page)


def test_a_body_answers_a_case_of_three_and_each_citizen_sees_it(site, browser, people):
    citizens = [UserFactory(full_name=f"Warga Jembatan {i}") for i in range(3)]
    reports = [_held(people, f"{BRIDGE} ({i})", reporter=c) for i, c in enumerate(citizens)]
    answer = "Jembatan Kali Garang diperbaiki mulai Senin; lalu lintas dialihkan."

    with screen(browser) as page:
        signed_in(page, site, people["operator"])
        visit(page, site + "/petugas/antrean/")
        for report in reports:
            page.locator(f"#pick-{report.tracking_number}").check()
        page.locator("#case-title").fill("Jembatan Kali Garang")
        screenshot(page, "queue-case-1280")
        click_through(page, page.get_by_role("button", name="Gabungkan jadi kasus"))
        assert "Kasus bersama dibuat dengan 3 laporan." in message(page)
        case = Case.objects.get()
        assert page.url.endswith(f"/petugas/kasus/{case.pk}/")
        page.locator("#id_answer").fill(answer)
        screenshot(page, "case-answer-1280")
        click_through(page, page.get_by_role("button",
                                             name="Kirim jawaban akhir ke semua laporan"))
        assert "Jawaban akhir terkirim ke 3 laporan" in message(page)
    with screen(browser, PHONE) as page:
        signed_in(page, site, people["operator"])
        visit(page, site + f"/petugas/kasus/{case.pk}/")
        screenshot(page, "case-answered-360")
    for citizen, report in zip(citizens, reports, strict=True):
        assert fresh(report).status == ReportStatus.RESOLVED
        with screen(browser, PHONE) as page:
            signed_in(page, site, citizen)
            visit(page, site + f"/laporan-saya/{report.tracking_number}/")
            text = main_text(page)
            assert report.tracking_number in text and answer in text
            for other in reports:
                if other != report:
                    assert other.tracking_number not in text
            screenshot(page, "case-citizen-answer-360")
