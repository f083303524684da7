"""Working days and working hours by China's official holiday calendar.

Appeal deadlines (F2) are counted in working days or working hours: weekends and public
holidays do not count, make-up working days (调休上班日, often a Saturday or Sunday) do.

Where the answer comes from, per year (:func:`calendar_coverage`):

* ``manual`` — an administrator entered the whole year (:class:`CalendarYear` with
  ``complete``): weekdays work, weekends rest, except that year's :class:`CalendarDay` rows.
* ``package`` — the ``chinese_calendar`` package knows the year; single :class:`CalendarDay`
  rows still override it (corrections).
* ``weekends-only`` — nobody knows the year: weekdays work, weekends rest (plus any single
  :class:`CalendarDay` rows). Pages and the admin should warn when they see this.

Everything here is a pure function of its arguments and the (cached) calendar. The cache
is cleared by signals whenever a CalendarDay or CalendarYear is saved or deleted (wired in
``CoreConfig.ready``), and expires after :data:`CACHE_SECONDS` so that other worker
processes pick up an administrator's change too.

Times: inputs are aware datetimes in any time zone; results are aware datetimes in
``settings.TIME_ZONE`` (Asia/Shanghai). Naive datetimes are refused.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
import zoneinfo
from dataclasses import dataclass
from typing import Literal

import chinese_calendar
from django.conf import settings

Coverage = Literal["package", "manual", "weekends-only"]

# Office hours of Guangxi government offices (common schedule of 区直机关 and city/county
# offices: morning 08:30–12:00, afternoon 14:30–17:30, Beijing time). Working hours are
# counted only inside these windows on working days; 6.5 hours per working day.
OFFICE_HOURS: tuple[tuple[dt.time, dt.time], ...] = (
    (dt.time(8, 30), dt.time(12, 0)),
    (dt.time(14, 30), dt.time(17, 30)),
)
# The length of one working day in office time (6.5 h): countdowns and "one working day ahead".
WORKING_DAY: dt.timedelta = sum(
    (dt.datetime.combine(dt.date.min, b) - dt.datetime.combine(dt.date.min, a) for a, b in OFFICE_HOURS),
    dt.timedelta(0),
)
OFFICE_CLOSE = OFFICE_HOURS[-1][1]  # a deadline of n working days ends at this time
CACHE_SECONDS = 300

HOLIDAY, WORKDAY = "holiday", "workday"

# Years the package has data for (every year it knows has at least 元旦 in ``holidays``).
PACKAGE_YEARS: frozenset[int] = frozenset(d.year for d in chinese_calendar.holidays)


def tz() -> dt.tzinfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


# --- the calendar (package + manual rows, cached) ---------------------------------------


@dataclass(frozen=True)
class _Manual:
    days: dict[dt.date, str]  # date -> HOLIDAY | WORKDAY
    complete_years: frozenset[int]
    loaded_at: float


_lock = threading.Lock()
_cache: _Manual | None = None


def clear_cache(**_: object) -> None:
    """Forget the manual calendar; the next question reloads it. Also a signal receiver."""
    global _cache
    with _lock:
        _cache = None


def _manual() -> _Manual:
    global _cache
    cached = _cache
    if cached is not None and time.monotonic() - cached.loaded_at < CACHE_SECONDS:
        return cached
    from dangjian.core.models import CalendarDay, CalendarYear

    loaded = _Manual(
        days=dict(CalendarDay.objects.values_list("date", "kind")),
        complete_years=frozenset(CalendarYear.objects.filter(complete=True).values_list("year", flat=True)),
        loaded_at=time.monotonic(),
    )
    with _lock:
        _cache = loaded
    return loaded


def calendar_coverage(year: int) -> Coverage:
    """Where working days of ``year`` come from: 'manual', 'package' or 'weekends-only'."""
    if year in _manual().complete_years:
        return "manual"
    if year in PACKAGE_YEARS:
        return "package"
    return "weekends-only"


COVERAGE_LABELS: dict[str, str] = {
    "manual": "人工录入",
    "package": "内置日历",
    "weekends-only": "仅按周末（缺少该年节假日安排）",
}


def is_working_day(d: dt.date) -> bool:
    """Whether public offices work on ``d`` (a date; a datetime is taken in local time)."""
    if isinstance(d, dt.datetime):
        d = local(d).date()
    manual = _manual()
    kind = manual.days.get(d)
    if kind is not None:
        return kind == WORKDAY
    if d.year not in manual.complete_years and d.year in PACKAGE_YEARS:
        return bool(chinese_calendar.is_workday(d))
    return d.weekday() < 5


def next_working_day(d: dt.date) -> dt.date:
    """The first working day strictly after ``d``."""
    d += dt.timedelta(days=1)
    while not is_working_day(d):
        d += dt.timedelta(days=1)
    return d


# --- instants ----------------------------------------------------------------------------


def local(moment: dt.datetime) -> dt.datetime:
    """``moment`` in local time (Asia/Shanghai). Naive datetimes are a programming error."""
    if not isinstance(moment, dt.datetime) or moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"workcal needs an aware datetime (got {moment!r})")
    return moment.astimezone(tz())


def _at(d: dt.date, t: dt.time) -> dt.datetime:
    return dt.datetime.combine(d, t, tzinfo=tz())


def _segments(d: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
    """Office-hour windows of day ``d`` (none on a day off)."""
    if not is_working_day(d):
        return []
    return [(_at(d, a), _at(d, b)) for a, b in OFFICE_HOURS]


def next_office_moment(moment: dt.datetime) -> dt.datetime:
    """``moment`` itself if it lies inside office hours of a working day, else the next
    opening (e.g. Friday 18:00 → Monday 08:30; 12:10 → 14:30 the same day)."""
    m = local(moment)
    d = m.date()
    while True:
        for start, end in _segments(d):
            if m < end:
                return max(m, start)
        d = next_working_day(d)


def add_working_hours(start: dt.datetime, hours: float | dt.timedelta) -> dt.datetime:
    """The instant ``hours`` office hours after ``start``.

    Only office hours of working days count (lunch, evenings, weekends and holidays are
    skipped); a start outside office hours first snaps to the next opening. A deadline that
    falls exactly at a closing time stays there (10:00 + 2 h = 12:00, not 14:30).
    Example: Friday 16:30 + 2 h = Monday 09:30 when Monday is a working day.
    """
    left = hours if isinstance(hours, dt.timedelta) else dt.timedelta(hours=hours)
    if left < dt.timedelta(0):
        raise ValueError("hours must not be negative")
    m = next_office_moment(start)
    d = m.date()
    while True:
        for seg_start, seg_end in _segments(d):
            if seg_end <= m:
                continue
            begin = max(m, seg_start)
            if begin + left <= seg_end:
                return begin + left
            left -= seg_end - begin
        d = next_working_day(d)


def add_working_days(start: dt.datetime, n: int) -> dt.datetime:
    """The deadline ``n`` working days after ``start``: 17:30 on the n-th working day.

    The day of ``start`` itself is not counted (as in 民事诉讼法: 期间开始的日，不计算在期间内),
    whatever the time of day: a report on Monday (any hour) + 1 = Tuesday 17:30; a report
    on Saturday + 1 = Monday 17:30 when Monday is a working day. ``n = 0`` means "by the end
    of the current working day": 17:30 of the day of :func:`next_office_moment`.
    """
    if n < 0:
        raise ValueError("n must not be negative")
    if n == 0:
        return _at(next_office_moment(start).date(), OFFICE_CLOSE)
    d = local(start).date()
    for _ in range(n):
        d = next_working_day(d)
    return _at(d, OFFICE_CLOSE)


def working_time_between(a: dt.datetime, b: dt.datetime) -> dt.timedelta:
    """Office time between ``a`` and ``b``; negative when ``b`` is before ``a``
    (a countdown that has run out: how far overdue)."""
    a, b = local(a), local(b)
    if b < a:
        return -working_time_between(b, a)
    total = dt.timedelta(0)
    d = a.date()
    while d <= b.date():
        for seg_start, seg_end in _segments(d):
            lo, hi = max(a, seg_start), min(b, seg_end)
            if hi > lo:
                total += hi - lo
        d += dt.timedelta(days=1)
    return total


def working_hours_between(a: dt.datetime, b: dt.datetime) -> float:
    """:func:`working_time_between` in hours (e.g. 1.5); negative when overdue."""
    return working_time_between(a, b).total_seconds() / 3600


def span_text(span: dt.timedelta) -> str:
    """A stretch of working time in words, rounded to the unit that matters: under an hour
    in minutes (“25分钟”), under a working day in hours (“3小时”), else in working days
    (“2个工作日”). The sign is ignored; under a minute gives ``""`` (nothing to show)."""
    seconds = abs(span).total_seconds()
    minutes = round(seconds / 60)
    if minutes < 1:
        return ""
    if minutes < 60:
        return f"{minutes}分钟"
    if seconds < WORKING_DAY.total_seconds():
        return f"{max(1, round(seconds / 3600))}小时"
    return f"{max(1, round(seconds / WORKING_DAY.total_seconds()))}个工作日"


def working_days_between(a: dt.datetime | dt.date, b: dt.datetime | dt.date) -> int:
    """Working days after ``a``'s date up to and including ``b``'s date (local dates).

    The counterpart of :func:`add_working_days`:
    ``working_days_between(s, add_working_days(s, n)) == n``. Negative when ``b < a``.
    """
    da = local(a).date() if isinstance(a, dt.datetime) else a
    db = local(b).date() if isinstance(b, dt.datetime) else b
    if db < da:
        return -working_days_between(db, da)
    count, d = 0, da
    while d < db:
        d += dt.timedelta(days=1)
        count += is_working_day(d)
    return count


# --- hand-entered years: the line format ---------------------------------------------------

KIND_WORDS = {
    "holiday": HOLIDAY,
    "放假": HOLIDAY,
    "休": HOLIDAY,
    "workday": WORKDAY,
    "上班": WORKDAY,
    "调休上班": WORKDAY,
    "班": WORKDAY,
}
LINE_FORMAT_HELP = (
    "每行一天：日期 名称 类型，例如“2027-10-01 国庆节 holiday”“2027-09-26 国庆节 workday”。"
    "类型写 holiday（放假）或 workday（调休上班），也可写“放假”“上班”；空行和 # 开头的行忽略。"
)


@dataclass(frozen=True)
class DayLine:
    date: dt.date
    kind: str
    name: str


class CalendarInputError(ValueError):
    """Bad lines of a hand-entered year; ``errors`` lists every one, in Chinese."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


def parse_year_lines(text: str, year: int) -> list[DayLine]:
    """Parse "YYYY-MM-DD 名称 holiday|workday" lines for ``year``.

    Raises :class:`CalendarInputError` listing every bad line; returns days sorted by date.
    """
    errors: list[str] = []
    seen: dict[dt.date, int] = {}
    days: list[DayLine] = []
    for no, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split()
        if len(parts) < 2:
            errors.append(f"第{no}行“{line}”：格式应为“日期 名称 类型”")
            continue
        date_text, kind_text, name = parts[0], parts[-1], " ".join(parts[1:-1])
        try:
            day = dt.date.fromisoformat(date_text)
        except ValueError:
            errors.append(f"第{no}行“{line}”：日期“{date_text}”无效，应写成 YYYY-MM-DD")
            continue
        kind = KIND_WORDS.get(kind_text.lower())
        if kind is None:
            errors.append(
                f"第{no}行“{line}”：类型“{kind_text}”无效，应为 holiday（放假）或 workday（调休上班）"
            )
            continue
        if day.year != year:
            errors.append(f"第{no}行“{line}”：日期不在{year}年")
            continue
        if len(name) > 40:
            errors.append(f"第{no}行“{line}”：名称超过40个字")
            continue
        if day in seen:
            errors.append(f"第{no}行“{line}”：日期与第{seen[day]}行重复")
            continue
        seen[day] = no
        days.append(DayLine(date=day, kind=kind, name=name))
    if errors:
        raise CalendarInputError(errors)
    return sorted(days, key=lambda x: x.date)


def format_year_lines(days: list[tuple[dt.date, str, str]]) -> str:
    """The inverse of :func:`parse_year_lines` for (date, kind, name) rows."""
    return "\n".join(" ".join(x for x in (f"{d:%Y-%m-%d}", name, kind) if x) for d, kind, name in days)
