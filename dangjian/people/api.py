"""People API: persons (masked), residents, grid workers, community workers, new persons,
and the logged reveal of one protected value. Reads obey the least-privilege table
(``accounts.privacy``): the rows of ``privacy.readable`` and, under a basic cell, null for
every field outside ``privacy.BASIC_API_FIELDS``."""

from datetime import date
from typing import Any, Literal

from django.db.models import BooleanField, ExpressionWrapper, Value
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from dangjian.accounts import privacy
from dangjian.accounts.api import auth_user
from dangjian.core import crypto
from dangjian.core.access import access_object, can
from dangjian.core.actions import do_reveal
from dangjian.core.bounds import Id, PageNumberPagination
from dangjian.people import actions
from dangjian.people.models import CommunityWorker, GridWorker, Person, Resident
from dangjian.territory.api import NodeRef, filter_under, under_node
from dangjian.territory.models import Node

router = Router(tags=["人员"])
PAGE_SIZE = 50


class PersonRef(Schema):
    id: int = Field(..., description="人员编号")
    name: str = Field(..., description="姓名")
    phone_masked: str = Field("", description="手机号（脱敏）")


BASIC_NULL = "（仅基本信息授权时为 null）"


class PersonOut(privacy.Guarded):
    privacy_register = privacy.PERSONS

    id: int = Field(..., description="人员编号")
    name: str = Field(..., description="姓名")
    gender: str | None = Field("", description="性别（M 男 / F 女）" + BASIC_NULL)
    phone_masked: str = Field("", description="手机号（脱敏）")
    id_number_masked: str | None = Field("", description="身份证号（脱敏）" + BASIC_NULL)
    address_masked: str | None = Field("", description="住址（脱敏）" + BASIC_NULL)
    home: NodeRef | None = Field(None, description="居住地（区域节点）" + BASIC_NULL)
    grid: NodeRef | None = Field(None, description="所在网格")


class PersonDetailOut(PersonOut):
    is_resident: bool | None = Field(..., description="是否登记为居民" + BASIC_NULL)
    is_party_member: bool | None = Field(..., description="是否党员" + BASIC_NULL)
    grid_posts: list[NodeRef] | None = Field(..., description="担任网格员的网格" + BASIC_NULL)

    @staticmethod
    def resolve_is_resident(obj: Person) -> bool:
        return Resident.objects.filter(person=obj).exists()

    @staticmethod
    def resolve_is_party_member(obj: Person) -> bool:
        return hasattr(obj, "party_member")

    @staticmethod
    def resolve_grid_posts(obj: Person) -> list[Node]:
        return obj.grid_post_list  # type: ignore[attr-defined]


class PersonFilter(Schema):
    under: Id | None = Field(None, description="只看此区域节点下的人员")
    q: str | None = Field(None, description="姓名包含")
    phone: str | None = Field(None, description="手机号精确查找")
    id_number: str | None = Field(None, description="身份证号精确查找")


class PersonIn(Schema):
    name: str = Field(..., max_length=50, description="姓名")
    home: Id = Field(..., description="居住地区域节点编号（通常为小区、楼栋或户）")
    id_number: str = Field("", description="身份证号（18 位，可空）")
    phone: str = Field("", description="手机号（可空）")
    address: str = Field("", max_length=120, description="详细住址（可空）")
    gender: Literal["", "M", "F"] = Field("", description="性别（M 男 / F 女，可由身份证号推出）")


class RevealIn(Schema):
    field: Literal["phone", "id_number", "address"] = Field(..., description="要查看的字段")
    reason: str = Field("", max_length=200, description="查看事由（记入日志）")


class RevealOut(Schema):
    field: str = Field(..., description="字段")
    value: str = Field(..., description="明文值（本次查看已记录）")


class ResidentOut(privacy.Guarded):
    privacy_register = privacy.RESIDENTS

    id: int = Field(..., description="居民编号")
    person: PersonRef = Field(..., description="人员")
    grid: NodeRef | None = Field(None, description="所在网格")
    household: NodeRef | None = Field(..., description="所在户/小区" + BASIC_NULL)
    residence_type: str | None = Field(
        ..., description="人口类型：registered 户籍、permanent 常住、floating 流动" + BASIC_NULL
    )
    residence_type_label: str | None = Field(..., description="人口类型名称" + BASIC_NULL)
    is_head: bool | None = Field(..., description="户主" + BASIC_NULL)
    tags: list[str] | None = Field(..., description="关爱标签" + BASIC_NULL)

    @staticmethod
    def resolve_residence_type_label(obj: Resident) -> str:
        return str(obj.get_residence_type_display())


class GridWorkerOut(privacy.Guarded):
    privacy_register = privacy.GRID_WORKERS

    id: int = Field(..., description="网格员编号")
    person: PersonRef = Field(..., description="人员")
    grid: NodeRef = Field(..., description="网格")
    role: str | None = Field(..., description="职务：chief 网格长、worker 网格员" + BASIC_NULL)
    role_label: str | None = Field(..., description="职务名称" + BASIC_NULL)
    full_time: bool | None = Field(..., description="专职" + BASIC_NULL)
    since: date | None = Field(None, description="上岗日期" + BASIC_NULL)
    active: bool | None = Field(..., description="在岗" + BASIC_NULL)

    @staticmethod
    def resolve_grid(obj: GridWorker) -> Node:
        return obj.grid_node

    @staticmethod
    def resolve_role_label(obj: GridWorker) -> str:
        return str(obj.get_role_display())


class CommunityWorkerOut(privacy.Guarded):
    privacy_register = privacy.COMMUNITY_WORKERS

    id: int = Field(..., description="社区工作者编号")
    person: PersonRef = Field(..., description="人员")
    community: NodeRef = Field(..., description="社区")
    post: str | None = Field(..., description="岗位：principal 正职、deputy 副职、staff 其他" + BASIC_NULL)
    post_label: str | None = Field(..., description="岗位名称" + BASIC_NULL)
    level: int | None = Field(..., description="岗位级别（1–6）" + BASIC_NULL)
    grade: int | None = Field(..., description="三岗十八级中的等级（1–18）" + BASIC_NULL)
    position_title: str | None = Field("", description="职务" + BASIC_NULL)
    since: date | None = Field(None, description="入职日期" + BASIC_NULL)

    @staticmethod
    def resolve_community(obj: CommunityWorker) -> Node:
        return obj.community_node

    @staticmethod
    def resolve_post_label(obj: CommunityWorker) -> str:
        return str(obj.get_post_display())


class PlaceFilter(Schema):
    under: Id | None = Field(None, description="只看此区域节点下的记录")
    q: str | None = Field(None, description="姓名包含")


def _register(register: str, request: HttpRequest) -> Any:
    """The rows of ``register`` the caller may read; under a closed register only one's own record."""
    user = auth_user(request)
    return privacy.readable(user, register)


def _persons(request: HttpRequest) -> Any:
    """The people the caller may read, each marked whether only basic fields are readable."""
    user = auth_user(request)
    qs = privacy.readable_persons(user, Person.objects.select_related("home", "grid"))
    full = privacy.full_persons_q(user)
    if full is None:
        return qs.annotate(privacy_basic=Value(False))
    return qs.annotate(privacy_basic=ExpressionWrapper(~full, output_field=BooleanField()))


def _place_filtered(qs: Any, request: HttpRequest, filters: PlaceFilter, node_field: str) -> Any:
    qs = filter_under(qs, under_node(request, filters.under), node_field=node_field)
    if filters.q:
        qs = qs.filter(person__name__contains=filters.q.strip())
    return qs


@router.get("/persons", response=list[PersonOut], summary="人员列表")
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def list_persons(request: HttpRequest, filters: Query[PersonFilter]) -> Any:
    qs = filter_under(_persons(request), under_node(request, filters.under), node_field="home")
    if filters.q:
        qs = qs.filter(name__contains=filters.q.strip())
    if filters.phone:
        qs = qs.filter(phone_hash=crypto.lookup_hash("phone", filters.phone))
    if filters.id_number:
        qs = qs.filter(id_number_hash=crypto.lookup_hash("id_number", filters.id_number))
    return qs.order_by("id")


def _person_detail(person: Person) -> Person:
    person.grid_post_list = list(  # type: ignore[attr-defined]
        Node.objects.filter(grid_workers__person=person, grid_workers__active=True).order_by("code")
    )
    return person


@router.get("/persons/{person_id}", response=PersonDetailOut, summary="人员详情")
def get_person(request: HttpRequest, person_id: int) -> Person:
    person = access_object(_persons(request).select_related("party_member"), auth_user(request), pk=person_id)
    return _person_detail(person)


@router.post("/persons", response={201: PersonDetailOut}, summary="新建人员")
def create_person(request: HttpRequest, payload: PersonIn) -> Status[Person]:
    user = auth_user(request)
    home = access_object(Node, user, "view", pk=payload.home)
    if not can(user, "add", home):
        raise HttpError(403, "您的角色无权在此区域登记人员")
    person = actions.create_person(
        name=payload.name,
        home=home,
        id_number=payload.id_number.strip(),
        phone=payload.phone.strip(),
        address=payload.address.strip(),
        gender=payload.gender,
        acting_user=user,
    )
    return Status(201, _person_detail(person))


@router.post("/persons/{person_id}/reveal", response=RevealOut, summary="查看敏感信息明文")
def reveal(request: HttpRequest, person_id: int, payload: RevealIn) -> dict[str, str]:
    """返回手机号、身份证号或住址的明文；每次查看都记入查看记录。无查看权限或范围外一律 404。"""
    user = auth_user(request)
    person = access_object(Person, user, "reveal", pk=person_id)
    if privacy.person_fields(user, person) != privacy.FULL:
        raise HttpError(404, "未找到或无权访问")
    return {
        "field": payload.field,
        "value": do_reveal(person, payload.field, acting_user=user, reason=payload.reason),
    }


@router.get("/residents", response=list[ResidentOut], summary="居民列表")
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def list_residents(request: HttpRequest, filters: Query[PlaceFilter]) -> Any:
    qs = _register(privacy.RESIDENTS, request).select_related("person", "household", "grid")
    return _place_filtered(qs, request, filters, "household").order_by("id")


@router.get("/grid-workers", response=list[GridWorkerOut], summary="网格员列表")
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def list_grid_workers(request: HttpRequest, filters: Query[PlaceFilter]) -> Any:
    qs = _register(privacy.GRID_WORKERS, request).select_related("person", "grid_node")
    return _place_filtered(qs, request, filters, "grid_node").order_by("grid_node__code", "id")


@router.get("/community-workers", response=list[CommunityWorkerOut], summary="社区工作者列表")
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def list_community_workers(request: HttpRequest, filters: Query[PlaceFilter]) -> Any:
    qs = _register(privacy.COMMUNITY_WORKERS, request).select_related("person", "community_node")
    return _place_filtered(qs, request, filters, "community_node").order_by("community_node__code", "id")
