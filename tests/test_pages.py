import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agencies.models import Body
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


def test_pages_query_count_does_not_grow_with_rows(client):
    """The body search with 2 and with 22 matching units (all on its first page): the same
    queries, and no more than 6, for both."""
    city = body("regency-33.74")

    def add_units(first: int, last: int) -> None:
        for i in range(first, last):
            Body.objects.add_child(
                city,
                create_kwargs={"name": f"Unit Uji Beban {i:02d}", "kind": "unit",
                               "region": city.region},
            )

    def search() -> tuple[str, int]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/instansi/", {"q": "Uji Beban"})
        assert response.status_code == 200
        return response.content.decode(), len(queries)

    add_units(0, 2)
    search()  # warm-up: content types, caches
    few_html, few = search()
    add_units(2, 22)
    many_html, many = search()
    assert few_html.count("Unit Uji Beban ") == 2 and "2 instansi ditemukan" in few_html
    assert many_html.count("Unit Uji Beban ") == 22 and "22 instansi ditemukan" in many_html
    assert many == few <= 6, f"{few} queries for 2 units, {many} for 22"


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
