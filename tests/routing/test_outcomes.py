"""The verification outcomes of SP4N-LAPOR! V3 besides disposition, rejection, duplicate and
asking to complete: Tunda (back in the queue on its date, exactly once), Bukan wewenang (the
citizen told where to go) and Arsipkan (out of every public list) — event, status, API, page,
what the citizen reads."""

import datetime as dt
import threading
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from rest_framework.test import APIClient

from complaints.lifecycle import TRANSITIONS
from complaints.models import EventKind, Notification, Report, ReportStatus, Visibility
from lapor.errors import Invalid
from routing import clocks, policies, queues, tasks
from routing.models import Clock, ClockKind, DeadlinePolicy, ExternalChannel
from routing.services import outcomes, verification
from routing.sweep import enforce_deadlines
from tests.conftest import body
from tests.factories import ReportFactory

WIB = ZoneInfo("Asia/Jakarta")
MONDAY = dt.datetime(2026, 3, 2, 9, 0, tzinfo=WIB)


def at(moment):
    return time_machine.travel(moment, tick=False)


@pytest.fixture
def court(db):
    return ExternalChannel.objects.create(
        name="Pengadilan Negeri Semarang", description="Sengketa perdata dan pidana.",
        url="https://pn-semarang.go.id/", contact="(024) 8311522")


def _submitted(**kwargs):
    report = ReportFactory(**kwargs)
    clocks.start(report, ClockKind.VERIFICATION, at=report.submitted_at)
    return report


def _verification_clock(report):
    return Clock.objects.filter(report=report, kind=ClockKind.VERIFICATION).order_by("id")


# --- Tunda ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_postponed_report_leaves_the_queue_and_returns_on_its_date_exactly_once(
    verifier_national
):
    with at(MONDAY):
        report = _submitted()
        outcomes.postpone_report(report=report, actor=verifier_national,
                                 reason="Menunggu hasil rapat koordinasi.",
                                 returns_on=dt.date(2026, 3, 5))
    report.refresh_from_db()
    assert report.status == ReportStatus.POSTPONED
    assert report.returns_at == dt.datetime(2026, 3, 5, 0, 0, tzinfo=WIB)
    event = report.events.get(kind=EventKind.POSTPONED)
    assert (event.visibility, event.note) == (Visibility.PUBLIC, "Menunggu hasil rapat koordinasi.")
    assert event.data["returns_on_label"] == "5 Maret 2026"
    filters = queues.QueueFilters()
    assert report not in queues.verification_reports(verifier_national, filters)

    # The day before: nothing; on the day, returned; again and again: nothing more.
    assert outcomes.return_due(dt.datetime(2026, 3, 4, 23, 59, tzinfo=WIB)) == 0
    assert outcomes.return_due(dt.datetime(2026, 3, 5, 0, 0, tzinfo=WIB)) == 1
    assert outcomes.return_due(dt.datetime(2026, 3, 5, 0, 1, tzinfo=WIB)) == 0
    assert outcomes.return_due(dt.datetime(2026, 4, 1, tzinfo=WIB)) == 0
    report.refresh_from_db()
    assert (report.status, report.returns_at) == (ReportStatus.SUBMITTED, None)
    assert report.events.filter(kind=EventKind.POSTPONEMENT_ENDED).count() == 1
    assert report in queues.verification_reports(verifier_national, filters)
    messages = Notification.objects.filter(user=report.reporter).values_list("message", flat=True)
    assert any("ditunda sampai 5 Maret 2026" in m for m in messages)
    assert any("kembali ke antrean verifikasi" in m for m in messages)


@pytest.mark.django_db(transaction=True)
def test_two_return_runs_at_once_return_each_report_once(agency_tree, verifier_national):
    with at(MONDAY):
        reports = [_submitted() for _ in range(6)]
        for report in reports:
            outcomes.postpone_report(report=report, actor=verifier_national, reason="Tunggu.",
                                     returns_on=dt.date(2026, 3, 3))
    returned = []

    def run():
        try:
            returned.append(outcomes.return_due(dt.datetime(2026, 3, 3, 8, tzinfo=WIB),
                                                batch_size=2))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(returned) == 6
    for report in reports:
        assert report.events.filter(kind=EventKind.POSTPONEMENT_ENDED).count() == 1


@pytest.mark.django_db
def test_the_verification_clock_keeps_running_while_postponed_by_default(verifier_national):
    with at(MONDAY):
        report = _submitted()
        outcomes.postpone_report(report=report, actor=verifier_national, reason="Tunggu.",
                                 returns_on=dt.date(2026, 3, 20))
    clock = _verification_clock(report).get()
    assert clock.state == Clock.State.RUNNING
    enforce_deadlines(dt.datetime(2026, 3, 10, tzinfo=WIB))  # 3 working days have passed
    clock.refresh_from_db()
    assert clock.state == Clock.State.BREACHED


@pytest.mark.django_db
def test_a_policy_that_pauses_gives_the_clock_its_time_left_on_return(
    verifier_national, system_admin
):
    current = DeadlinePolicy.objects.get(clock=ClockKind.VERIFICATION, is_current=True)
    policies.set_policy(clock=ClockKind.VERIFICATION, action=current.action, actor=system_admin,
                        working_days=current.working_days, pauses_when_postponed=True)
    with at(MONDAY):
        report = _submitted()
    first = _verification_clock(report).get()
    left = first.due_at - (MONDAY + dt.timedelta(hours=1))
    with at(MONDAY + dt.timedelta(hours=1)):
        outcomes.postpone_report(report=report, actor=verifier_national, reason="Tunggu.",
                                 returns_on=dt.date(2026, 3, 20))
    first.refresh_from_db()
    assert (first.state, first.outcome) == (Clock.State.STOPPED, Clock.Outcome.PAUSED)
    assert enforce_deadlines(dt.datetime(2026, 3, 19, tzinfo=WIB)).breached == {}
    back = dt.datetime(2026, 3, 20, 0, 0, tzinfo=WIB)
    assert outcomes.return_due(back) == 1
    second = _verification_clock(report).last()
    assert second.pk != first.pk
    assert (second.state, second.due_at) == (Clock.State.RUNNING, back + left)


@pytest.mark.django_db
def test_postpone_needs_a_reason_and_a_date_after_today(verifier_national):
    report = _submitted()
    today = dt.date.today()
    with pytest.raises(Invalid) as no_reason:
        outcomes.postpone_report(report=report, actor=verifier_national, reason=" ",
                                 returns_on=today + dt.timedelta(days=2))
    assert no_reason.value.field == "reason"
    with pytest.raises(Invalid) as past:
        outcomes.postpone_report(report=report, actor=verifier_national, reason="Tunggu.",
                                 returns_on=today - dt.timedelta(days=1))
    assert past.value.field == "returns_on"
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


@pytest.mark.django_db
def test_the_postpone_form_keeps_what_was_typed_and_the_api_says_which_field(
    client, verifier_national
):
    report = _submitted()
    client.force_login(verifier_national)
    response = client.post(f"/petugas/laporan/{report.tracking_number}/tunda/",
                           {"version": report.version, "reason": "Menunggu data dinas.",
                            "returns_on": "kemarin"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Menunggu data dinas." in page and "Tulis tanggal seperti 2026-12-31." in page
    api = APIClient()
    api.force_authenticate(verifier_national)
    refused = api.post(f"/api/v1/staff/reports/{report.tracking_number}/actions/postpone/",
                       {"version": report.version, "reason": "Tunggu.",
                        "returns_on": "2020-01-01"}, format="json")
    assert refused.status_code == 400
    assert "returns_on" in refused.json()
    returns_on = (dt.date.today() + dt.timedelta(days=7)).isoformat()
    done = api.post(f"/api/v1/staff/reports/{report.tracking_number}/actions/postpone/",
                    {"version": report.version, "reason": "Tunggu.", "returns_on": returns_on},
                    format="json")
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "postponed"


@pytest.mark.django_db
def test_the_citizen_reads_until_when_it_is_postponed(client, verifier_national):
    report = _submitted()
    with at(MONDAY):
        outcomes.postpone_report(report=report, actor=verifier_national,
                                 reason="Menunggu hasil rapat.", returns_on=dt.date(2026, 3, 9))
    client.force_login(report.reporter)
    page = client.get(f"/laporan-saya/{report.tracking_number}/").content.decode()
    assert "Verifikasi laporan Anda ditunda" in page
    assert "9 Maret 2026" in page and "Menunggu hasil rapat." in page
    assert 'data-event="postponed"' in page


# --- Bukan wewenang ------------------------------------------------------------------------


@pytest.mark.django_db
def test_refer_out_ends_the_report_and_tells_the_citizen_where_to_go(
    verifier_national, court, client
):
    report = _submitted()
    outcomes.refer_out(report=report, actor=verifier_national, channel=court,
                       note="Perkara waris diselesaikan di pengadilan.")
    report.refresh_from_db()
    assert report.status == ReportStatus.REFERRED_OUT
    assert report.closed_at is not None
    assert TRANSITIONS[ReportStatus.REFERRED_OUT] == frozenset()
    event = report.events.get(kind=EventKind.REFERRED_OUT)
    assert event.data["channel_name"] == "Pengadilan Negeri Semarang"
    assert _verification_clock(report).get().state == Clock.State.STOPPED
    notice = Notification.objects.get(user=report.reporter, report=report)
    assert "Pengadilan Negeri Semarang" in notice.message
    client.force_login(report.reporter)
    page = client.get(f"/laporan-saya/{report.tracking_number}/").content.decode()
    assert "bukan wewenang instansi dalam LAPOR!" in page
    assert 'href="https://pn-semarang.go.id/"' in page and "(024) 8311522" in page
    assert "Perkara waris diselesaikan di pengadilan." in page
    # Its statistics category is its status; its label is the citizen's.
    assert report.get_status_display() == "Bukan wewenang"
    assert outcomes.OUTCOME_STATUSES["refer-out"] == report.status


@pytest.mark.django_db
def test_refer_out_from_the_page_and_the_api(verifier_national, court, client):
    inactive = ExternalChannel.objects.create(name="Saluran lama", is_active=False)
    report = _submitted()
    client.force_login(verifier_national)
    page = client.get(f"/petugas/laporan/{report.tracking_number}/").content.decode()
    assert "Bukan wewenang" in page and "Pengadilan Negeri Semarang" in page
    assert "Saluran lama" not in page
    refused = client.post(f"/petugas/laporan/{report.tracking_number}/bukan-wewenang/",
                          {"version": report.version, "channel": inactive.pk,
                           "note": "Tulisan saya"})
    assert refused.status_code == 400
    assert "Tulisan saya" in refused.content.decode()
    api = APIClient()
    api.force_authenticate(verifier_national)
    done = api.post(f"/api/v1/staff/reports/{report.tracking_number}/actions/refer-out/",
                    {"version": report.version, "channel": court.pk}, format="json")
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "referred_out"


@pytest.mark.django_db
def test_only_a_verifier_of_the_province_may_refer_out(operator_a, court):
    report = _submitted()
    api = APIClient()
    api.force_authenticate(operator_a)
    response = api.post(f"/api/v1/staff/reports/{report.tracking_number}/actions/refer-out/",
                        {"version": report.version, "channel": court.pk}, format="json")
    assert response.status_code == 404
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


@pytest.mark.django_db
def test_the_system_admin_keeps_the_list_of_external_channels(client, system_admin):
    client.force_login(system_admin)
    response = client.post("/admin/routing/externalchannel/add/", {
        "name": "Kepolisian Daerah Jawa Tengah", "description": "Tindak pidana.",
        "url": "https://jateng.polri.go.id/", "contact": "110", "is_active": "on",
        "sort_order": 10,
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    channel = ExternalChannel.objects.get(name="Kepolisian Daerah Jawa Tengah")
    assert channel.contact == "110"
    assert client.get(f"/admin/routing/externalchannel/{channel.pk}/change/").status_code == 200


# --- Arsipkan ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_archive_with_a_reason_out_of_every_public_list(verifier_national, client):
    report = _submitted(title="Halo admin selamat pagi")
    with pytest.raises(Invalid) as unexplained:
        outcomes.archive_report(report=report, actor=verifier_national, reason="other")
    assert unexplained.value.field == "note"
    outcomes.archive_report(report=report, actor=verifier_national, reason="greeting")
    report.refresh_from_db()
    assert report.status == ReportStatus.ARCHIVED
    event = report.events.get(kind=EventKind.ARCHIVED)
    assert event.data["reason_label"] == "Salam, ucapan atau terima kasih"
    assert not report.is_public
    assert client.get(f"/publik/{report.tracking_number}/").status_code == 404
    assert report.tracking_number not in client.get("/publik/").content.decode()
    listed = APIClient().get("/api/v1/public/reports/").json()
    assert report.tracking_number not in str(listed)
    assert APIClient().get("/api/v1/public/reports/?status=archived").status_code == 400
    assert client.get(f"/api/v1/public/reports/{report.tracking_number}/").status_code == 404
    assert "diarsipkan" in Notification.objects.get(user=report.reporter).message


@pytest.mark.django_db
def test_archive_through_the_api(verifier_national):
    report = _submitted()
    api = APIClient()
    api.force_authenticate(verifier_national)
    refused = api.post(f"/api/v1/staff/reports/{report.tracking_number}/actions/archive/",
                       {"version": report.version, "reason": "unknown"}, format="json")
    assert refused.status_code == 400 and "reason" in refused.json()
    done = api.post(f"/api/v1/staff/reports/{report.tracking_number}/actions/archive/",
                    {"version": report.version, "reason": "test"}, format="json")
    assert done.status_code == 200, done.content
    assert (done.json()["status"], done.json()["available_actions"]) == ("archived", [])


@pytest.mark.django_db
def test_no_outcome_applies_to_a_report_already_verified(verifier_national, court):
    report = _submitted()
    verification.disposition_report(report=report, to_body=body("regency-33.74"),
                                    actor=verifier_national)
    report = Report.objects.get(pk=report.pk)
    for act in (
        lambda: outcomes.archive_report(report=report, actor=verifier_national, reason="test"),
        lambda: outcomes.refer_out(report=report, actor=verifier_national, channel=court),
        lambda: outcomes.postpone_report(report=report, actor=verifier_national, reason="x",
                                         returns_on=dt.date.today() + dt.timedelta(days=3)),
    ):
        with pytest.raises(Invalid, match="sudah diverifikasi"):
            act()


@pytest.mark.django_db
def test_beat_returns_postponed_reports_every_minute(verifier_national, settings):
    schedule = settings.CELERY_BEAT_SCHEDULE["return-postponed"]
    assert (schedule["task"], schedule["schedule"]) == ("routing.return_postponed", 60.0)
    with at(MONDAY):
        report = _submitted()
        outcomes.postpone_report(report=report, actor=verifier_national, reason="Tunggu.",
                                 returns_on=dt.date(2026, 3, 3))
    with at(dt.datetime(2026, 3, 3, 0, 1, tzinfo=WIB)):
        assert tasks.return_postponed() == 1
        assert tasks.return_postponed() == 0
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
