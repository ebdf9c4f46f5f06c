"""Whether an address has an account cannot be learned from registration, a password reset or
a request for a new confirmation link:
the answer (status, redirect, page, JSON) is the same for a known and an unknown address, and
so is the work (password hashing, mails sent, database queries), so the time says nothing
either. The owner of a taken address is mailed a notice; an unknown address asking for a reset
is told no account uses it."""

from __future__ import annotations

import re
from collections import Counter
from contextlib import contextmanager
from unittest import mock

import pytest
from django.contrib.auth.hashers import get_hasher
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from agencies.models import User
from tests.conftest import PASSWORD
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TAKEN = "warga.lama@example.id"
NEW = "warga.baru@example.id"
PASSWORD_NEW = "Jembatan-Merah-1945"


def registration(email: str) -> dict[str, str]:
    return {"full_name": "Siti Rahmawati", "email": email, "phone": "",
            "password": PASSWORD_NEW, "password_confirmation": PASSWORD_NEW}


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def owner():
    return UserFactory(email=TAKEN, full_name="Budi Lama")


def _same_page(html: str, address: str) -> str:
    """A page with the address it names and its CSRF token blanked out."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return html.replace(address, "ADDRESS")


def _shape(sql: str) -> str:
    """A query by its verb and its table: ``SELECT agencies_user``, ``INSERT agencies_user``,
    ``SAVEPOINT``."""
    words = sql.split()
    if words[0] == "SELECT":
        table = re.search(r'\bFROM "?(\w+)"?', sql)
        return "SELECT " + (table.group(1) if table else "")
    if words[0] in ("INSERT", "UPDATE", "DELETE"):
        table = re.search(r'(?:INTO|UPDATE|FROM) "?(\w+)"?', sql)
        return f"{words[0]} {table.group(1) if table else ''}"
    return " ".join(w for w in words[:2] if not w.startswith('"'))


@contextmanager
def work(django_capture_on_commit_callbacks, mailoutbox):
    """What a request costs: password hashes made, queries run, mails sent (the on-commit
    work included)."""
    hasher = type(get_hasher())
    counted = {"hashes": 0}
    original = hasher.encode

    def encode(self, *args, **kwargs):
        counted["hashes"] += 1
        return original(self, *args, **kwargs)

    before = len(mailoutbox)
    with (
        mock.patch.object(hasher, "encode", encode),
        CaptureQueriesContext(connection) as queries,
        django_capture_on_commit_callbacks(execute=True),
    ):
        yield counted
    counted["queries"] = [q["sql"] for q in queries.captured_queries]
    counted["mails"] = len(mailoutbox) - before


# --- Registration -----------------------------------------------------------------------------


def test_registration_answers_a_taken_and_a_new_address_the_same(
    owner, django_capture_on_commit_callbacks
):
    answers = []
    for address in (TAKEN, NEW):
        client = Client()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("register"), registration(address))
        page = client.get(response["Location"])
        answers.append((
            response.status_code, response["Location"], sorted(response.cookies),
            "_auth_user_id" in client.session, page.status_code,
            _same_page(page.content.decode(), address),
        ))
    assert answers[0] == answers[1]
    status, location, _cookies, signed_in, _page_status, page = answers[0]
    assert status == 302 and location == reverse("confirmation_pending") and not signed_in
    assert "sudah terdaftar" not in page and "ADDRESS" in page


def test_the_api_answers_a_taken_and_a_new_address_the_same(
    owner, django_capture_on_commit_callbacks
):
    answers = []
    for address in (TAKEN.upper(), NEW):
        with django_capture_on_commit_callbacks(execute=True):
            response = APIClient().post(
                reverse("api:auth-register"), registration(address), format="json"
            )
        detail = response.json()["detail"].replace(address.lower(), "ADDRESS")
        answers.append((response.status_code, sorted(response.json()), detail))
    assert answers[0] == answers[1]
    assert answers[0][0] == 202 and "sudah terdaftar" not in answers[0][2]


def test_registering_a_taken_address_mails_its_owner_and_changes_nothing(
    owner, client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("register"), registration(TAKEN.title()))
    assert User.objects.filter(email__iexact=TAKEN).count() == 1
    owner.refresh_from_db()
    assert owner.check_password(PASSWORD) and owner.full_name == "Budi Lama"
    [notice] = mailoutbox
    assert notice.to == [TAKEN]
    assert "mencoba mendaftar" in notice.subject
    assert "Budi Lama" in notice.body
    assert "http://testserver" not in notice.body  # links start with SITE_URL
    assert reverse("login") in notice.body and reverse("password_reset") in notice.body
    assert "/akun/konfirmasi/" not in notice.body  # no confirmation link: nothing to confirm


def test_registration_does_the_same_work_for_a_taken_and_a_new_address(
    owner, mailoutbox, django_capture_on_commit_callbacks
):
    costs = {}
    for address in (TAKEN, NEW):
        with work(django_capture_on_commit_callbacks, mailoutbox) as cost:
            Client().post(reverse("register"), registration(address))
        costs[address] = cost
    taken, new = costs[TAKEN], costs[NEW]
    assert taken["hashes"] == new["hashes"] == 1
    assert taken["mails"] == new["mails"] == 1
    # The same reads; the new address alone writes its account (one INSERT in a savepoint).
    extra = Counter(map(_shape, new["queries"])) - Counter(map(_shape, taken["queries"]))
    missing = Counter(map(_shape, taken["queries"])) - Counter(map(_shape, new["queries"]))
    assert not missing, missing
    assert sorted(extra.elements()) == ["INSERT agencies_user", "RELEASE SAVEPOINT",
                                        "SAVEPOINT"], extra


# --- Password reset ---------------------------------------------------------------------------


def test_password_reset_answers_a_known_and_an_unknown_address_the_same(owner):
    pages, api = [], []
    for address in (TAKEN, NEW):
        client = Client()
        response = client.post(reverse("password_reset"), {"email": address}, follow=True)
        pages.append((response.redirect_chain, _same_page(response.content.decode(), address)))
        answer = APIClient().post(reverse("api:auth-password-reset"), {"email": address},
                                  format="json")
        api.append((answer.status_code, answer.json()))
    assert pages[0] == pages[1] and api[0] == api[1]
    assert pages[0][0] == [(reverse("password_reset_done"), 302)]


@pytest.mark.parametrize("through", ["page", "api"])
def test_password_reset_does_the_same_work_for_a_known_and_an_unknown_address(
    owner, mailoutbox, django_capture_on_commit_callbacks, through
):
    costs = {}
    for address in (TAKEN, NEW):
        with work(django_capture_on_commit_callbacks, mailoutbox) as cost:
            if through == "page":
                Client().post(reverse("password_reset"), {"email": address})
            else:
                APIClient().post(reverse("api:auth-password-reset"), {"email": address},
                                 format="json")
        costs[address] = cost
    known, unknown = costs[TAKEN], costs[NEW]
    assert known["mails"] == unknown["mails"] == 1
    assert len(known["queries"]) == len(unknown["queries"]), (known, unknown)
    assert known["hashes"] == unknown["hashes"]


def test_an_unknown_address_is_told_no_account_uses_it(
    owner, client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("password_reset"), {"email": NEW})
        client.post(reverse("password_reset"), {"email": TAKEN})
    notice, link = mailoutbox
    assert notice.to == [NEW] and link.to == [TAKEN]
    assert "tidak ada akun" in notice.body and NEW in notice.body
    assert reverse("register") in notice.body
    assert re.search(r"/akun/.+/[0-9A-Za-z_-]+/[0-9a-z]+-[0-9a-f]+/", link.body)  # a real link
    assert not re.search(r"/akun/.+/[0-9A-Za-z_-]+/[0-9a-z]+-[0-9a-f]+/", notice.body)


def test_an_account_without_a_password_is_answered_like_an_unknown_address(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    user = UserFactory(email="tanpa.sandi@example.id")
    user.set_unusable_password()
    user.save()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("password_reset"), {"email": user.email})
    [notice] = mailoutbox
    assert notice.to == [user.email] and "tidak ada akun" in notice.body


# --- A new confirmation link, asked for by address ----------------------------------------------


@pytest.mark.parametrize("through", ["page", "api"])
def test_a_new_confirmation_link_answers_and_works_the_same_for_any_address(
    mailoutbox, django_capture_on_commit_callbacks, through
):
    waiting = UserFactory(email="menunggu@example.id", is_email_confirmed=False)
    UserFactory(email=TAKEN)  # confirmed already
    answers, costs = [], []
    for address in (waiting.email, TAKEN, NEW):
        with work(django_capture_on_commit_callbacks, mailoutbox) as cost:
            if through == "page":
                response = Client().post(reverse("resend_confirmation"), {"email": address})
                answers.append((response.status_code, response["Location"]))
            else:
                response = APIClient().post(reverse("api:auth-resend-confirmation"),
                                            {"email": address}, format="json")
                answers.append((response.status_code, response.json()))
        costs.append(cost)
    assert answers[0] == answers[1] == answers[2]
    assert [c["mails"] for c in costs] == [1, 1, 1]
    assert len({len(c["queries"]) for c in costs}) == 1, [c["queries"] for c in costs]
    link, confirmed_notice, unknown_notice = mailoutbox
    assert "/akun/konfirmasi/" in link.body
    for notice in (confirmed_notice, unknown_notice):
        assert "/akun/konfirmasi/" not in notice.body
        assert "tidak ada akun yang menunggu konfirmasi" in notice.body
