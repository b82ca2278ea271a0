"""承诺时限 in working days (central/staff/workdays.py) on config/workdays.toml: holidays, 调休 weekends worked,
due dates across 春节 and 国庆, and a calendar file that cannot say a weekday is a make-up day."""
from __future__ import annotations

import datetime as dt

import pytest

from central.staff.settings import StaffSettings
from central.staff.workdays import CalendarError, WorkCalendar

D = dt.date.fromisoformat


@pytest.fixture(scope="module")
def cal():
    return WorkCalendar.load(StaffSettings().workdays_file)


@pytest.mark.parametrize("day,working", [
    ("2026-01-01", False), ("2026-01-04", True),  # 元旦; its 调休 Sunday is worked
    ("2026-02-14", True), ("2026-02-16", False), ("2026-02-23", False), ("2026-02-24", True),  # 春节
    ("2026-02-28", True),  # 春节调休 Saturday
    ("2026-04-06", False), ("2026-05-05", False), ("2026-05-09", True),  # 清明, 劳动节 and its 调休
    ("2026-06-19", False), ("2026-09-25", False), ("2026-09-20", True),  # 端午, 中秋, 国庆调休 Sunday
    ("2026-10-07", False), ("2026-10-08", True), ("2026-10-10", True), ("2026-10-11", False),
    ("2026-03-10", True), ("2026-03-14", False),  # an ordinary Tuesday and Saturday
])
def test_the_2026_calendar_knows_holidays_and_the_make_up_working_weekends(cal, day, working):
    assert cal.is_working_day(D(day)) is working


def test_a_time_limit_counts_from_the_day_after_receipt_across_the_national_day_holiday(cal):
    assert cal.due_date(D("2026-09-29"), 3) == D("2026-10-09")  # 9.30, (10.1-10.7 off), 10.8, 10.9
    assert cal.due_date(D("2026-09-29"), 4) == D("2026-10-10")  # the 调休 Saturday counts


def test_a_time_limit_across_the_spring_festival_counts_its_make_up_saturday(cal):
    assert cal.due_date(D("2026-02-13"), 2) == D("2026-02-24")  # 2.14 (worked Saturday), then 2.24


def test_an_immediate_item_received_on_a_holiday_is_due_the_next_working_day(cal):
    assert cal.due_date(D("2026-02-22"), 0) == D("2026-02-24")
    assert cal.due_date(D("2026-03-10"), 0) == D("2026-03-10")


def test_working_days_between_is_signed(cal):
    assert cal.working_days_between(D("2026-10-08"), D("2026-10-14")) == 5  # 10.9, 10.10 (调休), 10.12-10.14
    assert cal.working_days_between(D("2026-10-08"), D("2026-09-20")) == -8


def test_2027_is_marked_provisional_until_its_notice_is_entered_and_a_missing_year_too(cal):
    assert not cal.is_provisional(D("2026-06-01"))
    assert cal.is_provisional(D("2027-06-01")) and cal.is_provisional(D("2028-06-01"))
    assert not cal.is_working_day(D("2027-02-08"))  # 春节 (statutory: 除夕 to 初三) even while provisional
    assert cal.is_working_day(D("2028-03-07"))  # a year not in the file: Monday to Friday


@pytest.mark.parametrize("text,why", [
    ('[2026]\nholidays = ["2026-13-01"]\n', "not a date"),
    ('[2026]\nholidays = ["2025-12-31"]\n', "another year"),
    ('[2026]\nworkdays = ["2026-03-10"]\n', "weekday already"),
    ('[2026]\nholidays = ["2026-01-04"]\nworkdays = ["2026-01-04"]\n', "both"),
    ('[twenty]\n', "not a year"),
])
def test_a_malformed_calendar_is_refused_with_the_reason(tmp_path, text, why):
    path = tmp_path / "workdays.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CalendarError, match=why):
        WorkCalendar.load(path)
