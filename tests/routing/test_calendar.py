"""Working days and deadlines counted in them (``routing.calendar``): exact due dates across
Idul Fitri 2026 and its cuti bersama, office close, weekends, holidays, the year end, the three
time zones, the admin's national and provincial overrides, the round trip between
``add_working_days`` and ``working_days_between``, the query count, the admin and the API.

Indonesia's 2026 holidays and cuti bersama as the ``holidays`` package has them, for reading
the expected dates below: 1 Jan; 16 Jan; 16–17 Feb; 18–24 Mar (Nyepi, Idul Fitri and their
cuti bersama; 21–22 are a weekend); 3 Apr; 1, 14, 15, 27, 28 May; 1 Jun; 16 Jun; 17 Aug;
25 Aug; 24–25 Dec. 2027: 1 Jan (a Friday)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import partial
from zoneinfo import ZoneInfo

import holidays
import pytest
from rest_framework.test import APIClient

import routing.admin_calendar  # noqa: F401 - registers the admin until routing/admin.py does
from agencies.models import Region
from routing import calendar
from routing.calendar import forget_overrides, is_working_day
from routing.models import CalendarDay, DayOne

# This file pins the policy convention "the day of receipt counts when it arrives before
# 16:00"; tests/routing/test_day_one.py pins the default (day 1 is the next working day).
add_working_days = partial(calendar.add_working_days, day_one=DayOne.SAME_DAY_BEFORE_CLOSE)
office_day_starts = partial(calendar.office_day_starts, day_one=DayOne.SAME_DAY_BEFORE_CLOSE)
working_days_between = partial(calendar.working_days_between,
                               day_one=DayOne.SAME_DAY_BEFORE_CLOSE)

pytestmark = pytest.mark.django_db

WIB, WITA, WIT = "Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"
API = "/api/v1/calendar/working-days/"



@pytest.fixture(autouse=True)
def _fresh_overrides():
    """Each test's rows roll back; the process's cached overrides must not outlive them."""
    forget_overrides()
    yield
    forget_overrides()


def at(tz: str, *args: int) -> datetime:
    return datetime(*args, tzinfo=ZoneInfo(tz))


def end_of(day: date, tz: str) -> datetime:
    return datetime.combine(day, time.max, tzinfo=ZoneInfo(tz))


def province(code: str) -> int:
    return Region.objects.get(code=code, level=Region.Level.PROVINCE).pk


def oracle_day_n(day1: date, n: int) -> date:
    """An independent count: a plain loop over the ``holidays`` data, no overrides."""
    known = holidays.country_holidays(
        "ID", years=range(day1.year, day1.year + 2), categories=("public", "government")
    )
    day, counted = day1, 0
    while True:
        if day.weekday() < 5 and day not in known:
            counted += 1
            if counted == n:
                return day
        day += timedelta(days=1)


# --- Which days are working days -------------------------------------------------------------


@pytest.mark.parametrize("day", [
    date(2026, 3, 18),  # cuti bersama Nyepi
    date(2026, 3, 19),  # Nyepi
    date(2026, 3, 20),  # cuti bersama Idul Fitri
    date(2026, 3, 23),  # cuti bersama Idul Fitri
    date(2026, 3, 24),  # cuti bersama Idul Fitri
    date(2026, 12, 24),  # cuti bersama Natal
    date(2026, 12, 25),  # Natal
    date(2027, 1, 1),  # Tahun Baru
    date(2026, 3, 14),  # Saturday
    date(2026, 3, 15),  # Sunday
])
def test_holidays_cuti_bersama_and_weekends_are_not_working_days(day):
    assert not is_working_day(day)
    assert not is_working_day(day, province_id=province("91"))


@pytest.mark.parametrize("day", [
    date(2026, 3, 16), date(2026, 3, 17), date(2026, 3, 25), date(2026, 12, 23),
    date(2026, 12, 28), date(2026, 12, 31), date(2027, 1, 4),
])
def test_ordinary_weekdays_are_working_days(day):
    assert is_working_day(day)


def test_day_status_names_the_reason():
    assert calendar.day_status(date(2026, 3, 21)).reason == "Hari Raya Idul Fitri"
    assert calendar.day_status(date(2026, 3, 21)).source == calendar.DaySource.HOLIDAY
    assert calendar.day_status(date(2026, 3, 14)).reason == "Sabtu"
    assert calendar.day_status(date(2026, 3, 16)).source == calendar.DaySource.WORKING_DAY


# --- Due dates --------------------------------------------------------------------------------


def test_due_date_across_idul_fitri_and_its_cuti_bersama():
    # Received Monday 16 March 10:00 WIB, a working day before 16:00: 16 (day 1), 17 (day 2),
    # 18–24 Nyepi, Idul Fitri, cuti bersama and a weekend, 25 (day 3).
    due = add_working_days(at(WIB, 2026, 3, 16, 10, 0), 3, WIB)
    assert due == end_of(date(2026, 3, 25), WIB)
    assert due == datetime(2026, 3, 25, 16, 59, 59, 999999, tzinfo=UTC)
    assert due.tzinfo == UTC


def test_after_office_close_day_one_is_the_next_working_day():
    # 16:30 is after close: day 1 is 17, day 2 is 25, day 3 is 26 March.
    assert add_working_days(at(WIB, 2026, 3, 16, 16, 30), 3, WIB) == end_of(
        date(2026, 3, 26), WIB
    )
    # 16:00 exactly is no longer "before close"; one microsecond earlier still is.
    assert office_day_starts(at(WIB, 2026, 3, 16, 16, 0), WIB) == date(2026, 3, 17)
    assert office_day_starts(
        at(WIB, 2026, 3, 16, 15, 59, 59, 999999), WIB
    ) == date(2026, 3, 16)
    # Friday 13 March after close: day 1 is Monday 16.
    assert office_day_starts(at(WIB, 2026, 3, 13, 18, 0), WIB) == date(2026, 3, 16)


def test_received_on_a_saturday():
    # Saturday 7 March: day 1 is Monday 9; days 1–5 are 9–13 March.
    received = at(WIB, 2026, 3, 7, 9, 0)
    assert office_day_starts(received, WIB) == date(2026, 3, 9)
    assert add_working_days(received, 1, WIB) == end_of(date(2026, 3, 9), WIB)
    assert add_working_days(received, 5, WIB) == end_of(date(2026, 3, 13), WIB)


def test_received_on_a_holiday_in_office_hours():
    # Nyepi, Thursday 19 March, 09:00: day 1 is Wednesday 25, day 2 Thursday 26.
    received = at(WIB, 2026, 3, 19, 9, 0)
    assert office_day_starts(received, WIB) == date(2026, 3, 25)
    assert add_working_days(received, 1, WIB) == end_of(date(2026, 3, 25), WIB)
    assert add_working_days(received, 2, WIB) == end_of(date(2026, 3, 26), WIB)


def test_due_date_across_the_year_end():
    # Wednesday 23 Dec 2026 10:00: 23 (1); 24–25 Christmas; 26–27 weekend; 28 (2), 29 (3).
    assert add_working_days(at(WIB, 2026, 12, 23, 10, 0), 3, WIB) == end_of(
        date(2026, 12, 29), WIB
    )
    # The same day at 17:00: 28 (1), 29 (2), 30 (3), 31 (4); 1 Jan 2027 New Year, 2–3 weekend;
    # Monday 4 Jan 2027 (5).
    due = add_working_days(at(WIB, 2026, 12, 23, 17, 0), 5, WIB)
    assert due == end_of(date(2027, 1, 4), WIB)
    assert due == datetime(2027, 1, 4, 16, 59, 59, 999999, tzinfo=UTC)


def test_the_same_instant_counts_differently_in_each_time_zone():
    # Friday 13 March 2026 08:30 UTC is 15:30 WIB (before close: Friday is day 1) but 17:30 WIT
    # (after close: day 1 is Monday 16).
    instant = datetime(2026, 3, 13, 8, 30, tzinfo=UTC)
    assert add_working_days(instant, 1, WIB) == datetime(2026, 3, 13, 16, 59, 59, 999999,
                                                         tzinfo=UTC)
    assert add_working_days(instant, 1, WIT) == datetime(2026, 3, 16, 14, 59, 59, 999999,
                                                         tzinfo=UTC)
    # n = 3: WIB 13, 16, 17 → 17 March; WIT 16, 17, then Idul Fitri, 25 → 25 March.
    assert add_working_days(instant, 3, WIB) == end_of(date(2026, 3, 17), WIB)
    assert add_working_days(instant, 3, WIT) == end_of(date(2026, 3, 25), WIT)
    # 07:30 UTC is 14:30 WIB and 15:30 WITA (both before close) but 16:30 WIT (after).
    earlier = datetime(2026, 3, 13, 7, 30, tzinfo=UTC)
    assert office_day_starts(earlier, WIB) == date(2026, 3, 13)
    assert office_day_starts(earlier, WITA) == date(2026, 3, 13)
    assert office_day_starts(earlier, WIT) == date(2026, 3, 16)


def test_sixty_working_days_from_february_2026():
    # Monday 2 Feb 2026 10:00. February: 18 working days (16–17 Imlek and its cuti bersama);
    # March: 17 (18–24 Nyepi/Idul Fitri) → 35; April: 21 (3 Good Friday) → 56; May: 1 Labour
    # Day, then 4, 5, 6, 7 → 60 on Thursday 7 May.
    received = at(WIB, 2026, 2, 2, 10, 0)
    due = add_working_days(received, 60, WIB)
    assert due == end_of(date(2026, 5, 7), WIB)
    assert due.astimezone(ZoneInfo(WIB)).date() == oracle_day_n(date(2026, 2, 2), 60)


@pytest.mark.parametrize("received", [
    at(WIB, 2026, 2, 2, 10, 0),
    at(WIB, 2026, 2, 13, 17, 0),  # Friday after close
    at(WITA, 2026, 3, 17, 11, 0),  # the day before the long break
    at(WIT, 2026, 11, 20, 8, 0),  # runs into 2027
])
@pytest.mark.parametrize("n", [1, 3, 5, 10, 60])
def test_due_dates_match_an_independent_count(received, n):
    tz = str(received.tzinfo)
    day1 = office_day_starts(received, tz)
    due = add_working_days(received, n, tz)
    assert due.astimezone(ZoneInfo(tz)).date() == oracle_day_n(day1, n)


def test_n_must_be_at_least_one_and_times_aware():
    with pytest.raises(ValueError):
        add_working_days(at(WIB, 2026, 3, 16, 10, 0), 0, WIB)
    with pytest.raises(ValueError):
        add_working_days(datetime(2026, 3, 16, 10, 0), 1, WIB)  # noqa: DTZ001 - naive on purpose


# --- Counting working days --------------------------------------------------------------------


START_MOMENTS = [
    at(WIB, 2026, 3, 16, 10, 0),  # working day, office hours
    at(WIB, 2026, 3, 16, 16, 30),  # after close
    at(WIB, 2026, 3, 19, 9, 0),  # Nyepi
    at(WIT, 2026, 3, 14, 11, 0),  # Saturday
    at(WITA, 2026, 12, 23, 15, 59),  # just before close, before Christmas
    datetime(2026, 3, 13, 8, 30, tzinfo=UTC),  # read in WIT below: after close
]


@pytest.mark.parametrize("received", START_MOMENTS)
@pytest.mark.parametrize("tz", [WIB, WIT])
def test_working_days_between_round_trips_add_working_days(received, tz):
    for n in range(1, 71):
        due = add_working_days(received, n, tz)
        assert working_days_between(received, due, tz) == n
        day_n_begins = datetime.combine(
            due.astimezone(ZoneInfo(tz)).date(), time.min, tzinfo=ZoneInfo(tz)
        )
        # Day n counts from its first moment (day 1 from the receipt, if that is later).
        assert working_days_between(received, max(day_n_begins, received), tz) == n
        assert working_days_between(received, day_n_begins - timedelta(microseconds=1), tz) == (
            n - 1
        )


def test_working_days_between_before_day_one_is_zero():
    received = at(WIB, 2026, 3, 16, 16, 30)  # after close: day 1 is Tuesday 17
    assert working_days_between(received, at(WIB, 2026, 3, 16, 23, 0), WIB) == 0
    assert working_days_between(received, at(WIB, 2026, 3, 17, 0, 0), WIB) == 1
    assert working_days_between(received, at(WIB, 2026, 3, 24, 23, 0), WIB) == 1  # holidays
    assert working_days_between(received, at(WIB, 2026, 3, 25, 8, 0), WIB) == 2
    assert working_days_between(received, received - timedelta(hours=1), WIB) == 0


# --- The admin's overrides --------------------------------------------------------------------


def test_national_override_makes_a_weekday_a_holiday_everywhere():
    CalendarDay.objects.create(date=date(2026, 3, 17), is_working_day=False,
                               note="Libur tambahan (Keppres)")
    assert not is_working_day(date(2026, 3, 17))
    assert not is_working_day(date(2026, 3, 17), province_id=province("33"))
    # 16 (1); 17 now a holiday; 18–24 as before; 25 (2), 26 (3).
    assert add_working_days(at(WIB, 2026, 3, 16, 10, 0), 3, WIB) == end_of(
        date(2026, 3, 26), WIB
    )


def test_national_override_can_cancel_a_cuti_bersama_day():
    CalendarDay.objects.create(date=date(2026, 3, 18), is_working_day=True,
                               note="Cuti bersama dibatalkan")
    # 16 (1), 17 (2), 18 (3).
    assert add_working_days(at(WIB, 2026, 3, 16, 10, 0), 3, WIB) == end_of(
        date(2026, 3, 18), WIB
    )
    assert calendar.day_status(date(2026, 3, 18)).reason == "Cuti bersama dibatalkan"


def test_provincial_override_makes_a_saturday_a_working_day_in_papua_only():
    papua, jateng = province("91"), province("33")
    CalendarDay.objects.create(date=date(2026, 3, 14), province_id=papua, is_working_day=True,
                               note="Sabtu masuk kerja (Papua)")
    assert is_working_day(date(2026, 3, 14), province_id=papua)
    assert not is_working_day(date(2026, 3, 14), province_id=jateng)
    assert not is_working_day(date(2026, 3, 14))
    # Friday 13 March 10:00 local: Papua 13 (1), Saturday 14 (2); elsewhere 13 (1), 16 (2).
    assert add_working_days(at(WIT, 2026, 3, 13, 10, 0), 2, WIT, province_id=papua) == end_of(
        date(2026, 3, 14), WIT
    )
    assert add_working_days(at(WIB, 2026, 3, 13, 10, 0), 2, WIB, province_id=jateng) == end_of(
        date(2026, 3, 16), WIB
    )
    # Received on that Saturday in Papua during office hours: it is day 1 there.
    assert office_day_starts(at(WIT, 2026, 3, 14, 9, 0), WIT, province_id=papua) == date(
        2026, 3, 14
    )


def test_provincial_override_wins_over_the_national_one_for_that_province():
    papua = province("91")
    CalendarDay.objects.create(date=date(2026, 3, 17), is_working_day=False, note="Libur")
    CalendarDay.objects.create(date=date(2026, 3, 17), province_id=papua, is_working_day=True,
                               note="Tetap masuk di Papua")
    assert is_working_day(date(2026, 3, 17), province_id=papua)
    assert not is_working_day(date(2026, 3, 17), province_id=province("51"))
    status = calendar.day_status(date(2026, 3, 17), province_id=papua)
    assert (status.source, status.reason) == (calendar.DaySource.PROVINCE_OVERRIDE,
                                              "Tetap masuk di Papua")


def test_overrides_are_cached_until_forgotten_or_expired(monkeypatch):
    assert is_working_day(date(2026, 3, 17))  # warms the cache
    CalendarDay.objects.create(date=date(2026, 3, 17), is_working_day=False, note="Libur")
    assert is_working_day(date(2026, 3, 17))  # still the cached view
    forget_overrides()
    assert not is_working_day(date(2026, 3, 17))

    CalendarDay.objects.filter(date=date(2026, 3, 17)).delete()
    assert not is_working_day(date(2026, 3, 17))
    later = calendar.monotonic() + calendar.OVERRIDES_TTL_SECONDS + 1
    monkeypatch.setattr(calendar, "monotonic", lambda: later)
    assert is_working_day(date(2026, 3, 17))  # the copy expired: read again


def test_counting_sixty_working_days_queries_once_cold_and_never_warm(
    django_assert_num_queries,
):
    papua = province("91")
    CalendarDay.objects.create(date=date(2026, 3, 14), province_id=papua, is_working_day=True,
                               note="Sabtu masuk kerja")
    received = at(WIT, 2026, 2, 2, 10, 0)
    with django_assert_num_queries(1):
        due = add_working_days(received, 60, WIT, province_id=papua)
    with django_assert_num_queries(0):
        assert add_working_days(received, 60, WIT, province_id=papua) == due
        assert working_days_between(received, due, WIT, province_id=papua) == 60
        for n in range(1, 61):
            add_working_days(received, n, WIT, province_id=papua)


# --- Admin -----------------------------------------------------------------------------------


CHANGELIST = "/admin/routing/calendarday/"


def test_only_system_admins_manage_the_calendar(client, system_admin, supervisor_a):
    CalendarDay.objects.create(date=date(2026, 3, 17), is_working_day=False, note="Libur")
    client.force_login(supervisor_a)
    assert client.get(CHANGELIST).status_code == 403
    assert client.get(CHANGELIST + "add/").status_code == 403
    client.force_login(system_admin)
    page = client.get(CHANGELIST)
    assert page.status_code == 200
    assert "Libur" in page.content.decode()


def test_admin_save_and_delete_drop_the_cached_overrides(client, system_admin):
    client.force_login(system_admin)
    assert is_working_day(date(2026, 3, 17))  # warms the cache
    form = client.get(CHANGELIST + "add/")
    province_choices = form.context["adminform"].form.fields["province"].queryset
    assert set(province_choices.values_list("level", flat=True)) == {Region.Level.PROVINCE}

    response = client.post(CHANGELIST + "add/", {
        "date": "2026-03-17", "province": "", "is_working_day": "", "note": "Libur tambahan",
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    row = CalendarDay.objects.get(date=date(2026, 3, 17))
    assert row.created_by == system_admin
    assert not is_working_day(date(2026, 3, 17))

    response = client.post(f"{CHANGELIST}{row.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert is_working_day(date(2026, 3, 17))


# --- API -------------------------------------------------------------------------------------



def test_api_lists_each_day_with_its_reason():
    papua = province("91")
    CalendarDay.objects.create(date=date(2026, 3, 14), province_id=papua, is_working_day=True,
                               note="Sabtu masuk kerja (Papua)")
    response = APIClient().get(API, {"from": "2026-03-13", "to": "2026-03-25"})
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["from"], data["to"], data["province"]) == ("2026-03-13", "2026-03-25", None)
    days = {row["date"]: row for row in data["days"]}
    assert len(days) == 13
    assert days["2026-03-13"] == {"date": "2026-03-13", "is_working_day": True,
                                  "source": "working_day", "reason": "Hari kerja"}
    assert days["2026-03-14"]["source"] == "weekend"
    assert days["2026-03-14"]["reason"] == "Sabtu"
    assert days["2026-03-21"] == {"date": "2026-03-21", "is_working_day": False,
                                  "source": "holiday", "reason": "Hari Raya Idul Fitri"}
    assert not days["2026-03-23"]["is_working_day"]  # cuti bersama
    # 13, 16, 17, 25.
    assert data["working_day_count"] == 4

    response = APIClient().get(API, {"from": "2026-03-14", "to": "2026-03-14", "province": "91"})
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["province"]["code"] == "91"
    assert data["days"] == [{"date": "2026-03-14", "is_working_day": True,
                             "source": "province_override",
                             "reason": "Sabtu masuk kerja (Papua)"}]



@pytest.mark.parametrize(("params", "field", "message"), [
    ({"to": "2026-03-01"}, "from", "Wajib diisi (format YYYY-MM-DD)."),
    ({"from": "2026-3-1x", "to": "2026-03-01"}, "from",
     "Tanggal “2026-3-1x” tidak valid; gunakan format YYYY-MM-DD."),
    ({"from": "2026-03-02", "to": "2026-03-01"}, "to",
     "Tanggal akhir tidak boleh sebelum tanggal awal."),
    ({"from": "2026-01-01", "to": "2027-02-05"}, "to",
     "Rentang paling panjang 400 hari per permintaan."),
    ({"from": "2026-01-01", "to": "2026-01-02", "province": "33.74"}, "province",
     "Provinsi dengan kode “33.74” tidak ditemukan."),
])
def test_api_refuses_bad_queries_in_indonesian(params, field, message):
    response = APIClient().get(API, params)
    assert response.status_code == 400
    assert response.json()[field] == [message]



def test_api_allows_exactly_four_hundred_days():
    # 2026-01-01 + 399 days = 2027-02-04: 400 dates.
    response = APIClient().get(API, {"from": "2026-01-01", "to": "2027-02-04"})
    assert response.status_code == 200
    assert len(response.json()["days"]) == 400
