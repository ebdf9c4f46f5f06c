"""A citizen on a phone opens the home page and walks the tree of bodies."""

import pytest

from tests.browser.conftest import main_menu, screenshot

pytestmark = pytest.mark.browser


def test_home_and_tree_on_a_phone(live_server, agency_tree, phone):
    phone.goto(live_server.url + "/")
    assert phone.locator("html").get_attribute("lang") == "id"
    assert phone.get_by_role("heading", level=1).inner_text() == (
        "Layanan Aspirasi dan Pengaduan Online Rakyat"
    )
    assert phone.get_by_text("kabupaten dan kota").is_visible()
    # nothing overflows the narrow screen sideways
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "home-phone")

    phone.get_by_role("link", name="Jelajahi pohon instansi").click()
    phone.wait_for_url("**/instansi/")
    assert phone.get_by_role("heading", level=1).inner_text() == "Pohon instansi"
    phone.get_by_role("link", name="Kementerian Dalam Negeri").click()
    phone.get_by_role("link", name="Pemerintah Provinsi Jawa Tengah").click()
    assert phone.get_by_role("heading", level=1).inner_text() == "Pemerintah Provinsi Jawa Tengah"
    assert phone.get_by_label("Jalur instansi").get_by_role("link", name="Kemendagri").is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "tree-phone")

    main_menu(phone).get_by_role("link", name="Instansi", exact=True).click()
    phone.get_by_label("Cari nama atau singkatan").fill("Semarang")
    phone.get_by_role("button", name="Tampilkan").click()
    assert phone.get_by_role("link", name="Pemerintah Kota Semarang").is_visible()
    assert phone.get_by_role("status").inner_text().startswith("2 instansi ditemukan")
