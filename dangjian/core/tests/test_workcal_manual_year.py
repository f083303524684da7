"""A year entered by hand with complete=True ignores the package for that year only."""

import datetime as dt

import pytest

from dangjian.core import workcal
from dangjian.core.models import CalendarDay, CalendarYear
from dangjian.core.tests._cal import at

pytestmark = pytest.mark.django_db


def test_it_ignores_the_package_for_a_complete_manual_year():
    CalendarYear.objects.create(year=2026, complete=True, source="测试")
    CalendarDay.objects.create(date=dt.date(2026, 10, 1), kind="holiday", name="国庆节")
    assert workcal.calendar_coverage(2026) == "manual"
    assert not workcal.is_working_day(dt.date(2026, 10, 1))
    assert workcal.is_working_day(dt.date(2026, 10, 2))  # 国庆 in the package, not entered here
    assert not workcal.is_working_day(dt.date(2026, 10, 10))  # package make-up Saturday: not here
    assert not workcal.is_working_day(dt.date(2026, 9, 20))
    assert workcal.add_working_days(at(2026, 9, 30, 10), 1) == at(2026, 10, 2, 17, 30)
    # Other years still come from the package.
    assert workcal.calendar_coverage(2025) == "package"
    assert not workcal.is_working_day(dt.date(2025, 10, 1))


def test_it_keeps_the_package_when_the_year_is_not_complete():
    CalendarYear.objects.create(year=2026, complete=False)
    assert workcal.calendar_coverage(2026) == "package"
    assert not workcal.is_working_day(dt.date(2026, 10, 2))
    assert workcal.is_working_day(dt.date(2026, 10, 10))


def test_it_goes_back_to_the_package_when_the_year_is_removed():
    y = CalendarYear.objects.create(year=2026, complete=True)
    assert workcal.is_working_day(dt.date(2026, 10, 2))
    y.delete()
    assert workcal.calendar_coverage(2026) == "package"
    assert not workcal.is_working_day(dt.date(2026, 10, 2))
