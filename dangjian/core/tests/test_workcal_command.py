"""manage.py calendar_year YEAR --file FILE replaces that year's manual entries atomically."""

import datetime as dt

import pytest
from django.core.management import CommandError, call_command

from dangjian.core import workcal
from dangjian.core.models import AuditEvent, CalendarDay, CalendarYear
from dangjian.core.tests._cal import at

pytestmark = pytest.mark.django_db

GOOD = """# 2030 (made up for the test)
2030-10-01 国庆节 holiday
2030-10-02 国庆节 holiday
2030-10-03 国庆节 放假
2030-10-12 国庆节 workday

2030-10-13 调休上班
"""


def write(tmp_path, text):
    path = tmp_path / "cal.txt"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_it_enters_a_whole_year_from_a_file(tmp_path, capsys):
    CalendarDay.objects.create(date=dt.date(2030, 5, 1), kind="holiday", name="旧条目")
    CalendarDay.objects.create(date=dt.date(2029, 5, 1), kind="holiday", name="别的年份")
    assert workcal.calendar_coverage(2030) == "weekends-only"

    call_command("calendar_year", "2030", "--file", write(tmp_path, GOOD), "--source", "国办通知")

    year = CalendarYear.objects.get(year=2030)
    assert year.complete and year.source == "国办通知"
    rows = list(CalendarDay.objects.filter(date__year=2030).values_list("date", "kind", "name"))
    assert rows == [
        (dt.date(2030, 10, 1), "holiday", "国庆节"),
        (dt.date(2030, 10, 2), "holiday", "国庆节"),
        (dt.date(2030, 10, 3), "holiday", "国庆节"),
        (dt.date(2030, 10, 12), "workday", "国庆节"),
        (dt.date(2030, 10, 13), "workday", ""),
    ]
    assert CalendarDay.objects.filter(date=dt.date(2029, 5, 1)).exists()  # other years untouched
    assert workcal.calendar_coverage(2030) == "manual"
    assert workcal.is_working_day(dt.date(2030, 5, 1))  # the old entry is gone
    assert workcal.is_working_day(dt.date(2030, 10, 12))  # a Saturday
    assert workcal.add_working_days(at(2030, 9, 30, 10), 1) == at(2030, 10, 4, 17, 30)
    assert AuditEvent.objects.filter(action="calendar.year.replace", object_id=str(year.pk)).count() == 1
    assert "2030年已录入：放假3天，调休上班2天" in capsys.readouterr().out


def test_it_writes_nothing_and_lists_every_bad_line(tmp_path):
    CalendarDay.objects.create(date=dt.date(2030, 5, 1), kind="holiday", name="旧条目")
    bad = "\n".join(
        [
            "2030-10-01 国庆节 holiday",
            "2030-13-01 国庆节 holiday",  # line 2: no such date
            "2030-10-02 国庆节 rest",  # line 3: unknown kind
            "2031-10-03 国庆节 holiday",  # line 4: another year
            "2030-10-01 国庆节 holiday",  # line 5: duplicate
            "国庆节",  # line 6: malformed
        ]
    )
    with pytest.raises(CommandError) as exc:
        call_command("calendar_year", "2030", "--file", write(tmp_path, bad))
    message = str(exc.value)
    assert "5行有误，未写入任何数据" in message
    for no in (2, 3, 4, 5, 6):
        assert f"第{no}行" in message
    assert "日期与第1行重复" in message and "  第1行" not in message
    assert not CalendarYear.objects.exists()
    assert list(CalendarDay.objects.values_list("name", flat=True)) == ["旧条目"]
    assert not AuditEvent.objects.filter(action="calendar.year.replace").exists()


def test_it_refuses_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="无法读取文件"):
        call_command("calendar_year", "2030", "--file", str(tmp_path / "nope.txt"))
    assert not CalendarYear.objects.exists()
