"""A year nobody knows falls back to weekends only, and says so."""

import datetime as dt

import pytest

from dangjian.core import workcal
from dangjian.core.models import CalendarDay, CalendarYear
from dangjian.core.tests._cal import at

pytestmark = pytest.mark.django_db


def test_it_falls_back_to_weekends_for_an_unknown_year():
    assert 2030 not in workcal.PACKAGE_YEARS
    assert workcal.calendar_coverage(2030) == "weekends-only"
    assert workcal.is_working_day(dt.date(2030, 10, 1))  # a Tuesday: no holiday known
    assert not workcal.is_working_day(dt.date(2030, 10, 5))  # Saturday
    assert workcal.add_working_days(at(2030, 10, 4, 10), 1) == at(2030, 10, 7, 17, 30)


def test_it_reports_coverage_for_each_source():
    assert workcal.calendar_coverage(2004) == "package"
    assert workcal.calendar_coverage(2003) == "weekends-only"
    CalendarYear.objects.create(year=2030, complete=True)
    assert workcal.calendar_coverage(2030) == "manual"


def test_it_applies_single_days_in_an_unknown_year():
    CalendarDay.objects.create(date=dt.date(2030, 10, 1), kind="holiday", name="国庆节")
    assert workcal.calendar_coverage(2030) == "weekends-only"
    assert not workcal.is_working_day(dt.date(2030, 10, 1))
