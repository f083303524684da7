"""双报到 API: registrations, posts and claims, service records, flags, figures.

Members see their own rows, community staff their community, a street its street, a unit
liaison its own unit (``selectors.visible``); out of scope answers 404 like missing.
Writes go through ``actions``: 422 for bad input, 404 for out of scope.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from dangjian.accounts.api import auth_user
from dangjian.core.bounds import Day, Id, Moment, Quantity
from dangjian.party.models import PartyMember
from dangjian.service import actions, figures, selectors
from dangjian.service.choices import ClaimStatus, RegistrationStatus
from dangjian.service.models import (
    Flag,
    MemberRegistration,
    Post,
    PostClaim,
    ServiceRecord,
    UnitRegistration,
    VolunteerTeam,
)
from dangjian.territory.models import Node

router = Router(tags=["双报到与志愿服务"])
LIMIT = 200


class MemberRegistrationOut(Schema):
    id: int
    member_id: int
    member_name: str = Field(..., alias="member.person.name")
    community_id: int = Field(..., alias="node_id")
    community_name: str = Field(..., alias="node.name")
    status: str
    skills: list[str]
    applied_at: datetime
    decided_at: datetime | None
    reason: str


class UnitRegistrationOut(Schema):
    id: int
    unit_id: Id
    unit_name: str = Field(..., alias="unit.name")
    community_id: int = Field(..., alias="node_id")
    community_name: str = Field(..., alias="node.name")
    status: str
    contact_name: str
    contact_phone: str = Field(..., alias="contact_phone_masked", description="已脱敏")
    resources: list[str]
    agreement: str
    reason: str


class PostOut(Schema):
    id: int
    kind: str
    kind_label: str
    title: str
    community_id: Id
    node_id: Id
    slots: int
    taken: int
    skills: list[str]
    active: bool

    @staticmethod
    def resolve_kind_label(obj: Post) -> str:
        return str(obj.get_kind_display())


class ClaimOut(Schema):
    id: int
    post_id: int
    member_id: int
    status: str
    claimed_at: datetime


class RecordOut(Schema):
    id: int
    person_id: int
    person_name: str = Field(..., alias="person.name")
    unit_id: int | None
    branch_id: int | None
    community_id: int | None
    title: str
    place_text: str
    started_at: datetime
    ended_at: datetime
    hours: Decimal
    status: str
    return_reason: str
    rating: int | None
    rewarded: bool
    photos: int

    @staticmethod
    def resolve_photos(obj: ServiceRecord) -> int:
        return len(obj.photos.all())


class FlagOut(Schema):
    id: int
    kind: str
    record_id: int
    other_id: int | None
    person_id: int
    reason: str
    status: str


class TeamOut(Schema):
    id: int
    name: str
    kind: str
    badge: str
    community_id: int | None
    leader_id: int | None
    members: int

    @staticmethod
    def resolve_members(obj: VolunteerTeam) -> int:
        return sum(1 for m in obj.memberships.all() if m.active)


class RegisterIn(Schema):
    community_id: Id
    skills: list[str] = []
    note: str = ""


class UnitRegisterIn(Schema):
    unit_id: Id
    community_id: Id
    contact_name: str
    contact_phone: str
    agreement: str = ""
    signed_on: Day | None = None
    resources: list[str] = []


class ReasonIn(Schema):
    reason: str = ""


class PostIn(Schema):
    node_id: Id
    kind: str
    title: str = ""
    slots: Annotated[int, Field(ge=1, le=10000)] = 1
    skills: list[str] = []
    description: str = ""


class RecordIn(Schema):
    community_id: Id = Field(..., description="服务所在社区（或其下的小区、楼栋）")
    title: str
    started_at: Moment
    ended_at: Moment
    hours: Quantity | None = None
    place_text: str = ""
    person_id: Id | None = Field(None, description="社区代为登记时填写服务者；缺省为本人")
    post_id: Id | None = None


class ReviewIn(Schema):
    confirm: bool
    note: str = ""


class RateRowOut(Schema):
    id: int
    name: str
    total: int
    registered: int
    rate: Decimal | None


class HoursRowOut(Schema):
    id: int
    name: str
    records: int
    people: int
    hours: Decimal


def _node(pk: int) -> Node:
    node = Node.objects.filter(pk=pk).first()
    if node is None:
        raise ValidationError({"community_id": "社区不存在"})
    return node


def _me(request: HttpRequest) -> PartyMember:
    member = selectors.member_of(auth_user(request))
    if member is None:
        raise ValidationError({"member": "您还没有党员档案，不能报到"})
    return member


# --- member registrations ----------------------------------------------------------------


@router.get("/registrations", response=list[MemberRegistrationOut], summary="党员报到列表（范围内）")
def list_registrations(request: HttpRequest, status: str | None = None) -> list[MemberRegistration]:
    qs = selectors.visible(MemberRegistration, auth_user(request)).select_related("member__person", "node")
    if status:
        qs = qs.filter(status=status)
    return list(qs[:LIMIT])


@router.post(
    "/registrations", response={201: MemberRegistrationOut}, summary="我要报到（在职党员到居住地社区）"
)
def create_registration(request: HttpRequest, payload: RegisterIn) -> Status:
    reg = actions.register_member(
        member=_me(request),
        community=_node(payload.community_id),
        skills=payload.skills,
        note=payload.note,
        acting_user=auth_user(request),
    )
    return Status(201, reg)


def _registration(request: HttpRequest, pk: int) -> MemberRegistration:
    return selectors.get_visible(MemberRegistration, auth_user(request), pk=pk)


@router.post("/registrations/{pk}/confirm", response=MemberRegistrationOut, summary="社区确认报到")
def confirm_registration(request: HttpRequest, pk: int) -> MemberRegistration:
    return actions.confirm_member_registration(
        registration=_registration(request, pk), acting_user=auth_user(request)
    )


@router.post("/registrations/{pk}/reject", response=MemberRegistrationOut, summary="社区退回报到（须填原因）")
def reject_registration(request: HttpRequest, pk: int, payload: ReasonIn) -> MemberRegistration:
    return actions.reject_member_registration(
        registration=_registration(request, pk), reason=payload.reason, acting_user=auth_user(request)
    )


@router.post("/registrations/{pk}/end", response=MemberRegistrationOut, summary="结束报到（本人或社区）")
def end_registration(request: HttpRequest, pk: int, payload: ReasonIn) -> MemberRegistration:
    return actions.end_member_registration(
        registration=_registration(request, pk), reason=payload.reason, acting_user=auth_user(request)
    )


# --- unit registrations --------------------------------------------------------------------


@router.get(
    "/unit-registrations", response=list[UnitRegistrationOut], summary="单位报到列表（范围内/本单位）"
)
def list_unit_registrations(request: HttpRequest) -> list[UnitRegistration]:
    return list(
        selectors.visible(UnitRegistration, auth_user(request)).select_related("unit", "node")[:LIMIT]
    )


@router.post("/unit-registrations", response={201: UnitRegistrationOut}, summary="单位到驻地社区报到")
def create_unit_registration(request: HttpRequest, payload: UnitRegisterIn) -> Status:
    from dangjian.units.models import Unit

    user = auth_user(request)
    unit = Unit.objects.filter(pk=payload.unit_id).first()
    if unit is None:
        raise ValidationError({"unit_id": "单位不存在"})
    reg = actions.register_unit(
        unit=unit,
        community=_node(payload.community_id),
        contact_name=payload.contact_name,
        contact_phone=payload.contact_phone,
        agreement=payload.agreement,
        signed_on=payload.signed_on,
        resources=payload.resources,
        acting_user=user,
    )
    return Status(201, reg)


def _unit_registration(request: HttpRequest, pk: int) -> UnitRegistration:
    return selectors.get_visible(UnitRegistration, auth_user(request), pk=pk)


@router.post("/unit-registrations/{pk}/confirm", response=UnitRegistrationOut, summary="社区确认单位报到")
def confirm_unit_registration(request: HttpRequest, pk: int) -> UnitRegistration:
    return actions.confirm_unit_registration(
        registration=_unit_registration(request, pk), acting_user=auth_user(request)
    )


@router.post("/unit-registrations/{pk}/reject", response=UnitRegistrationOut, summary="社区退回单位报到")
def reject_unit_registration(request: HttpRequest, pk: int, payload: ReasonIn) -> UnitRegistration:
    return actions.reject_unit_registration(
        registration=_unit_registration(request, pk), reason=payload.reason, acting_user=auth_user(request)
    )


@router.post("/unit-registrations/{pk}/end", response=UnitRegistrationOut, summary="结束单位报到")
def end_unit_registration(request: HttpRequest, pk: int, payload: ReasonIn) -> UnitRegistration:
    return actions.end_unit_registration(
        registration=_unit_registration(request, pk), reason=payload.reason, acting_user=auth_user(request)
    )


# --- posts and claims ----------------------------------------------------------------------


def posts_for(user: object) -> list[Post]:
    """Staff: posts in scope. A member: posts of the community they are confirmed in."""
    qs = Post.objects.restrict(user)
    member = selectors.member_of(user)
    if member is not None:
        communities = MemberRegistration.objects.filter(
            member=member, status=RegistrationStatus.CONFIRMED
        ).values_list("node_id", flat=True)
        qs = qs | Post.objects.filter(community_id__in=communities)
    return list(qs.distinct().order_by("kind", "id")[:LIMIT])


@router.get("/posts", response=list[PostOut], summary="服务岗位（社区可认领岗位）")
def list_posts(request: HttpRequest) -> list[Post]:
    return posts_for(auth_user(request))


@router.post("/posts", response={201: PostOut}, summary="设岗（社区）")
def create_post(request: HttpRequest, payload: PostIn) -> Status:
    post = actions.create_post(
        node=_node(payload.node_id),
        kind=payload.kind,
        title=payload.title,
        slots=payload.slots,
        skills=payload.skills,
        description=payload.description,
        acting_user=auth_user(request),
    )
    return Status(201, post)


@router.post("/posts/{pk}/claim", response={201: ClaimOut}, summary="认岗（本人）")
def claim_post(request: HttpRequest, pk: int) -> Status:
    user = auth_user(request)
    post = next((p for p in posts_for(user) if p.pk == pk), None)
    if post is None:
        from django.http import Http404

        raise Http404("未找到或无权访问")
    return Status(201, actions.claim_post(post=post, member=_me(request), acting_user=user))


@router.post("/claims/{pk}/release", response=ClaimOut, summary="退岗")
def release_claim(request: HttpRequest, pk: int) -> PostClaim:
    claim = selectors.get_visible(PostClaim, auth_user(request), pk=pk, status=ClaimStatus.ACTIVE)
    return actions.release_claim(claim=claim, acting_user=auth_user(request))


# --- service records -----------------------------------------------------------------------


@router.get("/records", response=list[RecordOut], summary="服务纪实（本人/范围内/本单位）")
def list_records(request: HttpRequest, status: str | None = None) -> list[ServiceRecord]:
    qs = (
        selectors.visible(ServiceRecord, auth_user(request))
        .select_related("person")
        .prefetch_related("photos")
    )
    if status:
        qs = qs.filter(status=status)
    return list(qs[:LIMIT])


@router.post("/records", response={201: RecordOut}, summary="记录一次服务（纪实）")
def create_record(request: HttpRequest, payload: RecordIn) -> Status:
    from dangjian.people.models import Person

    user = auth_user(request)
    if payload.person_id is None:
        if not user.person_id:
            raise ValidationError({"person_id": "请指定服务者"})
        person = user.person
    else:
        person = Person.objects.restrict(user).filter(pk=payload.person_id).first()
        if person is None:
            raise ValidationError({"person_id": "服务者不存在或不在您的管辖范围"})
    post = Post.objects.filter(pk=payload.post_id).first() if payload.post_id else None
    rec = actions.record_service(
        person=person,
        node=_node(payload.community_id),
        title=payload.title,
        started_at=payload.started_at,
        ended_at=payload.ended_at,
        hours=payload.hours,
        place_text=payload.place_text,
        post=post,
        acting_user=user,
    )
    return Status(201, rec)


def _record(request: HttpRequest, pk: int) -> ServiceRecord:
    return selectors.get_visible(ServiceRecord, auth_user(request), pk=pk)


@router.get("/records/{pk}", response=RecordOut, summary="一条纪实")
def get_record(request: HttpRequest, pk: int) -> ServiceRecord:
    return _record(request, pk)


@router.post("/records/{pk}/verify", response=RecordOut, summary="社区核实（核实后记积分与时间银行时长）")
def verify_record(request: HttpRequest, pk: int) -> ServiceRecord:
    return actions.verify_record(record=_record(request, pk), acting_user=auth_user(request))


@router.post("/records/{pk}/return", response=RecordOut, summary="社区退回（须填原因）")
def return_record(request: HttpRequest, pk: int, payload: ReasonIn) -> ServiceRecord:
    return actions.return_record(
        record=_record(request, pk), reason=payload.reason, acting_user=auth_user(request)
    )


# --- flags, teams, figures -----------------------------------------------------------------


@router.get("/flags", response=list[FlagOut], summary="形式主义预警（待复核）")
def list_flags(request: HttpRequest, status: str = "open") -> list[Flag]:
    return list(selectors.visible(Flag, auth_user(request)).filter(status=status)[:LIMIT])


@router.post("/flags/{pk}/review", response=FlagOut, summary="复核预警：确认或排除")
def review_flag(request: HttpRequest, pk: int, payload: ReviewIn) -> Flag:
    flag = selectors.get_visible(Flag, auth_user(request), pk=pk)
    return actions.review_flag(
        flag=flag, confirm=payload.confirm, note=payload.note, acting_user=auth_user(request)
    )


@router.get("/teams", response=list[TeamOut], summary="志愿服务队")
def list_teams(request: HttpRequest) -> list[VolunteerTeam]:
    return list(selectors.visible(VolunteerTeam, auth_user(request)).prefetch_related("memberships")[:LIMIT])


@router.get("/figures/registration-rate", response=list[RateRowOut], summary="报到率（按单位/支部/社区）")
def registration_rate(request: HttpRequest, by: str = "unit") -> list[dict]:
    if by not in figures.GROUPS:
        raise ValidationError({"by": "by 须为 unit、branch 或 community"})
    members = PartyMember.objects.restrict(auth_user(request))
    return [
        {"id": r.key, "name": r.name, "total": r.total, "registered": r.registered, "rate": r.rate}
        for r in figures.registration_rates(members, by)
    ]


@router.get(
    "/figures/hours", response=list[HoursRowOut], summary="服务时长（已核实，按单位/支部/社区，按月）"
)
def service_hours(request: HttpRequest, by: str = "community", month: Day | None = None) -> list[dict]:
    if by not in figures.GROUPS:
        raise ValidationError({"by": "by 须为 unit、branch 或 community"})
    start, end = figures.month_bounds(month or timezone.localdate())
    records = selectors.visible(ServiceRecord, auth_user(request))
    return [
        {"id": r.key, "name": r.name, "records": r.records, "people": r.people, "hours": r.hours}
        for r in figures.service_hours(records, by, start, end)
    ]
