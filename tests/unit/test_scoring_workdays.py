from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import chinese_calendar
import pytest

from awardbot.scoring import (
    CalendarError,
    CalendarUnavailable,
    Rules,
    WorkingCalendar,
    notice_period,
    parse_year_calendar,
)

SH = ZoneInfo("Asia/Shanghai")
CAL = WorkingCalendar()
Y2027 = {"year": 2027, "holidays": ["2027-01-01"], "workdays": ["2027-01-09"]}


def test_package_data_range():
    assert chinese_calendar.is_workday(date(2026, 12, 31))
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(date(2027, 1, 4))


@pytest.mark.parametrize(("day", "working"), [
    (date(2025, 9, 27), False),  # Saturday
    (date(2025, 9, 28), True),   # Sunday, 调休 working day
    (date(2025, 9, 30), True),
    (date(2025, 10, 1), False), (date(2025, 10, 3), False), (date(2025, 10, 8), False),
    (date(2025, 10, 9), True),
    (date(2025, 10, 11), True),  # Saturday, 调休 working day
    (date(2025, 10, 12), False),
])
def test_national_day_2025(day, working):
    assert CAL.is_working_day(day) is working


@pytest.mark.parametrize(("start", "n", "expected"), [
    (date(2025, 9, 26), 1, date(2025, 9, 28)),   # Friday → the 调休 Sunday
    (date(2025, 9, 30), 1, date(2025, 10, 9)),
    (date(2025, 9, 30), 3, date(2025, 10, 11)),  # ... and the 调休 Saturday
    (date(2025, 10, 9), -1, date(2025, 9, 30)),
    (date(2025, 10, 9), -3, date(2025, 9, 28)),
    (date(2025, 10, 4), 0, date(2025, 10, 4)),
])
def test_add_working_days(start, n, expected):
    assert CAL.add_working_days(start, n) == expected


def test_notice_period_across_national_day():
    published = datetime(2025, 9, 30, 16, 0, tzinfo=SH)
    period = CAL.notice_period(published, Rules())
    assert (period.start, period.end) == (date(2025, 10, 9), date(2025, 10, 11))
    assert period.closes_at == datetime(2025, 10, 11, 17, 30, tzinfo=SH)
    assert period.is_open(datetime(2025, 10, 11, 17, 29, tzinfo=SH))
    assert not period.is_open(datetime(2025, 10, 11, 17, 30, tzinfo=SH))


def test_notice_publication_day_is_not_counted_and_local_date_is_used():
    # 2025-09-25 18:00 UTC is Friday 26 September 02:00 in Shanghai
    published = datetime(2025, 9, 25, 18, 0, tzinfo=ZoneInfo("UTC"))
    period = notice_period(published, Rules())
    assert (period.start, period.end) == (date(2025, 9, 28), date(2025, 9, 30))


def test_notice_office_hours_from_rules():
    rules = Rules.from_mapping({"office_hours_end": "18:00", "notice_working_days": 5})
    period = CAL.notice_period(datetime(2025, 9, 30, 9, tzinfo=SH), rules)
    assert period.end == date(2025, 10, 14)
    assert period.closes_at.time() == time(18, 0)


def test_naive_publication_time_is_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        CAL.notice_period(datetime(2025, 9, 30, 9), Rules())


def test_year_boundary_without_data_refuses():
    with pytest.raises(CalendarUnavailable) as info:
        CAL.notice_period(datetime(2026, 12, 30, 10, tzinfo=SH), Rules())
    assert info.value.year == 2027
    assert "2027" in str(info.value)


def test_year_boundary_with_loaded_data():
    cal = WorkingCalendar.with_years([parse_year_calendar(Y2027)])
    period = cal.notice_period(datetime(2026, 12, 30, 10, tzinfo=SH), Rules())
    # 31 Dec (Thu), 1 Jan holiday, 2–3 Jan weekend, 4 Jan (Mon)
    assert (period.start, period.end) == (date(2026, 12, 31), date(2027, 1, 5))
    assert cal.is_working_day(date(2027, 1, 9))  # 调休 Saturday from the loaded file
    assert not cal.is_working_day(date(2027, 1, 10))


def test_loaded_year_overrides_package():
    override = parse_year_calendar({"year": 2025, "holidays": ["2025-10-09"], "workdays": []})
    cal = WorkingCalendar.with_years([override])
    assert not cal.is_working_day(date(2025, 10, 9))
    assert cal.is_working_day(date(2025, 10, 1))  # the loaded year replaces the package


def test_year_without_any_data():
    with pytest.raises(CalendarUnavailable):
        CAL.is_working_day(date(2003, 5, 5))


@pytest.mark.parametrize(("data", "message"), [
    ({"year": "2027", "holidays": []}, "year: must be a year"),
    ({"year": 2027, "holidays": ["2027-13-01"]}, "holidays[0]: must be a date"),
    ({"year": 2027, "holidays": ["2026-01-01"]}, "holidays[0]: 2026-01-01 is not in 2027"),
    ({"year": 2027, "holidays": ["2027-01-01"], "workdays": ["2027-01-04"]},
     "workdays[0]: 2027-01-04 is a weekday"),
    ({"year": 2027, "holidays": ["2027-01-09"], "workdays": ["2027-01-09"]},
     "workdays[0]: 2027-01-09 is also listed as a holiday"),
    ({"year": 2027, "holidays": []}, "holidays: must list"),
    ({"year": 2027, "holidays": "2027-01-01"}, "holidays: must be a list"),
    ({"year": 2027, "holidays": ["2027-01-01"], "extra": 1}, "extra: unknown key"),
])
def test_calendar_validation(data, message):
    with pytest.raises(CalendarError) as info:
        parse_year_calendar(data)
    assert str(info.value).startswith(message)
