"""Party API: organisations, members (masked personal data only) and 组织关系转接."""

from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from dangjian.accounts import privacy
from dangjian.accounts.api import auth_user
from dangjian.core.access import access_object, can
from dangjian.core.bounds import Id, PageNumberPagination
from dangjian.party import actions
from dangjian.party.models import Organization, OrgTransfer, PartyMember
from dangjian.territory.api import NodeRef, filter_under, under_node

router = Router(tags=["党组织与党员"])
PAGE_SIZE = 50


class OrgRef(Schema):
    id: int = Field(..., description="党组织编号")
    name: str = Field(..., description="组织名称")
    kind: str = Field(..., description="组织类别")


class OrganizationOut(Schema):
    id: int = Field(..., description="党组织编号")
    name: str = Field(..., description="组织名称")
    kind: str = Field(
        ...,
        description="组织类别：committee 党委、work_committee 党工委、general_branch 党总支、branch 党支部、group 党小组",
    )
    kind_label: str = Field(..., description="组织类别名称")
    parent_id: int | None = Field(None, description="上级党组织编号")
    depth: int = Field(..., description="层次（最上级为 0）")
    node: NodeRef = Field(..., description="所在区域")
    unit_id: int | None = Field(None, description="所在单位编号")
    is_joint: bool = Field(..., description="是否大党委/大工委")
    joint_label: str = Field("", description="大党委/大工委")
    founded_on: date | None = Field(None, description="成立日期")
    member_count: int = Field(..., description="党员人数（组织关系在本组织）")

    @staticmethod
    def resolve_kind_label(obj: Organization) -> str:
        return str(obj.get_kind_display())


class OrganizationDetailOut(OrganizationOut):
    children: list[OrgRef] = Field(..., description="下级党组织（可见范围内）")

    @staticmethod
    def resolve_children(obj: Organization) -> list[Organization]:
        return obj.children_list  # type: ignore[attr-defined]


class OrgFilter(Schema):
    kind: str | None = Field(None, description="按组织类别筛选")
    under: Id | None = Field(None, description="只看此区域节点下的组织")
    parent: Id | None = Field(None, description="按上级党组织筛选")
    q: str | None = Field(None, description="名称包含")


BASIC_NULL = "（仅基本信息授权时为 null）"


class MemberOut(privacy.Guarded):
    """Under a basic cell (accounts.privacy) every field but name, phone and organisation is null."""

    privacy_register = privacy.MEMBERS

    id: int = Field(..., description="党员编号")
    person_id: int = Field(..., description="人员编号")
    name: str = Field(..., description="姓名")
    gender: str | None = Field("", description="性别（M 男 / F 女）" + BASIC_NULL)
    phone_masked: str = Field("", description="手机号（脱敏）")
    status: str | None = Field(..., description="党员状态：full 正式、probationary 预备" + BASIC_NULL)
    status_label: str | None = Field(..., description="党员状态名称" + BASIC_NULL)
    category: str | None = Field(
        ..., description="党员类别：in_service 在职、retired 离退休、mobile 流动、pocket 口袋" + BASIC_NULL
    )
    category_label: str | None = Field(..., description="党员类别名称" + BASIC_NULL)
    organization: OrgRef = Field(..., description="所在党组织")
    joined_on: date | None = Field(None, description="入党日期" + BASIC_NULL)

    @staticmethod
    def resolve_name(obj: PartyMember) -> str:
        return obj.person.name

    @staticmethod
    def resolve_gender(obj: PartyMember) -> str:
        return obj.person.gender

    @staticmethod
    def resolve_phone_masked(obj: PartyMember) -> str:
        return obj.person.phone_masked

    @staticmethod
    def resolve_status_label(obj: PartyMember) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_category_label(obj: PartyMember) -> str:
        return str(obj.get_category_display())


class TransferOut(Schema):
    at: datetime = Field(..., description="转接时间")
    from_org: OrgRef | None = Field(None, description="转出组织")
    to_org: OrgRef = Field(..., description="转入组织")
    reason: str = Field("", description="原因")


class MemberDetailOut(MemberOut):
    transfers: list[TransferOut] | None = Field(..., description="组织关系转接记录（由早到晚）" + BASIC_NULL)

    @staticmethod
    def resolve_transfers(obj: PartyMember) -> list[OrgTransfer]:
        return obj.transfer_list  # type: ignore[attr-defined]


class MemberFilter(Schema):
    organization: Id | None = Field(None, description="按党组织筛选")
    under: Id | None = Field(None, description="只看此区域节点下的党员")
    category: str | None = Field(None, description="按党员类别筛选")
    status: str | None = Field(None, description="按党员状态筛选")
    q: str | None = Field(None, description="姓名包含")


class TransferIn(Schema):
    to: Id = Field(..., description="转入党组织编号")
    reason: str = Field("", max_length=200, description="转接原因")


def _orgs(request: HttpRequest) -> Any:
    return (
        Organization.objects.restrict(auth_user(request), "view")
        .select_related("node")
        .annotate(member_count=Count("members", distinct=True))
    )


def _members(request: HttpRequest) -> Any:
    """The members the caller may read (accounts.privacy); under a closed register only one's own record."""
    user = auth_user(request)
    return privacy.readable(user, privacy.MEMBERS).select_related("person", "organization")


@router.get("/organizations", response=list[OrganizationOut], summary="党组织列表")
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def list_organizations(request: HttpRequest, filters: Query[OrgFilter]) -> Any:
    qs = filter_under(_orgs(request), under_node(request, filters.under))
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.parent is not None:
        qs = qs.filter(parent_id=filters.parent)
    if filters.q:
        qs = qs.filter(name__contains=filters.q.strip())
    return qs.order_by("path")


@router.get("/organizations/{org_id}", response=OrganizationDetailOut, summary="党组织详情")
def get_organization(request: HttpRequest, org_id: int) -> Organization:
    user = auth_user(request)
    org = access_object(_orgs(request), user, pk=org_id)
    org.children_list = list(Organization.objects.restrict(user, "view").filter(parent=org).order_by("path"))
    return org


@router.get("/members", response=list[MemberOut], summary="党员列表")
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def list_members(request: HttpRequest, filters: Query[MemberFilter]) -> Any:
    qs = filter_under(_members(request), under_node(request, filters.under), node_field="organization__node")
    if filters.organization is not None:
        qs = qs.filter(organization_id=filters.organization)
    if filters.category:
        qs = qs.filter(category=filters.category)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.q:
        qs = qs.filter(Q(person__name__contains=filters.q.strip()))
    return qs.order_by("organization__path", "id")


def _member_detail(member: PartyMember) -> PartyMember:
    member.transfer_list = list(  # type: ignore[attr-defined]
        OrgTransfer.objects.filter(member=member).select_related("from_org", "to_org")
    )
    return member


@router.get("/members/{member_id}", response=MemberDetailOut, summary="党员详情")
def get_member(request: HttpRequest, member_id: int) -> PartyMember:
    return _member_detail(access_object(_members(request), auth_user(request), pk=member_id))


@router.post("/members/{member_id}/transfer", response=MemberDetailOut, summary="组织关系转接")
def transfer_member(request: HttpRequest, member_id: int, payload: TransferIn) -> PartyMember:
    """把党员的组织关系转入另一个（您可见的）党支部，保留转接记录。"""
    user = auth_user(request)
    member = access_object(_members(request), user, pk=member_id)
    if not can(user, "change", member):
        raise HttpError(403, "您的角色无权办理此党员的组织关系转接")
    to = Organization.objects.restrict(user, "view").filter(pk=payload.to).first()
    if to is None:
        raise ValidationError({"to": "转入组织不存在或不在您的管辖范围内"})
    member = actions.transfer_member(member, to=to, reason=payload.reason.strip(), acting_user=user)
    return _member_detail(access_object(_members(request), user, pk=member.pk))
