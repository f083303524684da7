from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from dangjian.core.access import ScopeError
from dangjian.service import actions
from dangjian.service.choices import RecordStatus
from dangjian.service.models import RecordPhoto, ServiceRecord
from dangjian.service.tests.conftest import ago, picture


def test_it_records_a_service_with_photos_stripped_and_hashed(world: Any, svc: Any, record: Any) -> None:
    rec = record(photos=[picture(1)], place_text="东湖一号小区3栋")
    assert rec.status == RecordStatus.SUBMITTED and rec.hours == Decimal("2.0")
    assert rec.member == svc.member and rec.branch_id == world.branch_a1.pk
    photo = RecordPhoto.objects.get(record=rec)
    assert len(photo.dhash) == 16 and photo.width == 200


def test_it_refuses_bad_times_and_hours(world: Any, record: Any) -> None:
    start = ago(days=1)
    with pytest.raises(ValidationError, match="晚于"):
        record(start=start, ended_at=start - timedelta(hours=1))
    with pytest.raises(ValidationError, match="服务时长"):
        record(start=start, hours=Decimal("5"))
    with pytest.raises(ValidationError, match="尚未结束"):
        record(start=ago(hours=-2))
    with pytest.raises(ValidationError):
        record(photos=[picture(1, fmt="GIF")])
    assert not ServiceRecord.objects.exists()


def test_nobody_records_for_others_outside_their_scope(world: Any, svc: Any, record: Any) -> None:
    with pytest.raises(ScopeError):
        record(acting_user=world.resident)
    rec = record(acting_user=svc.worker)  # community staff record for a member without a phone
    assert rec.created_by == svc.worker


def test_verification_pays_points_and_hours_once(world: Any, svc: Any, record: Any) -> None:
    from dangjian.points import actions as points_actions
    from dangjian.points.models import Movement

    points_actions.set_budget(issuer=world.community_a, year=ago().year, amount=1000, acting_user=None)
    rec = record()
    actions.verify_record(record=rec, acting_user=svc.worker)
    rec.refresh_from_db()
    assert rec.status == RecordStatus.VERIFIED and rec.rewarded, rec.reward_error
    assert Movement.objects.filter(person=world.member_person).count() == 2  # points + time bank
    with pytest.raises(ValidationError):
        actions.verify_record(record=rec, acting_user=svc.worker)
    actions.retry_reward(record=rec, acting_user=svc.worker)
    assert Movement.objects.filter(person=world.member_person).count() == 2


def test_a_refused_award_keeps_the_verification(world: Any, svc: Any, record: Any) -> None:
    from dangjian.points import actions as points_actions
    from dangjian.points.models import Movement

    points_actions.set_budget(issuer=world.community_a, year=ago().year, amount=0, acting_user=None)
    rec = record()
    actions.verify_record(record=rec, acting_user=svc.worker)
    rec.refresh_from_db()
    assert rec.status == RecordStatus.VERIFIED and not rec.rewarded and rec.reward_error
    assert not Movement.objects.filter(person=world.member_person).exists()
    points_actions.set_budget(issuer=world.community_a, year=ago().year, amount=1000, acting_user=None)
    actions.retry_reward(record=rec, acting_user=svc.worker)
    rec.refresh_from_db()
    assert rec.rewarded and rec.reward_error == ""


def test_it_returns_with_a_reason_and_rates_only_verified(world: Any, svc: Any, record: Any) -> None:
    rec = record()
    with pytest.raises(ValidationError, match="已核实"):
        actions.rate_record(record=rec, rating=5, acting_user=svc.worker)
    with pytest.raises(ValidationError, match="原因"):
        actions.return_record(record=rec, reason="", acting_user=svc.worker)
    actions.return_record(record=rec, reason="缺少现场照片", acting_user=svc.worker)
    rec.refresh_from_db()
    assert rec.status == RecordStatus.RETURNED
    rec2 = record(start=ago(days=5))
    actions.verify_record(record=rec2, acting_user=svc.worker)
    actions.rate_record(record=rec2, rating=5, note="很用心", acting_user=svc.worker)
    rec2.refresh_from_db()
    assert rec2.rating == 5


def test_outsiders_cannot_verify(world: Any, svc: Any, record: Any) -> None:
    rec = record()
    for who in (svc.worker_b, world.outsider, world.member, svc.unit_admin):
        with pytest.raises(ScopeError):
            actions.verify_record(record=rec, acting_user=who)
    rec.refresh_from_db()
    assert rec.status == RecordStatus.SUBMITTED
