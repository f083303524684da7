"""Writes that belong to the platform itself: revealing protected personal data."""

from __future__ import annotations

from typing import Any

from django.db import models, transaction

from dangjian.core import crypto
from dangjian.core.access import ensure_in_scope
from dangjian.core.models import RevealLog


@transaction.atomic
def do_reveal(obj: models.Model, field: str, *, acting_user: Any, reason: str = "") -> str:
    """Return the plain value of ``obj.<field>`` (e.g. ``phone``) and log the reveal.

    Only users whose role carries the ``reveal`` action over ``obj`` get here; everyone
    else sees ``<field>_masked``.
    """
    ensure_in_scope(acting_user, "reveal", obj)
    token = getattr(obj, f"{field}_enc")
    RevealLog.objects.create(
        actor=acting_user,
        model=obj._meta.label_lower,
        object_id=str(obj.pk),
        field=field,
        reason=reason[:200],
    )
    return crypto.decrypt(token)


@transaction.atomic
def do_replace_calendar_year(
    *, year: int, days: list[Any], source: str = "", complete: bool = True, acting_user: Any
) -> Any:
    """Replace the hand-entered holiday calendar of ``year`` with ``days``.

    ``days`` are :class:`dangjian.core.workcal.DayLine` rows (from ``parse_year_lines``), all
    in ``year``. Every manual entry of that year is replaced; the year is marked
    ``complete`` (the package is then ignored for it) unless told otherwise.
    """
    from dangjian.core import audit, workcal
    from dangjian.core.models import CalendarDay, CalendarYear

    if any(d.date.year != year for d in days):
        raise ValueError("all days must lie in the year being replaced")
    entry = CalendarYear.objects.select_for_update().filter(year=year).first()
    before = audit.snapshot(entry)
    old = list(
        CalendarDay.objects.filter(date__year=year).order_by("date").values_list("date", "kind", "name")
    )
    if entry is None:
        entry = CalendarYear(year=year)
    entry.complete = complete
    entry.source = source
    entry.save()
    CalendarDay.objects.filter(date__year=year).delete()
    CalendarDay.objects.bulk_create(CalendarDay(date=d.date, kind=d.kind, name=d.name) for d in days)
    after = audit.snapshot(entry) or {}
    after["days"] = workcal.format_year_lines(
        [(d.date, d.kind, d.name) for d in sorted(days, key=lambda x: x.date)]
    )
    if before is not None:
        before["days"] = workcal.format_year_lines(old)
    audit.record(acting_user, "calendar.year.replace", entry, before=before, after=after)
    # bulk_create sends no post_save: forget the cache now and again once committed.
    workcal.clear_cache()
    transaction.on_commit(workcal.clear_cache)
    return entry
