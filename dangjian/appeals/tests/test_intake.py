"""Intake: idempotency, readable numbers, locating to a grid or a triage queue, validation."""

import pytest
from django.core.exceptions import ValidationError

from dangjian.appeals import actions
from dangjian.appeals.choices import Tier
from dangjian.appeals.models import Case, Category, Transition


def test_a_retry_with_the_same_key_returns_the_first_case(world, report):
    first = report(idempotency_key="client-uuid-1")
    again = actions.submit_case(
        channel="resident",
        category=first.category,
        title="路灯不亮",
        description="重试",
        lng=110.355,
        lat=22.705,
        idempotency_key="client-uuid-1",
        acting_user=world.resident,
    )
    assert again.created is False and again.case.pk == first.pk
    assert Case.objects.count() == 1 and Transition.objects.filter(event="submit").count() == 1


def test_numbers_are_readable_and_sequential_per_day(world, report):
    a, b = report(), report()
    day = a.created_at.astimezone().strftime("%Y%m%d")
    assert a.number[3:11] == day or a.number.split("-")[1] == a.received_on.strftime("%Y%m%d")
    assert int(b.number.rsplit("-", 1)[1]) == int(a.number.rsplit("-", 1)[1]) + 1


def test_a_point_in_no_grid_goes_to_the_street_or_city_queue(world, report):
    in_street = report(lng=110.365, lat=22.713)
    assert (
        in_street.tier == Tier.STREET
        and in_street.handling_node_id == world.street_a.pk
        and not in_street.located
    )
    in_city = report(lng=110.368, lat=22.716)
    assert in_city.tier == Tier.COUNTY and in_city.handling_node_id == world.county.pk


def test_a_point_outside_the_city_is_refused_and_nothing_is_written(world, report):
    with pytest.raises(ValidationError, match="不在本市范围内"):
        report(lng=111.5, lat=23.5)
    assert Case.objects.count() == 0


def test_bad_input_lists_every_problem_in_chinese(world):
    with pytest.raises(ValidationError) as exc:
        actions.submit_case(
            channel="resident",
            category=None,
            title="",
            description="",
            lng=110.35,
            lat=None,
            idempotency_key="",
            contact_phone="12345",
            acting_user=world.resident,
        )
    text = str(exc.value)
    for words in ("分类", "标题", "描述问题", "经纬度须同时提供", "幂等键", "联系电话不正确"):
        assert words in text
    assert Case.objects.count() == 0


def test_enterprise_reports_use_their_own_categories_and_tighter_deadlines(world, road):
    enterprise_cat = Category.objects.filter(enterprise=True, level=3).first()
    assert enterprise_cat is not None
    with pytest.raises(ValidationError, match="企业诉求"):
        actions.submit_case(
            channel="enterprise",
            category=road,
            title="停电",
            description="厂区停电",
            lng=110.355,
            lat=22.705,
            idempotency_key="e1",
            acting_user=world.resident,
        )
    with pytest.raises(ValidationError, match="仅用于企业诉求"):
        actions.submit_case(
            channel="resident",
            category=enterprise_cat,
            title="停电",
            description="厂区停电",
            lng=110.355,
            lat=22.705,
            idempotency_key="e2",
            acting_user=world.resident,
        )
    case = actions.submit_case(
        channel="enterprise",
        category=enterprise_cat,
        title="停电",
        description="厂区停电",
        lng=110.355,
        lat=22.705,
        idempotency_key="e3",
        acting_user=world.resident,
    ).case
    from dangjian.appeals import taxonomy

    assert enterprise_cat.response_hours < taxonomy.DEFAULT_RESPONSE_HOURS
    assert enterprise_cat.resolve_days < taxonomy.DEFAULT_RESOLVE_DAYS
    assert case.channel == "enterprise"


def test_contact_phone_is_sealed_and_masked(world, report):
    case = report(contact_phone="13912345678", anonymous=True)
    assert case.contact_phone_masked == "139****5678" and "13912345678" not in case.contact_phone_enc


def test_a_key_used_by_someone_else_returns_nothing_of_their_case(world, report):
    report(idempotency_key="shared-key")
    with pytest.raises(actions.IdempotencyConflict, match="幂等键已被其他提交使用"):
        actions.submit_case(
            channel="resident",
            category=Case.objects.get().category,
            title="别人的",
            description="x",
            lng=110.355,
            lat=22.705,
            idempotency_key="shared-key",
            acting_user=world.member,
        )
    assert Case.objects.count() == 1
