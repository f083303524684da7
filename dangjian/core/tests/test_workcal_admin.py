"""The calendar in the admin: superusers list, filter, search and enter a whole year."""

import datetime as dt

import pytest

from dangjian.conftest import PASSWORD
from dangjian.core import workcal
from dangjian.core.models import AuditEvent, CalendarDay, CalendarYear


@pytest.fixture
def superuser(db):
    from dangjian.accounts.models import User

    return User.objects.create_superuser("13100000009", PASSWORD)


@pytest.fixture
def days(db):
    CalendarDay.objects.create(date=dt.date(2030, 10, 1), kind="holiday", name="国庆节")
    CalendarDay.objects.create(date=dt.date(2030, 10, 12), kind="workday", name="国庆节调休")
    CalendarDay.objects.create(date=dt.date(2029, 1, 1), kind="holiday", name="元旦")


def test_it_lists_filters_and_searches_days(login, superuser, days, django_assert_max_num_queries):
    client = login(superuser)
    with django_assert_max_num_queries(12):
        r = client.get("/admin/core/calendarday/")
    assert r.status_code == 200
    body = r.content.decode()
    assert "国庆节调休" in body and "元旦" in body and "周六" in body
    assert "2030年的节假日安排尚未录入" not in body  # only this year and next are checked
    r = client.get("/admin/core/calendarday/?year=2030&kind=workday")
    assert "国庆节调休" in r.content.decode() and "元旦" not in r.content.decode()
    r = client.get("/admin/core/calendarday/?q=元旦")
    assert "元旦" in r.content.decode() and "国庆节调休" not in r.content.decode()


def test_it_warns_when_this_year_has_no_calendar(login, superuser, settings, monkeypatch):
    monkeypatch.setattr(workcal, "PACKAGE_YEARS", frozenset())
    r = login(superuser).get("/admin/core/calendaryear/", follow=True)
    assert "节假日安排尚未录入" in r.content.decode()


def test_it_enters_a_whole_year_from_the_textarea(login, superuser, days):
    client = login(superuser)
    assert client.get("/admin/core/calendaryear/add/").status_code == 200
    r = client.post(
        "/admin/core/calendaryear/add/",
        {
            "year": "2030",
            "complete": "on",
            "source": "国办通知",
            "days_text": "2030-10-01 国庆节 holiday\n2030-10-02 国庆节 holiday\n2030-09-29 国庆节 workday",
        },
    )
    assert r.status_code == 302, r.content.decode()
    year = CalendarYear.objects.get(year=2030)
    assert year.complete
    assert list(CalendarDay.objects.filter(date__year=2030).values_list("date", "kind")) == [
        (dt.date(2030, 9, 29), "workday"),
        (dt.date(2030, 10, 1), "holiday"),
        (dt.date(2030, 10, 2), "holiday"),
    ]
    assert CalendarDay.objects.filter(date__year=2029).count() == 1
    assert workcal.calendar_coverage(2030) == "manual"
    assert AuditEvent.objects.filter(action="calendar.year.replace").count() == 1
    # The change form shows the year's lines again, ready to correct.
    body = client.get(f"/admin/core/calendaryear/{year.pk}/change/").content.decode()
    assert "2030-09-29 国庆节 workday" in body
    r = client.get("/admin/core/calendaryear/")
    assert "人工录入" in r.content.decode()


def test_it_rejects_bad_lines_and_saves_nothing(login, superuser, days):
    r = login(superuser).post(
        "/admin/core/calendaryear/add/",
        {
            "year": "2030",
            "complete": "on",
            "days_text": "2030-10-01 国庆节 holiday\n2030-02-30 春节 holiday\n2031-01-01 元旦 holiday",
        },
    )
    assert r.status_code == 200
    body = r.content.decode()
    assert "共2行有误" in body and "第2行" in body and "第3行" in body
    assert not CalendarYear.objects.exists()
    assert CalendarDay.objects.filter(date__year=2030).count() == 2  # the fixture's rows, untouched


@pytest.mark.parametrize("url", ["/admin/core/calendarday/", "/admin/core/calendaryear/add/"])
def test_it_refuses_everyone_but_superusers(login, world, url):
    for user in (world.admin, world.street_officer, world.outsider):
        r = login(user).get(url)
        assert r.status_code == 302 and "/admin/login/" in r["Location"]
