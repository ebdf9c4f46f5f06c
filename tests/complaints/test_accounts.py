"""Citizen accounts: registration and email confirmation, sign-in with its lockout, passwords,
the profile, the export of one's data and erasing an account — on the pages and in the API,
with the same Indonesian messages."""

import json
import re

import pytest
from django.conf import settings
from django.contrib.auth import authenticate
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from agencies.models import Membership, Role, TimeZone, User
from complaints.accounts import services
from complaints.accounts.tokens import email_confirmation_token, uid_for
from complaints.models import Attachment, EventKind, Notification, Report, Support, Visibility
from lapor.errors import Invalid
from tests.conftest import PASSWORD, body
from tests.factories import UserFactory, add_event, public_report

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Jembatan-Merah-1945"
REGISTRATION = {
    "full_name": "Siti Rahmawati",
    "email": "siti@example.id",
    "phone": "0812-3456-7890",
    "password": NEW_PASSWORD,
    "password_confirmation": NEW_PASSWORD,
}
DUPLICATE = "Alamat email ini sudah terdaftar."
BAD_LINK = "Tautan konfirmasi tidak berlaku"
LOCKED = "dikunci selama 15 menit"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api():
    return APIClient()


def link_in(message) -> str:
    found = re.search(r"https?://\S+", message.body)
    assert found, message.body
    return found.group(0)


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def sign_in(client, email: str, password: str = PASSWORD):
    return client.post(reverse("login"), {"username": email, "password": password})


# --- Registration and confirmation ------------------------------------------------------------


def test_register_mails_a_link_that_confirms_the_address(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("register"), REGISTRATION)
    assert response.status_code == 302
    assert response["Location"] == reverse("confirmation_pending")
    assert "_auth_user_id" not in client.session  # signs in once confirmed

    user = User.objects.get(email="siti@example.id")
    assert user.full_name == "Siti Rahmawati"
    assert user.phone == "081234567890"
    assert user.is_active and not user.is_email_confirmed
    assert user.check_password(NEW_PASSWORD)

    page = client.get(reverse("confirmation_pending")).content.decode()
    assert "Periksa email Anda" in page and "siti@example.id" in page
    assert reverse("resend_confirmation") in page  # the resend button

    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["siti@example.id"]
    assert "Konfirmasikan alamat email" in mail.subject
    link = link_in(mail)
    response = client.get(path_of(link))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    user.refresh_from_db()
    assert user.is_email_confirmed
    assert "sudah terkonfirmasi" in client.get(response["Location"]).content.decode()


def test_a_used_confirmation_link_stops_working(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("register"), REGISTRATION)
    link = path_of(link_in(mailoutbox[0]))
    client.logout()
    assert client.get(link).status_code == 302
    again = client.get(link)
    assert again.status_code == 400
    assert BAD_LINK in again.content.decode()


def test_bad_confirmation_link_says_so_and_offers_a_new_one(client):
    user = UserFactory(is_email_confirmed=False)
    response = client.get(reverse("confirm_email", args=[uid_for(user), "salah-token"]))
    html = response.content.decode()
    assert response.status_code == 400
    assert BAD_LINK in html
    assert "Kirim ulang tautan konfirmasi" in html
    assert 'name="email"' in html  # nobody signed in: asks for the address
    garbage = client.get(reverse("confirm_email", args=["@@@", "x"]))
    assert BAD_LINK in garbage.content.decode()
    user.refresh_from_db()
    assert not user.is_email_confirmed


def test_link_for_an_old_address_does_not_confirm_the_new_one():
    user = UserFactory(is_email_confirmed=False)
    token = email_confirmation_token.make_token(user)
    user.email = "baru@example.id"
    user.save()
    with pytest.raises(Invalid):
        services.confirm_email(uidb64=uid_for(user), token=token)


def test_a_taken_address_in_any_case_makes_no_second_account_and_says_nothing(client, citizen):
    data = {**REGISTRATION, "email": "WARGA@Example.ID"}
    response = client.post(reverse("register"), data)
    assert response.status_code == 302  # as for a new address: test_account_enumeration.py
    assert DUPLICATE not in client.get(response["Location"]).content.decode()
    assert User.objects.filter(email__iexact="warga@example.id").count() == 1


def test_an_invalid_registration_keeps_the_typed_fields(client):
    data = {**REGISTRATION, "email": "WARGA@Example.ID", "password_confirmation": "lain"}
    html = client.post(reverse("register"), data).content.decode()
    assert "Kedua kata sandi tidak sama." in html
    assert 'value="Siti Rahmawati"' in html
    assert 'value="WARGA@Example.ID"' in html


def test_registration_messages_name_each_problem(client):
    response = client.post(
        reverse("register"),
        {
            "full_name": " ",
            "email": "bukan-email",
            "phone": "12ab",
            "password": "12345678",
            "password_confirmation": "lain",
        },
    )
    html = response.content.decode()
    assert "Nama lengkap wajib diisi." in html
    assert "Alamat email tidak valid." in html
    assert "Nomor telepon tidak valid" in html
    assert "Kedua kata sandi tidak sama." in html
    assert "terlalu umum" in html  # Django's password validators, in Indonesian
    assert not User.objects.exists() or not User.objects.filter(full_name="").exists()


def test_registration_is_rate_limited_per_address(client, settings):
    settings.RATE_LIMITS = {"register": {"ip": (2, 3600)}}
    cache.clear()
    for n in range(2):
        client.post(reverse("register"), {**REGISTRATION, "email": f"x{n}@example.id"})
        client.logout()
    response = client.post(reverse("register"), {**REGISTRATION, "email": "x9@example.id"})
    assert response.status_code == 429
    assert "Terlalu banyak percobaan" in response.content.decode()
    assert not User.objects.filter(email="x9@example.id").exists()


def test_resend_confirmation_when_signed_in(client, mailoutbox, django_capture_on_commit_callbacks):
    user = UserFactory(is_email_confirmed=False)
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("resend_confirmation"))
    assert response.status_code == 302
    assert [m.to for m in mailoutbox] == [[user.email]]
    assert client.get(path_of(link_in(mailoutbox[0]))).status_code == 302
    user.refresh_from_db()
    assert user.is_email_confirmed


def test_resend_confirmation_by_address_does_not_reveal_who_is_registered(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    user = UserFactory(is_email_confirmed=False)
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(reverse("resend_confirmation"), {"email": user.email.upper()})
        unknown = client.post(reverse("resend_confirmation"), {"email": "siapa@example.id"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    # A link to the account waiting for one; a notice to the other (test_account_enumeration.py)
    assert [m.to for m in mailoutbox] == [[user.email], ["siapa@example.id"]]
    assert "/akun/konfirmasi/" in mailoutbox[0].body
    assert "/akun/konfirmasi/" not in mailoutbox[1].body


def test_resend_is_rate_limited_with_the_register_action(client, settings):
    settings.RATE_LIMITS = {"register": {"ip": (1, 3600)}}
    client.force_login(UserFactory(is_email_confirmed=False))
    client.post(reverse("resend_confirmation"))
    response = client.post(reverse("resend_confirmation"))
    assert response.status_code == 429
    assert "Terlalu banyak percobaan" in response.content.decode()


# --- Signing in, lockout, passwords ---------------------------------------------------------------


def test_sign_in_with_email_in_any_case_and_sign_out(client, citizen):
    response = sign_in(client, "Warga@Example.id")
    assert response.status_code == 302
    assert client.get(reverse("profile")).status_code == 200
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("profile")).status_code == 302


def test_wrong_password_gives_an_indonesian_message(client, citizen):
    html = sign_in(client, citizen.email, "salah").content.decode()
    assert "Alamat email atau kata sandi salah." in html
    assert reverse("password_reset") in html


def test_five_failed_sign_ins_lock_the_account_from_that_address(client, citizen):
    for _ in range(4):
        assert sign_in(client, citizen.email, "salah").status_code == 200
    locked = sign_in(client, citizen.email, "salah")
    html = locked.content.decode()
    assert locked.status_code == 429
    assert LOCKED in html
    assert reverse("password_reset") in html
    # Even the right password is refused now.
    right = sign_in(client, citizen.email)
    assert LOCKED in right.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_password_reset_lifts_the_lockout(
    client, citizen, mailoutbox, django_capture_on_commit_callbacks
):
    for _ in range(5):
        sign_in(client, citizen.email, "salah")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("password_reset"), {"email": citizen.email})
    form_page = client.get(path_of(link_in(mailoutbox[0])), follow=True)
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert sign_in(client, citizen.email, NEW_PASSWORD).status_code == 302
    assert client.session["_auth_user_id"] == str(citizen.pk)


def test_api_token_lockout_answers_403_with_the_same_sentence(api, citizen):
    url = reverse("api:auth-token")
    for _ in range(4):
        response = api.post(url, {"email": citizen.email, "password": "salah"}, format="json")
        assert response.status_code == 400
        assert response.json()["detail"] == (
            "Alamat email atau kata sandi salah. Periksa lagi, atau atur ulang kata sandi."
        )
    locked = api.post(url, {"email": citizen.email, "password": "salah"}, format="json")
    assert locked.status_code == 403
    assert LOCKED in locked.json()["detail"]
    right = api.post(url, {"email": citizen.email, "password": PASSWORD}, format="json")
    assert right.status_code == 403
    assert not Token.objects.filter(user=citizen).exists()


def test_api_token_is_issued_used_and_deleted(api, citizen):
    url = reverse("api:auth-token")
    response = api.post(url, {"email": "WARGA@example.id", "password": PASSWORD}, format="json")
    assert response.status_code == 200
    key = response.json()["token"]
    assert response.json()["user"]["email"] == citizen.email
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get(reverse("api:me")).json()["full_name"] == "Warga Biasa"
    assert api.delete(url).status_code == 204
    assert not Token.objects.filter(key=key).exists()
    assert api.get(reverse("api:me")).status_code in (401, 403)


def test_password_reset_mails_a_link_to_registered_addresses_and_says_the_same(
    client, citizen, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(reverse("password_reset"), {"email": "WARGA@example.id"})
        unknown = client.post(reverse("password_reset"), {"email": "siapa@example.id"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("password_reset_done")
    assert (
        "Jika alamat itu terdaftar" in client.get(reverse("password_reset_done")).content.decode()
    )
    # The unknown address is told no account uses it (test_account_enumeration.py).
    assert [m.to for m in mailoutbox] == [[citizen.email], ["siapa@example.id"]]
    assert "Atur ulang kata sandi" in mailoutbox[0].subject

    # The link lets the person choose a new password, once.
    form_page = client.get(path_of(link_in(mailoutbox[0])), follow=True)
    assert "Pilih kata sandi baru" in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert done["Location"] == reverse("password_reset_complete")
    citizen.refresh_from_db()
    assert citizen.check_password(NEW_PASSWORD)
    used = client.get(path_of(link_in(mailoutbox[0])), follow=True).content.decode()
    assert "Tautan tidak berlaku" in used


def test_password_reset_api_answers_the_same_for_unknown_addresses(
    api, citizen, mailoutbox, django_capture_on_commit_callbacks
):
    url = reverse("api:auth-password-reset")
    with django_capture_on_commit_callbacks(execute=True):
        known = api.post(url, {"email": citizen.email}, format="json")
        unknown = api.post(url, {"email": "siapa@example.id"}, format="json")
    assert known.status_code == unknown.status_code == 200
    assert known.json() == unknown.json()
    assert "Jika alamat itu terdaftar" in known.json()["detail"]
    assert [m.to for m in mailoutbox] == [[citizen.email], ["siapa@example.id"]]


def test_password_change(client, citizen):
    client.force_login(citizen)
    wrong = client.post(
        reverse("password_change"),
        {"old_password": "salah", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert wrong.status_code == 200
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response["Location"] == reverse("password_change_done")
    citizen.refresh_from_db()
    assert citizen.check_password(NEW_PASSWORD)
    assert client.get(reverse("profile")).status_code == 200  # still signed in


def test_account_pages_are_in_indonesian(client):
    for name in ("login", "register", "password_reset", "resend_confirmation"):
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        assert '<html lang="id">' in response.content.decode()


# --- Profile --------------------------------------------------------------------------------------


def profile_data(user, **changes):
    data = {
        "full_name": user.full_name,
        "phone": user.phone,
        "time_zone": user.time_zone,
        "email": user.email,
        "current_password": "",
    }
    return {**data, **changes}


def test_profile_update(client, citizen):
    client.force_login(citizen)
    response = client.post(
        reverse("profile"),
        profile_data(
            citizen, full_name="Warga Teladan", phone="+62 812 1111 2222", time_zone=TimeZone.WITA
        ),
    )
    assert response.status_code == 302
    citizen.refresh_from_db()
    assert (citizen.full_name, citizen.phone, citizen.time_zone) == (
        "Warga Teladan",
        "+6281211112222",
        TimeZone.WITA,
    )
    assert "Profil Anda sudah disimpan." in client.get(reverse("profile")).content.decode()


def test_profile_refuses_an_unknown_time_zone(client, citizen):
    client.force_login(citizen)
    response = client.post(reverse("profile"), profile_data(citizen, time_zone="Europe/Paris"))
    assert "Pilih zona waktu: WIB, WITA atau WIT." in response.content.decode()


def test_email_change_needs_the_password_and_a_new_confirmation(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    user = UserFactory(email="lama@example.id", is_email_confirmed=True)
    client.force_login(user)
    no_password = client.post(reverse("profile"), profile_data(user, email="baru@example.id"))
    assert "Untuk mengganti alamat email, masukkan kata sandi Anda saat ini." in (
        no_password.content.decode()
    )
    wrong = client.post(
        reverse("profile"), profile_data(user, email="baru@example.id", current_password="x")
    )
    assert "Kata sandi saat ini salah." in wrong.content.decode()
    user.refresh_from_db()
    assert user.email == "lama@example.id" and user.is_email_confirmed

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("profile"),
            profile_data(user, email="Baru@Example.id", current_password=PASSWORD),
        )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.email == "baru@example.id"
    assert not user.is_email_confirmed
    assert [m.to for m in mailoutbox] == [["baru@example.id"]]
    client.get(path_of(link_in(mailoutbox[0])))
    user.refresh_from_db()
    assert user.is_email_confirmed


def test_email_change_to_a_taken_address_is_refused(client, citizen):
    other = UserFactory()
    client.force_login(citizen)
    response = client.post(
        reverse("profile"), profile_data(citizen, email=other.email, current_password=PASSWORD)
    )
    assert DUPLICATE in response.content.decode()


# --- Export -------------------------------------------------------------------------------------


@pytest.fixture
def history(citizen, operator_a, body_a):
    """The citizen's report with a public answer and an internal note, plus someone else's."""
    report = public_report(reporter=citizen, title="Lampu jalan mati di Jalan Pemuda")
    Attachment.objects.create(
        report=report, file="x.jpg", original_name="lampu.jpg", content_type="image/jpeg", size=1
    )
    Attachment.objects.create(
        report=report,
        file="y.pdf",
        original_name="memo-internal.pdf",
        content_type="application/pdf",
        size=1,
        is_staff_only=True,
    )
    add_event(report, EventKind.SUBMITTED, actor=citizen)
    add_event(
        report,
        EventKind.RESPONSE,
        actor=operator_a,
        actor_body=body_a,
        note="Lampu akan diganti pekan ini.",
    )
    add_event(
        report,
        EventKind.INTERNAL_NOTE,
        actor=operator_a,
        actor_body=body_a,
        note="Rahasia: anggaran habis",
        visibility=Visibility.STAFF,
    )
    other = public_report(title="Laporan orang lain tentang sampah")
    Support.objects.create(report=other, user=citizen)
    Notification.objects.create(
        user=citizen,
        report=report,
        title="Laporan dijawab",
        message="Instansi menjawab laporan Anda.",
        url=f"/laporan-saya/{report.tracking_number}/",
    )
    Notification.objects.create(user=other.reporter, title="Bukan untuk warga", message="x")
    return report, other


def test_export_holds_own_reports_and_their_public_history_only(citizen, history, operator_a):
    report, other = history
    data = services.export_personal_data(citizen)
    text = json.dumps(data, ensure_ascii=False)

    assert data["profile"]["email"] == citizen.email
    assert data["profile"]["full_name"] == "Warga Biasa"
    [exported] = data["reports"]
    assert exported["tracking_number"] == report.tracking_number
    assert exported["title"] == "Lampu jalan mati di Jalan Pemuda"
    assert exported["category"] == report.category.name
    assert exported["location"]["regency"] == "33.74"
    assert exported["attachments"] == ["lampu.jpg"]
    assert [e["kind"] for e in exported["events"]] == ["submitted", "response"]
    assert exported["events"][1]["note"] == "Lampu akan diganti pekan ini."
    assert exported["events"][1]["body"] == "Pemerintah Kota Semarang"
    assert "Rahasia" not in text and "memo-internal" not in text
    assert operator_a.email not in text and "Operator A" not in text
    assert data["supports"] == [
        {"tracking_number": other.tracking_number, "created_at": data["supports"][0]["created_at"]}
    ]
    [notice] = data["notifications"]
    assert (notice["title"], notice["message"]) == (
        "Laporan dijawab", "Instansi menjawab laporan Anda."
    )
    assert notice["url"] == f"{settings.SITE_URL}/laporan-saya/{report.tracking_number}/"
    assert notice["tracking_number"] == report.tracking_number
    assert "Laporan orang lain" not in text and "Bukan untuk warga" not in text
    assert other.reporter.email not in text


def test_export_lists_memberships(operator_a):
    data = services.export_personal_data(operator_a)
    assert data["memberships"][0]["role"] == Role.OPERATOR
    assert data["memberships"][0]["body"] == "Pemerintah Kota Semarang"


def test_export_query_count_does_not_grow_with_reports(
    citizen, operator_a, body_a, django_assert_max_num_queries
):
    def add_report():
        report = public_report(reporter=citizen)
        add_event(report, EventKind.SUBMITTED, actor=citizen)
        add_event(report, EventKind.RESPONSE, actor=operator_a, actor_body=body_a, note="Ok")
        Attachment.objects.create(
            report=report, file="x.jpg", original_name="a.jpg", content_type="image/jpeg", size=1
        )
        Notification.objects.create(user=citizen, report=report, title="s", message="b")

    add_report()
    with django_assert_max_num_queries(8):
        assert len(services.export_personal_data(citizen)["reports"]) == 1
    for _ in range(5):
        add_report()
    with django_assert_max_num_queries(8):
        assert len(services.export_personal_data(citizen)["reports"]) == 6


def test_my_data_page_downloads_a_json_file(client, citizen, history):
    client.force_login(citizen)
    page = client.get(reverse("my_data"))
    assert "Unduh data saya" in page.content.decode()
    response = client.post(reverse("my_data"))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="lapor-data-saya.json"'
    assert response["Content-Type"].startswith("application/json")
    data = json.loads(response.content)
    assert data["reports"][0]["tracking_number"] == history[0].tracking_number


def test_my_data_needs_sign_in(client):
    assert client.post(reverse("my_data")).status_code == 302


# --- Erasure ------------------------------------------------------------------------------------


def test_erase_with_a_wrong_password_is_refused(citizen):
    with pytest.raises(Invalid) as error:
        services.erase_account(user=citizen, password="salah")
    assert str(error.value) == "Kata sandi salah."
    citizen.refresh_from_db()
    assert citizen.email == "warga@example.id" and citizen.is_active


def test_erase_scrubs_the_person_and_detaches_their_reports(citizen, history, operator_a):
    report, _other = history
    Token.objects.create(user=citizen)
    Membership.objects.create(user=citizen, body=body("province-33"), role=Role.VERIFIER)

    services.erase_account(user=citizen, password=PASSWORD)

    citizen.refresh_from_db()
    assert citizen.email == f"dihapus-{citizen.pk}@invalid.lapor"
    assert citizen.full_name == "" and citizen.phone == ""
    assert not citizen.has_usable_password()
    assert not citizen.is_active and not citizen.is_email_confirmed
    assert citizen.erased_at is not None
    report.refresh_from_db()
    assert report.reporter is None
    assert report.events.count() == 3  # the history stays
    assert not Notification.objects.filter(user=citizen).exists()
    assert not Token.objects.filter(user=citizen).exists()
    assert not Membership.objects.filter(user=citizen, is_active=True).exists()
    request = RequestFactory().post("/akun/masuk/")
    assert authenticate(request, username="warga@example.id", password=PASSWORD) is None


def test_erase_page_needs_confirmation_then_signs_out(client, citizen, history):
    client.force_login(citizen)
    unticked = client.post(reverse("erase_account"), {"password": PASSWORD})
    assert "Centang kotak ini" in unticked.content.decode()
    wrong = client.post(reverse("erase_account"), {"password": "salah", "confirm": "on"})
    assert "Kata sandi salah." in wrong.content.decode()
    assert User.objects.get(pk=citizen.pk).is_active

    response = client.post(reverse("erase_account"), {"password": PASSWORD, "confirm": "on"})
    assert response["Location"] == reverse("home")
    assert "_auth_user_id" not in client.session
    assert Report.objects.filter(pk=history[0].pk, reporter=None).exists()
    failed = sign_in(client, "warga@example.id")
    assert "Alamat email atau kata sandi salah." in failed.content.decode()


# --- The API gives the same answers ---------------------------------------------------------------


def test_api_register_confirm_and_profile(api, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(reverse("api:auth-register"), REGISTRATION, format="json")
    assert response.status_code == 202
    assert response.json() == {"detail": services.registration_sent_message("siti@example.id")}
    user = User.objects.get(email="siti@example.id")
    assert not user.is_email_confirmed and user.check_password(NEW_PASSWORD)
    link = link_in(mailoutbox[0])
    uid, token = path_of(link).strip("/").split("/")[-2:]

    bad = api.post(reverse("api:auth-confirm-email"), {"uid": uid, "token": "x"}, format="json")
    assert bad.status_code == 400
    assert BAD_LINK in bad.json()["detail"]
    good = api.post(reverse("api:auth-confirm-email"), {"uid": uid, "token": token}, format="json")
    assert good.status_code == 200
    assert User.objects.get(email="siti@example.id").is_email_confirmed


def test_api_register_gives_the_page_messages(api, client, citizen):
    data = {**REGISTRATION, "email": "warga@", "password_confirmation": "lain"}
    response = api.post(reverse("api:auth-register"), data, format="json")
    assert response.status_code == 400
    errors = response.json()
    assert errors["email"] == [
        "Alamat email tidak valid. Tulis lengkap, misalnya nama@contoh.id."
    ]
    assert errors["password_confirmation"] == ["Kedua kata sandi tidak sama."]
    empty = api.post(reverse("api:auth-register"), {}, format="json").json()
    assert empty["full_name"] == ["Nama lengkap wajib diisi."]
    assert empty["email"] == ["Alamat email wajib diisi."]
    assert empty["password"] == ["Kata sandi wajib diisi."]
    page = client.post(reverse("register"), data).content.decode()
    for messages in errors.values():
        for message in messages:
            assert message in page


def test_api_register_is_rate_limited(api, settings):
    settings.RATE_LIMITS = {"register": {"ip": (2, 3600)}}
    for n in range(2):
        api.post(reverse("api:auth-register"), {**REGISTRATION, "email": f"a{n}@example.id"})
    response = api.post(reverse("api:auth-register"), {**REGISTRATION, "email": "a9@example.id"})
    assert response.status_code == 429
    assert "Terlalu banyak percobaan" in response.json()["detail"]
    assert "Retry-After" in response


def test_api_resend_confirmation(api, mailoutbox, django_capture_on_commit_callbacks):
    user = UserFactory(is_email_confirmed=False)
    with django_capture_on_commit_callbacks(execute=True):
        anonymous = api.post(
            reverse("api:auth-resend-confirmation"), {"email": "siapa@example.id"}, format="json"
        )
        api.force_authenticate(user)
        mine = api.post(reverse("api:auth-resend-confirmation"), format="json")
    assert anonymous.status_code == mine.status_code == 200
    assert [m.to for m in mailoutbox] == [["siapa@example.id"], [user.email]]
    confirmed = UserFactory(is_email_confirmed=True)
    api.force_authenticate(confirmed)
    again = api.post(reverse("api:auth-resend-confirmation"), format="json")
    assert again.status_code == 400
    assert again.json()["detail"] == "Alamat email Anda sudah terkonfirmasi."


def test_api_me_patch(api, citizen, mailoutbox, django_capture_on_commit_callbacks):
    api.force_authenticate(citizen)
    response = api.patch(reverse("api:me"), {"time_zone": TimeZone.WIT}, format="json")
    assert response.status_code == 200
    assert response.json()["time_zone_abbreviation"] == "WIT"
    citizen.refresh_from_db()
    assert citizen.full_name == "Warga Biasa"  # untouched by a partial update

    refused = api.patch(reverse("api:me"), {"email": "baru@example.id"}, format="json")
    assert refused.status_code == 400
    assert refused.json()["current_password"] == [
        "Untuk mengganti alamat email, masukkan kata sandi Anda saat ini."
    ]
    with django_capture_on_commit_callbacks(execute=True):
        changed = api.patch(
            reverse("api:me"),
            {"email": "baru@example.id", "current_password": PASSWORD},
            format="json",
        )
    assert changed.status_code == 200
    assert changed.json()["email"] == "baru@example.id"
    assert changed.json()["is_email_confirmed"] is False
    assert [m.to for m in mailoutbox] == [["baru@example.id"]]


def test_api_export_and_erase(api, citizen, history):
    api.force_authenticate(citizen)
    export = api.get(reverse("api:me-export"))
    assert export.status_code == 200
    assert export.json()["reports"][0]["tracking_number"] == history[0].tracking_number

    wrong = api.post(reverse("api:me-erase"), {"password": "salah"}, format="json")
    assert wrong.status_code == 400
    assert wrong.json() == {"password": ["Kata sandi salah."]}
    assert (
        api.post(reverse("api:me-erase"), {"password": PASSWORD}, format="json").status_code == 204
    )
    citizen.refresh_from_db()
    assert citizen.erased_at is not None
    history[0].refresh_from_db()
    assert history[0].reporter is None


def test_api_me_needs_authentication(api):
    assert api.get(reverse("api:me")).status_code in (401, 403)
    assert api.get(reverse("api:me-export")).status_code in (401, 403)
