import pytest

from agencies import selectors, services
from agencies.models import Body
from lapor.errors import Invalid, NotAllowed
from tests.conftest import body

pytestmark = pytest.mark.django_db


def test_subtree_of_a_province_is_one_query(django_assert_num_queries):
    jateng = body("province-33")
    with django_assert_num_queries(1):
        members = list(selectors.subtree(jateng))
    # Jawa Tengah: the province government, 29 regencies and 6 cities
    assert len(members) == 36
    assert {b.kind for b in members} == {"province", "regency", "city"}


def test_subtree_query_uses_the_path_index():
    from django.db import connection

    jateng = body("province-33")
    sql, params = selectors.subtree(jateng).values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "body_path_prefix_idx" in plan or "agencies_body_path" in plan, plan


def test_ancestors_are_one_query(django_assert_num_queries):
    semarang = body("regency-33.74")
    with django_assert_num_queries(1):
        chain = [b.source_key for b in selectors.ancestors(semarang)]
    assert chain == ["kemenko-polkam", "kemendagri", "province-33"]


def test_children_sorted_by_kind_then_name():
    rows = [(b.kind, b.name) for b in selectors.children(body("province-33"))]
    assert len(rows) == 35
    regencies = [name for kind, name in rows if kind == "regency"]
    assert [kind for kind, _ in rows] == ["regency"] * 29 + ["city"] * 6
    assert regencies == sorted(regencies)
    top = [b.kind for b in selectors.children(body("kemenko-polkam"))]
    assert top[0] == "coordinating_ministry" and top[-1] == "ombudsman"


def test_supervisor_adds_a_unit_that_inherits_region_and_time_zone(supervisor_a):
    parent = body("regency-33.74")
    unit = services.create_unit(
        parent=parent, name="Dinas Kesehatan", acronym="Dinkes", actor=supervisor_a
    )
    assert Body.objects.get_parent(unit) == parent
    assert unit.kind == Body.Kind.UNIT
    assert unit.region.code == "33.74"
    assert unit.province.code == "33"
    assert unit.time_zone == "Asia/Jakarta"
    assert unit in selectors.subtree(body("province-33"))


def test_unit_with_duplicate_name_is_refused_with_a_message(supervisor_a):
    parent = body("regency-33.74")
    services.create_unit(parent=parent, name="Dinas Kesehatan", actor=supervisor_a)
    with pytest.raises(Invalid, match="Sudah ada unit"):
        services.create_unit(parent=parent, name="dinas kesehatan", actor=supervisor_a)


def test_supervisor_cannot_add_a_unit_outside_their_subtree(supervisor_a):
    with pytest.raises(NotAllowed, match="tidak berwenang"):
        services.create_unit(parent=body("regency-35.78"), name="Dinas X", actor=supervisor_a)


def test_move_subtree_moves_every_descendant(system_admin):
    semarang = body("regency-33.74")
    unit = services.create_unit(parent=semarang, name="Dinas Perhubungan", actor=system_admin)
    sub = services.create_unit(parent=unit, name="Bidang Angkutan", actor=system_admin)
    target = body("kemenhub")
    services.move_body(body=unit, new_parent=target, actor=system_admin)
    unit.refresh_from_db()
    sub.refresh_from_db()
    assert Body.objects.get_parent(unit) == target
    assert Body.objects.get_parent(sub) == unit
    assert sub.path.startswith(target.path)
    assert sub not in selectors.subtree(semarang)
    assert Body.objects.find_problems() == ([], [], [], [], [])


def test_cannot_move_a_body_under_its_own_descendant(system_admin):
    jateng = body("province-33")
    with pytest.raises(Invalid, match="bawah dirinya sendiri"):
        services.move_body(body=jateng, new_parent=body("regency-33.74"), actor=system_admin)


def test_deactivation_requires_inactive_children(system_admin):
    semarang = body("regency-33.74")
    unit = services.create_unit(parent=semarang, name="Dinas Pendidikan", actor=system_admin)
    with pytest.raises(Invalid, match="Nonaktifkan dulu"):
        services.set_body_active(body=semarang, is_active=False, actor=system_admin)
    services.set_body_active(body=unit, is_active=False, actor=system_admin)
    services.set_body_active(body=semarang, is_active=False, actor=system_admin)
    semarang.refresh_from_db()
    assert not semarang.is_active
    with pytest.raises(Invalid, match="induknya tidak aktif"):
        services.set_body_active(body=unit, is_active=True, actor=system_admin)


def test_a_body_with_members_cannot_be_deleted(operator_a, body_a):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        body_a.delete()
