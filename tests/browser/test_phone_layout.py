"""The phone layout: one "Menu" control instead of rows of links, the feed's and the queues'
filters behind "Saring", tap targets of at least 44 px, nothing wider than the screen, and all
of it working without JavaScript."""

import pytest

from agencies.models import Membership, Role
from complaints.models import Report
from routing.services import handling, verification
from tests.browser.conftest import main_menu, screenshot
from tests.browser.steps import second_step
from tests.conftest import PASSWORD, body, make_user
from tests.factories import ReportFactory, UserFactory, public_report

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True,
         "locale": "id-ID"}
TAP = 44
LONG_LINK = (
    "https://dinas.semarangkota.go.id/pengumuman/penerangan-jalan-umum-2026-nomor-0001234567"
)


@pytest.fixture
def people(agency_tree):
    """A citizen with a public report that a body answered (with a long link), and a staff
    member with three roles: operator of Semarang, verifier and supervisor of Jawa Tengah."""
    citizen = UserFactory(email="siti@example.id", full_name="Siti Aminah")
    staff = make_user("budi@example.id", "Budi Santoso", Role.OPERATOR, "regency-33.74")
    Membership.objects.create(user=staff, body=body("province-33"), role=Role.VERIFIER)
    Membership.objects.create(user=staff, body=body("province-33"), role=Role.SUPERVISOR)
    for n in range(3):
        public_report(title=f"Jalan rusak di depan SD Negeri {n}", reporter=citizen)
    report = ReportFactory(reporter=citizen, title="Lampu jalan mati di Jalan Pahlawan",
                           description="Sudah dua minggu gelap. Foto: " + LONG_LINK)
    verification.disposition_report(report=report, to_body=body("regency-33.74"), actor=staff)
    handling.respond(report=Report.objects.get(pk=report.pk), actor=staff,
                     note="Petugas kami menuju lokasi. Rujukan: " + LONG_LINK)
    ReportFactory(title="Laporan baru menunggu verifikasi")
    return {"citizen": citizen, "staff": staff, "report": report}


def _sign_in(page, base, user):
    page.goto(base + "/akun/masuk/")
    page.locator("#id_username").fill(user.email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Masuk").click()
    page.wait_for_load_state()
    second_step(page, user)


def _too_small(locator) -> list[str]:
    """The visible controls in ``locator`` smaller than a 44 × 44 px tap target."""
    small = []
    for control in locator.all():
        if not control.is_visible():
            continue
        box = control.bounding_box()
        if box["height"] < TAP or box["width"] < TAP:
            small.append(f"{control.inner_text().strip() or control.get_attribute('name')}: "
                         f"{box['width']:.0f}×{box['height']:.0f}")
    return small


CONTROLS = "a, button, select, input:not([type=checkbox]):not([type=hidden]), label.option, summary"


@pytest.mark.parametrize("who", ["visitor", "citizen", "staff"])
def test_first_public_report_is_on_the_first_phone_screen(live_server, people, phone, who):
    if who != "visitor":
        _sign_in(phone, live_server.url, people[who])
    phone.goto(live_server.url + "/publik/")
    card = phone.locator(".report-card").first.bounding_box()
    assert card["y"] + card["height"] <= 740
    # the search stays in view; the other filters wait behind "Saring"
    assert phone.get_by_label("Cari laporan").is_visible()
    assert not phone.get_by_label("Kategori").is_visible()
    screenshot(phone, f"feed-phone-{who}")


def test_staff_navigation_is_one_row_and_opens_into_big_tap_targets(live_server, people, phone):
    base = live_server.url
    _sign_in(phone, base, people["staff"])
    for path in ("/", "/publik/", "/petugas/antrean/", "/petugas/verifikasi/"):
        phone.goto(base + path)
        assert phone.locator(".site-header").bounding_box()["height"] < 80, path
    menu = main_menu(phone)
    links = menu.get_by_role("link")
    names = [link.inner_text() for link in links.all()]
    for name in ("Antrean", "Verifikasi", "Catat laporan warga", "Profil saya",
                 "Operator instansi · Pemkot Semarang", "Verifikator · Pemprov Jawa Tengah"):
        assert any(name in n for n in names), name
    assert _too_small(phone.locator(".site-header").locator(CONTROLS)) == []
    screenshot(phone, "menu-open-phone-staff")
    menu.get_by_role("link", name="Antrean", exact=True).click()
    phone.wait_for_url("**/petugas/antrean/")


@pytest.mark.parametrize("path", ["/publik/", "/petugas/antrean/", "/petugas/verifikasi/"])
def test_filters_open_from_one_saring_control_with_big_tap_targets(
    live_server, people, phone, path
):
    _sign_in(phone, live_server.url, people["staff"])
    phone.goto(live_server.url + path)
    panel = phone.locator("details.filter-panel")
    assert not panel.get_by_label("Kategori").is_visible()
    panel.locator("> summary").click()
    assert panel.get_by_label("Kategori").is_visible()
    assert _too_small(phone.locator("form[role=search]").locator(CONTROLS)) == []
    assert _too_small(panel.locator("> summary")) == []


PAGES = {
    "visitor": ["/", "/publik/", "/publik/{number}/", "/lacak/", "/akun/masuk/",
                "/akun/daftar/"],
    "citizen": ["/", "/lapor/", "/akun/profil/", "/notifikasi/", "/laporan-saya/",
                "/laporan-saya/{number}/", "/publik/{number}/"],
    "staff": ["/", "/petugas/antrean/", "/petugas/laporan/{number}/", "/petugas/verifikasi/"],
}


@pytest.mark.parametrize("who", PAGES)
def test_no_page_scrolls_sideways_on_a_phone(live_server, people, phone, who):
    if who != "visitor":
        _sign_in(phone, live_server.url, people[who])
    number = people["report"].tracking_number
    wide = {}
    for path in PAGES[who]:
        phone.goto(live_server.url + path.format(number=number))
        width = phone.evaluate("document.documentElement.scrollWidth")
        if width > 360:
            wide[path] = width
    assert wide == {}


def test_menu_and_filters_work_without_javascript(live_server, people, browser):
    context = browser.new_context(java_script_enabled=False, **PHONE)
    page = context.new_page()
    base = live_server.url
    try:
        _sign_in(page, base, people["citizen"])
        page.goto(base + "/publik/")
        nav = page.get_by_role("navigation", name="Navigasi utama")
        assert not nav.get_by_role("link", name="Laporan saya").is_visible()
        page.locator("details.nav-menu > summary").click()
        nav.get_by_role("link", name="Laporan saya").click()
        page.wait_for_url("**/laporan-saya/")

        page.goto(base + "/publik/")
        page.locator("details.filter-panel > summary").click()
        page.get_by_label("Kategori").select_option(label="Infrastruktur dan Jalan")
        page.get_by_role("button", name="Tampilkan").click()
        page.wait_for_url("**/publik/?*category=infrastruktur*")
        cards = page.locator(".report-card")
        assert cards.count() == 4
        assert all("Infrastruktur dan Jalan" in card.inner_text() for card in cards.all())
        assert "1 aktif" in page.locator("details.filter-panel > summary").inner_text()
    finally:
        context.close()


def test_desktop_shows_the_navigation_and_filters_inline_without_javascript(
    live_server, people, browser
):
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 1280, "height": 800}, locale="id-ID"
    )
    page = context.new_page()
    try:
        _sign_in(page, live_server.url, people["staff"])
        page.goto(live_server.url + "/publik/")
        assert not page.locator("details.nav-menu > summary").is_visible()
        nav = page.get_by_role("navigation", name="Navigasi utama")
        assert nav.get_by_role("link", name="Antrean", exact=True).is_visible()
        assert page.get_by_label("Kategori").is_visible()
        # the account is a drop-down: its links wait for a click on the name
        assert not nav.get_by_role("link", name="Profil saya").is_visible()
        nav.get_by_text("Akun: Budi").click()
        assert nav.get_by_role("link", name="Profil saya").is_visible()
        assert page.locator(".site-header").bounding_box()["height"] < 120
        screenshot(page, "feed-desktop-staff")
    finally:
        context.close()
