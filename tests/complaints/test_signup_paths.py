"""Where signing up leads: a visitor finds the filing form from the home page, confirming an
address (and signing in: registering signs nobody in, tests/complaints/test_account_enumeration.py
says why) lands on the filing form, and someone who signed up to support a report comes back
to that report, with every ``next`` checked on the way."""

import re
from urllib.parse import quote, unquote

import pytest
from django.core.cache import cache
from django.urls import reverse

from agencies.models import User
from tests.factories import public_report

pytestmark = pytest.mark.django_db

REGISTRATION = {
    "full_name": "Siti Rahmawati",
    "email": "siti@example.id",
    "phone": "",
    "password": "Jembatan-Merah-1945",
    "password_confirmation": "Jembatan-Merah-1945",
}
FILING = "/lapor/"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def _confirmation_path(mailoutbox) -> str:
    link = re.search(r"https?://\S+/akun/konfirmasi/\S+", mailoutbox[-1].body).group(0)
    return re.sub(r"^https?://[^/]+", "", link)


def _register(client, django_capture_on_commit_callbacks, **extra):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("register"), {**REGISTRATION, **extra})


def _sign_in(client, next_url: str):
    return client.post(reverse("login"), {
        "username": REGISTRATION["email"], "password": REGISTRATION["password"],
        "next": next_url,
    })


def _hrefs(html: str) -> list[str]:
    """Every link of a page, with its query decoded (``/a/?next=/b/``)."""
    return [unquote(h.replace("&amp;", "&")) for h in re.findall(r'href="([^"]+)"', html)]


def _at(response) -> str:
    """Where a redirect goes, its query decoded."""
    assert response.status_code == 302, response.status_code
    return unquote(response["Location"])


def test_home_leads_a_visitor_to_filing_through_sign_in_or_registration(client):
    page = client.get("/").content.decode()
    assert re.search(r'<a class="button[^"]*" href="/lapor/">Buat laporan</a>', page)
    assert f"/akun/daftar/?next={FILING}" in _hrefs(page)
    assert "/lacak/" in _hrefs(page) and "/publik/" in _hrefs(page)

    to_login = _at(client.get(FILING))
    assert to_login == f"/akun/masuk/?next={FILING}"
    login_page = client.get(to_login).content.decode()
    # "Daftar di sini" on the sign-in page keeps the destination
    assert f"/akun/daftar/?next={FILING}" in _hrefs(login_page)


def test_home_offers_a_citizen_the_filing_form_and_staff_their_queue(
    client, citizen, operator_a
):
    client.force_login(citizen)
    assert re.search(r'href="/lapor/">Buat laporan</a>', client.get("/").content.decode())
    client.force_login(operator_a)
    page = client.get("/").content.decode()
    assert 'href="/petugas/antrean/">Buka antrean instansi</a>' in page


def test_confirming_the_address_and_signing_in_lands_on_the_filing_form(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    registered = _register(client, django_capture_on_commit_callbacks)
    assert _at(registered) == reverse("confirmation_pending")
    assert "_auth_user_id" not in client.session
    assert _at(client.get(_confirmation_path(mailoutbox))) == f"/akun/masuk/?next={FILING}"
    assert _at(_sign_in(client, FILING)) == FILING
    form = client.get(FILING)
    assert form.status_code == 200
    assert "sudah terkonfirmasi" in form.content.decode()
    assert 'name="title"' in form.content.decode()


def test_confirming_while_signed_out_signs_in_first_then_files(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    _register(client, django_capture_on_commit_callbacks)
    client.logout()
    confirmed = _at(client.get(_confirmation_path(mailoutbox)))
    assert confirmed == f"/akun/masuk/?next={FILING}"
    signed_in = client.post(reverse("login"), {
        "username": REGISTRATION["email"], "password": REGISTRATION["password"], "next": FILING,
    })
    assert _at(signed_in) == FILING
    assert client.get(FILING).status_code == 200


def test_a_second_click_on_the_link_also_goes_on_to_the_filing_form(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    _register(client, django_capture_on_commit_callbacks)
    link = _confirmation_path(mailoutbox)
    client.get(link)
    _sign_in(client, FILING)
    assert _at(client.get(link)) == FILING


def test_signing_up_to_support_a_report_returns_to_that_report(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    report = public_report()
    report_url = reverse("public:detail", args=[report.tracking_number])

    detail = client.get(report_url).content.decode()
    to_login = f"/akun/masuk/?next={report_url}"
    assert to_login in _hrefs(detail)  # "Masuk untuk mendukung"
    login_page = client.get(to_login).content.decode()
    to_register = f"/akun/daftar/?next={report_url}"
    assert to_register in _hrefs(login_page)  # "Daftar di sini"
    form = client.get(to_register).content.decode()
    assert f'<input type="hidden" name="next" value="{report_url}">' in form

    registered = _register(client, django_capture_on_commit_callbacks, next=report_url)
    pending = _at(registered)
    assert pending == f"/akun/konfirmasi/?next={report_url}"
    assert f'name="next" value="{report_url}"' in client.get(pending).content.decode()
    link = _confirmation_path(mailoutbox)
    assert unquote(link).endswith(f"?next={report_url}")

    assert _at(client.get(link)) == f"/akun/masuk/?next={report_url}"
    assert _at(_sign_in(client, report_url)) == report_url
    page = client.get(report_url).content.decode()
    assert ">Dukung</button>" in page
    supported = client.post(reverse("public:support", args=[report.tracking_number]),
                            {"next": report_url})
    assert _at(supported) == report_url
    report.refresh_from_db()
    assert report.support_count == 1


def test_resending_the_link_keeps_where_it_leads(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    report_url = reverse("public:detail", args=[public_report().tracking_number])
    _register(client, django_capture_on_commit_callbacks, next=report_url)
    pending = client.get(f"/akun/konfirmasi/?next={report_url}").content.decode()
    assert f'name="email" value="{REGISTRATION["email"]}"' in pending  # the resend button
    with django_capture_on_commit_callbacks(execute=True):
        resent = client.post(reverse("resend_confirmation"),
                             {"email": REGISTRATION["email"], "next": report_url})
    assert _at(resent) == f"/akun/masuk/?next={report_url}"
    assert len(mailoutbox) == 2
    assert _at(client.get(_confirmation_path(mailoutbox))) == f"/akun/masuk/?next={report_url}"
    assert _at(_sign_in(client, report_url)) == report_url


@pytest.mark.parametrize(
    "foreign", ["https://penipu.example/", "//penipu.example/lapor/", "javascript:alert(1)"]
)
def test_a_next_outside_the_site_is_dropped_at_every_step(
    client, mailoutbox, django_capture_on_commit_callbacks, foreign
):
    form = client.get(reverse("register"), {"next": foreign}).content.decode()
    assert '<input type="hidden" name="next"' not in form
    registered = _register(client, django_capture_on_commit_callbacks, next=foreign)
    assert _at(registered) == reverse("confirmation_pending")
    link = _confirmation_path(mailoutbox)
    assert "next" not in link
    # a link edited to carry a foreign destination still lands on this site
    client.logout()
    confirmed = client.get(link + "?next=" + quote(foreign, safe=""))
    assert _at(confirmed) == f"/akun/masuk/?next={FILING}"
    assert User.objects.get(email=REGISTRATION["email"]).is_email_confirmed


def test_register_page_for_someone_signed_in_goes_on_to_next(client, citizen):
    report_url = reverse("public:detail", args=[public_report().tracking_number])
    client.force_login(citizen)
    assert _at(client.get(reverse("register"), {"next": report_url})) == report_url
