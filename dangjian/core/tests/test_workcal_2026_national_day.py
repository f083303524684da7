"""2026 National Day + Mid-Autumn, as chinese_calendar 1.11.0 has them:
中秋 Fri 09-25 .. Sun 09-27 off; 国庆 Thu 10-01 .. Wed 10-07 off;
make-up working days Sun 09-20 and Sat 10-10. Expected deadlines worked out by hand."""

import datetime as dt

import pytest

from dangjian.core import workcal
from dangjian.core.tests._cal import SH, at

pytestmark = pytest.mark.django_db


def test_it_uses_the_package_for_2026():
    assert workcal.calendar_coverage(2026) == "package"


@pytest.mark.parametrize(
    "day,working",
    [
        (dt.date(2026, 9, 19), False),  # Sat
        (dt.date(2026, 9, 20), True),  # Sun, 调休上班
        (dt.date(2026, 9, 24), True),  # Thu
        (dt.date(2026, 9, 25), False),  # Fri, 中秋
        (dt.date(2026, 9, 27), False),  # Sun, 中秋
        (dt.date(2026, 9, 28), True),
        (dt.date(2026, 9, 30), True),
        (dt.date(2026, 10, 1), False),
        (dt.date(2026, 10, 5), False),  # Mon, 国庆
        (dt.date(2026, 10, 7), False),  # Wed, 国庆
        (dt.date(2026, 10, 8), True),
        (dt.date(2026, 10, 10), True),  # Sat, 调休上班
        (dt.date(2026, 10, 11), False),  # Sun
    ],
)
def test_it_knows_the_2026_golden_week(day, working):
    assert workcal.is_working_day(day) is working


@pytest.mark.parametrize(
    "start,n,deadline",
    [
        (at(2026, 9, 30, 10), 1, at(2026, 10, 8, 17, 30)),  # skips the whole of 10-01..10-07
        (at(2026, 9, 30, 10), 2, at(2026, 10, 9, 17, 30)),
        (at(2026, 9, 30, 10), 3, at(2026, 10, 10, 17, 30)),  # the make-up Saturday
        (at(2026, 9, 30, 10), 4, at(2026, 10, 12, 17, 30)),  # Sunday 10-11 is off
        (at(2026, 9, 24, 9), 1, at(2026, 9, 28, 17, 30)),  # 中秋 Fri..Sun
        (at(2026, 9, 18, 15), 1, at(2026, 9, 20, 17, 30)),  # Sat off, make-up Sunday counts
        (at(2026, 9, 18, 15), 2, at(2026, 9, 21, 17, 30)),
        (at(2026, 10, 3, 11), 1, at(2026, 10, 8, 17, 30)),  # reported during the holiday
        (at(2026, 10, 3, 11), 0, at(2026, 10, 8, 17, 30)),  # "today" = next working day
        (at(2026, 9, 30, 9), 0, at(2026, 9, 30, 17, 30)),
        (at(2026, 9, 30, 10), 10, at(2026, 10, 20, 17, 30)),  # 10-08,09,10,12..16,19,20
    ],
)
def test_it_counts_working_days_across_the_holiday(start, n, deadline):
    got = workcal.add_working_days(start, n)
    assert got == deadline
    assert got.tzinfo == SH and got.utcoffset() == dt.timedelta(hours=8)
    if n:
        assert workcal.working_days_between(start, got) == n


def test_it_counts_working_hours_across_the_holiday():
    # 16:30..17:30 on 09-30 is one hour, the next opening is 10-08 08:30.
    assert workcal.add_working_hours(at(2026, 9, 30, 16, 30), 2) == at(2026, 10, 8, 9, 30)
    assert workcal.working_hours_between(at(2026, 9, 30, 16, 30), at(2026, 10, 8, 9, 30)) == 2.0
    assert workcal.working_days_between(at(2026, 9, 30, 10), at(2026, 10, 12, 9)) == 4


def test_it_takes_instants_in_any_time_zone():
    utc = dt.datetime(2026, 9, 30, 8, 30, tzinfo=dt.UTC)  # 16:30 in Shanghai
    got = workcal.add_working_hours(utc, 2)
    assert got == at(2026, 10, 8, 9, 30) and got.tzinfo == SH
    # 23:00 UTC on 09-30 is already 10-01 07:00 in Shanghai: a holiday, so day 1 is 10-08.
    assert workcal.add_working_days(dt.datetime(2026, 9, 30, 23, tzinfo=dt.UTC), 1) == at(2026, 10, 8, 17, 30)
