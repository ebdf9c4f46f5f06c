"""The deadline engine with a frozen clock: 24 hours per receiving body, 60 working days to
the Ombudsman surviving redirects, exactly-once sweeps, catch-up after downtime, policies as
data, webhooks retried until the receiver answers."""

import datetime as dt
import threading
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test import Client

from complaints.models import EventKind, ReportStatus
from routing import clocks
from routing.models import Clock, ClockKind, DeadlinePolicy, WebhookDelivery
from routing.services import handling, verification
from routing.sweep import enforce_deadlines
from tests.conftest import body, make_user
from tests.factories import ReportFactory

WIB = ZoneInfo("Asia/Jakarta")
# Monday 2 March 2026, 09:00 WIB: a working day, before office close.
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=WIB)
# A bound on waiting for the sweep threads, not an expectation: a loaded machine is slow.
THREAD_DEADLINE_SECONDS = 600


def _held(verifier, at=START):
    with time_machine.travel(at, tick=False):
        report = ReportFactory(submitted_at=at)
        clocks.start(report, ClockKind.VERIFICATION, at=at)
        return verification.disposition_report(report=report, to_body=body("regency-33.74"),
                                               actor=verifier)


def _running(report, kind):
    return Clock.objects.get(report=report, kind=kind, state="running")


@pytest.mark.django_db
def test_first_response_clock_is_24_hours_per_receiving_body(verifier_national, operator_a):
    report = _held(verifier_national)
    first = _running(report, ClockKind.FIRST_RESPONSE)
    assert first.due_at == START + dt.timedelta(hours=24)
    assert first.body == body("regency-33.74") and first.policy.is_current
    assert not Clock.objects.filter(report=report, kind=ClockKind.VERIFICATION,
                                    state="running").exists()
    later = START + dt.timedelta(hours=5)
    with time_machine.travel(later, tick=False):
        handling.redirect(report=report, actor=operator_a, to_body=body("kemenhub"),
                          reason="Jalan nasional.")
    first.refresh_from_db()
    assert first.state == "stopped"
    second = _running(report, ClockKind.FIRST_RESPONSE)
    assert second.body == body("kemenhub")
    assert second.due_at == later + dt.timedelta(hours=24)
    hub = make_user("op.hub@example.id", "Operator Hub", "operator", "kemenhub")
    with time_machine.travel(later + dt.timedelta(hours=2), tick=False):
        handling.respond(report=report, actor=hub, note="Diterima.")
    second.refresh_from_db()
    assert second.state == "stopped"


@pytest.mark.django_db
def test_follow_up_clock_survives_redirects_and_dispositions_down(verifier_national,
                                                                  operator_a, supervisor_a):
    from agencies import services

    report = _held(verifier_national)
    follow_up = _running(report, ClockKind.FOLLOW_UP)
    # 60 working days from Monday 2 March 2026 (WIB), skipping the Nyepi and Idul Fitri
    # holidays and cuti bersama of 18–24 March: day 60 is Tuesday 2 June 2026? computed by
    # routing.calendar; what matters here is that nothing below changes it.
    due = follow_up.due_at
    unit = services.create_unit(parent=body("regency-33.74"), name="Dinas PU", actor=supervisor_a)
    with time_machine.travel(START + dt.timedelta(days=1), tick=False):
        handling.dispose_down(report=report, actor=operator_a, to_body=unit)
    with time_machine.travel(START + dt.timedelta(days=2), tick=False):
        handling.redirect(report=report, actor=supervisor_a, to_body=body("kemenhub"),
                          reason="Jalan nasional.")
    assert Clock.objects.filter(report=report, kind=ClockKind.FOLLOW_UP).count() == 1
    assert _running(report, ClockKind.FOLLOW_UP).due_at == due
    assert due.astimezone(WIB).time() == dt.time(23, 59, 59, 999999)


@pytest.mark.django_db
def test_breached_follow_up_escalates_to_the_provinces_ombudsman_office_once(
    verifier_national, operator_a, ombudsman_jateng
):
    report = _held(verifier_national)
    due = _running(report, ClockKind.FOLLOW_UP).due_at
    with time_machine.travel(due - dt.timedelta(minutes=1), tick=False):
        result = enforce_deadlines()
    assert result.breached[ClockKind.FOLLOW_UP] == 0
    after = due + dt.timedelta(minutes=1)
    result = enforce_deadlines(after)
    assert result.breached[ClockKind.FOLLOW_UP] == 1
    report.refresh_from_db()
    assert report.ombudsman_office == body("ombudsman-33")
    assert report.holder_body == body("regency-33.74")  # the body still holds it
    assert report.events.filter(kind=EventKind.OMBUDSMAN_ESCALATED).count() == 1
    # a repeated sweep does nothing
    assert sum(enforce_deadlines(after).breached.values()) == 0
    assert report.events.filter(kind=EventKind.OMBUDSMAN_ESCALATED).count() == 1


@pytest.mark.django_db
def test_catch_up_after_three_days_of_downtime_breaches_each_missed_clock_once(
    verifier_national,
):
    reports = [_held(verifier_national, START + dt.timedelta(hours=i)) for i in range(5)]
    last_due = max(_running(r, ClockKind.FOLLOW_UP).due_at for r in reports)
    # the workers were down for three days around the 60-working-day deadlines
    back_up = last_due + dt.timedelta(days=3)
    result = enforce_deadlines(back_up)
    assert result.breached[ClockKind.FOLLOW_UP] == 5
    assert result.breached[ClockKind.FIRST_RESPONSE] == 5
    assert sum(enforce_deadlines(back_up).breached.values()) == 0
    for report in reports:
        report.refresh_from_db()
        assert report.ombudsman_office == body("ombudsman-33")
        assert report.events.filter(kind=EventKind.OMBUDSMAN_ESCALATED).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_on_postgresql_breach_each_clock_once(agency_tree):
    verifier = make_user("v@example.id", "Verifikator", "verifier", "kemenpanrb")
    reports = [_held(verifier, START + dt.timedelta(minutes=i)) for i in range(20)]
    moment = START + dt.timedelta(days=120)  # past both the 24 hours and the 60 working days
    barrier = threading.Barrier(2)
    totals = []

    def sweep():
        try:
            barrier.wait(timeout=THREAD_DEADLINE_SECONDS)
            totals.append(sum(enforce_deadlines(moment, batch_size=5).breached.values()))
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=THREAD_DEADLINE_SECONDS)
    # Finished, not merely waited for: a thread still running would act in later tests.
    assert not any(thread.is_alive() for thread in threads)
    assert sum(totals) == 40  # 20 first responses + 20 follow-ups, split between the sweeps
    for report in reports:
        assert report.events.filter(kind=EventKind.DEADLINE_BREACHED).count() == 2
        assert report.events.filter(kind=EventKind.OMBUDSMAN_ESCALATED).count() == 1


@pytest.mark.django_db
def test_a_failing_clock_is_pushed_back_and_does_not_stall_the_rest(verifier_national,
                                                                    monkeypatch):
    from routing import sweep

    good = _held(verifier_national)
    bad = _held(verifier_national, START + dt.timedelta(minutes=1))
    real = sweep._breach

    def flaky(clock, now):
        if clock.report_id == bad.pk:
            raise RuntimeError("boom")
        return real(clock, now)

    monkeypatch.setattr(sweep, "_breach", flaky)
    moment = START + dt.timedelta(days=2)
    result = enforce_deadlines(moment)
    assert result.failed == 1 and result.breached[ClockKind.FIRST_RESPONSE] == 1
    stuck = _running(bad, ClockKind.FIRST_RESPONSE)
    assert stuck.sweep_after > moment and stuck.failures == 1
    assert good.events.filter(kind=EventKind.DEADLINE_BREACHED).exists()


@pytest.mark.django_db
def test_citizen_silence_closes_a_resolved_report(verifier_national, operator_a):
    report = _held(verifier_national)
    with time_machine.travel(START + dt.timedelta(hours=1), tick=False):
        handling.resolve(report=report, actor=operator_a, answer="Sudah diperbaiki.")
    silence = _running(report, ClockKind.CITIZEN_SILENCE)
    enforce_deadlines(silence.due_at + dt.timedelta(seconds=1))
    report.refresh_from_db()
    assert report.status == ReportStatus.CLOSED
    silence.refresh_from_db()  # breached, and owed no more: the report is closed
    assert (silence.state, silence.outcome) == (Clock.State.BREACHED, "closed")
    assert silence.stopped_at is not None


@pytest.mark.django_db
def test_a_policy_change_applies_to_clocks_started_after_it(verifier_national, system_admin):
    before = _held(verifier_national)
    DeadlinePolicy.objects.filter(clock=ClockKind.FIRST_RESPONSE).update(is_current=False)
    DeadlinePolicy.objects.create(clock=ClockKind.FIRST_RESPONSE, version=9, length_hours=12,
                                  action="mark_overdue")
    after = _held(verifier_national)
    old, new = _running(before, "first_response"), _running(after, "first_response")
    # The version before it (2: the migration's with its warning 6 hours ahead).
    assert (old.policy.version, old.due_at - old.started_at) == (2, dt.timedelta(hours=24))
    assert (new.policy.version, new.due_at - new.started_at) == (9, dt.timedelta(hours=12))


@pytest.mark.django_db
def test_queue_due_time_follows_the_clocks(verifier_national, operator_a):
    report = _held(verifier_national)
    report.refresh_from_db()
    assert report.due_at == START + dt.timedelta(hours=24)
    with time_machine.travel(START + dt.timedelta(hours=1), tick=False):
        handling.respond(report=report, actor=operator_a, note="Diterima.")
    report.refresh_from_db()
    # The 5 working days of the next step, before the 60 of the follow-up.
    assert report.due_at == _running(report, ClockKind.NEXT_STEP).due_at
    assert report.due_at < _running(report, ClockKind.FOLLOW_UP).due_at


@pytest.mark.django_db
def test_enforce_deadlines_command_dry_run_and_replay(verifier_national, capsys):
    report = _held(verifier_national)
    call_command("enforce_deadlines", "--now", "2026-03-04T09:00:00+07:00", "--dry-run")
    out = capsys.readouterr().out
    assert "would breach" in out and report.tracking_number in out
    assert not Clock.objects.filter(state="breached").exists()
    call_command("enforce_deadlines", "--now", "2026-03-04T09:00:00+07:00")
    assert "first_response: 1 breached" in capsys.readouterr().out
    assert Clock.objects.filter(state="breached").count() == 1


@pytest.mark.django_db
def test_escalation_webhook_is_retried_until_the_receiver_answers(verifier_national, settings):
    import http.server

    hits = []

    class Receiver(http.server.BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            length = int(self.headers["Content-Length"])
            hits.append((self.headers["X-Lapor-Signature"], self.rfile.read(length)))
            self.send_response(503 if len(hits) < 3 else 200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.OMBUDSMAN_WEBHOOK_URL = f"http://127.0.0.1:{server.server_port}/lapor"
    settings.OMBUDSMAN_WEBHOOK_SECRET = "rahasia-bersama"
    try:
        from routing import webhooks

        report = _held(verifier_national)
        due = _running(report, ClockKind.FOLLOW_UP).due_at
        moment = due + dt.timedelta(minutes=1)
        enforce_deadlines(moment)
        delivery = WebhookDelivery.objects.get(report=report)
        for _ in range(6):
            delivery.refresh_from_db()
            if delivery.state == "delivered":
                break
            webhooks.deliver_due(now=max(moment, delivery.next_attempt_at))
        delivery.refresh_from_db()
        assert delivery.state == "delivered" and delivery.attempts == 3
        signature, payload = hits[-1]
        assert signature.startswith("t=") and ",v1=" in signature
        assert webhooks.verify_signature("rahasia-bersama", signature, payload)
        assert report.tracking_number.encode() in payload
    finally:
        server.shutdown()


@pytest.mark.django_db
def test_sweep_reads_due_clocks_through_the_partial_index(verifier_national):
    from routing.sweep import due_clocks

    for i in range(5):
        _held(verifier_national, START + dt.timedelta(minutes=i))
    sql, params = due_clocks(START + dt.timedelta(days=2))[:200].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "clock_sweep_idx" in plan, plan




@pytest.mark.django_db
def test_ombudsman_officer_sees_the_escalated_report_with_its_history(
    verifier_national, ombudsman_jateng, operator_b, client
):
    from rest_framework.test import APIClient

    report = _held(verifier_national)
    enforce_deadlines(_running(report, ClockKind.FOLLOW_UP).due_at + dt.timedelta(minutes=1))
    client.force_login(ombudsman_jateng)
    page = client.get("/petugas/ombudsman/").content.decode()
    assert report.tracking_number in page
    detail = client.get(f"/petugas/laporan/{report.tracking_number}/").content.decode()
    assert "Diteruskan ke Ombudsman RI" in detail and "Riwayat lengkap" in detail
    api = APIClient()
    api.force_authenticate(ombudsman_jateng)
    rows = api.get("/api/v1/staff/ombudsman/").json()["results"]
    assert [r["tracking_number"] for r in rows] == [report.tracking_number]
    api.force_authenticate(operator_b)
    assert api.get("/api/v1/staff/ombudsman/").status_code == 403
    client.force_login(operator_b)
    assert client.get("/petugas/ombudsman/").status_code == 404


@pytest.mark.django_db
def test_report_pages_show_each_clock(verifier_national, operator_a, client):
    report = _held(verifier_national)
    enforce_deadlines(START + dt.timedelta(days=2))
    client.force_login(operator_a)
    html = client.get(f"/petugas/laporan/{report.tracking_number}/").content.decode()
    assert "Tenggat" in html and "terlewati" in html and "Tindak lanjut" in html
    client.force_login(report.reporter)
    mine = client.get(f"/laporan-saya/{report.tracking_number}/").content.decode()
    assert "Tanggapan pertama" in mine and "Tindak lanjut" in mine


@pytest.mark.django_db
def test_admin_changes_a_policy_as_a_new_version(client, system_admin, supervisor_a):
    client.force_login(system_admin)
    response = client.post("/admin/routing/deadlinepolicy/add/", {
        "clock": "first_response", "length_hours": "12", "working_days": "",
        "action": "mark_overdue",
    })
    assert response.status_code == 302
    versions = list(DeadlinePolicy.objects.filter(clock="first_response")
                    .order_by("version").values_list("version", "is_current", "length_hours"))
    # 1 the seed, 2 the migration's with its warning, 3 the one for "darurat" (4 hours, still
    # current: the admin's 4 is for every other priority).
    assert versions == [(1, False, 24), (2, False, 24), (3, True, 4), (4, True, 12)]
    client.force_login(supervisor_a)
    assert client.get("/admin/routing/deadlinepolicy/").status_code == 403


@pytest.mark.django_db
def test_verification_breach_tells_the_verifiers_supervisors(verifier_jateng):
    from agencies.models import Membership
    from complaints.models import Notification

    boss = make_user("kepala@example.id", "Kepala Biro", "supervisor", "province-33")
    assert Membership.objects.filter(user=verifier_jateng, body=body("province-33")).exists()
    with time_machine.travel(START, tick=False):
        report = ReportFactory(submitted_at=START)
        clocks.start(report, ClockKind.VERIFICATION, at=START)
    due = _running(report, ClockKind.VERIFICATION).due_at
    enforce_deadlines(due + dt.timedelta(seconds=1))
    notice = Notification.objects.get(user=boss, report=report)
    # ... and the notice's link opens the report for them, while it waits for verification.
    client = Client()
    client.force_login(boss)
    assert client.get(notice.url).status_code == 200
    outsider = make_user("kepala.jatim@example.id", "Kepala Jatim", "supervisor", "province-35")
    client.force_login(outsider)
    assert client.get(notice.url).status_code == 404


@pytest.mark.django_db
def test_daily_digest_lists_overdue_reports_for_supervisors(verifier_national, supervisor_a,
                                                            mailoutbox):
    from routing.digest import send_overdue_digest

    report = _held(verifier_national)
    with time_machine.travel(START + dt.timedelta(days=2), tick=False):
        assert send_overdue_digest() == 1
    assert mailoutbox[0].to == [supervisor_a.email]
    assert report.tracking_number in mailoutbox[0].body


@pytest.mark.django_db
def test_policy_api_creates_versions_for_system_admins_only(system_admin, operator_a):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(system_admin)
    bad = api.post("/api/v1/deadline-policies/", {"clock": "follow_up", "action": "notify"},
                   format="json")
    assert bad.status_code == 400
    assert "salah satu" in str(bad.json())
    ok = api.post("/api/v1/deadline-policies/", {"clock": "follow_up", "working_days": 30,
                                                  "action": "escalate_ombudsman",
                                                  "day_one": "same_day_before_close"},
                  format="json")
    # Versions 2 and 3 are the migrations' (the day-1 convention, the warnings): this is 4.
    assert ok.status_code == 201 and ok.json()["version"] == 4
    assert ok.json()["day_one"] == "same_day_before_close"
    api.force_authenticate(operator_a)
    assert api.get("/api/v1/deadline-policies/").status_code == 403
