"""The bounds of every number, year and date accepted from outside, in one place.

The API schemas use the Annotated types below (pydantic checks them and the API answers 422
with the usual Chinese error shape); the web views parse form and query values with the
``parse_*`` functions, which apply the same bounds and answer ``None`` for anything outside
them. So ``?page=99999999999999999999``, ``employees = 2**63``, ``quantity = 1e308``, ``NaN``,
``year=-1`` or ``started_at: "9999-12-31T23:59:59"`` never reach PostgreSQL (``bigint out of
range``, ``numeric field overflow``) or the date arithmetic (``OverflowError``).
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from ninja.pagination import PageNumberPagination as NinjaPageNumberPagination
from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError

# PostgreSQL's integer and bigint: counts and quantities are integer columns, ids bigint.
INT_MAX = 2_147_483_647
ID_MAX = 9_223_372_036_854_775_807
# Pages of a list: far beyond any real list, far below an OFFSET overflow.
PAGE_MAX = 1_000_000
# Years a record, a figure or a filter may refer to (birth dates included).
YEAR_MIN = 1900
YEAR_MAX = 2100
# Money and areas: what the smallest such column, numeric(9, 2), holds.
AMOUNT_MAX = Decimal("9999999.99")
# Quantities of an award or an order, hours of service.
QUANTITY_MAX = Decimal("9999")

YEAR_MESSAGE = f"年份应在 {YEAR_MIN}—{YEAR_MAX} 之间"
DATE_MESSAGE = f"日期应在 {YEAR_MIN}—{YEAR_MAX} 年之间"

# pydantic error types raised here (and by the Field bounds) → the Chinese the API answers.
MESSAGES = {
    "date_out_of_range": DATE_MESSAGE,
    "finite_number": "应为有限的数字",
    "decimal_max_digits": "数值过大",
    "decimal_max_places": "小数位数过多",
    "decimal_whole_digits": "数值过大",
    "decimal_type": "应为数字",
    "int_from_float": "应为整数",
    "datetime_parsing": "时间格式应为 YYYY-MM-DDTHH:MM:SS",
    "datetime_from_date_parsing": "时间格式应为 YYYY-MM-DDTHH:MM:SS",
    "datetime_type": "时间格式应为 YYYY-MM-DDTHH:MM:SS",
    "date_type": "日期格式应为 YYYY-MM-DD",
    "too_long": "列表项过多",
    "too_short": "列表项过少",
}


def _check_day(value: dt.date) -> dt.date:
    if not YEAR_MIN <= value.year <= YEAR_MAX:
        raise PydanticCustomError("date_out_of_range", DATE_MESSAGE)
    return value


def _check_moment(value: dt.datetime) -> dt.datetime:
    # Also keeps a time zone offset from carrying the moment past year 9999 in UTC.
    _check_day(value.date())
    return value


Id = Annotated[int, Field(ge=1, le=ID_MAX)]
Count = Annotated[int, Field(ge=0, le=INT_MAX)]
SmallInt = Annotated[int, Field(ge=-INT_MAX - 1, le=INT_MAX)]
Page = Annotated[int, Field(ge=1, le=PAGE_MAX)]
Year = Annotated[int, Field(ge=YEAR_MIN, le=YEAR_MAX)]
Month = Annotated[int, Field(ge=1, le=12)]
Amount = Annotated[Decimal, Field(ge=-AMOUNT_MAX, le=AMOUNT_MAX, decimal_places=2, allow_inf_nan=False)]
Quantity = Annotated[Decimal, Field(ge=-QUANTITY_MAX, le=QUANTITY_MAX, decimal_places=2, allow_inf_nan=False)]
Longitude = Annotated[float, Field(ge=-180, le=180, allow_inf_nan=False)]
Latitude = Annotated[float, Field(ge=-90, le=90, allow_inf_nan=False)]
Day = Annotated[dt.date, AfterValidator(_check_day)]
Moment = Annotated[dt.datetime, AfterValidator(_check_moment)]
IdList = Annotated[list[Id], Field(max_length=1000)]


class PageNumberPagination(NinjaPageNumberPagination):
    """ninja's page-number pagination with the page bounded (no OFFSET overflow)."""

    class Input(NinjaPageNumberPagination.Input):
        page: Page = 1
        page_size: Annotated[int, Field(ge=1, le=1000)] | None = None


# --- forms and query strings ------------------------------------------------------------------


def parse_int(raw: Any, *, lo: int = -INT_MAX - 1, hi: int = INT_MAX) -> int | None:
    """An integer within [lo, hi] from a form or query value, else None."""
    text = str(raw if raw is not None else "").strip()
    if not text or len(text) > 20:
        return None
    try:
        value = int(text)
    except ValueError:
        return None
    return value if lo <= value <= hi else None


def parse_id(raw: Any) -> int | None:
    return parse_int(raw, lo=1, hi=ID_MAX)


def is_id(raw: Any) -> bool:
    """Whether ``raw`` is an id a lookup can take (unlike ``str.isdigit``, which accepts "²")."""
    return parse_id(raw) is not None


def parse_count(raw: Any) -> int | None:
    return parse_int(raw, lo=0, hi=INT_MAX)


def parse_year(raw: Any) -> int | None:
    return parse_int(raw, lo=YEAR_MIN, hi=YEAR_MAX)


def parse_decimal(raw: Any, *, lo: Decimal = -AMOUNT_MAX, hi: Decimal = AMOUNT_MAX) -> Decimal | None:
    """A finite decimal within [lo, hi], else None (NaN, Infinity and 1e999 included)."""
    text = str(raw if raw is not None else "").strip()
    if not text or len(text) > 40:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    if not value.is_finite() or not lo <= value <= hi:
        return None
    return value


def parse_float(raw: Any, *, bound: float) -> float | None:
    """A finite float with ``abs(value) <= bound``, else None."""
    try:
        value = float(str(raw).strip())
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) and abs(value) <= bound else None


def in_range(day: dt.date | dt.datetime | None) -> bool:
    """Whether a parsed date or moment lies within the accepted years."""
    return day is not None and YEAR_MIN <= day.year <= YEAR_MAX


def parse_day(raw: Any) -> dt.date | None:
    """A ``YYYY-MM-DD`` date within the accepted years, else None."""
    try:
        day = dt.date.fromisoformat(str(raw or "").strip())
    except ValueError:
        return None
    return day if in_range(day) else None


def parse_month(raw: Any) -> dt.date | None:
    """A ``YYYY-MM`` month (its first day) within the accepted years, else None."""
    return parse_day(f"{str(raw or '').strip()}-01") if len(str(raw or "").strip()) == 7 else None


def parse_moment(raw: Any, fmt: str = "%Y-%m-%dT%H:%M") -> dt.datetime | None:
    """A naive datetime in ``fmt`` within the accepted years, else None."""
    try:
        moment = dt.datetime.strptime(str(raw or "").strip(), fmt)
    except ValueError:
        return None
    return moment if in_range(moment) else None
