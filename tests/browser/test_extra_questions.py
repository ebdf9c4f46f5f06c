"""A citizen files a report in a category with extra questions, on a phone (360 px) and on a
desktop (1280 px): the questions appear when the category is chosen, a wrong answer gets its
message beside the field with everything typed still there, and the staff see the answers.
Without JavaScript, "Tampilkan pertanyaan kategori" brings the questions. Screenshots go to
LAPOR_SCREENSHOTS (else test-results/)."""


import pytest
from django.core.cache import cache

from agencies.models import Role
from complaints.models import Category, CategoryQuestion, Report, ReportStatus
from routing.services.verification import disposition_report
from tests.browser.checks import check_no_sideways_scroll
from tests.browser.conftest import screenshot
from tests.browser.steps import DESKTOP, PHONE, check, screen, signed_in
from tests.conftest import body, make_user
from tests.factories import UserFactory

pytestmark = pytest.mark.browser

@pytest.fixture
def site(live_server, agency_tree, settings, tmp_path):
    settings.SITE_URL = live_server.url
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    roads = Category.objects.get(slug="infrastruktur")
    CategoryQuestion.objects.create(
        category=roads, code="road_segment", label="Ruas jalan", is_required=True,
        help_text="Nama jalan dan patokan terdekat, mis. depan SD Negeri 3", sort_order=1)
    CategoryQuestion.objects.create(category=roads, code="hole_count", label="Jumlah lubang",
                                    kind="number", sort_order=2)
    CategoryQuestion.objects.create(category=roads, code="seen_on", label="Terlihat sejak",
                                    kind="date", sort_order=3)
    CategoryQuestion.objects.create(
        category=roads, code="road_status", label="Status jalan", kind="choice",
        choices="national | Jalan nasional\nprovincial | Jalan provinsi\nlocal | Jalan kota",
        sort_order=4)
    yield live_server.url
    cache.clear()


def _fill_common(page):
    page.get_by_label("Aduan").check()
    page.get_by_label("Judul").fill("Jalan berlubang di Jalan Pemuda")
    page.get_by_label("Isi laporan").fill(
        "Lubang besar di depan SD Negeri 3 sejak sebulan lalu; motor sering jatuh saat malam.")
    page.get_by_label("Provinsi").select_option(label="Jawa Tengah")
    page.wait_for_selector("#id_regency option[value='33.74']", state="attached")
    page.get_by_label("Kabupaten/kota").select_option(value="33.74")


@pytest.mark.parametrize("size,name", [(PHONE, "phone"), (DESKTOP, "desktop")])
def test_the_chosen_categorys_questions_are_asked_checked_and_shown_to_the_staff(
    site, browser, size, name
):
    citizen = UserFactory(full_name="Siti Aminah")
    with screen(browser, size) as page:
        signed_in(page, site, citizen)
        page.goto(site + "/lapor/")
        assert not page.get_by_label("Ruas jalan").is_visible()  # no category yet
        _fill_common(page)
        page.get_by_label("Kategori").select_option(label="Infrastruktur dan Jalan")
        segment = page.get_by_label("Ruas jalan")
        assert segment.is_visible()
        assert page.get_by_text("Nama jalan dan patokan terdekat").is_visible()
        page.get_by_label("Jumlah lubang").fill("banyak sekali")
        page.get_by_label("Status jalan").select_option(label="Jalan kota")
        check(page)
        screenshot(page, f"extra-questions-form-{name}")
        page.get_by_role("button", name="Kirim laporan").click()
        page.wait_for_load_state()

        # Refused: each message beside its question, everything typed still there.
        assert page.locator("#form-errors").is_visible()
        assert page.get_by_text("Pertanyaan ini wajib dijawab.").is_visible()
        assert page.get_by_text("Isi dengan angka, mis. 12 atau 3,5.").is_visible()
        assert page.get_by_label("Jumlah lubang").input_value() == "banyak sekali"
        assert page.get_by_label("Status jalan").input_value() == "local"
        assert page.get_by_label("Judul").input_value() == "Jalan berlubang di Jalan Pemuda"
        check(page)
        screenshot(page, f"extra-questions-errors-{name}")

        page.get_by_label("Ruas jalan").fill("Jl. Pemuda, depan SD Negeri 3")
        page.get_by_label("Jumlah lubang").fill("4")
        page.get_by_label("Terlihat sejak").fill("2026-11-01")
        page.get_by_role("button", name="Kirim laporan").click()
        page.wait_for_url("**/terkirim/")

    report = Report.objects.get(reporter=citizen, status=ReportStatus.SUBMITTED)
    assert report.answers == {"road_segment": "Jl. Pemuda, depan SD Negeri 3",
                              "hole_count": "4", "seen_on": "2026-11-01",
                              "road_status": "local"}
    verifier = make_user(f"verif.{name}@example.id", "Verifikator", Role.VERIFIER,
                         "kemenpanrb")
    operator = make_user(f"op.{name}@example.id", "Operator Semarang", Role.OPERATOR,
                         "regency-33.74")
    disposition_report(report=report, to_body=body("regency-33.74"), actor=verifier)
    with screen(browser, size) as page:
        signed_in(page, site, operator)
        page.goto(f"{site}/petugas/laporan/{report.tracking_number}/")
        facts = page.locator("dl.facts")
        assert "Jl. Pemuda, depan SD Negeri 3" in facts.inner_text()
        assert "Jalan kota" in facts.inner_text()
        check(page)
        screenshot(page, f"extra-questions-staff-{name}")


def test_without_javascript_the_form_brings_the_categorys_questions(site, browser):
    citizen = UserFactory()
    context = browser.new_context(**PHONE, java_script_enabled=False)
    try:
        page = context.new_page()
        signed_in(page, site, citizen)
        page.goto(site + "/lapor/")
        page.get_by_label("Kategori").select_option(label="Infrastruktur dan Jalan")
        assert not page.get_by_label("Ruas jalan").is_visible()
        page.get_by_role("button", name="Tampilkan pertanyaan kategori").click()
        page.wait_for_load_state()
        assert page.get_by_label("Ruas jalan").is_visible()
        assert page.get_by_label("Kategori").input_value() == str(
            Category.objects.get(slug="infrastruktur").pk)
        # axe-core cannot run in a page without JavaScript; the same form passed it above.
        check_no_sideways_scroll(page)
        screenshot(page, "extra-questions-no-js-phone")
    finally:
        context.close()
