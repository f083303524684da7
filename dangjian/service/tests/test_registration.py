from typing import Any

import pytest
from django.core.exceptions import ValidationError

from dangjian.core.access import ScopeError
from dangjian.core.models import AuditEvent
from dangjian.service import actions
from dangjian.service.choices import RegistrationStatus
from dangjian.service.models import MemberRegistration, UnitRegistration


def test_it_registers_a_member_and_the_community_confirms(world: Any, svc: Any) -> None:
    reg = actions.register_member(
        member=svc.member, community=world.community_a, skills=["法律"], acting_user=world.member
    )
    assert reg.status == RegistrationStatus.PENDING
    assert reg.community_id == world.community_a.pk and reg.street_id == world.street_a.pk
    actions.confirm_member_registration(registration=reg, acting_user=svc.worker)
    reg.refresh_from_db()
    assert reg.status == RegistrationStatus.CONFIRMED and reg.decided_by == svc.worker
    assert AuditEvent.objects.filter(action="service.member.confirm", object_id=str(reg.pk)).exists()


def test_it_refuses_a_community_where_the_member_does_not_live(world: Any, svc: Any) -> None:
    with pytest.raises(ValidationError, match="居住地"):
        actions.register_member(member=svc.member, community=world.community_b, acting_user=world.member)
    assert not MemberRegistration.objects.exists()


def test_it_refuses_registering_someone_else(world: Any, svc: Any) -> None:
    with pytest.raises(ScopeError):
        actions.register_member(member=svc.member, community=world.community_a, acting_user=world.resident)


def test_it_allows_one_live_registration(world: Any, svc: Any) -> None:
    actions.register_member(member=svc.member, community=world.community_a, acting_user=world.member)
    with pytest.raises(ValidationError, match="已有一条报到"):
        actions.register_member(member=svc.member, community=world.community_a, acting_user=world.member)


def test_it_rejects_with_a_reason_only(world: Any, svc: Any) -> None:
    reg = actions.register_member(member=svc.member, community=world.community_a, acting_user=world.member)
    with pytest.raises(ValidationError, match="原因"):
        actions.reject_member_registration(registration=reg, reason=" ", acting_user=svc.worker)
    actions.reject_member_registration(registration=reg, reason="不在本社区居住", acting_user=svc.worker)
    reg.refresh_from_db()
    assert reg.status == RegistrationStatus.REJECTED and reg.reason == "不在本社区居住"
    # a rejected registration does not block a new one
    actions.register_member(member=svc.member, community=world.community_a, acting_user=world.member)


def test_it_keeps_other_communities_out(world: Any, svc: Any) -> None:
    reg = actions.register_member(member=svc.member, community=world.community_a, acting_user=world.member)
    for outsider in (svc.worker_b, world.outsider, world.member):
        with pytest.raises(ScopeError):
            actions.confirm_member_registration(registration=reg, acting_user=outsider)
    reg.refresh_from_db()
    assert reg.status == RegistrationStatus.PENDING


def test_it_cannot_confirm_twice(world: Any, svc: Any) -> None:
    reg = actions.register_member(member=svc.member, community=world.community_a, acting_user=world.member)
    actions.confirm_member_registration(registration=reg, acting_user=svc.worker)
    with pytest.raises(ValidationError):
        actions.confirm_member_registration(registration=reg, acting_user=world.street_officer)


def test_it_ends_a_registration_and_frees_the_posts(world: Any, registered: Any) -> None:
    post = actions.create_post(node=world.community_a, kind="legal", slots=1, acting_user=registered.worker)
    actions.claim_post(post=post, member=registered.member, acting_user=world.member)
    reg = MemberRegistration.objects.get(member=registered.member)
    actions.end_member_registration(registration=reg, reason="搬离本社区", acting_user=world.member)
    reg.refresh_from_db()
    post.refresh_from_db()
    assert reg.status == RegistrationStatus.ENDED and reg.ended_at is not None
    assert post.taken == 0


def test_a_unit_registers_where_it_stands(world: Any, svc: Any) -> None:
    reg = actions.register_unit(
        unit=svc.unit,
        community=world.community_a,
        contact_name="刘敏",
        contact_phone="13977001234",
        agreement="每季度开展一次政策宣讲",
        resources=["会议室", "党员志愿者20名"],
        acting_user=svc.unit_admin,
    )
    assert reg.contact_phone_masked == "139****1234" and "13977001234" not in reg.contact_phone_enc
    actions.add_document(registration=reg, title="双报到共建协议", acting_user=svc.unit_admin)
    actions.confirm_unit_registration(registration=reg, acting_user=svc.worker)
    reg.refresh_from_db()
    assert reg.status == RegistrationStatus.CONFIRMED and reg.documents.count() == 1
    after = AuditEvent.objects.filter(action="service.unit.register").get().after or {}
    assert "contact_phone_enc" not in after and "contact_phone_hash" not in after


def test_a_unit_cannot_register_elsewhere_nor_by_strangers(world: Any, svc: Any) -> None:
    with pytest.raises(ValidationError, match="驻地"):
        actions.register_unit(
            unit=svc.unit,
            community=world.community_b,
            contact_name="刘敏",
            contact_phone="13977001234",
            acting_user=svc.unit_admin,
        )
    with pytest.raises(ScopeError):
        actions.register_unit(
            unit=svc.unit,
            community=world.community_a,
            contact_name="刘敏",
            contact_phone="13977001234",
            acting_user=world.member,
        )
    with pytest.raises(ValidationError) as exc:
        actions.register_unit(
            unit=svc.unit,
            community=world.community_a,
            contact_name="",
            contact_phone="12",
            acting_user=svc.unit_admin,
        )
    assert set(exc.value.message_dict) == {"contact_name", "contact_phone"}
    assert not UnitRegistration.objects.exists()


def test_a_unit_registration_is_rejected_and_ended(world: Any, svc: Any) -> None:
    kw = dict(unit=svc.unit, community=world.community_a, contact_name="刘敏", contact_phone="0775-6212345")
    reg = actions.register_unit(**kw, acting_user=svc.unit_admin)
    actions.reject_unit_registration(registration=reg, reason="协议未签字", acting_user=svc.worker)
    reg2 = actions.register_unit(**kw, acting_user=svc.unit_admin)
    actions.confirm_unit_registration(registration=reg2, acting_user=svc.worker)
    actions.end_unit_registration(registration=reg2, reason="协议到期", acting_user=svc.unit_admin)
    reg2.refresh_from_db()
    assert reg2.status == RegistrationStatus.ENDED
