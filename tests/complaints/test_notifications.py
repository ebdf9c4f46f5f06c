"""Notifications: in the app a title, one sentence and a link to the report's page for that
person (unread first, paginated, marked read on the web and the API); by email one message per
address, plain text without HTML escapes plus an HTML part whose links are clickable."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework.test import APIClient

from agencies.models import Role
from complaints.models import Notification, ReportStatus
from complaints.services.notifications import one_sentence
from lapor.mail import html_alternative, render_email
from routing import clocks
from routing.models import ClockKind
from routing.services import handling, verification
from routing.sweep import enforce_deadlines
from tests.conftest import body, make_user
from tests.factories import ReportFactory, UserFactory, public_report

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates"
QUOTED_TITLE = 'Lampu "mati" & <gelap> di Jalan Pemuda'
ANSWER = (
    'Kami sudah memeriksa "Jalan Pemuda" & sekitarnya. Perbaikan dijadwalkan pekan depan. '
    "Terima kasih atas laporannya."
)
ENTITIES = ("&quot;", "&amp;", "&lt;", "&gt;", "&#x27;", "&#39;")


def _titles(html: str) -> list[str]:
    return re.findall(r'class="notice-title">([^<]*)<', html)


def _notice(user, i: int, *, read: bool, at: dt.datetime) -> Notification:
    return Notification.objects.create(
        user=user, title=f"Kabar {i:02d}", message=f"Kalimat {i:02d}.", url="/laporan-saya/",
        created_at=at, read_at=at if read else None,
    )


# --- what the reporter sees -----------------------------------------------------------------


def test_the_reporter_sees_a_title_one_sentence_and_a_link_to_their_report(
    client, operator_a, django_capture_on_commit_callbacks
):
    report = public_report(title=QUOTED_TITLE)
    with django_capture_on_commit_callbacks(execute=True):
        handling.respond(report=report, actor=operator_a, note=ANSWER)
    notice = Notification.objects.get(user=report.reporter)
    assert report.tracking_number in notice.title
    assert notice.message == 'Kami sudah memeriksa "Jalan Pemuda" & sekitarnya.'
    assert notice.url == f"/laporan-saya/{report.tracking_number}/"

    client.force_login(report.reporter)
    html = client.get("/notifikasi/").content.decode()
    assert "Kami sudah memeriksa &quot;Jalan Pemuda&quot; &amp; sekitarnya." in html
    assert "&amp;quot;" not in html and "&amp;amp;" not in html  # nothing escaped twice
    assert "Perbaikan dijadwalkan" not in html  # one sentence; the report page has the rest
    opened = client.get(reverse("complaints:notification-open", args=[notice.pk]))
    assert (opened.status_code, opened.url) == (302, notice.url)
    assert client.get(opened.url).status_code == 200
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_the_reporters_email_is_plain_text_with_an_html_part_linking_the_report(
    operator_a, mailoutbox, django_capture_on_commit_callbacks
):
    report = public_report(title=QUOTED_TITLE)
    with django_capture_on_commit_callbacks(execute=True):
        handling.respond(report=report, actor=operator_a, note=ANSWER)
    [mail] = mailoutbox
    assert mail.to == [report.reporter.email]
    assert QUOTED_TITLE in mail.body and ANSWER in mail.body
    assert not any(entity in mail.body + mail.subject for entity in ENTITIES)
    [(html, mimetype)] = mail.alternatives
    link = f"{settings.SITE_URL}/laporan-saya/{report.tracking_number}/"
    assert mimetype == "text/html"
    assert f'<a href="{link}">' in html
    assert "Lampu &quot;mati&quot; &amp; &lt;gelap&gt;" in html and "<gelap>" not in html


def test_a_long_answer_becomes_one_sentence_cut_with_an_ellipsis(operator_a):
    report = public_report()
    handling.respond(report=report, actor=operator_a, note="Kata " * 100)
    message = Notification.objects.get(user=report.reporter).message
    assert len(message) <= 160 and message.endswith("…")


@pytest.mark.parametrize(("text", "sentence"), [
    ("Terima kasih. Kami akan memeriksa lokasi besok. Mohon ditunggu.",
     "Terima kasih. Kami akan memeriksa lokasi besok."),  # a courtesy opener runs on
    ("Terima kasih atas laporan Anda. Kami teruskan ke Dinas PU. Salam.",
     "Terima kasih atas laporan Anda. Kami teruskan ke Dinas PU."),
    ("Jalan di Jl. Merdeka No. 5 rusak. Mohon diperbaiki.", "Jalan di Jl. Merdeka No. 5 rusak."),
    ("Yth. Bapak,\n\nJalan sudah diperbaiki. Salam.", "Yth. Bapak, Jalan sudah diperbaiki."),
    ("Diperbaiki sepanjang 3.5 km\nkemarin sore", "Diperbaiki sepanjang 3.5 km kemarin sore"),
    ("Jawaban pertama.\n\nJawaban kedua.", "Jawaban pertama."),
])
def test_the_in_app_sentence_is_the_first_sentence_of_the_text_on_one_line(text, sentence):
    assert one_sentence(text) == sentence


def test_an_internal_note_never_reaches_the_reporter_or_anyone_by_notice(
    verifier_jateng, operator_a, mailoutbox, django_capture_on_commit_callbacks
):
    secret = "Catatan untuk instansi: pelapor sering mengadu"
    report = ReportFactory()
    with django_capture_on_commit_callbacks(execute=True):
        verification.disposition_report(
            report=report, to_body=body("regency-33.74"), actor=verifier_jateng, note=secret
        )
        handling.add_internal_note(report=report, actor=operator_a, note=secret)
    notices = Notification.objects.filter(report=report)
    assert notices.filter(user=report.reporter).count() == 1  # the disposition, not the note
    assert all(secret not in n.title + n.message for n in notices)
    assert mailoutbox and all(secret not in m.body + m.subject for m in mailoutbox)


# --- what staff see -------------------------------------------------------------------------


def test_a_new_report_for_a_body_with_three_staff_sends_three_single_address_messages(
    client, verifier_jateng, operator_a, mailoutbox, django_capture_on_commit_callbacks
):
    staff = [
        operator_a,
        make_user("operator.a2@example.id", "Operator A2", Role.OPERATOR, "regency-33.74"),
        make_user("kepala.kota@example.id", "Kepala Kota", Role.SUPERVISOR, "regency-33.74"),
    ]
    report = ReportFactory(title=QUOTED_TITLE)
    with django_capture_on_commit_callbacks(execute=True):
        verification.disposition_report(
            report=report, to_body=body("regency-33.74"), actor=verifier_jateng
        )
    to_staff = [m for m in mailoutbox if m.to != [report.reporter.email]]
    assert sorted(m.to for m in to_staff) == sorted([u.email] for u in staff)
    assert all(len(m.to) == 1 and not m.cc and not m.bcc for m in to_staff)
    staff_link = f"{settings.SITE_URL}/petugas/laporan/{report.tracking_number}/"
    for mail in to_staff:
        assert not any(entity in mail.body for entity in ENTITIES)
        assert f'<a href="{staff_link}">' in mail.alternatives[0][0]

    for user in staff:
        notice = Notification.objects.get(user=user, report=report)
        assert notice.url == f"/petugas/laporan/{report.tracking_number}/"
        assert "Pemerintah Kota Semarang" in notice.message
        client.force_login(user)
        assert client.get(notice.url).status_code == 200


def _held(verifier, at):
    with time_machine.travel(at, tick=False):
        report = ReportFactory(submitted_at=at)
        clocks.start(report, ClockKind.VERIFICATION, at=at)
        return verification.disposition_report(report=report, to_body=body("regency-33.74"),
                                               actor=verifier)


def test_breach_and_escalation_notices_open_the_staff_page_for_whoever_is_told(
    client, verifier_national, operator_a, supervisor_a, ombudsman_jateng
):
    start = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    report = _held(verifier_national, start)
    enforce_deadlines(start + dt.timedelta(hours=25))  # the first response is overdue
    breach = Notification.objects.get(user=supervisor_a, report=report)
    assert report.tracking_number in breach.title
    enforce_deadlines(start + dt.timedelta(days=120))  # 60 working days: to the Ombudsman
    escalation = Notification.objects.get(user=ombudsman_jateng, report=report)
    for user, notice in ((supervisor_a, breach), (ombudsman_jateng, escalation)):
        assert notice.url == f"/petugas/laporan/{report.tracking_number}/"
        client.force_login(user)
        assert client.get(notice.url).status_code == 200


# --- the list, and marking read -------------------------------------------------------------


def test_the_list_shows_unread_first_then_newest_twenty_a_page(client, citizen):
    now = timezone.now()
    for i in range(25):
        _notice(citizen, i, read=i % 3 != 0, at=now - dt.timedelta(hours=25 - i))
    client.force_login(citizen)
    first = client.get("/notifikasi/").content.decode()
    second = client.get("/notifikasi/?page=2").content.decode()
    unread = [f"Kabar {i:02d}" for i in range(24, -1, -1) if i % 3 == 0]
    read = [f"Kabar {i:02d}" for i in range(24, -1, -1) if i % 3 != 0]
    assert _titles(first) + _titles(second) == unread + read
    assert len(_titles(first)) == 20
    assert first.count('class="notice-new"') == len(unread)


def test_mark_one_read_on_the_web_keeps_the_page_and_touches_nothing_else(client, citizen):
    now = timezone.now()
    mine = [_notice(citizen, i, read=False, at=now - dt.timedelta(minutes=i)) for i in range(3)]
    other = _notice(UserFactory(), 9, read=False, at=now)
    client.force_login(citizen)
    response = client.post(reverse("complaints:notification-read", args=[mine[1].pk]),
                           {"page": "2"})
    assert response.status_code == 302 and response.url == "/notifikasi/?page=2"
    assert [n.read_at is not None for n in Notification.objects.filter(user=citizen)
            .order_by("-created_at")] == [False, True, False]
    assert client.post(reverse("complaints:notification-read", args=[other.pk])).status_code == 404
    assert client.get(reverse("complaints:notification-open", args=[other.pk])).status_code == 404
    other.refresh_from_db()
    assert other.read_at is None


def test_mark_all_read_on_the_web_empties_the_badge(client, citizen):
    for i in range(3):
        _notice(citizen, i, read=False, at=timezone.now())
    client.force_login(citizen)
    assert 'class="badge"' in client.get("/notifikasi/").content.decode()
    assert client.post("/notifikasi/dibaca/").status_code == 302
    assert not Notification.objects.filter(user=citizen, read_at__isnull=True).exists()
    assert 'class="badge"' not in client.get("/notifikasi/").content.decode()


def test_a_notice_without_a_page_or_with_a_foreign_link_opens_the_list(client, citizen):
    bare = Notification.objects.create(user=citizen, title="Tanpa laporan", message="Kalimat.")
    foreign = Notification.objects.create(user=citizen, title="Asing", message="Kalimat.",
                                          url="https://contoh.example/")
    client.force_login(citizen)
    for notice in (bare, foreign):
        response = client.get(reverse("complaints:notification-open", args=[notice.pk]))
        assert response.url == reverse("complaints:notifications")


def test_the_api_lists_title_message_url_and_marks_one_or_all_read(citizen):
    now = timezone.now()
    older = _notice(citizen, 1, read=False, at=now - dt.timedelta(hours=1))
    newer = _notice(citizen, 2, read=False, at=now)
    _notice(citizen, 3, read=True, at=now + dt.timedelta(minutes=1))
    other = _notice(UserFactory(), 4, read=False, at=now)
    api = APIClient()
    api.force_authenticate(citizen)
    listed = api.get("/api/v1/notifications/").json()["results"]
    assert [n["title"] for n in listed] == ["Kabar 02", "Kabar 01", "Kabar 03"]
    assert {"title", "message", "url", "read_at"} <= set(listed[0])
    assert (listed[0]["message"], listed[0]["url"]) == ("Kalimat 02.", "/laporan-saya/")

    read = api.post(f"/api/v1/notifications/{older.pk}/read/")
    assert read.status_code == 200 and read.json()["read_at"] is not None
    assert api.post(f"/api/v1/notifications/{other.pk}/read/").status_code == 404
    assert api.post("/api/v1/notifications/read-all/").json() == {"marked": 1}
    newer.refresh_from_db()
    other.refresh_from_db()
    assert newer.read_at is not None and other.read_at is None


# --- every email template -------------------------------------------------------------------


EMAIL_TEMPLATES = sorted(
    str(path.relative_to(TEMPLATES)) for path in TEMPLATES.glob("**/email/*.txt")
)


@pytest.mark.parametrize("template", EMAIL_TEMPLATES)
def test_every_email_template_is_plain_text_and_its_html_part_links_the_site(template):
    report = public_report(title=QUOTED_TITLE, status=ReportStatus.IN_PROGRESS)
    report.due_at = timezone.now()
    user = UserFactory(full_name='Sri "Ani" & <Co>')
    context = {
        "report": report, "body": report.holder_body, "user": user, "message": ANSWER,
        "link": f"{settings.SITE_URL}/akun/konfirmasi/abc/def/", "count": 1, "reports": [report],
        "now": timezone.now(),
        # the email alerts' (complaints.alerts)
        "scope": 'Kecamatan "Tengah" & <Kota>', "days": 7,
        "confirm_url": f"{settings.SITE_URL}/peringatan/konfirmasi/abc/",
        "manage_url": f"{settings.SITE_URL}/peringatan/kelola/abc/",
    }
    with translation.override("id"):
        subject, text = render_email(template, context)
    assert not any(entity in subject + text for entity in ENTITIES), text
    assert f'<a href="{settings.SITE_URL}' in html_alternative(text)


@pytest.mark.django_db
def test_what_staff_acts_tell_the_citizen_is_indonesian_whatever_the_staff_language(
    verifier_national, operator_a, mailoutbox, django_capture_on_commit_callbacks
):
    report = ReportFactory()
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        verification.disposition_report(report=report, to_body=body("regency-33.74"),
                                        actor=verifier_national)
        handling.resolve(report=report, actor=operator_a, answer="Sudah diperbaiki.")
    texts = [m.body for m in mailoutbox if report.reporter.email in m.to]
    texts += [n.message for n in Notification.objects.filter(user=report.reporter)]
    assert any("Laporan Anda kini ditangani oleh" in text for text in texts)
    assert any("Terima atau bantah jawaban ini" in text for text in texts)
    assert not any("Your report" in text or "Accept or dispute" in text for text in texts)
