"""The permission matrix of ``agencies.access``: role × body × (view, act, administer)."""

import pytest

from agencies import access
from tests.conftest import body

pytestmark = pytest.mark.django_db

A, B, JATENG, UNIT_BELOW_A = "regency-33.74", "regency-35.78", "province-33", "unit-below-a"


def _bodies(system_admin):
    from agencies import services

    bodies = {key: body(key) for key in (A, B, JATENG)}
    bodies[UNIT_BELOW_A] = services.create_unit(
        parent=bodies[A], name="Dinas Kesehatan", actor=system_admin
    )
    return bodies


@pytest.mark.parametrize(
    ("person", "expected"),
    [
        # person: {body: (view, act, administer)}
        ("citizen", {A: "---", B: "---", JATENG: "---", UNIT_BELOW_A: "---"}),
        ("operator_a", {A: "va-", B: "---", JATENG: "---", UNIT_BELOW_A: "---"}),
        ("operator_b", {A: "---", B: "va-", JATENG: "---", UNIT_BELOW_A: "---"}),
        ("supervisor_a", {A: "vad", B: "---", JATENG: "vad", UNIT_BELOW_A: "vad"}),
        ("verifier_jateng", {A: "v--", B: "---", JATENG: "v--", UNIT_BELOW_A: "v--"}),
        ("verifier_national", {A: "v--", B: "v--", JATENG: "v--", UNIT_BELOW_A: "v--"}),
        ("ombudsman_jateng", {A: "v--", B: "---", JATENG: "v--", UNIT_BELOW_A: "v--"}),
        ("system_admin", {A: "v-d", B: "v-d", JATENG: "v-d", UNIT_BELOW_A: "v-d"}),
    ],
)
def test_permission_matrix(request, system_admin, person, expected):
    bodies = _bodies(system_admin)
    user = request.getfixturevalue(person)
    for key, rights in expected.items():
        target = bodies[key]
        got = (
            ("v" if access.may_view_holdings(user, target) else "-")
            + ("a" if access.may_act_on_holdings(user, target) else "-")
            + ("d" if access.may_administer(user, target) else "-")
        )
        assert got == rights, f"{person} on {key}"
        # the set-based selectors agree with the per-object checks
        assert (target in access.bodies_visible_to(user)) == (rights[0] == "v")
        assert (target in access.bodies_actionable_by(user)) == (rights[1] == "a")
        assert (target in access.bodies_administered_by(user)) == (rights[2] == "d")


def test_anonymous_user_has_no_rights():
    from django.contrib.auth.models import AnonymousUser

    anonymous = AnonymousUser()
    assert not access.may_view_holdings(anonymous, body(A))
    assert not access.bodies_visible_to(anonymous).exists()


def test_inactive_membership_grants_nothing(operator_a, body_a):
    operator_a.memberships.update(is_active=False)
    access.forget_memberships(operator_a)
    assert not access.may_act_on_holdings(operator_a, body_a)


def test_scoped_queryset_is_one_query(supervisor_a, django_assert_num_queries):
    access.memberships_of(supervisor_a)  # the per-request cache
    with django_assert_num_queries(1):
        assert len(list(access.bodies_visible_to(supervisor_a))) == 36
