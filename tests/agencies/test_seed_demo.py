"""manage.py seed_demo: the accounts `make run` prints can do their job at once."""

import base64
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from agencies import access, two_factor
from agencies.management.commands.seed_demo import DEMO_ACCOUNTS
from agencies.models import User

pytestmark = pytest.mark.django_db

CITIZEN, OPERATOR = DEMO_ACCOUNTS[0][0], DEMO_ACCOUNTS[2][0]


def test_demo_accounts_are_confirmed_so_the_citizen_files_and_staff_are_not_asked(client):
    call_command("seed_demo", stdout=StringIO())
    emails = [account[0] for account in DEMO_ACCOUNTS]
    assert list(User.objects.filter(email__in=emails, is_email_confirmed=False)) == []
    client.force_login(User.objects.get(email=CITIZEN))
    filing = client.get("/lapor/")
    assert filing.status_code == 200 and 'name="title"' in filing.content.decode()
    client.force_login(User.objects.get(email=OPERATOR))
    assert "Konfirmasi email" not in client.get("/").content.decode()


def test_a_rerun_confirms_demo_accounts_an_older_seed_left_unconfirmed():
    old = User.objects.create_user(email=CITIZEN, password="lama-sekali", full_name="Siti Warga")
    assert not old.is_email_confirmed
    call_command("seed_demo", stdout=StringIO())
    old.refresh_from_db()
    assert old.is_email_confirmed
    assert old.check_password("lama-sekali")  # no --reset-passwords: the password stays


def test_demo_staff_who_must_use_a_second_factor_get_an_app_whose_key_is_printed(client):
    out = StringIO()
    call_command("seed_demo", stdout=out)
    printed = out.getvalue()
    for email, _name, _role, _body in DEMO_ACCOUNTS:
        user = User.objects.get(email=email)
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        assert (device is not None) == access.requires_second_factor(user), email
        if device is None:
            continue
        assert two_factor.secret_of(device) in printed
        assert two_factor.remaining_recovery_codes(user) == two_factor.RECOVERY_CODE_COUNT
    # The printed key is all a person needs: a code made from it signs the admin in.
    admin = User.objects.get(email="admin@demo.lapor.local")
    key = re.search(r"admin@demo.*?\n.*?kunci TOTP.*?: ([A-Z2-7 ]+)\n", printed).group(1)
    secret = base64.b32decode(key.replace(" ", "") + "=" * (-len(key.replace(" ", "")) % 8))
    assert two_factor.verify(user=admin, code=f"{totp(secret):06d}")
    # A rerun keeps the app (the phone already has it) and prints its key again.
    again = StringIO()
    call_command("seed_demo", stdout=again)
    assert key in again.getvalue() and "kode pemulihan" not in again.getvalue()
