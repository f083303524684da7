from decimal import Decimal
from typing import Any

from dangjian.party import actions as party_actions
from dangjian.party.models import PartyMember
from dangjian.people import actions as people_actions
from dangjian.service import actions, figures
from dangjian.service.tests.conftest import ago


def test_rate_arithmetic() -> None:
    assert figures.rate(0, 0) is None
    assert figures.rate(1, 3) == Decimal("33.3")
    assert figures.rate(2, 3) == Decimal("66.7")
    assert figures.rate(4, 4) == Decimal("100.0")


def test_registration_rate_on_a_hand_made_set(world: Any, svc: Any) -> None:
    """Unit 财政局: 4 in-service members (colleague + 3 more) and one retired; 2 confirmed,
    1 pending, 1 rejected → 2/4 = 50.0 %. The retired member is not counted."""
    extra = []
    for name in ("甲", "乙", "丙"):
        p = people_actions.create_person(name=name, home=world.compound_a1, acting_user=None)
        extra.append(
            party_actions.register_member(
                person=p,
                organization=world.branch_a1,
                category="in_service",
                work_unit=svc.unit,
                acting_user=None,
            )
        )
    p = people_actions.create_person(name="丁", home=world.compound_a1, acting_user=None)
    retired = party_actions.register_member(
        person=p, organization=world.branch_a1, category="retired", work_unit=svc.unit, acting_user=None
    )
    for m in (svc.colleague, extra[0], retired):
        reg = actions.register_member(member=m, community=world.community_a, acting_user=None)
        actions.confirm_member_registration(registration=reg, acting_user=svc.worker)
    actions.register_member(member=extra[1], community=world.community_a, acting_user=None)  # pending
    reg = actions.register_member(member=extra[2], community=world.community_a, acting_user=None)
    actions.reject_member_registration(registration=reg, reason="重复", acting_user=svc.worker)

    by_unit = {r.name: r for r in figures.registration_rates(PartyMember.objects.all(), "unit")}
    assert (by_unit["北流市财政局"].registered, by_unit["北流市财政局"].total) == (2, 4)
    assert by_unit["北流市财政局"].rate == Decimal("50.0")
    # the branch also holds world.member (in service, not registered): 2 / 5
    by_branch = {r.name: r for r in figures.registration_rates(PartyMember.objects.all(), "branch")}
    assert (by_branch["东湖一号小区党支部"].registered, by_branch["东湖一号小区党支部"].total) == (2, 5)
    by_community = {r.name: r for r in figures.registration_rates(PartyMember.objects.all(), "community")}
    assert by_community["桂塘社区"].rate == Decimal("40.0")


def test_service_hours_count_verified_only(world: Any, registered: Any, record: Any) -> None:
    r1 = record(person=registered.colleague.person, acting_user=registered.colleague_user, start=ago(days=2))
    record(
        person=registered.colleague.person, acting_user=registered.colleague_user, start=ago(days=1)
    )  # unverified
    actions.verify_record(record=r1, acting_user=registered.worker)
    start, end = figures.month_bounds(ago(days=2).date())
    rows = figures.service_hours(
        __import__("dangjian.service.models", fromlist=["x"]).ServiceRecord.objects.all(), "unit", start, end
    )
    assert [(r.name, r.hours, r.records) for r in rows] == [("北流市财政局", Decimal("2.0"), 1)]
    report = figures.unit_report(unit=registered.unit, month=ago(days=2).date())
    assert [(line.member, line.hours) for line in report] == [(registered.colleague, Decimal("2.0"))]
