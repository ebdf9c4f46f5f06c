"""Two people acting on one report at the same moment, on the real PostgreSQL with two
connections: one wins, the other is told what changed and keeps what they typed."""

import threading

import pytest
from django.db import connection

from complaints.models import EventKind, Report
from routing.errors import StaleReport
from routing.services import handling, verification
from tests.conftest import body, make_user
from tests.factories import ReportFactory

# A bound on waiting for the two threads, not an expectation: a loaded machine is slow.
THREAD_DEADLINE_SECONDS = 600


@pytest.mark.django_db(transaction=True)
def test_two_operators_responding_at_once_one_wins(agency_tree):
    verifier = make_user("v@example.id", "Verifikator", "verifier", "kemenpanrb")
    first = make_user("op1@example.id", "Operator Satu", "operator", "regency-33.74")
    second = make_user("op2@example.id", "Operator Dua", "operator", "regency-33.74")
    report = verification.disposition_report(
        report=ReportFactory(), to_body=body("regency-33.74"), actor=verifier
    )
    seen_version = report.version
    seen_seq = report.events.order_by("-seq").first().seq
    barrier = threading.Barrier(2)
    outcomes: dict[str, object] = {}

    def act(user, text):
        try:
            barrier.wait(timeout=THREAD_DEADLINE_SECONDS)
            handling.respond(report=Report.objects.get(pk=report.pk), actor=user, note=text,
                             expected_version=seen_version, seen_seq=seen_seq)
            outcomes[user.email] = "ok"
        except StaleReport as exc:
            outcomes[user.email] = exc
        finally:
            connection.close()

    threads = [
        threading.Thread(target=act, args=(first, "Jawaban operator satu")),
        threading.Thread(target=act, args=(second, "Jawaban operator dua")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=THREAD_DEADLINE_SECONDS)
    # Finished, not merely waited for: a thread still running would act in later tests.
    assert not any(thread.is_alive() for thread in threads)

    results = sorted(outcomes.values(), key=lambda v: v == "ok")
    assert len(results) == 2
    loser, winner = results
    assert winner == "ok"
    assert isinstance(loser, StaleReport)
    assert "Tanggapan pertama" in str(loser)  # what changed, in words
    assert "Pemerintah Kota Semarang" in str(loser)
    responses = Report.objects.get(pk=report.pk).events.filter(
        kind__in=[EventKind.FIRST_RESPONSE, EventKind.RESPONSE]
    )
    assert responses.count() == 1


@pytest.mark.django_db
def test_stale_form_on_the_page_keeps_the_typed_text(client, operator_a, verifier_national):
    report = verification.disposition_report(
        report=ReportFactory(), to_body=body("regency-33.74"), actor=verifier_national
    )
    old_version = report.version
    handling.add_internal_note(report=report, actor=operator_a, note="catatan")
    handling.respond(report=report, actor=operator_a, note="Sudah dijawab rekan.")
    client.force_login(operator_a)
    response = client.post(
        f"/petugas/laporan/{report.tracking_number}/tanggapi/",
        {"note": "Teks panjang yang saya ketik", "version": old_version, "seen_seq": 1},
    )
    html = response.content.decode()
    assert response.status_code == 409
    assert "baru saja diubah oleh orang lain" in html
    assert "Teks panjang yang saya ketik" in html
