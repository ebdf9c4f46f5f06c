"""Shared fixtures: the real tree of bodies loaded once per session, the read replica of a
national deployment, and the people that permission tests need (a citizen, operators of body A
and body B, a supervisor above A, …)."""

from __future__ import annotations

import copy
import importlib

import pytest

from agencies.models import Body, Membership, Role, User
from agencies.tree_loader import load_agency_tree
from lapor.db_router import REPLICA, ROUTER

PASSWORD = "rahasia-uji-123"  # noqa: S105 - test accounts only


def verified_device(user: User):
    """A confirmed authenticator app of ``user`` (made if there is none)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="uji", confirmed=True)


def _force_login_with_second_factor(self, user, backend=None):
    """``Client.force_login`` stands for a whole sign-in, the second step included: whoever
    must enter a code gets a session that entered one (as django-otp records it). Tests of
    the second step itself sign in with ``password_only_login``."""
    from django_otp import DEVICE_ID_SESSION_KEY

    from agencies import two_factor

    password_only_login(self, user, backend)
    if two_factor.must_verify(user):
        session = self.session
        session[DEVICE_ID_SESSION_KEY] = verified_device(user).persistent_id
        session.save()


_DJANGO_FORCE_LOGIN = []


def _install_force_login() -> None:
    from django.test.client import ClientMixin

    if ClientMixin.force_login is not _force_login_with_second_factor:
        _DJANGO_FORCE_LOGIN.append(ClientMixin.force_login)
        ClientMixin.force_login = _force_login_with_second_factor


def password_only_login(client, user, backend=None) -> None:
    """Django's own ``force_login``: signed in with the password, no second step yet."""
    _DJANGO_FORCE_LOGIN[0](client, user, backend)


def verified_api_token(user: User):
    """``user``'s API token as issued with a second-factor code where one is needed."""
    from rest_framework.authtoken.models import Token

    from agencies import two_factor

    token, _created = Token.objects.get_or_create(user=user)
    if two_factor.must_verify(user):
        verified_device(user)
        two_factor.mark_token_verified(token=token)
    return token


def _define_test_replica() -> None:
    """Every run has what DATABASE_REPLICA_URL sets up: the "replica" alias, a test mirror of
    the primary (the same test database, nothing more to create), with the router installed.
    So every public page in every test goes through the router exactly as in production. It
    replaces a replica from DATABASE_REPLICA_URL: in tests the replica is the primary's server.
    The settings are already loaded (and ``connections`` has read DATABASES) when this runs,
    hence the two cached values dropped."""
    from django.conf import settings
    from django.db import DEFAULT_DB_ALIAS, connections, router

    default = settings.DATABASES[DEFAULT_DB_ALIAS]
    settings.DATABASES[REPLICA] = {
        **copy.deepcopy(default),
        "TEST": {**default.get("TEST", {}), "MIRROR": DEFAULT_DB_ALIAS, "NAME": None},
    }
    settings.DATABASE_ROUTERS = [ROUTER]
    connections.__dict__.pop("settings", None)
    router.__dict__.pop("routers", None)


def pytest_configure(config):
    from django.conf import settings

    _define_test_replica()
    _install_force_login()

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


def pytest_collection_modifyitems(items):
    """A live server answers from its own thread, with its own connections, which cannot be
    the test's: tests with one ask for the replica, a real second connection (their rows are
    committed, so it sees them)."""
    from django.db import DEFAULT_DB_ALIAS

    for item in items:
        if (
            "live_server" in getattr(item, "fixturenames", ())
            and item.get_closest_marker("django_db") is None
        ):
            item.add_marker(
                pytest.mark.django_db(transaction=True, databases=[DEFAULT_DB_ALIAS, REPLICA])
            )


def _asks_for_the_replica(node: pytest.Item) -> bool:
    marker = node.get_closest_marker("django_db")
    databases = marker.kwargs.get("databases") if marker else None
    return databases == "__all__" or (databases is not None and REPLICA in databases)


@pytest.fixture(autouse=True)
def _replica_reads_the_test_transaction(request):
    """In a test, the rows it wrote are not committed, so a second connection cannot see them.
    Unless a test asks for the replica itself (``django_db(databases=["default", "replica"])``:
    then it is a real second connection, as in tests/test_scaling.py), the "replica" alias is
    the primary's own connection for the test: a replica with no lag. The router still decides
    every query, and pages read by live-server tests (another thread) use a real second
    connection."""
    uses_db = (
        request.node.get_closest_marker("django_db") is not None
        or "_django_db_helper" in request.fixturenames
    )
    if not uses_db or _asks_for_the_replica(request.node):
        yield
        return
    from django.db import DEFAULT_DB_ALIAS, connections

    request.getfixturevalue("_django_db_helper")  # set up first, so torn down after this
    replica = connections[REPLICA]
    connections[REPLICA] = connections[DEFAULT_DB_ALIAS]
    try:
        yield
    finally:
        connections[REPLICA] = replica


@pytest.fixture(autouse=True)
def _fresh_calendar_overrides():
    """The working-day overrides are cached per process; a rolled-back test must not leave
    its overrides behind for the next one."""
    from routing.calendar import forget_overrides

    forget_overrides()
    yield
    forget_overrides()


@pytest.fixture(autouse=True)
def _redis_failures_forgotten():
    """After a failure a process leaves the broker and the rate-limit counters alone for a few
    seconds (lapor.outages, complaints.rate_limits): a test that broke Redis must not leave
    the next one skipping its publishes and its counts."""
    from complaints.outbox import forget_kick
    from complaints.rate_limits import outage
    from lapor.outages import forget_failures

    outage.clear()
    forget_failures()
    forget_kick()  # nor a kick of the outbox's worker, skipped as one made moments ago
    yield
    outage.clear()
    forget_failures()
    forget_kick()


@pytest.fixture(autouse=True)
def _default_language():
    """A request in English leaves English active in this thread (LocaleMiddleware activates,
    nothing deactivates): every test starts and ends in the default language."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _celery_join_flag_cleared():
    """Eager tasks (see pytest_configure) run inside Celery's ``denied_join_result()``, which
    saves and restores one flag for the whole process. Two threads running eager tasks at once
    (the two sweeps or the two operators of the concurrency tests) can leave it set, and every
    later ``result.get()`` in the process then raises "Never call result.get() within a task!".
    No test inherits it from another."""
    yield
    from celery.result import _set_task_join_will_block

    _set_task_join_will_block(False)


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
            if model is DeadlinePolicy:  # and the versions later migrations added
                for later in ("0014_policy_day_one_convention", "0015_deadline_warnings",
                              "0016_next_step_clock", "0017_waiting_for_the_citizen",
                              "0018_policy_per_priority"):
                    importlib.import_module(f"routing.migrations.{later}").new_versions(
                        apps, None)


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
