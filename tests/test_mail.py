"""Email is one message per address, as plain text with an HTML alternative whose links are
clickable (how it leaves through the outbox and the worker: tests/test_email_outbox.py)."""

from __future__ import annotations

from smtplib import SMTPServerDisconnected
from unittest import mock

import pytest
from celery.result import denied_join_result

from lapor import tasks
from lapor.mail import html_alternative, send_now


# No result.get() here: Celery keeps "may a result be joined" in one flag for the whole process,
# and two threads running eager tasks at once (the two sweeps of tests/routing/test_deadlines.py)
# can leave it set, after which get() raises "Never call result.get() within a task!" in
# whichever test comes next. So the task runs here with the flag set, as it may be found.
def test_the_task_sends_the_mail(mailoutbox):
    with denied_join_result():
        result = tasks.send_email.apply(args=("Subjek", "Isi", ["a@contoh.id"]), throw=True)
    assert result.successful()
    assert [(m.subject, m.to) for m in mailoutbox] == [("Subjek", ["a@contoh.id"])]


def test_a_mail_server_that_is_down_makes_the_task_retry(monkeypatch):
    def down(*args, **kwargs):
        raise SMTPServerDisconnected("connection refused")

    monkeypatch.setattr(tasks, "send_now", down)
    with mock.patch.object(tasks.send_email, "retry", side_effect=RuntimeError("retry")) as retry:
        with pytest.raises(RuntimeError, match="retry"):
            tasks.send_email.apply(args=("Subjek", "Isi", ["a@contoh.id"]), throw=True)
    assert retry.called


def test_each_address_gets_its_own_message(mailoutbox):
    assert send_now("Subjek", "Isi", ["b@contoh.id", "a@contoh.id", "a@contoh.id"]) == 2
    assert [m.to for m in mailoutbox] == [["a@contoh.id"], ["b@contoh.id"]]
    assert all(m.cc == [] and m.bcc == [] for m in mailoutbox)


def test_the_html_part_links_every_address_and_escapes_the_text(mailoutbox):
    text = 'Laporan "Jalan <rusak>" & lainnya.\n\nLihat: http://127.0.0.1:8101/laporan-saya/LPR-AB/?a=1&b=2\n'
    send_now("Subjek", text, ["a@contoh.id"])
    [message] = mailoutbox
    assert message.body == text  # the plain part is the text as written: no &quot;
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert html == html_alternative(text)
    assert ('<a href="http://127.0.0.1:8101/laporan-saya/LPR-AB/?a=1&amp;b=2">'
            in html)
    assert "&quot;Jalan &lt;rusak&gt;&quot; &amp; lainnya." in html
    assert "<rusak>" not in html
