"""Shared fixtures: the real tree of bodies loaded once per session, and the people that
permission tests need (a citizen, operators of body A and body B, a supervisor above A, …)."""

from __future__ import annotations

import importlib

import pytest

from agencies.models import Body, Membership, Role, User
from agencies.tree_loader import load_agency_tree

PASSWORD = "rahasia-uji-123"  # noqa: S105 - test accounts only


def pytest_configure(config):
    from django.conf import settings

    # WhiteNoise looks for STATIC_ROOT when the first request comes in.
    settings.STATIC_ROOT.mkdir(parents=True, exist_ok=True)
    # Tasks queued by the code under test (email) run in the test, so mail.outbox sees them;
    # tests/test_worker.py runs a real worker in its own process for the queued path.
    from lapor.celery import app

    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the real regions and bodies once; every test transaction rolls back on top of it."""
    with django_db_blocker.unblock():
        load_agency_tree()


@pytest.fixture(autouse=True)
def _fresh_calendar_overrides():
    """The working-day overrides are cached per process; a rolled-back test must not leave
    its overrides behind for the next one."""
    from routing.calendar import forget_overrides

    forget_overrides()
    yield
    forget_overrides()


@pytest.fixture(autouse=True)
def _test_settings(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # No collectstatic in tests: serve from the app folders, without the hashed manifest.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def agency_tree(transactional_db):
    """For transactional tests (live server, real workers): the flush between them empties
    every table, data migrations' rows included, so load the tree and the seeded categories
    again if they are gone."""
    if not Body.objects.exists():
        load_agency_tree()
    from django.apps import apps

    from complaints.models import Category
    from routing.models import DeadlinePolicy

    for model, migration in (
        (Category, "complaints.migrations.0003_seed_categories"),
        (DeadlinePolicy, "routing.migrations.0003_default_policies"),
    ):
        if not model.objects.exists():
            importlib.import_module(migration).seed(apps, None)


def body(key: str) -> Body:
    return Body.objects.get(source_key=key)


def make_user(email: str, name: str, role: str | None = None, body_key: str | None = None) -> User:
    user = User.objects.create_user(email=email, password=PASSWORD, full_name=name)
    if role:
        Membership.objects.create(user=user, body=body(body_key), role=role)
    return user


@pytest.fixture
def citizen(db):
    return make_user("warga@example.id", "Warga Biasa")


@pytest.fixture
def body_a(db):
    """Kota Semarang, under Jawa Tengah."""
    return body("regency-33.74")


@pytest.fixture
def body_b(db):
    """Kota Surabaya, under Jawa Timur."""
    return body("regency-35.78")


@pytest.fixture
def operator_a(body_a):
    return make_user("operator.a@example.id", "Operator A", Role.OPERATOR, "regency-33.74")


@pytest.fixture
def operator_b(body_b):
    return make_user("operator.b@example.id", "Operator B", Role.OPERATOR, "regency-35.78")


@pytest.fixture
def supervisor_a(db):
    """Supervisor of Pemprov Jawa Tengah: above body A, not above body B."""
    return make_user("pimpinan.a@example.id", "Pimpinan Jateng", Role.SUPERVISOR, "province-33")


@pytest.fixture
def verifier_jateng(db):
    return make_user("verif.jateng@example.id", "Verifikator Jateng", Role.VERIFIER, "province-33")


@pytest.fixture
def verifier_national(db):
    return make_user("verif@example.id", "Verifikator Nasional", Role.VERIFIER, "kemenpanrb")


@pytest.fixture
def ombudsman_jateng(db):
    return make_user(
        "ombudsman.jateng@example.id", "Asisten Ombudsman", Role.OMBUDSMAN_OFFICER, "ombudsman-33"
    )


@pytest.fixture
def system_admin(db):
    return make_user("admin@example.id", "Admin Sistem", Role.SYSTEM_ADMIN, "kemenpanrb")
