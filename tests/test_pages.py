import pytest

from tests.conftest import body

pytestmark = pytest.mark.django_db


def test_home_page_in_indonesian_with_counts(client):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="id">' in html
    assert "Layanan Aspirasi dan Pengaduan Online Rakyat" in html
    assert "7.285" in html  # districts, Indonesian number format
    assert "514" in html


def test_home_page_in_english_on_request(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Public Complaints and Aspirations Online" in html


def test_body_list_shows_the_centre_and_searches(client):
    html = client.get("/instansi/").content.decode()
    assert "Kementerian Dalam Negeri" in html
    found = client.get("/instansi/", {"q": "Semarang"}).content.decode()
    assert "Pemerintah Kota Semarang" in found and "Pemerintah Kabupaten Semarang" in found
    by_province = client.get("/instansi/", {"kind": "city", "province": "33"}).content.decode()
    assert "6 instansi ditemukan" in by_province


def test_body_detail_has_breadcrumb_and_children(client):
    jateng = body("province-33")
    html = client.get(f"/instansi/{jateng.pk}/").content.decode()
    assert "Pemerintah Provinsi Jawa Tengah" in html
    assert "Kemendagri" in html  # breadcrumb
    assert "Pemerintah Kabupaten Banjarnegara" in html
    assert "WIB" in html
    page_two = client.get(f"/instansi/{jateng.pk}/", {"page": 2}).content.decode()
    assert "Pemerintah Kota Semarang" in page_two


def test_body_detail_of_missing_body_is_404(client):
    assert client.get("/instansi/999999999/").status_code == 404


def test_region_pages(client):
    html = client.get("/instansi/wilayah/").content.decode()
    assert "Papua Barat Daya" in html
    districts = client.get("/instansi/wilayah/", {"parent": "33.74"}).content.decode()
    assert "Semarang Tengah" in districts


def test_pages_query_count_does_not_grow_with_rows(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        client.get("/instansi/", {"q": "Kabupaten"})


def test_static_assets_are_local(client):
    html = client.get("/").content.decode()
    assert "http://" not in html.replace("http://www.w3.org", "")
    assert "https://" not in html


def test_english_catalog_is_complete_and_compiled():
    """Every interface string has an English translation, and the compiled catalog matches."""
    from pathlib import Path

    import polib

    po_path = Path(__file__).resolve().parent.parent / "locale/en/LC_MESSAGES/django.po"
    po = polib.pofile(str(po_path))
    assert po.untranslated_entries() == []
    assert po.fuzzy_entries() == []
    mo = polib.mofile(str(po_path.with_suffix(".mo")))

    def key(entry):
        plural = tuple(sorted(entry.msgstr_plural.items()))
        return (entry.msgctxt, entry.msgid, entry.msgstr, plural)

    assert {key(e) for e in po.translated_entries()} <= {key(e) for e in mo}, (
        "django.mo is older than django.po: run `make messages`"
    )
