"""Helpers for the working-day calendar tests."""

import datetime as dt
import zoneinfo

SH = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> dt.datetime:
    """An aware Asia/Shanghai datetime."""
    return dt.datetime(y, m, d, hh, mm, tzinfo=SH)
