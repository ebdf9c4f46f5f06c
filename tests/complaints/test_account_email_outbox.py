"""Account emails (the links to confirm an address or reset a password) are outbox rows, sent at
once after the act's commit: a mail server that refuses does not make the request fail after
the account was made, the row waits and the outbox's sweep sends it later, and the link the
row held is erased from it once sent."""

from __future__ import annotations

from smtplib import SMTPServerDisconnected

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from agencies.models import User
from complaints import outbox
from complaints.models import OutgoingEmail

pytestmark = pytest.mark.django_db

PASSWORD = "Jembatan-Merah-1945"
REGISTRATION = {"full_name": "Siti Rahmawati", "email": "siti@example.id", "phone": "",
                "password": PASSWORD, "password_confirmation": PASSWORD}


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


class _Down:
    """A mail backend whose server refuses every connection."""

    def __init__(self, *args, **kwargs) -> None:
        pass

    def open(self) -> None:
        raise SMTPServerDisconnected("connection refused")

    def close(self) -> None:
        return None

    def send_messages(self, messages) -> int:
        raise SMTPServerDisconnected("connection refused")

    def __enter__(self):
        self.open()
        return self

    def __exit__(self, *exc) -> None:
        return None


def test_the_confirmation_link_is_sent_at_once_and_erased_from_the_outbox(
        client, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("register"), REGISTRATION)
    [message] = mailoutbox
    assert "http" in message.body
    [row] = OutgoingEmail.objects.all()
    assert (row.address, row.state, row.forget_text) == ("siti@example.id", "sent", True)
    assert row.text == ""  # the link does not stay at rest
    assert row.subject == message.subject


def test_a_mail_server_that_is_down_does_not_fail_registration_and_the_sweep_sends_later(
        client, mailoutbox, django_capture_on_commit_callbacks, monkeypatch, settings):
    monkeypatch.setattr(outbox, "get_connection", lambda *a, **k: _Down())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("register"), REGISTRATION)
    assert response.status_code == 302
    assert response["Location"] == reverse("confirmation_pending")
    assert User.objects.filter(email="siti@example.id").exists()
    assert mailoutbox == []
    [row] = OutgoingEmail.objects.all()
    assert row.state == "pending" and "connection refused" in row.last_error
    assert "http" in row.text  # kept until it is sent

    monkeypatch.undo()
    OutgoingEmail.objects.update(next_attempt_at=row.created_at)  # its back-off has passed
    assert outbox.sweep()["sent"] == 1
    [message] = mail.outbox
    assert message.to == ["siti@example.id"]
    row.refresh_from_db()
    assert (row.state, row.text) == ("sent", "")


def test_a_password_reset_link_goes_the_same_way(client, citizen, mailoutbox,
                                                 django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("password_reset"), {"email": citizen.email})
    [message] = mailoutbox
    assert message.to == [citizen.email]
    assert OutgoingEmail.objects.get().text == ""
