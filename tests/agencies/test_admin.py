"""The admin: a supervisor administers only their own subtree; operators never get in."""

import pytest

from agencies.models import Body
from tests.conftest import body

pytestmark = pytest.mark.django_db


def _login(client, user):
    client.force_login(user)


def test_operator_cannot_use_the_admin(client, operator_a, body_a):
    _login(client, operator_a)
    response = client.get(f"/admin/agencies/body/{body_a.pk}/change/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_supervisor_opens_own_body_but_not_another(client, supervisor_a, body_a, body_b):
    _login(client, supervisor_a)
    own = client.get(f"/admin/agencies/body/{body_a.pk}/change/")
    assert own.status_code == 200
    assert "Pemerintah Kota Semarang" in own.content.decode()
    other = client.get(f"/admin/agencies/body/{body_b.pk}/change/", follow=True)
    assert "Pemerintah Kota Surabaya" not in other.content.decode()
    assert other.redirect_chain[-1][0] == "/admin/"


def test_supervisor_changelist_shows_only_the_subtree(client, supervisor_a):
    _login(client, supervisor_a)
    response = client.get("/admin/agencies/body/", {"q": "Pemerintah Kota"})
    html = response.content.decode()
    assert "Pemerintah Kota Semarang" in html
    assert "Pemerintah Kota Surabaya" not in html


def test_admin_filters_by_kind_and_province_and_searches(client, system_admin):
    _login(client, system_admin)
    response = client.get("/admin/agencies/body/", {"kind": "city", "province": "35"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Pemerintah Kota Surabaya" in html and "Pemerintah Kota Semarang" not in html
    found = client.get("/admin/agencies/body/", {"q": "Kemenkes"}).content.decode()
    assert "Kementerian Kesehatan" in found


def test_admin_change_page_shows_ancestors_and_children(client, system_admin):
    _login(client, system_admin)
    jateng = body("province-33")
    html = client.get(f"/admin/agencies/body/{jateng.pk}/change/").content.decode()
    assert "Kemenko Polkam › Kemendagri › Pemprov Jawa Tengah" in html
    assert "Pemkot Semarang" in html


def test_admin_adds_a_unit_and_moves_it(client, system_admin):
    _login(client, system_admin)
    semarang = body("regency-33.74")
    response = client.post(
        "/admin/agencies/body/add/",
        {
            "name": "Dinas Kesehatan Kota Semarang",
            "acronym": "DKK",
            "aliases": "",
            "parent": semarang.pk,
            "region": "",
            "address": "",
            "email": "",
            "phone": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    unit = Body.objects.get(name="Dinas Kesehatan Kota Semarang")
    assert Body.objects.get_parent(unit) == semarang and unit.region.code == "33.74"
    jateng = body("province-33")
    response = client.post(
        f"/admin/agencies/body/{unit.pk}/change/",
        {
            "name": unit.name,
            "acronym": "DKK",
            "aliases": "",
            "parent": jateng.pk,
            "region": unit.region_id,
            "address": "",
            "email": "",
            "phone": "",
        },
    )
    assert response.status_code == 302
    unit.refresh_from_db()
    assert Body.objects.get_parent(unit) == jateng


def test_bodies_cannot_be_deleted_in_the_admin(client, system_admin, body_a):
    _login(client, system_admin)
    response = client.get(f"/admin/agencies/body/{body_a.pk}/delete/")
    assert response.status_code == 403


def test_supervisor_cannot_list_all_users(client, supervisor_a):
    _login(client, supervisor_a)
    assert client.get("/admin/agencies/user/").status_code == 403
