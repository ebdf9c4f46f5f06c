"""manage.py seed_demo: the accounts `make run` prints can do their job at once."""

from io import StringIO

import pytest
from django.core.management import call_command

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
