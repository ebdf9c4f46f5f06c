"""Two-step sign-in for staff: who must use it, setting it up in the middle of signing in
without losing the way (or a half-sent form), codes throttled, recovery codes, the API's
tokens, and a system admin's logged reset. Codes are computed from the device's key at a
frozen time (``code_of``)."""

from __future__ import annotations

import datetime as dt
import logging
import re

import pytest
import time_machine
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from agencies import access, two_factor, two_factor_gate
from agencies.models import SecondFactorReset, VerifiedApiToken
from complaints.accounts import services as account_services
from complaints.models import Attachment, ReportEvent
from lapor.errors import Invalid, NotAllowed, TooMany
from routing.services import identity, verification
from tests.complaints.images import png
from tests.conftest import PASSWORD, body, password_only_login
from tests.factories import ReportFactory, UserFactory

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 12, 2, 2, 0, tzinfo=dt.UTC)


def code_of(device: TOTPDevice) -> str:
    """The six digits the person's app shows now (time frozen by the test)."""
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def app_of(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="aplikasi autentikator", confirmed=True)


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def later(clock, seconds: int = 31) -> None:
    """Past the code's 30-second step (a code is used once) and any throttling wait."""
    clock.shift(dt.timedelta(seconds=seconds))


@pytest.fixture
def held(verifier_national):
    report = ReportFactory(reporter=UserFactory(full_name="Budi Santoso"))
    return verification.disposition_report(report=report, to_body=body("regency-33.74"),
                                           actor=verifier_national)


# --- who must ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("who", "required"), [
    ("system_admin", True), ("operator_a", True), ("supervisor_a", True),
    ("verifier_jateng", True), ("ombudsman_jateng", False), ("citizen", False),
])
def test_required_for_system_admins_and_whoever_may_reveal_identities(request, held, who,
                                                                      required):
    user = request.getfixturevalue(who)
    assert access.requires_second_factor(user) is required
    # The rule matches reveal_reporter itself: those who may read this reporter's identity
    # are exactly those who must use a second factor.
    try:
        identity.reveal_reporter(report=held, viewer=user, reason="uji")
    except NotAllowed:
        revealed = False
    else:
        revealed = True
    assert revealed is required


def test_an_inactive_or_anonymous_person_is_not_asked(operator_a):
    operator_a.is_active = False
    assert not access.requires_second_factor(operator_a)


# --- setting it up in the middle of signing in ------------------------------------------------


def test_a_required_admin_without_an_app_sets_it_up_at_sign_in_and_lands_on_next(
    client, system_admin, clock
):
    response = client.post("/akun/masuk/", {
        "username": system_admin.email, "password": PASSWORD, "next": "/admin/agencies/body/",
    })
    assert response.status_code == 302
    assert response["Location"] == "/akun/dua-langkah/pasang/?next=%2Fadmin%2Fagencies%2Fbody%2F"
    # Before the code, the staff pages ask for it.
    assert client.get("/admin/agencies/body/")["Location"].startswith("/akun/dua-langkah/pasang/")
    page = client.get(response["Location"])
    text = page.content.decode()
    assert page.status_code == 200 and "<svg" in text and "Pindai kode QR" in text
    device = TOTPDevice.objects.get(user=system_admin, confirmed=False)
    assert two_factor.secret_of(device) in text  # typed by hand when the QR cannot be scanned

    wrong = client.post("/akun/dua-langkah/pasang/", {"code": "000000", "next": "/x/"})
    assert wrong.status_code == 400 and "Kode salah" in wrong.content.decode()
    later(clock)
    done = client.post("/akun/dua-langkah/pasang/",
                       {"code": code_of(device), "next": "/admin/agencies/body/"})
    text = done.content.decode()
    codes = re.findall(r"<code>([a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4})</code>", text)
    assert done.status_code == 200 and len(codes) == two_factor.RECOVERY_CODE_COUNT
    assert 'href="/admin/agencies/body/"' in text
    assert "no-store" in done["Cache-Control"]  # shown once, never from a cache
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/admin/agencies/body/").status_code == 200


def test_recovery_codes_are_stored_as_digests_and_each_works_once(operator_a, clock):
    app_of(operator_a)
    codes = two_factor.new_recovery_codes(user=operator_a)
    stored = set(StaticToken.objects.filter(device__user=operator_a).values_list("token",
                                                                                 flat=True))
    readable = {c.replace("-", "") for c in codes} | set(codes)
    assert len(stored) == 10 and not stored & readable
    device = two_factor.verify(user=operator_a, code=codes[3].upper().replace("-", " "))
    assert isinstance(device, StaticDevice)
    assert two_factor.remaining_recovery_codes(operator_a) == 9
    later(clock)
    with pytest.raises(Invalid):
        two_factor.verify(user=operator_a, code=codes[3])


def test_a_required_user_with_an_app_enters_its_code_at_sign_in(client, operator_a, clock):
    device = app_of(operator_a)
    response = client.post("/akun/masuk/", {
        "username": operator_a.email, "password": PASSWORD, "next": "/petugas/antrean/?q=jalan",
    })
    assert response["Location"] == "/akun/dua-langkah/?next=%2Fpetugas%2Fantrean%2F%3Fq%3Djalan"
    assert client.get("/petugas/antrean/").status_code == 302
    assert client.get("/laporan-saya/").status_code == 200  # a citizen's pages stay open
    entered = client.post("/akun/dua-langkah/",
                          {"code": code_of(device), "next": "/petugas/antrean/?q=jalan"})
    assert entered["Location"] == "/petugas/antrean/?q=jalan"
    assert client.get("/petugas/antrean/").status_code == 200


def test_an_ombudsman_officer_signs_in_with_the_password_alone(client, ombudsman_jateng):
    response = client.post("/akun/masuk/", {
        "username": ombudsman_jateng.email, "password": PASSWORD, "next": "/petugas/ombudsman/",
    })
    assert response["Location"] == "/petugas/ombudsman/"
    assert client.get("/petugas/ombudsman/").status_code == 200


def test_wrong_codes_are_throttled_with_a_translated_wait(client, operator_a, clock):
    device = app_of(operator_a)
    with pytest.raises(Invalid):
        two_factor.verify(user=operator_a, code="123456")
    with pytest.raises(Invalid):
        later(clock, 2)
        two_factor.verify(user=operator_a, code="654321")
    # Two failures: the next try waits 2 seconds, even with the right code.
    with pytest.raises(TooMany) as refused:
        two_factor.verify(user=operator_a, code=code_of(device))
    assert refused.value.retry_after == 3 and "Coba lagi dalam" in str(refused.value)
    password_only_login(client, operator_a)
    page = client.post("/akun/dua-langkah/", {"code": code_of(device)})
    assert page.status_code == 429 and "Coba lagi dalam" in page.content.decode()
    later(clock, 3)
    assert two_factor.verify(user=operator_a, code=code_of(device)).pk == device.pk
    device.refresh_from_db()
    assert device.throttling_failure_count == 0


def test_replacing_an_app_needs_the_current_code_first(client, operator_a):
    app_of(operator_a)
    password_only_login(client, operator_a)
    response = client.get("/akun/dua-langkah/pasang/")
    assert response["Location"].startswith("/akun/dua-langkah/?next=")
    assert not TOTPDevice.objects.filter(user=operator_a, confirmed=False).exists()


# --- a half-sent form survives ------------------------------------------------------------


def test_a_half_filled_staff_form_survives_a_missing_verification(client, held, operator_a,
                                                                 clock):
    device = app_of(operator_a)
    password_only_login(client, operator_a)  # e.g. the session began before it was required
    url = f"/petugas/laporan/{held.tracking_number}/tanggapi/"
    note = "Petugas kami memperbaiki lampu jalan itu Kamis pagi."
    sent = client.post(url, {"note": note, "version": held.version})
    assert sent["Location"] == "/akun/dua-langkah/?next=%2Fakun%2Fdua-langkah%2Flanjutkan%2F"
    assert not ReportEvent.objects.filter(report=held, note=note).exists()

    entered = client.post("/akun/dua-langkah/",
                          {"code": code_of(device), "next": "/akun/dua-langkah/lanjutkan/"})
    assert entered["Location"] == "/akun/dua-langkah/lanjutkan/"
    page = client.get("/akun/dua-langkah/lanjutkan/").content.decode()
    assert f'action="{url}"' in page and "Kirim isian saya" in page
    ident = re.search(r'name="_kept_submission" value="([0-9a-f]+)"', page).group(1)

    done = client.post(url, {"_kept_submission": ident}, follow=True)
    assert "Tanggapan untuk" in done.content.decode()
    response = ReportEvent.objects.get(report=held, note=note)
    assert response.note == note and response.actor == operator_a
    # Sent once: a second press finds nothing kept and the view sees an empty form.
    assert client.get("/akun/dua-langkah/lanjutkan/")["Location"] == "/"


def test_files_of_a_kept_form_survive_too(client, held, operator_a, clock):
    device = app_of(operator_a)
    password_only_login(client, operator_a)
    url = f"/petugas/laporan/{held.tracking_number}/selesaikan/"
    client.post(url, {"version": held.version, "answer": "Lampu sudah menyala kembali.",
                      "attachments": [png("bukti-perbaikan.png")]})
    assert not Attachment.objects.filter(report=held).exists()
    client.post("/akun/dua-langkah/", {"code": code_of(device)})
    page = client.get("/akun/dua-langkah/lanjutkan/").content.decode()
    assert "bukti-perbaikan.png" in page
    ident = re.search(r'name="_kept_submission" value="([0-9a-f]+)"', page).group(1)
    assert client.post(url, {"_kept_submission": ident}).status_code == 302
    held.refresh_from_db()
    assert held.status == "resolved"
    assert list(Attachment.objects.filter(report=held).values_list("original_name", flat=True)
                ) == ["bukti-perbaikan.png"]


def test_a_reset_in_the_middle_of_a_session_asks_again_keeping_the_form(
    client, held, operator_a, system_admin
):
    client.force_login(operator_a)  # a whole sign-in, code included
    assert client.get(f"/petugas/laporan/{held.tracking_number}/").status_code == 200
    two_factor.reset(user=operator_a, actor=system_admin)
    sent = client.post(f"/petugas/laporan/{held.tracking_number}/tanggapi/",
                       {"note": "Sedang kami tinjau.", "version": held.version})
    assert sent["Location"].startswith("/akun/dua-langkah/pasang/?next=")
    assert DEVICE_ID_SESSION_KEY not in client.session
    assert client.session["lapor_kept_submission"]["fields"][0] == ["note",
                                                                   ["Sedang kami tinjau."]]


# --- the API ----------------------------------------------------------------------------------


def test_the_token_of_a_required_user_needs_a_code(operator_a, clock):
    api = APIClient()
    credentials = {"email": operator_a.email, "password": PASSWORD}
    no_app = api.post("/api/v1/auth/token/", credentials, format="json")
    assert no_app.status_code == 403 and "belum dipasang" in no_app.json()["detail"]
    device = app_of(operator_a)
    no_code = api.post("/api/v1/auth/token/", credentials, format="json")
    assert no_code.status_code == 400 and "otp_code" in no_code.json()
    wrong = api.post("/api/v1/auth/token/", {**credentials, "otp_code": "000000"}, format="json")
    assert wrong.status_code == 400 and "Kode salah" in wrong.json()["otp_code"][0]
    assert not Token.objects.filter(user=operator_a).exists()
    later(clock)
    issued = api.post("/api/v1/auth/token/", {**credentials, "otp_code": code_of(device)},
                      format="json")
    assert issued.status_code == 200
    token = Token.objects.get(user=operator_a)
    assert VerifiedApiToken.objects.filter(token=token).exists()
    api.credentials(HTTP_AUTHORIZATION=f"Token {issued.json()['token']}")
    assert api.get("/api/v1/staff/queue/").status_code == 200


def test_a_token_issued_without_a_code_is_refused_with_a_message(operator_a, citizen):
    old = Token.objects.create(user=operator_a)  # from before the second factor was required
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {old.key}")
    refused = api.get("/api/v1/staff/queue/")
    assert refused.status_code == 401 and "otp_code" in refused.json()["detail"]
    mine = Token.objects.create(user=citizen)  # a citizen's token needs no code
    api.credentials(HTTP_AUTHORIZATION=f"Token {mine.key}")
    assert api.get("/api/v1/me/").status_code == 200


def test_a_session_without_the_code_is_refused_by_the_api(operator_a):
    api = APIClient()
    password_only_login(api, operator_a)
    refused = api.get("/api/v1/staff/queue/")
    assert refused.status_code == 401 and "verifikasi dua langkah" in refused.json()["detail"]
    api.force_login(operator_a)
    assert api.get("/api/v1/staff/queue/").status_code == 200


# --- a system admin's reset, logged -------------------------------------------------------------


def test_a_system_admin_resets_a_members_second_factor_and_it_is_recorded(
    operator_a, system_admin, supervisor_a, caplog
):
    app_of(operator_a)
    two_factor.new_recovery_codes(user=operator_a)
    token = Token.objects.create(user=operator_a)
    with pytest.raises(NotAllowed):
        two_factor.reset(user=operator_a, actor=supervisor_a)
    with caplog.at_level(logging.WARNING, logger="agencies.two_factor"):
        record = two_factor.reset(user=operator_a, actor=system_admin)
    assert not two_factor.has_second_factor(operator_a)
    assert not StaticDevice.objects.filter(user=operator_a).exists()
    assert not Token.objects.filter(pk=token.pk).exists()
    assert (record.user, record.reset_by, record.devices_removed, record.tokens_revoked) == (
        operator_a, system_admin, 2, 1)
    assert f"user {operator_a.pk} reset by system admin {system_admin.pk}" in caplog.text


def test_the_reset_is_an_admin_action_for_system_admins_only(client, operator_a, system_admin,
                                                             supervisor_a):
    app_of(operator_a)
    client.force_login(supervisor_a)
    listing = client.get("/admin/agencies/user/")
    assert "reset_second_factor" not in listing.content.decode()
    client.force_login(system_admin)
    response = client.post("/admin/agencies/user/", {
        "action": "reset_second_factor", ACTION_CHECKBOX_NAME: [operator_a.pk],
    }, follow=True)
    assert "diatur ulang" in response.content.decode()
    assert SecondFactorReset.objects.get(user=operator_a).reset_by == system_admin
    assert not two_factor.has_second_factor(operator_a)
    page = client.get(f"/admin/agencies/user/{operator_a.pk}/change/").content.decode()
    assert "terakhir diatur ulang" in page


# --- offered to every staff member ---------------------------------------------------------


def test_the_profile_offers_it_to_staff_and_an_officer_may_turn_it_off(
    client, ombudsman_jateng, citizen, clock
):
    client.force_login(citizen)
    assert "Verifikasi dua langkah" not in client.get("/akun/profil/").content.decode()
    assert client.get("/akun/dua-langkah/pasang/").status_code == 403
    client.force_login(ombudsman_jateng)
    profile = client.get("/akun/profil/").content.decode()
    assert "Aktifkan verifikasi dua langkah" in profile
    client.get("/akun/dua-langkah/pasang/?next=/akun/profil/")
    device = TOTPDevice.objects.get(user=ombudsman_jateng)
    client.post("/akun/dua-langkah/pasang/", {"code": code_of(device), "next": "/akun/profil/"})
    assert two_factor.must_verify(ombudsman_jateng)  # turned on: now asked for at sign-in
    assert "Matikan verifikasi dua langkah" in client.get("/akun/profil/").content.decode()
    assert client.post("/akun/dua-langkah/matikan/")["Location"] == "/akun/profil/"
    assert not two_factor.has_second_factor(ombudsman_jateng)


def test_a_required_user_cannot_turn_it_off(client, operator_a):
    client.force_login(operator_a)
    assert "Matikan" not in client.get("/akun/profil/").content.decode()
    assert client.post("/akun/dua-langkah/matikan/").status_code == 403
    assert two_factor.has_second_factor(operator_a)


def test_the_reset_through_the_api_is_for_system_admins_and_recorded(operator_a, system_admin,
                                                                     supervisor_a):
    app_of(operator_a)
    api = APIClient()
    url = f"/api/v1/users/{operator_a.pk}/second-factor/reset/"
    api.force_authenticate(supervisor_a)
    refused = api.post(url)
    assert refused.status_code == 403 and "admin sistem" in refused.json()["detail"]
    assert two_factor.has_second_factor(operator_a)
    api.force_authenticate(system_admin)
    assert api.post("/api/v1/users/999999999/second-factor/reset/").status_code == 404
    done = api.post(url)
    assert done.status_code == 201
    assert (done.json()["user"], done.json()["reset_by"]) == (operator_a.pk, system_admin.pk)
    assert not two_factor.has_second_factor(operator_a)


def test_files_of_forms_never_sent_on_are_purged_once_their_session_has_expired(
    client, held, operator_a, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    app_of(operator_a)
    password_only_login(client, operator_a)
    url = f"/petugas/laporan/{held.tracking_number}/selesaikan/"
    with time_machine.travel(START - dt.timedelta(days=20)):
        client.post(url, {"version": held.version, "answer": "Lama.",
                          "attachments": [png("lama.png")]})
    other = Client()  # another session: each keeps its own latest form
    password_only_login(other, operator_a)
    other.post(url, {"version": held.version, "answer": "Baru.",
                     "attachments": [png("baru.png")]})
    kept = list((tmp_path / "kept-submissions").rglob("*"))
    assert len([p for p in kept if p.is_file()]) == 2
    assert two_factor_gate.purge_abandoned_files() == 1
    left = [p for p in (tmp_path / "kept-submissions").rglob("*") if p.is_file()]
    assert [p.read_bytes() for p in left] == [png("baru.png").read()]


def test_erasing_an_account_removes_its_second_factor_too(operator_a):
    app_of(operator_a)
    two_factor.new_recovery_codes(user=operator_a)
    account_services.erase_account(user=operator_a, password=PASSWORD)
    assert not TOTPDevice.objects.filter(user=operator_a).exists()
    assert not StaticDevice.objects.filter(user=operator_a).exists()
