"""Email leaves through the worker after commit: the request never talks to the mail server."""

from __future__ import annotations

from smtplib import SMTPServerDisconnected
from unittest import mock

import pytest
from django.db import transaction

from lapor import tasks
from lapor.mail import send_after_commit


@pytest.mark.django_db
def test_email_is_queued_only_when_the_transaction_commits(django_capture_on_commit_callbacks,
                                                          mailoutbox):
    with mock.patch.object(tasks.send_email, "delay") as delay:
        with django_capture_on_commit_callbacks(execute=True):
            with transaction.atomic():
                send_after_commit("Subjek", "Isi", ["b@contoh.id", "a@contoh.id", "a@contoh.id"])
                assert not delay.called
        delay.assert_called_once_with("Subjek", "Isi", ["a@contoh.id", "b@contoh.id"])
    assert mailoutbox == []  # nothing was sent from the request itself


@pytest.mark.django_db
def test_a_rolled_back_transaction_queues_nothing(django_capture_on_commit_callbacks):
    with mock.patch.object(tasks.send_email, "delay") as delay:
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            with pytest.raises(RuntimeError), transaction.atomic():
                send_after_commit("Subjek", "Isi", ["a@contoh.id"])
                raise RuntimeError
        assert callbacks == [] and not delay.called


def test_the_task_sends_the_mail(mailoutbox):
    tasks.send_email.apply(args=("Subjek", "Isi", ["a@contoh.id"])).get()
    assert [(m.subject, m.to) for m in mailoutbox] == [("Subjek", ["a@contoh.id"])]


def test_a_mail_server_that_is_down_makes_the_task_retry(monkeypatch):
    def down(*args, **kwargs):
        raise SMTPServerDisconnected("connection refused")

    monkeypatch.setattr(tasks, "send_mail", down)
    with mock.patch.object(tasks.send_email, "retry", side_effect=RuntimeError("retry")) as retry:
        with pytest.raises(RuntimeError, match="retry"):
            tasks.send_email.apply(args=("Subjek", "Isi", ["a@contoh.id"]), throw=True).get()
    assert retry.called
