from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from PIL import Image, ImageEnhance

from dangjian.core.access import ScopeError
from dangjian.service import actions, guards
from dangjian.service.choices import FlagKind, FlagStatus, RecordStatus
from dangjian.service.models import Flag
from dangjian.service.tests.conftest import ago, picture


def _open(upload: Any) -> Image.Image:
    upload.seek(0)
    return Image.open(upload)


def test_dhash_is_stable_under_resize_and_brightness_but_not_across_scenes() -> None:
    a = _open(picture(7))
    resized = a.resize((640, 480))
    brighter = ImageEnhance.Brightness(a).enhance(1.15)
    other = _open(picture(8))
    h = guards.dhash(a)
    assert guards.hamming(h, guards.dhash(resized)) <= guards.SAME_PHOTO_DISTANCE
    assert guards.hamming(h, guards.dhash(brighter)) <= guards.SAME_PHOTO_DISTANCE
    assert guards.hamming(h, guards.dhash(other)) > guards.SAME_PHOTO_DISTANCE


def test_hamming_counts_bits() -> None:
    assert guards.hamming("0000000000000000", "000000000000000f") == 4
    assert guards.hamming("ffffffffffffffff", "ffffffffffffffff") == 0


def test_overlap_is_pure_and_ignores_touching_ends() -> None:
    t = datetime(2030, 1, 1, 9)
    a = guards.Span(1, t, t + timedelta(hours=2), Decimal(2))
    touching = guards.Span(2, t + timedelta(hours=2), t + timedelta(hours=3), Decimal(1))
    inside = guards.Span(3, t + timedelta(hours=1), t + timedelta(hours=4), Decimal(3))
    assert guards.overlapping(a, [touching, inside]) == [inside]


def test_month_end_burst_arithmetic() -> None:
    def s(day: int, hours: str) -> guards.Span:
        start = datetime(2030, 4, day, 9)
        return guards.Span(day, start, start + timedelta(hours=float(hours)), Decimal(hours))

    assert guards.month_end_burst([s(2, "2"), s(28, "5"), s(29, "5")]) == (Decimal(10), Decimal(12))
    assert guards.month_end_burst([s(2, "8"), s(29, "8")]) is None  # 50 % < 60 %
    assert guards.month_end_burst([s(29, "3"), s(30, "3")]) is None  # under 8 hours
    assert guards.is_month_end(datetime(2030, 2, 26).date()) and not guards.is_month_end(
        datetime(2030, 2, 25).date()
    )


def test_it_flags_a_reused_photo_not_a_fresh_one(world: Any, svc: Any, record: Any, registered: Any) -> None:
    first = record(photos=[picture(3)], start=ago(days=10))
    clean = record(photos=[picture(4)], start=ago(days=9))
    assert not Flag.objects.exists()
    reused = record(
        person=registered.colleague.person,
        acting_user=registered.colleague_user,
        photos=[picture(3)],
        start=ago(days=8),
    )
    flag = Flag.objects.get()
    assert flag.kind == FlagKind.PHOTO_REUSE and flag.record == reused and flag.other == first
    assert clean.pk not in (flag.record_id, flag.other_id)


def test_it_flags_overlapping_times_for_one_person(
    world: Any, svc: Any, record: Any, registered: Any
) -> None:
    start = ago(days=4)
    a = record(start=start)
    record(start=start + timedelta(hours=3))  # after the first: clean
    record(
        person=registered.colleague.person, acting_user=registered.colleague_user, start=start
    )  # other person
    assert not Flag.objects.exists()
    b = record(start=start + timedelta(hours=1))
    flag = Flag.objects.get()
    assert flag.kind == FlagKind.OVERLAP and flag.record == b and flag.other == a


def test_it_flags_a_month_end_burst(world: Any, svc: Any, record: Any) -> None:
    tz = timezone.get_current_timezone()
    now = timezone.localtime()
    last_month_end = now.replace(day=1, hour=9, minute=0, second=0, microsecond=0) - timedelta(days=1)
    month_start = last_month_end.replace(day=1)
    record(start=month_start.astimezone(tz), ended_at=month_start + timedelta(hours=2))
    for d in (2, 1, 0):
        day = last_month_end - timedelta(days=d)
        record(start=day, ended_at=day + timedelta(hours=4))
    # raised once, by the record that took the month-end hours to 8 of 10 (one flag per person-month)
    flag = Flag.objects.get()
    assert flag.kind == FlagKind.MONTH_END_BURST and "记时8.0小时，占当月10.0小时的80%" in flag.reason


def test_a_steady_month_is_not_a_burst(world: Any, svc: Any, record: Any) -> None:
    now = timezone.localtime()
    last_month_end = now.replace(day=1, hour=9, minute=0, second=0, microsecond=0) - timedelta(days=1)
    for d in (20, 15, 10, 5, 0):
        day = last_month_end - timedelta(days=d)
        record(start=day, ended_at=day + timedelta(hours=3))
    assert not Flag.objects.exists()


def test_a_reviewer_confirms_or_clears(world: Any, svc: Any, record: Any) -> None:
    start = ago(days=4)
    record(start=start)
    b = record(start=start + timedelta(hours=1))
    flag = Flag.objects.get()
    with pytest.raises(ValidationError, match="复核意见"):
        actions.review_flag(flag=flag, confirm=True, acting_user=svc.worker)
    with pytest.raises(ScopeError):
        actions.review_flag(flag=flag, confirm=False, acting_user=svc.worker_b)
    actions.review_flag(flag=flag, confirm=True, note="同一时段不可能两处服务", acting_user=svc.worker)
    flag.refresh_from_db()
    b.refresh_from_db()
    assert flag.status == FlagStatus.CONFIRMED and b.status == RecordStatus.RETURNED
