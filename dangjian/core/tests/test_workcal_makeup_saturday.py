"""A make-up Saturday (调休上班, 2026-10-10) is a full working day with office hours."""

import datetime as dt

import pytest

from dangjian.core import workcal
from dangjian.core.tests._cal import at

pytestmark = pytest.mark.django_db


def test_it_counts_the_make_up_saturday_as_a_working_day():
    assert dt.date(2026, 10, 10).weekday() == 5
    assert workcal.is_working_day(dt.date(2026, 10, 10))
    assert not workcal.is_working_day(dt.date(2026, 10, 17))  # an ordinary Saturday


def test_it_sets_deadlines_on_the_make_up_saturday():
    assert workcal.add_working_days(at(2026, 10, 9, 10), 1) == at(2026, 10, 10, 17, 30)
    assert workcal.add_working_days(at(2026, 10, 16, 10), 1) == at(2026, 10, 19, 17, 30)


def test_it_counts_office_hours_on_the_make_up_saturday():
    # Friday 16:00..17:30 = 1.5 h, Saturday 08:30 + 1.5 h = 10:00.
    assert workcal.add_working_hours(at(2026, 10, 9, 16), 3) == at(2026, 10, 10, 10)
    assert workcal.working_hours_between(at(2026, 10, 10, 0), at(2026, 10, 11, 0)) == 6.5
    assert workcal.next_office_moment(at(2026, 10, 10, 7)) == at(2026, 10, 10, 8, 30)
