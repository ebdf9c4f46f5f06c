"""Two admin pages to look at what the workers and the bodies did: the email outbox (what waits,
what failed and why, with "Kirim ulang" for a failed row; never the message text) for the system
admin, and the joint cases (kasus bersama) of the bodies a supervisor administers, read-only."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from complaints import outbox
from complaints.models import OutgoingEmail
from routing.services import cases, verification
from tests.conftest import body
from tests.factories import ReportFactory

pytestmark = pytest.mark.django_db

OUTBOX = "/admin/complaints/outgoingemail/"
CASES = "/admin/routing/case/"


@pytest.fixture(autouse=True)
def _no_limits():
    cache.clear()
    yield
    cache.clear()


def _rows(**states: int) -> dict[str, OutgoingEmail]:
    made = {}
    for state, n in states.items():
        for i in range(n):
            made[f"{state}{i}"] = OutgoingEmail.objects.create(
                address=f"{state}{i}@contoh.id", subject=f"Laporan {state} {i}",
                text="RAHASIA: isi pemberitahuan", state=state, attempts=5,
                last_error="550 mailbox unavailable" if state == "failed" else "")
    return made


def test_the_system_admin_sees_the_outbox_without_the_message_text(client, system_admin):
    _rows(failed=1, pending=1, sent=1)
    client.force_login(system_admin)
    page = client.get(OUTBOX).content.decode()
    assert "failed0@contoh.id" in page and "pending0@contoh.id" in page
    assert "550 mailbox unavailable" in page
    assert "RAHASIA" not in page
    failed = OutgoingEmail.objects.get(state="failed")
    detail = client.get(f"{OUTBOX}{failed.pk}/change/").content.decode()
    assert "failed0@contoh.id" in detail and "RAHASIA" not in detail
    assert client.get(OUTBOX, {"state": "failed"}).content.decode().count("@contoh.id") >= 1
    assert client.get(f"{OUTBOX}add/").status_code == 403


def test_send_again_queues_only_failed_rows_and_the_worker_sends_them(
        client, system_admin, mailoutbox, django_capture_on_commit_callbacks):
    rows = _rows(failed=2, sent=1)
    client.force_login(system_admin)
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(OUTBOX, {
            "action": "send_again", "_selected_action": [r.pk for r in rows.values()],
        }, follow=True)
    page = response.content.decode()
    assert "2 email dijadwalkan untuk dikirim ulang" in page
    assert "1 email tidak gagal permanen" in page
    again = OutgoingEmail.objects.filter(address__startswith="failed")
    assert {(r.state, r.attempts) for r in again} == {("pending", 0)}
    assert OutgoingEmail.objects.get(address="sent0@contoh.id").state == "sent"
    assert outbox.deliver(ids=[r.pk for r in again])["sent"] == 2
    assert sorted(m.to[0] for m in mailoutbox) == ["failed0@contoh.id", "failed1@contoh.id"]


def test_send_again_leaves_pending_and_sending_rows_alone():
    rows = _rows(pending=1, sending=1)
    assert outbox.send_again([r.pk for r in rows.values()]) == 0
    assert set(OutgoingEmail.objects.values_list("state", flat=True)) == {"pending", "sending"}


def test_nobody_but_the_system_admin_opens_the_outbox(client, supervisor_a, operator_a):
    _rows(failed=1)
    for user in (supervisor_a, operator_a):
        client.force_login(user)
        assert client.get(OUTBOX).status_code in (302, 403)


def _case(verifier, operator, title: str, to: str = "regency-33.74"):
    reports = [verification.disposition_report(report=ReportFactory(title=f"{title} {i}"),
                                               to_body=body(to), actor=verifier)
               for i in range(2)]
    return cases.group_reports(numbers=[r.tracking_number for r in reports], title=title,
                               actor=operator), reports


def test_a_supervisor_sees_the_cases_of_the_bodies_below_and_changes_none(
        client, verifier_national, operator_a, operator_b, supervisor_a):
    here, reports = _case(verifier_national, operator_a, "Jembatan Kali Garang")
    _case(verifier_national, operator_b, "Banjir Rungkut", to="regency-35.78")
    client.force_login(supervisor_a)
    page = client.get(CASES).content.decode()
    assert "Jembatan Kali Garang" in page and "Banjir Rungkut" not in page
    detail = client.get(f"{CASES}{here.pk}/change/").content.decode()
    assert all(r.tracking_number in detail for r in reports)
    assert f"/petugas/kasus/{here.pk}/" in detail  # "Lihat di situs": the case's staff page
    found = client.get(CASES, {"q": reports[0].tracking_number}).content.decode()
    assert "Jembatan Kali Garang" in found
    assert client.get(f"{CASES}add/").status_code == 403
    before = here.title
    client.post(f"{CASES}{here.pk}/change/", {"title": "Diubah"})
    here.refresh_from_db()
    assert here.title == before


def test_a_supervisor_elsewhere_cannot_open_the_case(client, verifier_national, operator_b,
                                                     supervisor_a):
    there, _reports = _case(verifier_national, operator_b, "Banjir Rungkut", to="regency-35.78")
    client.force_login(supervisor_a)
    assert client.get(f"{CASES}{there.pk}/change/").status_code in (302, 403, 404)
