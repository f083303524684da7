"""Working-hours arithmetic: office hours 08:30–12:00 and 14:30–17:30 on working days."""

import datetime as dt

import pytest

from dangjian.core import workcal
from dangjian.core.tests._cal import at

pytestmark = pytest.mark.django_db

# 2026-03-02 is a Monday with no holiday around it.


@pytest.mark.parametrize(
    "start,hours,end",
    [
        (at(2026, 3, 2, 9), 1, at(2026, 3, 2, 10)),
        (at(2026, 3, 2, 11, 30), 1, at(2026, 3, 2, 15)),  # across lunch
        (at(2026, 3, 2, 10), 2, at(2026, 3, 2, 12)),  # ends at closing, stays there
        (at(2026, 3, 2, 17), 1, at(2026, 3, 3, 9)),  # across the evening
        (at(2026, 3, 2, 8, 30), 6.5, at(2026, 3, 2, 17, 30)),  # 6.5 h = one office day
        (at(2026, 3, 2, 9), 6.5, at(2026, 3, 3, 9)),
        (at(2026, 3, 2, 8, 30), 13, at(2026, 3, 3, 17, 30)),
        (at(2026, 3, 6, 16, 30), 2, at(2026, 3, 9, 9, 30)),  # Friday → Monday
        (at(2026, 3, 7, 10), 1, at(2026, 3, 9, 9, 30)),  # Saturday snaps to Monday 08:30
        (at(2026, 3, 2, 12, 30), 0.5, at(2026, 3, 2, 15)),  # lunch snaps to 14:30
        (at(2026, 3, 2, 6), 0, at(2026, 3, 2, 8, 30)),  # zero hours: the next office moment
        (at(2026, 3, 2, 20), dt.timedelta(minutes=90), at(2026, 3, 3, 10)),
        (at(2026, 4, 30, 17), 1, at(2026, 5, 6, 9)),  # 劳动节 05-01..05-05
        (at(2026, 2, 13, 17), 1, at(2026, 2, 14, 9)),  # make-up Saturday 02-14 before 春节
        (at(2026, 2, 14, 17), 1, at(2026, 2, 24, 9)),  # 春节 02-15..02-23
    ],
)
def test_it_adds_working_hours(start, hours, end):
    assert workcal.add_working_hours(start, hours) == end


@pytest.mark.parametrize(
    "a,b,hours",
    [
        (at(2026, 3, 2, 9), at(2026, 3, 2, 10), 1.0),
        (at(2026, 3, 2, 12), at(2026, 3, 2, 14, 30), 0.0),  # lunch
        (at(2026, 3, 2, 11), at(2026, 3, 2, 15), 1.5),  # 11:00-12:00 + 14:30-15:00
        (at(2026, 3, 2, 0), at(2026, 3, 3, 0), 6.5),
        (at(2026, 3, 6, 16, 30), at(2026, 3, 9, 9, 30), 2.0),  # over the weekend
        (at(2026, 3, 9, 9, 30), at(2026, 3, 6, 16, 30), -2.0),  # overdue: negative
        (at(2026, 4, 30, 0), at(2026, 5, 7, 0), 13.0),  # 04-30 and 05-06 only
    ],
)
def test_it_measures_working_hours_between(a, b, hours):
    assert workcal.working_hours_between(a, b) == hours


def test_it_round_trips_hours():
    starts = [at(2026, 3, 2, 7), at(2026, 3, 6, 16, 45), at(2026, 9, 30, 11, 59), at(2026, 2, 13, 13)]
    for start in starts:
        for hours in (0.25, 1, 3.5, 6.5, 20, 48):
            end = workcal.add_working_hours(start, hours)
            assert workcal.working_hours_between(start, end) == pytest.approx(hours)


def test_it_counts_working_days_between():
    assert workcal.working_days_between(at(2026, 3, 2, 9), at(2026, 3, 2, 17)) == 0
    assert workcal.working_days_between(at(2026, 3, 6, 9), at(2026, 3, 9, 9)) == 1
    assert workcal.working_days_between(dt.date(2026, 3, 9), dt.date(2026, 3, 6)) == -1


def test_it_refuses_naive_datetimes_and_negative_amounts():
    with pytest.raises(ValueError):
        workcal.add_working_hours(dt.datetime(2026, 3, 2, 9), 1)
    with pytest.raises(ValueError):
        workcal.add_working_hours(at(2026, 3, 2, 9), -1)
    with pytest.raises(ValueError):
        workcal.add_working_days(at(2026, 3, 2, 9), -1)
