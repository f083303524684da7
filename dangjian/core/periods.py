"""The date range every figures page reads: ``?range=last30|month|last_month|quarter|year|custom``
with ``&start=&end=`` for a custom range, and the bar of presets that sets it
(``includes/period_bar.html``).

The default is the last 30 days (近30天), today included: on the 4th of a month "本月" holds
three days and a leader's first look would be 解决率 0.0%. The calendar presets stay one
click away. Bad input falls back to the default with a message in Chinese.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from dangjian.core import bounds

PRESETS = {
    "last30": "近30天",
    "month": "本月",
    "last_month": "上月",
    "quarter": "本季度",
    "year": "本年",
    "custom": "自定义",
}
DEFAULT = "last30"
MAX_SPAN_DAYS = 366 * 5


@dataclass
class Period:
    start: date
    end: date
    preset: str
    error: str = ""

    @property
    def label(self) -> str:
        return f"{self.start:%Y-%m-%d} 至 {self.end:%Y-%m-%d}"

    @property
    def name(self) -> str:
        """The preset's name (近30天, 本月…) or the dates of a custom range."""
        return PRESETS[self.preset] if self.preset != "custom" else self.label

    def params(self) -> dict[str, str]:
        """The query parameters that give this period back."""
        if self.preset == "custom":
            return {"range": "custom", "start": f"{self.start:%Y-%m-%d}", "end": f"{self.end:%Y-%m-%d}"}
        return {"range": self.preset}

    def moments(self) -> tuple[datetime, datetime]:
        """``[start, end)`` as aware datetimes: from the first day's midnight to the midnight
        after the last day, for filtering timestamps."""
        tz = timezone.get_current_timezone()
        return datetime.combine(self.start, time.min, tz), datetime.combine(
            self.end + timedelta(days=1), time.min, tz
        )


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def preset_range(preset: str, today: date) -> tuple[date, date]:
    if preset == "last30":
        return today - timedelta(days=29), today
    if preset == "last_month":
        end = today.replace(day=1) - timedelta(days=1)
        return end.replace(day=1), end
    if preset == "quarter":
        first_month = (today.month - 1) // 3 * 3 + 1
        start = today.replace(month=first_month, day=1)
        return start, month_end(start.replace(month=first_month + 2))
    if preset == "year":
        return today.replace(month=1, day=1), today.replace(month=12, day=31)
    return today.replace(day=1), month_end(today)


def _parse_day(value: str | None) -> date | None:
    value = (value or "").strip()
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return None
    return bounds.parse_day(value)


def parse_period(params: Any, today: date | None = None) -> Period:
    """The period of a request's GET parameters; bad input → the default range + an error."""
    today = today or timezone.localdate()
    preset = params.get("range") or ""
    raw_start, raw_end = params.get("start"), params.get("end")
    if not preset:
        preset = "custom" if (raw_start or raw_end) else DEFAULT

    def fallback(message: str) -> Period:
        return Period(*preset_range(DEFAULT, today), DEFAULT, f"{message}，已改为{PRESETS[DEFAULT]}")

    if preset not in PRESETS:
        return fallback("统计区间不正确")
    if preset != "custom":
        return Period(*preset_range(preset, today), preset)
    start, end = _parse_day(raw_start), _parse_day(raw_end)
    if start is None or end is None:
        return fallback("请填写开始和结束日期（格式 YYYY-MM-DD）")
    if start > end:
        return fallback("开始日期不能晚于结束日期")
    if (end - start).days > MAX_SPAN_DAYS:
        return fallback("统计区间不能超过 5 年")
    return Period(start, end, "custom")


def month_period(month: date) -> Period:
    """One calendar month as a custom period (for the older ``?month=YYYY-MM`` links)."""
    return Period(month.replace(day=1), month_end(month), "custom")


def year_period(year: int) -> Period:
    """One calendar year as a custom period (for the older ``?year=YYYY`` links)."""
    return Period(date(year, 1, 1), date(year, 12, 31), "custom")
