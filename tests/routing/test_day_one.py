"""Which day is day 1 of a count in working days: a field of each deadline policy. By default
(as the law counts a period) the day of receipt is not counted, whatever the hour; the other
convention counts it when the report arrives on a working day before 16:00. Pinned on both
settings across Idul Fitri 2026 (18–24 March are not working days), the year end (1 Jan 2027
is a Friday holiday, 5 Jan 2027 Isra Mikraj) and the three zones; a running clock keeps the
version (and so the convention) it started with; the pages show the convention beside each
deadline."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine

from routing import calendar, clocks, policies
from routing.calendar import add_working_days, office_day_starts, working_days_between
from routing.models import Clock, ClockKind, DayOne, DeadlinePolicy
from routing.services import verification
from tests.conftest import body
from tests.factories import ReportFactory

pytestmark = pytest.mark.django_db

WIB, WITA, WIT = "Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"
NEXT, SAME = DayOne.NEXT_WORKING_DAY, DayOne.SAME_DAY_BEFORE_CLOSE


def at(tz: str, *args: int) -> datetime:
    return datetime(*args, tzinfo=ZoneInfo(tz))


def end_of(day: date, tz: str) -> datetime:
    return datetime.combine(day, time.max, tzinfo=ZoneInfo(tz))


def test_the_default_is_the_next_working_day_whatever_the_hour():
    assert calendar.DEFAULT_DAY_ONE == NEXT
    # Monday 2 March 2026 at 08:00, a working morning: still day 1 is Tuesday 3.
    assert office_day_starts(at(WIB, 2026, 3, 2, 8, 0), WIB) == date(2026, 3, 3)
    assert add_working_days(at(WIB, 2026, 3, 2, 8, 0), 1, WIB) == end_of(date(2026, 3, 3), WIB)
    # The other convention counts that morning.
    assert office_day_starts(at(WIB, 2026, 3, 2, 8, 0), WIB, day_one=SAME) == date(2026, 3, 2)


@pytest.mark.parametrize(("day_one", "expected"), [
    # Tuesday 17 March 10:00: the next working day is Wednesday 25 (18–24 off): 25, 26, 27.
    (NEXT, date(2026, 3, 27)),
    # Counting the 17th itself (before 16:00): 17, 25, 26.
    (SAME, date(2026, 3, 26)),
])
def test_across_idul_fitri_2026_on_both_settings(day_one, expected):
    received = at(WIB, 2026, 3, 17, 10, 0)
    with time_machine.travel(received, tick=False):
        due = add_working_days(received, 3, WIB, day_one=day_one)
    assert due == end_of(expected, WIB)
    assert working_days_between(received, due, WIB, day_one=day_one) == 3
    # Received on the holiday itself (Friday 20 March, office hours): day 1 is 25 either way.
    holiday = at(WIB, 2026, 3, 20, 9, 0)
    assert office_day_starts(holiday, WIB, day_one=day_one) == date(2026, 3, 25)


@pytest.mark.parametrize(("day_one", "days"), [
    # Thursday 31 Dec 09:00: day 1 is Monday 4 Jan (1 Jan a holiday, then a weekend), day 2
    # Wednesday 6 (5 Jan is Isra Mikraj).
    (NEXT, (date(2027, 1, 4), date(2027, 1, 6))),
    (SAME, (date(2026, 12, 31), date(2027, 1, 4))),
])
def test_over_the_year_end_on_both_settings(day_one, days):
    received = at(WIB, 2026, 12, 31, 9, 0)
    with time_machine.travel(received, tick=False):
        for n, day in enumerate(days, start=1):
            assert add_working_days(received, n, WIB, day_one=day_one) == end_of(day, WIB)


def test_the_three_zones_on_both_settings():
    # Friday 13 March 2026 07:30 UTC: 14:30 WIB, 15:30 WITA, 16:30 WIT.
    instant = datetime(2026, 3, 13, 7, 30, tzinfo=UTC)
    assert [office_day_starts(instant, tz, day_one=SAME) for tz in (WIB, WITA, WIT)] == [
        date(2026, 3, 13), date(2026, 3, 13), date(2026, 3, 16)]
    assert [office_day_starts(instant, tz) for tz in (WIB, WITA, WIT)] == [
        date(2026, 3, 16)] * 3
    # Monday 16 March 16:30 UTC: 23:30 WIB on the 16th, but past midnight on the 17th in
    # WITA and WIT, so there the day after is past Idul Fitri; counting the day of receipt
    # before 16:00, the 17th itself is day 1 there (and in WIB, the 16th being after close).
    late = datetime(2026, 3, 16, 16, 30, tzinfo=UTC)
    assert [office_day_starts(late, tz) for tz in (WIB, WITA, WIT)] == [
        date(2026, 3, 17), date(2026, 3, 25), date(2026, 3, 25)]
    assert [office_day_starts(late, tz, day_one=SAME) for tz in (WIB, WITA, WIT)] == [
        date(2026, 3, 17)] * 3
    assert add_working_days(late, 2, WITA) == end_of(date(2026, 3, 26), WITA)
    assert add_working_days(late, 2, WIT) == end_of(date(2026, 3, 26), WIT)
    assert add_working_days(late, 2, WIB) == end_of(date(2026, 3, 25), WIB)


def test_a_clock_counts_with_its_policy_and_keeps_the_version_it_started_with(
    system_admin, verifier_national
):
    current = DeadlinePolicy.objects.get(clock=ClockKind.FOLLOW_UP, is_current=True)
    assert current.day_one == NEXT  # the migration gave every working-day clock a new version
    older = DeadlinePolicy.objects.filter(clock=ClockKind.FOLLOW_UP, version=1).get()
    assert older.day_one == SAME  # the version existing clocks were counted with
    received = at(WIB, 2026, 3, 17, 10, 0)
    with time_machine.travel(received, tick=False):
        first = verification.disposition_report(
            report=ReportFactory(submitted_at=received), to_body=body("regency-33.74"),
            actor=verifier_national)
        policies.set_policy(clock=ClockKind.FOLLOW_UP, action=current.action,
                            actor=system_admin, working_days=3, day_one=SAME)
        second = verification.disposition_report(
            report=ReportFactory(submitted_at=received), to_body=body("regency-33.74"),
            actor=verifier_national)
    old = Clock.objects.get(report=first, kind=ClockKind.FOLLOW_UP)
    new = Clock.objects.get(report=second, kind=ClockKind.FOLLOW_UP)
    assert (old.policy_id, old.policy.day_one) == (current.pk, NEXT)
    assert old.due_at == add_working_days(received, current.working_days, WIB)
    assert (new.policy.day_one, new.due_at) == (SAME, end_of(date(2026, 3, 26), WIB))
    # Recomputing with the policy gives the stored due time: the clock did not move.
    assert clocks.due_time(old.policy, old.started_at, first, old.body) == old.due_at


def test_an_unknown_convention_is_refused(system_admin):
    from lapor.errors import Invalid

    with pytest.raises(Invalid) as refused:
        policies.set_policy(clock=ClockKind.FOLLOW_UP, action="notify", actor=system_admin,
                            working_days=3, day_one="tomorrow")
    assert refused.value.field == "day_one"


def test_the_convention_is_shown_beside_each_deadline(client, operator_a, verifier_national):
    received = at(WIB, 2026, 3, 17, 10, 0)
    with time_machine.travel(received, tick=False):
        report = verification.disposition_report(
            report=ReportFactory(submitted_at=received), to_body=body("regency-33.74"),
            actor=verifier_national)
        client.force_login(operator_a)
        staff = client.get(f"/petugas/laporan/{report.tracking_number}/").content.decode()
        client.logout()
        client.force_login(report.reporter)
        own = client.get(f"/laporan-saya/{report.tracking_number}/").content.decode()
    label = "hari ke-1: hari kerja sesudah hari diterima"
    hours = "dalam jam, termasuk malam dan hari libur"
    for page in (staff, own):
        assert label in page  # beside the follow-up deadline, in working days
        assert hours in page  # beside the first response, in hours
