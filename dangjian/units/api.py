"""Units API (驻区单位): list, detail, create. The contact phone is only ever masked here."""

from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from dangjian.accounts import privacy
from dangjian.accounts.api import auth_user
from dangjian.core.access import access_object, can
from dangjian.core.bounds import Count, Id, PageNumberPagination
from dangjian.territory.api import NodeRef, filter_under, under_node
from dangjian.territory.models import Node
from dangjian.units import actions
from dangjian.units.models import Unit

router = Router(tags=["驻区单位"])
PAGE_SIZE = 50


BASIC_NULL = "（仅基本信息授权时为 null）"


class UnitOut(privacy.Guarded):
    """Under a basic cell (accounts.privacy) the credit code, address and headcount are null."""

    privacy_register = privacy.UNITS

    id: int = Field(..., description="单位编号")
    name: str = Field(..., description="单位名称")
    kind: str = Field(..., description="单位类型代码")
    kind_label: str = Field(..., description="单位类型名称")
    is_two_new: bool = Field(..., description="是否两新组织")
    credit_code: str | None = Field(None, description="统一社会信用代码" + BASIC_NULL)
    node: NodeRef = Field(..., description="所在区域")
    address: str | None = Field("", description="地址" + BASIC_NULL)
    contact_name: str = Field("", description="联系人")
    contact_phone_masked: str = Field("", description="联系电话（脱敏）")
    employees: int | None = Field(..., description="职工人数" + BASIC_NULL)
    is_resident_unit: bool | None = Field(..., description="驻区单位" + BASIC_NULL)

    @staticmethod
    def resolve_kind_label(obj: Unit) -> str:
        return str(obj.get_kind_display())


class UnitFilter(Schema):
    kind: str | None = Field(None, description="按单位类型筛选")
    under: Id | None = Field(None, description="只看此区域节点下的单位")
    q: str | None = Field(None, description="名称包含或信用代码")


class UnitIn(Schema):
    name: str = Field(..., max_length=120, description="单位名称")
    kind: str = Field(
        ...,
        description="单位类型代码（agency 机关、soe 国有企业、private 非公企业、social_org 社会组织、property 物业企业 …）",
    )
    node: Id = Field(..., description="所在区域节点编号")
    credit_code: str = Field("", description="统一社会信用代码（18 位，可空）")
    address: str = Field("", max_length=200, description="地址")
    contact_name: str = Field("", max_length=50, description="联系人")
    contact_phone: str = Field("", description="联系电话（手机或座机）")
    employees: Count = Field(0, description="职工人数")
    is_resident_unit: bool = Field(True, description="驻区单位")


def _units(request: HttpRequest) -> Any:
    """The units the caller may read (accounts.privacy); under a closed register only one's own record."""
    user = auth_user(request)
    return privacy.readable(user, privacy.UNITS).select_related("node")


@router.get("", response=list[UnitOut], summary="单位列表")
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def list_units(request: HttpRequest, filters: Query[UnitFilter]) -> Any:
    qs = filter_under(_units(request), under_node(request, filters.under))
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.q:
        q = filters.q.strip()
        cond = Q(name__contains=q)
        if not privacy.is_basic(auth_user(request), privacy.UNITS):  # the credit code is not basic
            cond |= Q(credit_code=q.upper())
        qs = qs.filter(cond)
    return qs.order_by("name", "id")


@router.get("/{unit_id}", response=UnitOut, summary="单位详情")
def get_unit(request: HttpRequest, unit_id: int) -> Unit:
    return access_object(_units(request), auth_user(request), pk=unit_id)


@router.post("", response={201: UnitOut}, summary="新建单位")
def create_unit(request: HttpRequest, payload: UnitIn) -> Status[Unit]:
    user = auth_user(request)
    node = access_object(Node, user, "view", pk=payload.node)
    if not can(user, "add", node):
        raise HttpError(403, "您的角色无权在此区域登记单位")
    unit = actions.create_unit(
        name=payload.name,
        kind=payload.kind,
        node=node,
        credit_code=payload.credit_code.strip(),
        address=payload.address.strip(),
        contact_name=payload.contact_name.strip(),
        contact_phone=payload.contact_phone.strip(),
        employees=payload.employees,
        is_resident_unit=payload.is_resident_unit,
        acting_user=user,
    )
    return Status(201, unit)
