"""The whole loop through the actions: 群众点单 → 评价, proxies, reasons, funding, evidence."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from dangjian.appeals.tests.images import has_exif, jpeg
from dangjian.core.models import AuditEvent
from dangjian.needs import actions, workflow
from dangjian.needs.choices import Status
from dangjian.needs.models import NeedTransition
from dangjian.needs.tests.conftest import post_wish, published_wish


def test_it_runs_the_five_orders_to_a_rating(world, unit, unit_liaison):
    from dangjian.points.models import Movement

    need = post_wish(world, people_served=2, estimated_cost="80")
    assert need.status == Status.SUBMITTED and need.number.startswith("XY-")
    assert need.community_id == world.community_a.pk and need.grid_id == world.grid_a1.pk
    assert not need.on_behalf
    need = actions.publish_need(need, acting_user=world.street_officer)
    assert need.status == Status.PUBLISHED and need.published_at
    need = actions.order_need(need, branch=world.branch_a1, acting_user=world.street_officer)
    assert need.status == Status.ORDERED and need.branch_id == world.branch_a1.pk
    need = actions.claim_need(need, acting_user=world.member)
    assert need.status == Status.CLAIMED
    assert (
        need.claimed_member is not None
        and need.claimed_member.person_id == world.member_person.pk
        and not need.assigned
    )
    need = actions.fund_need(need, unit=unit, amount="80", acting_user=unit_liaison)
    assert need.status == Status.CLAIMED and need.funded_amount == Decimal("80.00")
    need = actions.fulfil_need(
        need, evidence="书包已送到", photos=[jpeg("done.jpg")], acting_user=world.member
    )
    assert need.status == Status.FULFILLED
    photo = need.photos.get()
    with photo.image.open("rb") as fh:
        assert not has_exif(fh.read())  # GPS and camera data stripped
    need = actions.confirm_need(need, acting_user=world.resident)
    assert need.status == Status.CONFIRMED
    assert Movement.objects.filter(person=world.member_person, rule__code="wish_fulfilled").count() == 1
    need = actions.rate_need(need, rating=5, comment="谢谢党员同志", acting_user=world.resident)
    assert need.status == Status.RATED and need.rating == 5
    events = list(NeedTransition.objects.filter(need=need).values_list("event", flat=True))
    assert events == ["submit", "publish", "order", "claim", "fund", "fulfil", "confirm", "rate"]
    assert AuditEvent.objects.filter(model="needs.need", object_id=str(need.pk)).count() == 8


def test_a_grid_worker_acts_for_a_resident_without_a_phone(world):
    need = post_wish(world, title="帮忙买米", acting_user=world.grid_worker)
    assert need.on_behalf and need.posted_by == world.grid_worker
    first = need.transitions.get()
    assert first.on_behalf and first.actor == world.grid_worker
    assert AuditEvent.objects.filter(action="needs.submit.on_behalf", object_id=str(need.pk)).exists()
    need = actions.publish_need(need, acting_user=world.street_officer)
    need = actions.claim_need(need, acting_user=world.member)
    need = actions.fulfil_need(need, evidence="已送米上门", acting_user=world.member)
    need = actions.confirm_need(need, acting_user=world.grid_worker)
    t = need.transitions.get(event="confirm")
    assert t.on_behalf and t.actor == world.grid_worker
    assert AuditEvent.objects.filter(action="needs.confirm.on_behalf").exists()


def test_a_grid_worker_cannot_post_for_someone_outside_their_grid(world):
    from dangjian.core.access import ScopeError

    with pytest.raises(ScopeError):
        post_wish(world, beneficiary=world.other_person, acting_user=world.grid_worker)
    assert not world.other_person.needs.exists()


def test_reasons_are_required_and_nothing_changes_without_one(world):
    need = post_wish(world)
    with pytest.raises(ValidationError):
        actions.reject_need(need, reason="  ", acting_user=world.street_officer)
    need.refresh_from_db()
    assert need.status == Status.SUBMITTED
    need = actions.reject_need(need, reason="不属于微心愿范围", acting_user=world.street_officer)
    assert need.status == Status.REJECTED and need.closure_reason == "不属于微心愿范围"


def test_release_returns_it_to_the_wall_and_return_goes_back_to_the_claimer(world):
    need = published_wish(world)
    need = actions.claim_need(need, acting_user=world.member)
    need = actions.release_need(need, reason="临时出差", acting_user=world.member)
    assert need.status == Status.PUBLISHED and need.claimed_member is None and need.claimer_name == ""
    need = actions.claim_need(need, acting_user=world.member)
    need = actions.fulfil_need(need, evidence="完成", acting_user=world.member)
    need = actions.return_need(need, reason="书包尺寸不对", acting_user=world.resident)
    assert need.status == Status.CLAIMED


def test_withdraw_by_the_resident_and_no_points_when_a_unit_did_it(world, unit, unit_liaison):
    from dangjian.points.models import Movement

    gone = actions.withdraw_need(
        post_wish(world, title="不需要了"), reason="已自行解决", acting_user=world.resident
    )
    assert gone.status == Status.CANCELLED
    need = actions.claim_need(published_wish(world), acting_user=unit_liaison, unit=unit)
    assert need.claimer_kind == "unit" and need.claimed_unit == unit
    need = actions.fulfil_need(need, evidence="单位志愿者已完成", acting_user=unit_liaison)
    actions.confirm_need(need, acting_user=world.resident)
    assert not Movement.objects.filter(rule__code="wish_fulfilled").exists()


def test_assign_to_a_team_or_a_directed_member(world):
    need = published_wish(world)
    need = actions.assign_need(
        need, team_name="红马甲志愿服务队", claimer_kind="team", acting_user=world.street_officer
    )
    assert need.status == Status.CLAIMED and need.assigned and need.claimer_name == "红马甲志愿服务队"
    other = published_wish(world, title="陪老人聊天")
    other = actions.order_need(
        other,
        branch=world.branch_a1,
        directed_member=world.member_person.party_member,
        acting_user=world.street_officer,
    )
    assert other.directed_member_id == world.member_person.party_member.pk
    other = actions.claim_need(other, acting_user=world.member)
    assert other.status == Status.CLAIMED


def test_a_stale_write_loses_the_race(world):
    need = published_wish(world)
    stale = type(need).objects.get(pk=need.pk)
    actions.claim_need(need, acting_user=world.member)
    with pytest.raises(workflow.TransitionError):
        actions.cancel_need(stale, reason="重复", acting_user=world.resident)


def test_bad_input_changes_nothing(world):
    with pytest.raises(ValidationError) as exc:
        actions.submit_need(
            kind="nope", title="", beneficiary=world.resident_person, acting_user=world.resident
        )
    assert {"kind", "title"} <= set(exc.value.error_dict)
    with pytest.raises(ValidationError):
        post_wish(world, skills=["flying"])
    assert not world.resident_person.needs.exists()
