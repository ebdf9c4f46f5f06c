"""The email outbox: rows written in the act's transaction, one per address, sent by the
worker after commit; claimed once (two deliveries at once send each row once); a mail server
that refuses puts the row back with back-off; a worker killed mid-send leaves a row the sweep
takes back; nothing is sent from a rolled-back transaction."""

from __future__ import annotations

import threading
from datetime import timedelta
from smtplib import SMTPServerDisconnected
from unittest import mock

import pytest
from django.core import mail
from django.db import connection, transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from complaints import outbox, tasks
from complaints.models import OutgoingEmail
from lapor import outages


@pytest.fixture
def worker_not_eager():
    """Tasks go to a worker, as in production (the suite runs them eagerly)."""
    from lapor.celery import app

    was = app.conf.task_always_eager
    app.conf.task_always_eager = False
    yield
    app.conf.task_always_eager = was


@pytest.mark.django_db
def test_a_kick_run_eagerly_is_never_skipped(settings, django_capture_on_commit_callbacks):
    """Run at once, a task would not wait for the rows committed after it: each commit sends
    its own rows, whatever the interval."""
    settings.EMAIL_KICK_SECONDS = 60.0
    with mock.patch.object(tasks.send_due_emails, "apply_async") as later, \
            mock.patch.object(tasks.send_emails, "delay") as now:
        sent = []
        for i in range(2):
            with django_capture_on_commit_callbacks(execute=True):
                sent.append([row.pk for row in outbox.queue_email(
                    subject=f"Subjek {i}", text="Isi", recipients=[f"warga{i}@contoh.id"])])
    assert now.call_args_list == [mock.call(ids) for ids in sent] and not later.called


@pytest.fixture(autouse=True)
def _broker_fresh():
    outages.forget_failures()
    outbox.forget_kick()
    yield
    outages.forget_failures()
    outbox.forget_kick()


@pytest.mark.django_db
def test_rows_are_written_in_the_transaction_and_sent_after_commit(
        django_capture_on_commit_callbacks, mailoutbox, worker_not_eager):
    with mock.patch.object(tasks.send_due_emails, "apply_async") as publish:
        with django_capture_on_commit_callbacks(execute=True):
            with transaction.atomic():
                rows = outbox.queue_email(
                    subject="Subjek", text="Isi",
                    recipients=["b@contoh.id", "a@contoh.id", "a@contoh.id", ""])
                assert not publish.called
        # to run EMAIL_KICK_SECONDS later, and send every due row then
        publish.assert_called_once_with((), countdown=1.0)
    assert [row.address for row in rows] == ["a@contoh.id", "b@contoh.id"]
    assert mailoutbox == []  # the request itself sends nothing
    assert outbox.deliver(ids=[row.pk for row in rows]) == {"sent": 2, "retry": 0, "failed": 0}
    assert sorted(m.to[0] for m in mailoutbox) == ["a@contoh.id", "b@contoh.id"]
    assert all(m.extra_headers["Message-ID"] == outbox.message_id(row)
               for m, row in zip(sorted(mailoutbox, key=lambda m: m.to), rows, strict=True))
    assert set(OutgoingEmail.objects.values_list("state", flat=True)) == {"sent"}
    # sent once: a second kick or the sweep finds nothing to send
    assert outbox.deliver(ids=[row.pk for row in rows]) == {"sent": 0, "retry": 0, "failed": 0}
    assert outbox.sweep()["sent"] == 0
    assert len(mailoutbox) == 2


@pytest.mark.django_db
def test_a_rolled_back_transaction_leaves_no_email(django_capture_on_commit_callbacks):
    with mock.patch.object(tasks.send_due_emails, "apply_async") as publish:
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            with pytest.raises(RuntimeError), transaction.atomic():
                outbox.queue_email(subject="Subjek", text="Isi", recipients=["a@contoh.id"])
                raise RuntimeError
        assert callbacks == [] and not publish.called
    assert not OutgoingEmail.objects.exists()


@pytest.mark.django_db
def test_a_broker_that_refuses_loses_no_email_and_the_sweep_sends_it(
        django_capture_on_commit_callbacks, mailoutbox, worker_not_eager):
    with mock.patch.object(tasks.send_due_emails, "apply_async",
                           side_effect=OperationalError("Connection refused")):
        with django_capture_on_commit_callbacks(execute=True):
            outbox.queue_email(subject="Subjek", text="Isi", recipients=["a@contoh.id"])
    assert mailoutbox == []
    assert OutgoingEmail.objects.get().state == "pending"
    assert outbox.sweep() == {"reclaimed": 0, "sent": 1, "retry": 0, "failed": 0}
    assert [m.to for m in mailoutbox] == [["a@contoh.id"]]


@pytest.mark.django_db
def test_a_mail_server_that_is_down_puts_the_row_back_with_back_off(settings, mailoutbox):
    settings.EMAIL_MAX_ATTEMPTS = 3
    [row] = outbox.queue_email(subject="Subjek", text="Isi", recipients=["a@contoh.id"])
    down = SMTPServerDisconnected("connection refused")
    with mock.patch("django.core.mail.backends.locmem.EmailBackend.send_messages",
                    side_effect=down):
        assert outbox.deliver(ids=[row.pk]) == {"sent": 0, "retry": 1, "failed": 0}
        row.refresh_from_db()
        assert (row.state, row.attempts) == ("pending", 1)
        assert row.next_attempt_at > timezone.now() + timedelta(seconds=29)
        assert "SMTPServerDisconnected" in row.last_error
        # not due yet: the sweep leaves it
        assert outbox.deliver()["retry"] == 0
        later = row.next_attempt_at + timedelta(days=1)
        assert outbox.deliver(now=later)["retry"] == 1
        assert outbox.deliver(now=later + timedelta(days=1))["failed"] == 1
    row.refresh_from_db()
    assert (row.state, row.attempts) == ("failed", 3)
    assert mailoutbox == []


@pytest.mark.django_db
def test_a_row_left_sending_by_a_killed_worker_is_sent_again_by_the_sweep(settings, mailoutbox):
    [row] = outbox.queue_email(subject="Subjek", text="Isi", recipients=["a@contoh.id"])
    now = timezone.now()
    [claimed] = outbox._claim(now=now, ids=None, limit=10)  # the worker dies after this
    assert claimed.pk == row.pk
    assert outbox.sweep()["sent"] == 0  # claimed recently: nobody else sends it
    OutgoingEmail.objects.filter(pk=row.pk).update(
        claimed_at=now - timedelta(seconds=settings.EMAIL_CLAIM_TIMEOUT_SECONDS + 1))
    assert outbox.sweep() == {"reclaimed": 1, "sent": 1, "retry": 0, "failed": 0}
    [message] = mailoutbox
    assert message.extra_headers["Message-ID"] == outbox.message_id(row)


@pytest.mark.django_db(transaction=True)
def test_two_deliveries_at_once_send_each_row_once(mailoutbox):
    """The kick after commit and the beat sweep race: SKIP LOCKED and the claim let each row
    go out once."""
    rows = outbox.queue_email(subject="Subjek", text="Isi",
                              recipients=[f"warga{i}@contoh.id" for i in range(40)])
    start = threading.Barrier(3)
    results: list[dict[str, int]] = []

    def deliver(ids: list[int] | None) -> None:
        try:
            start.wait()
            results.append(outbox.deliver(ids=ids, limit=7))
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver, args=([row.pk for row in rows],)),
               threading.Thread(target=deliver, args=(None,)),
               threading.Thread(target=deliver, args=(None,))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    outbox.deliver()  # whatever the kick's single pass left
    assert sorted(m.to[0] for m in mailoutbox) == sorted(row.address for row in rows)
    assert OutgoingEmail.objects.filter(state="sent").count() == 40


@pytest.mark.django_db
def test_a_reporter_notice_goes_through_the_outbox(citizen, django_capture_on_commit_callbacks,
                                                   mailoutbox):
    from complaints.services.notifications import notify_reporter
    from tests.factories import ReportFactory

    report = ReportFactory(reporter=citizen)
    with django_capture_on_commit_callbacks(execute=True):
        notify_reporter(report=report, message="Laporan Anda diteruskan.")
    row = OutgoingEmail.objects.get()
    assert (row.address, row.state) == (citizen.email, "sent")  # the eager worker sent it
    assert [m.to for m in mail.outbox] == [[citizen.email]]


def test_beat_sweeps_the_outbox_and_the_exports():
    from django.conf import settings

    import routing.tasks  # noqa: F401 - what the worker's autodiscovery imports
    from lapor.celery import app

    tasks_by_entry = {e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"complaints.deliver_emails", "routing.reclaim_stale_exports"} <= tasks_by_entry
    assert {"complaints.deliver_emails", "complaints.send_emails",
            "complaints.send_due_emails", "routing.reclaim_stale_exports"} <= set(app.tasks)


@pytest.mark.django_db
def test_a_message_that_cannot_be_built_is_retried_then_given_up_not_left_claimed(settings):
    settings.EMAIL_MAX_ATTEMPTS = 2
    [row] = outbox.queue_email(subject="Subjek", text="Isi", recipients=["a@contoh.id"])
    with mock.patch.object(outbox, "_message", side_effect=UnicodeError("bad header")):
        assert outbox.deliver(ids=[row.pk])["retry"] == 1
        assert outbox.deliver(now=timezone.now() + timedelta(days=1))["failed"] == 1
    row.refresh_from_db()
    assert row.state == "failed" and "UnicodeError" in row.last_error


@pytest.mark.django_db
def test_a_burst_of_commits_asks_one_worker_task_which_sends_them_all(
        settings, django_capture_on_commit_callbacks, mailoutbox, monkeypatch,
        worker_not_eager):
    """One task per EMAIL_KICK_SECONDS per process, published to run that long later: the
    rows committed meanwhile skipped their own kick and go with it; after the interval the
    next commit kicks again; a publish that failed is not counted as a kick."""
    settings.EMAIL_KICK_SECONDS = 5.0
    clock = [1000.0]
    monkeypatch.setattr(outbox.time, "monotonic", lambda: clock[0])
    with mock.patch.object(tasks.send_due_emails, "apply_async") as publish:
        for i in range(3):
            with django_capture_on_commit_callbacks(execute=True):
                outbox.queue_email(subject=f"Subjek {i}", text="Isi",
                                   recipients=[f"warga{i}@contoh.id"])
            clock[0] += 1.0
        assert publish.call_args_list == [mock.call((), countdown=5.0)]
        assert tasks.send_due_emails.run() == {"sent": 3, "retry": 0, "failed": 0}
        assert sorted(m.to[0] for m in mailoutbox) == [
            "warga0@contoh.id", "warga1@contoh.id", "warga2@contoh.id"]
        clock[0] += 5.0  # the interval is over: the next commit kicks again
        with django_capture_on_commit_callbacks(execute=True):
            outbox.queue_email(subject="Subjek 3", text="Isi", recipients=["x@contoh.id"])
        assert publish.call_count == 2
    with mock.patch.object(tasks.send_due_emails, "apply_async",
                           side_effect=OperationalError("down")):
        clock[0] += 10.0
        with django_capture_on_commit_callbacks(execute=True):
            outbox.queue_email(subject="Subjek 4", text="Isi", recipients=["y@contoh.id"])
    outages.forget_failures()
    with mock.patch.object(tasks.send_due_emails, "apply_async") as publish:
        clock[0] += 0.1  # within the interval, but the last publish failed: kicked again
        with django_capture_on_commit_callbacks(execute=True):
            outbox.queue_email(subject="Subjek 5", text="Isi", recipients=["z@contoh.id"])
        assert publish.call_count == 1
