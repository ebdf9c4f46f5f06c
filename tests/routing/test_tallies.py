"""The per-body, per-status counts the trigger keeps: exact after every kind of write, and
what the queue shows without counting every report a body ever held."""

from __future__ import annotations

import pytest

from agencies.models import Body
from complaints.models import Report, ReportStatus
from routing import queues, tallies
from routing.models import HolderStatusCount
from routing.services import handling, verification
from tests.factories import ReportFactory, public_report


def kept(body: Body) -> dict[str, int]:
    return {row.status: row.n for row in HolderStatusCount.objects.filter(body=body) if row.n}


@pytest.mark.django_db
def test_counts_follow_inserts_status_changes_moves_and_deletes(body_a, body_b):
    first = public_report(holder_body=body_a, status=ReportStatus.IN_PROGRESS)
    public_report(holder_body=body_a, status=ReportStatus.CLOSED)
    ReportFactory(status=ReportStatus.SUBMITTED)  # held by nobody: not counted
    ReportFactory(status=ReportStatus.DRAFT, tracking_number=None, submitted_at=None,
                  holder_body=body_a)  # a draft: not counted
    assert kept(body_a) == {"in_progress": 1, "closed": 1}

    Report.objects.filter(pk=first.pk).update(status=ReportStatus.RESOLVED)
    assert kept(body_a) == {"resolved": 1, "closed": 1}
    Report.objects.filter(pk=first.pk).update(holder_body=body_b, status=ReportStatus.DISPOSITIONED)
    assert kept(body_a) == {"closed": 1}
    assert kept(body_b) == {"dispositioned": 1}
    Report.objects.filter(pk=first.pk).update(title="Judul yang diubah saja")  # no change
    assert kept(body_b) == {"dispositioned": 1}
    Report.objects.filter(pk=first.pk).delete()
    assert kept(body_b) == {}
    assert tallies.mismatches() == []


@pytest.mark.django_db
def test_counts_stay_exact_through_the_services(body_a, body_b, verifier_jateng, operator_a):
    reports = [ReportFactory() for _ in range(3)]
    for report in reports:
        verification.disposition_report(report=report, to_body=body_a, actor=verifier_jateng)
    handling.redirect(report=Report.objects.get(pk=reports[0].pk), actor=operator_a,
                      to_body=body_b, reason="Bukan kewenangan Pemerintah Kota Semarang.")
    assert kept(body_a) == {"dispositioned": 2}
    assert kept(body_b) == {"dispositioned": 1}
    assert tallies.mismatches() == []


@pytest.mark.django_db
def test_rebuild_repairs_lost_or_wrong_counts(body_a, body_b):
    public_report(holder_body=body_a)
    public_report(holder_body=body_a)
    public_report(holder_body=body_b, status=ReportStatus.CLOSED)
    HolderStatusCount.objects.filter(body=body_a).update(n=5)
    HolderStatusCount.objects.filter(body=body_b).delete()
    assert tallies.mismatches() == [(body_a.pk, "in_progress", 5, 2), (body_b.pk, "closed", 0, 1)]
    tallies.rebuild()
    assert tallies.mismatches() == []
    assert kept(body_a) == {"in_progress": 2}
    assert kept(body_b) == {"closed": 1}


@pytest.mark.django_db
def test_queue_counts_come_from_the_tallies_unless_a_filter_narrows_them(
    supervisor_a, body_a, django_assert_num_queries
):
    public_report(holder_body=body_a, status=ReportStatus.IN_PROGRESS)
    public_report(holder_body=body_a, status=ReportStatus.IN_PROGRESS, kind="aspiration")
    plain = queues.QueueFilters()
    assert queues.status_counts(supervisor_a, plain) == {"in_progress": 2}
    # The tallies answer: poisoning them shows that no report was counted.
    HolderStatusCount.objects.filter(body=body_a).update(n=7)
    assert queues.status_counts(supervisor_a, plain) == {"in_progress": 7}
    narrowed = queues.QueueFilters(kind="aspiration")
    assert queues.status_counts(supervisor_a, narrowed) == {"in_progress": 1}
