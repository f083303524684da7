"""Guards against formalism (F6), as pure functions: no database.

* the same photo reused across records — a difference hash (dHash) per photo, compared by
  Hamming distance;
* month-end bursts of hours for one person;
* overlapping service times for one person.

``actions.run_guards`` applies them to a new record and writes ``Flag`` rows.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from PIL import Image

HASH_SIZE = 8  # 8×8 comparisons → a 64-bit hash
# Two photos whose hashes differ in at most this many of 64 bits are taken as the same
# picture (re-encoded, resized, lightly cropped or brightened); different scenes sit far
# above it (about 32 for unrelated pictures).
SAME_PHOTO_DISTANCE = 6

# A month-end burst: hours started in the last BURST_DAYS days of a month make up at least
# BURST_SHARE of that month's hours, and at least BURST_MIN_HOURS.
BURST_DAYS = 3
BURST_SHARE = Decimal("0.6")
BURST_MIN_HOURS = Decimal("8")


def dhash(image: Image.Image, size: int = HASH_SIZE) -> str:
    """Difference hash: grey, shrink to (size+1)×size, one bit per left<right pixel pair."""
    grey = image.convert("L").resize((size + 1, size), Image.Resampling.LANCZOS)
    px = grey.tobytes()  # one byte per pixel in mode L
    bits = 0
    for row in range(size):
        for col in range(size):
            left = px[row * (size + 1) + col]
            right = px[row * (size + 1) + col + 1]
            bits = (bits << 1) | (1 if left < right else 0)
    return f"{bits:0{size * size // 4}x}"


def hamming(a: str, b: str) -> int:
    return (int(a, 16) ^ int(b, 16)).bit_count()


def same_photo(a: str, b: str, threshold: int = SAME_PHOTO_DISTANCE) -> bool:
    return hamming(a, b) <= threshold


@dataclass(frozen=True)
class Span:
    """One record of one person, as the guards see it."""

    id: Any
    start: datetime
    end: datetime
    hours: Decimal


def overlapping(new: Span, others: Iterable[Span]) -> list[Span]:
    """The other spans that share some time with ``new`` (touching ends do not count)."""
    return [o for o in others if o.id != new.id and o.start < new.end and new.start < o.end]


def is_month_end(day: date, days: int = BURST_DAYS) -> bool:
    last = calendar.monthrange(day.year, day.month)[1]
    return day.day > last - days


def month_end_burst(spans: Iterable[Span]) -> tuple[Decimal, Decimal] | None:
    """For one person's spans of one month: ``(month-end hours, month hours)`` if a burst."""
    total = Decimal("0")
    tail = Decimal("0")
    for s in spans:
        total += s.hours
        if is_month_end(s.start.date()):
            tail += s.hours
    if total and tail >= BURST_MIN_HOURS and tail / total >= BURST_SHARE:
        return tail, total
    return None
