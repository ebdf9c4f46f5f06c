""""Sudah tuntas?": asked once, some days after the final answer (a policy), through a sweep
that two workers may run at once; answered once (yes / partly / no, a comment); "no" on a
report still awaiting the verdict leads to the dispute that reopens it; the answers feed the
statistics."""

import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import timezone

from complaints.models import EventKind, Notification, Report, ReportStatus, SolvedAnswer
from complaints.services import citizen, solved
from lapor.errors import Invalid, NotAllowed
from routing import statistics as stats
from routing.services import statistics as rollups
from tests.conftest import body
from tests.factories import UserFactory, public_report


def _answered(days_ago: float, **kwargs):
    at = timezone.now() - dt.timedelta(days=days_ago)
    kwargs.setdefault("status", ReportStatus.RESOLVED)
    return public_report(resolved_at=at, submitted_at=at - dt.timedelta(days=3),
                         first_dispositioned_at=at - dt.timedelta(days=3), **kwargs)


@pytest.mark.django_db
def test_asked_once_after_the_policys_days(settings):
    settings.SOLVED_CHECK_AFTER_DAYS = 7
    due, young = _answered(8), _answered(2)
    closed = _answered(9, status=ReportStatus.CLOSED)
    assert solved.ask_due() == 2
    for r in (due, young, closed):
        r.refresh_from_db()
    assert due.solved_asked_at and closed.solved_asked_at and young.solved_asked_at is None
    assert Notification.objects.filter(report=due, message__contains="Sudah tuntas").count() == 1
    assert solved.ask_due() == 0  # never twice
    assert Notification.objects.filter(report=due, message__contains="Sudah tuntas").count() == 1


@pytest.mark.django_db
def test_the_sweep_reads_through_its_partial_index(settings):
    _answered(8)
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        cursor.execute(
            "EXPLAIN SELECT id FROM complaints_report WHERE solved_asked_at IS NULL AND "
            "resolved_at IS NOT NULL AND resolved_at <= now() ORDER BY resolved_at, id LIMIT 200")
        plan = " ".join(r[0] for r in cursor.fetchall())
    assert "report_solved_check_due_idx" in plan


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_ask_each_citizen_once(agency_tree, settings):
    settings.SOLVED_CHECK_AFTER_DAYS = 7
    reports = [_answered(8) for _ in range(6)]
    counts: list[int] = []

    def sweep():
        try:
            counts.append(solved.ask_due())
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(counts) == 6
    for r in reports:
        assert Notification.objects.filter(report=r, message__contains="Sudah tuntas").count() == 1


@pytest.mark.django_db
def test_the_reporter_answers_once_and_only_the_reporter(settings):
    report = _answered(8)
    solved.ask_due()
    with pytest.raises(NotAllowed):
        solved.answer_solved(report=report, actor=UserFactory(), answer="yes")
    with pytest.raises(Invalid) as bad:
        solved.answer_solved(report=report, actor=report.reporter, answer="maybe")
    assert bad.value.field == "answer"
    done = solved.answer_solved(report=report, actor=report.reporter, answer="partly",
                                comment="Lubangnya ditambal, tapi masih bergelombang.")
    assert done.solved_answer == SolvedAnswer.PARTLY and done.solved_answered_at
    assert done.events.filter(kind=EventKind.SOLVED_ANSWERED).count() == 1
    with pytest.raises(Invalid):
        solved.answer_solved(report=report, actor=report.reporter, answer="yes")


@pytest.mark.django_db
def test_not_asked_means_no_answer(settings):
    report = _answered(1)
    with pytest.raises(Invalid):
        solved.answer_solved(report=report, actor=report.reporter, answer="yes")


@pytest.mark.django_db
def test_no_on_the_page_offers_to_reopen_and_the_dispute_reopens(client, settings):
    report = _answered(8)
    solved.ask_due()
    client.force_login(report.reporter)
    page = client.get(f"/laporan-saya/{report.tracking_number}/").content.decode()
    assert "Sudah tuntas?" in page and f"/laporan-saya/{report.tracking_number}/tuntas/" in page
    # A bad answer: the message, and the comment typed is kept.
    bad = client.post(f"/laporan-saya/{report.tracking_number}/tuntas/",
                      {"answer": "", "comment": "Masih berlubang"})
    assert bad.status_code == 400 and "Masih berlubang" in bad.content.decode()
    done = client.post(f"/laporan-saya/{report.tracking_number}/tuntas/",
                       {"answer": "no", "comment": "Masih berlubang"})
    assert done.status_code == 302
    page = client.get(f"/laporan-saya/{report.tracking_number}/").content.decode()
    assert "Bantah jawaban akhir" in page and 'href="#dispute-note"' in page
    citizen.dispute_resolution(report=report, actor=report.reporter, reason="Masih berlubang")
    report.refresh_from_db()
    assert report.status == ReportStatus.IN_PROGRESS


@pytest.mark.django_db
def test_a_closed_report_answered_no_points_to_a_new_report(client, settings):
    report = _answered(9, status=ReportStatus.CLOSED)
    solved.ask_due()
    solved.answer_solved(report=report, actor=report.reporter, answer="no")
    client.force_login(report.reporter)
    page = client.get(f"/laporan-saya/{report.tracking_number}/").content.decode()
    assert "tidak dapat dibuka kembali" in page and 'href="/lapor/"' in page


@pytest.mark.django_db
def test_answers_feed_the_statistics(settings):
    reports = [_answered(8) for _ in range(3)]
    solved.ask_due()
    for r, answer in zip(reports, ["yes", "yes", "no"], strict=True):
        solved.answer_solved(report=r, actor=r.reporter, answer=answer)
    day = rollups.local_day(reports[0].submitted_at)
    rollups.rebuild_days([day])
    f = stats.figures(stats.Scope(body=body("regency-33.74")), day, day)
    assert (f.sums["solved_yes"], f.sums["solved_no"], f.solved_answers) == (2, 1, 3)
    assert f.solved_pct == round(100 * 2 / 3, 1)
    assert Report.objects.filter(solved_answer="yes").count() == 2
