"""The report history: append-only in the database, hash-chained, verifiable."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.utils import DatabaseError

from complaints.history import broken_histories
from complaints.models import EventKind, ReportEvent
from tests.factories import add_event, public_report

pytestmark = pytest.mark.django_db


def _report_with_history():
    report = public_report()
    add_event(report, EventKind.SUBMITTED)
    add_event(report, EventKind.DISPOSITIONED, note="ke Pemkot Semarang")
    add_event(report, EventKind.FIRST_RESPONSE, note="Kami tinjau besok.")
    return report


def test_events_are_numbered_and_chained():
    report = _report_with_history()
    events = list(report.events.order_by("seq"))
    assert [e.seq for e in events] == [1, 2, 3]
    assert events[0].prev_hash == ""
    assert events[1].prev_hash == events[0].hash
    assert events[2].prev_hash == events[1].hash
    assert list(broken_histories()) == []


def test_database_refuses_to_update_or_delete_an_event():
    report = _report_with_history()
    event = report.events.first()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        ReportEvent.objects.filter(pk=event.pk).update(note="diubah")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        ReportEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM complaints_reportevent WHERE id = %s", [event.pk])


def test_verify_history_finds_an_edit_made_behind_the_applications_back(capsys):
    intact = _report_with_history()
    tampered = _report_with_history()
    call_command("verify_history")
    assert "every history is intact" in capsys.readouterr().out
    target = tampered.events.get(seq=2)
    with connection.cursor() as cursor:
        # a superuser bypasses triggers for the session and edits a note
        cursor.execute("SET session_replication_role = replica")
        cursor.execute(
            "UPDATE complaints_reportevent SET note = 'dipalsukan' WHERE id = %s", [target.pk]
        )
        cursor.execute("SET session_replication_role = DEFAULT")
    problems = list(broken_histories())
    assert {report_id for report_id, _, _ in problems} == {tampered.pk}
    assert intact.pk not in {p[0] for p in problems}
    with pytest.raises(CommandError, match="1 report"):
        call_command("verify_history")
    assert tampered.tracking_number in capsys.readouterr().out
