"""Priorities per category: a category has a default priority (biasa / tinggi / darurat) that a
submitted report takes; a verifier may change it with a reason (the staff action "prioritas",
``set-priority`` in the API), recorded for staff only; deadline policies may differ per
priority (seeded: a first response to a "darurat" report within 4 hours); the citizen sees the
expected response time on the report page; the bodies' queues put the overdue "darurat"
reports first."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from rest_framework.test import APIClient

from complaints.models import Category, Priority, ReportStatus
from complaints.services import intake
from routing import clocks
from routing.models import Clock, ClockKind
from routing.services import verification
from routing.sweep import enforce_deadlines
from tests.conftest import body
from tests.factories import ReportFactory, UserFactory

pytestmark = pytest.mark.django_db

WIB = ZoneInfo("Asia/Jakarta")
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=WIB)  # a Monday
QUEUE_API = "/api/v1/staff/queue/"


def _filed(category: Category):
    reporter = UserFactory(is_email_confirmed=True)
    draft = intake.save_draft(filer=reporter, values={
        "kind": "complaint", "title": "Jembatan Kaligawe ambruk",
        "description": "Jembatan ambruk, warga tidak dapat menyeberang.",
        "category": category, "province": ReportFactory.province.function(),
        "regency": ReportFactory.regency.function(),
    })
    return intake.submit_report(report=draft, actor=reporter)


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_report_takes_its_categorys_default_priority():
    bencana = Category.objects.get(slug="bencana")
    bencana.default_priority = Priority.EMERGENCY
    bencana.save()
    with time_machine.travel(START, tick=False):
        urgent = _filed(bencana)
        ordinary = _filed(Category.objects.get(slug="infrastruktur"))
    assert (urgent.priority, ordinary.priority) == ("emergency", "normal")


def test_the_priority_changes_the_due_time(verifier_national):
    with time_machine.travel(START, tick=False):
        ordinary = ReportFactory()
        urgent = ReportFactory(priority=Priority.EMERGENCY)
        for report in (ordinary, urgent):
            verification.disposition_report(report=report, to_body=body("regency-33.74"),
                                            actor=verifier_national)
    first = {r.priority: Clock.objects.get(report=r, kind=ClockKind.FIRST_RESPONSE)
             for r in (ordinary, urgent)}
    assert first["normal"].due_at == START + dt.timedelta(hours=24)
    assert first["emergency"].due_at == START + dt.timedelta(hours=4)
    assert first["emergency"].policy.priority == "emergency"
    # Its own warning, 1 hour before.
    assert [w.send_at for w in first["emergency"].warnings.all()] == [
        START + dt.timedelta(hours=3)]
    # Kinds without a policy of their own for the priority use the general one.
    follow = Clock.objects.get(report=urgent, kind=ClockKind.FOLLOW_UP)
    assert follow.policy.priority == ""


def test_a_verifier_changes_the_priority_with_a_reason_on_the_api(verifier_national,
                                                                  operator_a):
    with time_machine.travel(START, tick=False):
        report = ReportFactory()
        clocks.start(report, ClockKind.VERIFICATION, at=START)
    url = f"/api/v1/staff/reports/{report.tracking_number}/actions/set-priority/"
    api = _api(verifier_national)
    missing = api.post(url, {"priority": "emergency", "reason": "", "version": report.version},
                       format="json")
    assert missing.status_code == 400 and "reason" in missing.json()
    unknown = api.post(url, {"priority": "urgent", "reason": "x", "version": report.version},
                       format="json")
    assert unknown.status_code == 400 and "priority" in unknown.json()
    assert _api(operator_a).post(url, {"priority": "emergency", "reason": "Jembatan ambruk",
                                       "version": report.version},
                                 format="json").status_code in (403, 404)
    with time_machine.travel(START + dt.timedelta(minutes=5), tick=False):
        done = api.post(url, {"priority": "emergency", "reason": "Jembatan ambruk total",
                              "version": report.version}, format="json")
    assert done.status_code == 200, done.content
    report.refresh_from_db()
    assert report.priority == "emergency"
    event = report.events.get(kind="priority_changed")
    assert (event.visibility, event.note, event.data["from"], event.data["to"]) == (
        "staff", "Jembatan ambruk total", "normal", "emergency")
    # The citizen's timeline does not show the reason.
    from complaints import selectors

    assert "Jembatan ambruk total" not in [e.note for e in selectors.public_timeline(report)]


def test_the_staff_page_offers_the_change_to_the_verifier(verifier_national, client):
    report = ReportFactory()
    client.force_login(verifier_national)
    page = client.get(f"/petugas/laporan/{report.tracking_number}/").content.decode()
    assert "Ubah prioritas" in page
    assert "<dt>Prioritas</dt><dd>Biasa</dd>" in page
    response = client.post(f"/petugas/laporan/{report.tracking_number}/prioritas/", {
        "priority": "high", "reason": "", "version": report.version})
    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_prioritas_reason_error"' in html or "Bidang ini harus diisi." in html
    assert '<option value="high" selected>' in html  # the choice kept
    report.refresh_from_db()
    assert report.priority == "normal"


def test_the_citizen_sees_the_expected_response_time(verifier_national, client):
    with time_machine.travel(START, tick=False):
        report = ReportFactory(priority=Priority.EMERGENCY)
        client.force_login(report.reporter)
        before = client.get(f"/laporan-saya/{report.tracking_number}/").content.decode()
        verification.disposition_report(report=report, to_body=body("regency-33.74"),
                                        actor=verifier_national)
        after = client.get(f"/laporan-saya/{report.tracking_number}/").content.decode()
    assert "Tanggapan pertama instansi diharapkan dalam 4 jam" in before
    assert "prioritas Darurat" in before
    assert "diharapkan paling lambat 2 Mar 2026 13.00 WIB" in after


def test_the_queue_puts_the_overdue_emergencies_first(verifier_national, operator_a):
    made = {}
    for name, at, priority in (
        ("old-normal", START, Priority.NORMAL),  # overdue since 3 Mar 09:00
        ("late-emergency", START + dt.timedelta(hours=12), Priority.EMERGENCY),  # since 13:00
        ("new-emergency", START + dt.timedelta(hours=26), Priority.EMERGENCY),  # not yet due
        ("new-normal", START + dt.timedelta(hours=20), Priority.NORMAL),  # not yet due
    ):
        with time_machine.travel(at, tick=False):
            report = ReportFactory(priority=priority, title=name)
            verification.disposition_report(report=report, to_body=body("regency-33.74"),
                                            actor=verifier_national)
        made[name] = report.tracking_number
    now = START + dt.timedelta(hours=27)
    enforce_deadlines(now)
    api = _api(operator_a)
    with time_machine.travel(now, tick=False):
        rows = api.get(QUEUE_API).json()["results"]
        # The same order one row at a time, across the boundary, nothing twice.
        paged, url = [], QUEUE_API + "?page_size=1"
        while url:
            answer = api.get(url).json()
            paged += [r["tracking_number"] for r in answer["results"]]
            url = (QUEUE_API + f"?page_size=1&cursor={answer['next_cursor']}"
                   if answer["next_cursor"] else None)
    # Not yet due, an emergency keeps its place by due time (30 h before 44 h).
    order = [made[n] for n in ("late-emergency", "old-normal", "new-emergency", "new-normal")]
    assert [r["tracking_number"] for r in rows] == order
    assert paged == order
    assert ReportStatus.DISPOSITIONED in {r["status"] for r in rows}
