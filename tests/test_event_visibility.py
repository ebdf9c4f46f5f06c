"""Who reads which event of a report: every event kind × every audience, on pages and API.

One report lives a whole life through the services (filing, completion asked, disposition
with the verifier's note to the body, responses, a question to the citizen, an internal note,
a disposition down with a note, an escalation with a note, a redirect, an assignment, a copy
(tembusan) to another body and that body's note, the 60-day breach and the Ombudsman, a final
answer, a dispute, acceptance, a rating); more are rejected, merged as a duplicate, closed by
the citizen's silence, postponed and returned, referred out, archived. Then each audience
reads each copy. Internal notes (staff-only events) are for the staff of the bodies that hold
or held the report or that it was copied to and, once it is escalated, its Ombudsman office;
never for the public, the reporter, another body's staff, the public API, the citizen's API,
data export or email.
"""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from rest_framework.test import APIClient

from agencies.models import Body, Role
from complaints.accounts.services import export_personal_data
from complaints.models import Attachment, EventKind, Notification, ReportEvent, Visibility
from complaints.services import citizen, intake, solved
from routing.models import ExternalChannel
from routing.services import assignments, copies, handling, moderation, outcomes, verification
from routing.sweep import enforce_deadlines
from tests.conftest import body, make_user
from tests.factories import ReportFactory, UserFactory

WIB = ZoneInfo("Asia/Jakarta")
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=WIB)
# A verifier's reasons for changing what the public sees: for the reporter and staff only.
REPORTER_SECRETS = ("ALASAN-SUNTING-PUBLIK", "ALASAN-SEMBUNYI-FOTO", "ALASAN-TAMPIL-FOTO")
SECRETS = ("RAHASIA-VERIFIKATOR", "RAHASIA-CATATAN", "RAHASIA-DISPOSISI", "RAHASIA-ESKALASI",
           "RAHASIA-TEMBUSAN", "RAHASIA-CATATAN-TEMBUSAN", "RAHASIA-PRIORITAS")

# What each kind is, by the rule of domain.md: the acts on a report are public (the citizen
# follows them); notes between staff and the engine's breaches are staff-only.
STAFF_ONLY = {EventKind.INTERNAL_NOTE, EventKind.DEADLINE_BREACHED, EventKind.ASSIGNED,
              EventKind.COPIED, EventKind.PRIORITY_CHANGED}
# A verifier's change of the public copy: the reporter and staff read it and its reason; the
# public reads only the edited copy (and that it was edited, from the report itself).
REPORTER_ONLY = {EventKind.PUBLIC_COPY_EDITED, EventKind.ATTACHMENT_HIDDEN,
                 EventKind.ATTACHMENT_SHOWN}
EVERY_KIND_WRITTEN = set(EventKind)


def at(moment):
    return time_machine.travel(moment, tick=False)


@pytest.fixture
def world(db, verifier_national, operator_a, supervisor_a, operator_b, ombudsman_jateng):
    reporter = UserFactory(full_name="Ani Pelapor")
    hub = make_user("op.hub@example.id", "Operator Kemenhub", Role.OPERATOR, "kemenhub")
    copied = make_user("op.pu@example.id", "Operator Kementerian PU", Role.OPERATOR, "kemenpu")
    unit = Body.objects.add_child(body("regency-33.74"), create_kwargs={
        "name": "Dinas PU Kota Semarang", "kind": "unit", "region": body("regency-33.74").region})
    day = dt.timedelta(days=1)
    with at(START):
        draft = intake.save_draft(filer=reporter, values={
            "kind": "complaint", "title": "Jembatan Kaligawe retak",
            "description": "Retak panjang di sisi utara jembatan.",
            "category": ReportFactory.category.function(),
            "province": ReportFactory.province.function(),
            "regency": ReportFactory.regency.function(),
        })
        report = intake.submit_report(report=draft, actor=reporter)
        verification.request_completion(report=report, actor=verifier_national,
                                        note="PUBLIK-Mohon foto retaknya.")
        citizen.add_information(report=report, actor=reporter, note="PUBLIK-Foto menyusul.")
        verification.set_priority(report=report, actor=verifier_national, priority="high",
                                  reason=SECRETS[6])
        verification.disposition_report(report=report, to_body=body("regency-33.74"),
                                        actor=verifier_national, note=SECRETS[0])
        # Published: the verifier edits what the public reads and hides a photo, then shows
        # it again.
        moderation.edit_public_copy(
            report=report, actor=verifier_national, title="Jembatan Kaligawe retak",
            description="Retak panjang di jembatan.", reason=REPORTER_SECRETS[0])
        photo = Attachment.objects.create(
            report=report, file="attachments/foto.png", original_name="foto.png",
            content_type="image/png", size=10, uploaded_by=reporter)
        moderation.hide_attachment(attachment=photo, actor=verifier_national,
                                   reason=REPORTER_SECRETS[1])
        moderation.unhide_attachment(attachment=photo, actor=verifier_national,
                                     reason=REPORTER_SECRETS[2])
    with at(START + dt.timedelta(hours=2)):
        assignments.take_report(report=report, actor=operator_a)
        handling.respond(report=report, actor=operator_a, note="PUBLIK-Kami periksa.")
        handling.request_information(report=report, actor=operator_a,
                                     note="PUBLIK-Sejak kapan retak?")
        citizen.reply_to_body(report=report, actor=reporter, note="PUBLIK-Sejak Januari.")
        handling.add_internal_note(report=report, actor=operator_a, note=SECRETS[1])
        handling.dispose_down(report=report, actor=operator_a, to_body=unit, note=SECRETS[2])
        handling.escalate(report=report, actor=supervisor_a, note=SECRETS[3])
    with at(START + dt.timedelta(hours=3)):
        handling.redirect(report=report, actor=operator_a, to_body=body("kemenhub"),
                          reason="PUBLIK-Jembatan nasional, kewenangan Kemenhub.")
    with at(START + dt.timedelta(hours=4)):
        handling.respond(report=report, actor=hub, note="PUBLIK-Diterima Kemenhub.")
        handling.respond(report=report, actor=hub, note="PUBLIK-Tim sudah survei.")
        copies.copy_report(report=report, actor=hub, to_body=body("kemenpu"), note=SECRETS[4])
        handling.add_internal_note(report=report, actor=copied, note=SECRETS[5])
    # 60 working days (day 1 the day after the disposition: due at the end of 10 June): the
    # Ombudsman.
    enforce_deadlines(START + dt.timedelta(days=101))
    with at(START + 101 * day):
        handling.resolve(report=report, actor=hub, answer="PUBLIK-Sudah diperbaiki.")
        citizen.dispute_resolution(report=report, actor=reporter, reason="PUBLIK-Belum rapi.")
        handling.resolve(report=report, actor=hub, answer="PUBLIK-Sudah dirapikan.")
        citizen.accept_resolution(report=report, actor=reporter)
        citizen.rate_report(report=report, actor=reporter, rating=4, comment="PUBLIK-Cepat.")
    with at(START + 110 * day):  # "Sudah tuntas?", asked some days after the final answer
        solved.ask_due()
        solved.answer_solved(report=report, actor=reporter, answer="partly")

    # More endings: rejected; merged as a duplicate (which writes a staff-only event on the
    # original); closed because the citizen stayed silent; postponed and back in the queue;
    # not a matter for any body (Bukan wewenang); archived.
    with at(START):
        rejected = ReportFactory(reporter=reporter)
        verification.reject_report(report=rejected, actor=verifier_national, reason="spam")
        duplicate = ReportFactory(reporter=reporter)
        verification.mark_duplicate(report=duplicate, original=report, actor=verifier_national)
        silent = ReportFactory(reporter=reporter)
        verification.disposition_report(report=silent, to_body=body("regency-33.74"),
                                        actor=verifier_national)
        handling.resolve(report=silent, actor=operator_a, answer="PUBLIK-Selesai.")
        postponed = ReportFactory(reporter=reporter)
        outcomes.postpone_report(report=postponed, actor=verifier_national,
                                 reason="PUBLIK-Menunggu data.", returns_on=START.date() + day)
        referred = ReportFactory(reporter=reporter)
        outcomes.refer_out(report=referred, actor=verifier_national, note="PUBLIK-Ke PN.",
                           channel=ExternalChannel.objects.create(name="Pengadilan Negeri"))
        archived = ReportFactory(reporter=reporter)
        outcomes.archive_report(report=archived, actor=verifier_national, reason="test")
    outcomes.return_due(START + 2 * day)
    enforce_deadlines(START + 30 * day)
    report.refresh_from_db()
    return {
        "report": report, "others": [rejected, duplicate, silent, postponed, referred, archived],
        "reporter": reporter,
        "holder": hub, "former": operator_a, "unrelated": operator_b, "copied": copied,
        "ombudsman": ombudsman_jateng,
    }


def _kinds_on_page(html):
    return re.findall(r'data-event="(\w+)"', html)


def _reads(client, api, report, who):
    """What ``who`` reads of ``report`` on each copy: {copy: [event kinds] or None (404)}."""
    number = report.tracking_number
    seen = {}

    def page(url):
        response = client.get(url)
        return _kinds_on_page(response.content.decode()) if response.status_code == 200 \
            else None

    def listing(url, key=None):
        response = api.get(url)
        if response.status_code != 200:
            return None
        data = response.json()
        rows = data[key] if key else data
        return [row["kind"] for row in rows]

    seen["public page"] = page(f"/publik/{number}/")
    seen["public api"] = listing(f"/api/v1/public/reports/{number}/", "timeline")
    seen["staff page"] = page(f"/petugas/laporan/{number}/")
    seen["staff api"] = listing(f"/api/v1/staff/reports/{number}/history/")
    if who == "reporter":
        seen["citizen page"] = page(f"/laporan-saya/{number}/")
        seen["citizen api"] = listing(f"/api/v1/reports/{report.pk}/timeline/")
    return seen


def _clients(user):
    client, api = __import__("django.test").test.Client(), APIClient()
    if user is not None:
        client.force_login(user)
        api.force_authenticate(user)
    return client, api


@pytest.mark.django_db
def test_every_event_kind_is_written_by_this_life(world):
    reports = [world["report"], *world["others"]]
    written = set(ReportEvent.objects.filter(report__in=reports).values_list("kind", flat=True))
    assert written == {k.value for k in EVERY_KIND_WRITTEN}
    # And each kind has the visibility the rule gives it.
    for event in ReportEvent.objects.filter(report__in=reports):
        expected = Visibility.STAFF if event.kind in STAFF_ONLY or (
            event.kind == EventKind.DUPLICATE and event.report_id == world["report"].pk
        ) else Visibility.REPORTER if event.kind in REPORTER_ONLY else Visibility.PUBLIC
        assert event.visibility == expected, (event.kind, event.note)
    notes = ReportEvent.objects.filter(report=world["report"], note__in=SECRETS)
    assert sorted(notes.values_list("note", "visibility")) == sorted(
        (secret, Visibility.STAFF) for secret in SECRETS)


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["visitor", "reporter", "holder", "former", "copied",
                                 "unrelated", "ombudsman"])
def test_each_audience_reads_exactly_what_it_may_on_every_copy(world, who):
    report = world["report"]
    events = list(ReportEvent.objects.filter(report=report).order_by("-seq"))
    everything = [e.kind for e in events]
    public = [e.kind for e in events if e.visibility == Visibility.PUBLIC]
    for_reporter = [e.kind for e in events if e.visibility != Visibility.STAFF]
    user = None if who == "visitor" else world[who]
    client, api = _clients(user)
    seen = _reads(client, api, report, who)

    staff_side = {"holder": everything, "former": everything, "copied": everything,
                  "ombudsman": everything}
    expected = {
        "public page": public, "public api": public,
        "staff page": staff_side.get(who), "staff api": staff_side.get(who),
    }
    if who == "reporter":
        expected |= {"citizen page": for_reporter, "citizen api": for_reporter}
    assert seen == expected
    assert set(public) & (STAFF_ONLY | REPORTER_ONLY) == set()
    assert set(for_reporter) & STAFF_ONLY == set()

    # The text of the staff-only notes, anywhere this audience can look.
    pages = [client.get(url).content.decode() for url in (
        f"/publik/{report.tracking_number}/", f"/lacak/?nomor={report.tracking_number}",
        f"/laporan-saya/{report.tracking_number}/", f"/petugas/laporan/{report.tracking_number}/",
        "/publik/?q=Kaligawe", "/notifikasi/",
    )]
    may_read_notes = who in staff_side
    for secret in SECRETS:
        assert any(secret in html for html in pages) is may_read_notes, secret
    # The verifier's reasons: the reporter and staff; never the public or another body.
    for reason in REPORTER_SECRETS:
        assert any(reason in html for html in pages) is (may_read_notes or who == "reporter"), \
            reason
    api_text = api.get(f"/api/v1/public/reports/{report.tracking_number}/").content.decode()
    assert not any(reason in api_text for reason in REPORTER_SECRETS)


@pytest.mark.django_db
def test_an_ombudsman_officer_reads_internal_notes_only_once_escalated(
    verifier_national, operator_a, ombudsman_jateng
):
    report = ReportFactory()
    verification.disposition_report(report=report, to_body=body("regency-33.74"),
                                    actor=verifier_national, note=SECRETS[0])
    client, api = _clients(ombudsman_jateng)
    page = client.get(f"/petugas/laporan/{report.tracking_number}/").content.decode()
    assert _kinds_on_page(page) == [EventKind.DISPOSITIONED]  # sees the report, not the note
    assert SECRETS[0] not in page
    report.refresh_from_db()
    enforce_deadlines(report.due_at.replace(year=report.due_at.year + 1))
    page = client.get(f"/petugas/laporan/{report.tracking_number}/").content.decode()
    assert SECRETS[0] in page


@pytest.mark.django_db
def test_no_internal_note_reaches_the_citizen_by_email_notice_or_data_export(world):
    reporter = world["reporter"]
    texts = [m.subject + m.body for m in mail.outbox if reporter.email in m.to]
    texts += [n.title + n.message for n in Notification.objects.filter(user=reporter)]
    texts.append(str(export_personal_data(reporter)))
    assert texts
    for secret in SECRETS:
        assert not any(secret in text for text in texts), secret
