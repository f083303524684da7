"""A hand-entered CalendarDay beats the package for its date, and takes effect at once."""

import datetime as dt

import pytest

from dangjian.core import workcal
from dangjian.core.models import CalendarDay
from dangjian.core.tests._cal import at

pytestmark = pytest.mark.django_db


def test_it_lets_a_manual_holiday_beat_the_package():
    monday = dt.date(2026, 10, 12)
    assert workcal.is_working_day(monday)
    assert workcal.add_working_days(at(2026, 10, 9, 10), 2) == at(2026, 10, 12, 17, 30)

    day = CalendarDay.objects.create(date=monday, kind="holiday", name="临时放假")
    assert not workcal.is_working_day(monday)  # the signal cleared the cache
    assert workcal.add_working_days(at(2026, 10, 9, 10), 2) == at(2026, 10, 13, 17, 30)
    assert workcal.calendar_coverage(2026) == "package"

    day.delete()
    assert workcal.is_working_day(monday)


def test_it_lets_a_manual_workday_beat_the_package():
    holiday = dt.date(2026, 10, 7)  # 国庆 in the package
    CalendarDay.objects.create(date=holiday, kind="workday", name="更正")
    assert workcal.is_working_day(holiday)
    assert workcal.add_working_days(at(2026, 9, 30, 10), 1) == at(2026, 10, 7, 17, 30)


def test_it_notices_a_changed_kind():
    d = CalendarDay.objects.create(date=dt.date(2026, 10, 11), kind="workday", name="调休")
    assert workcal.is_working_day(dt.date(2026, 10, 11))
    d.kind = "holiday"
    d.save()
    assert not workcal.is_working_day(dt.date(2026, 10, 11))
