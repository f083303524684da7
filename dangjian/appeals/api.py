"""Appeals API (诉求): the taxonomy, submitting (idempotent), scoped lists and details,
moving a case through the loop, its transition log, and the figures.

Residents see the cases they reported; staff see the cases within their scope. Missing and
forbidden answer 404 alike; an event the workflow does not allow answers 409.
"""

from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from ninja import Field, Header, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from dangjian.accounts.api import auth_user
from dangjian.accounts.models import User
from dangjian.appeals import actions, categories, figures, selectors, stats, workflow
from dangjian.appeals.access import actor_kinds
from dangjian.appeals.choices import Channel, Event, Priority
from dangjian.appeals.choices import Status as CaseStatus
from dangjian.appeals.models import Case, Category, Transition
from dangjian.core import periods, schemadump
from dangjian.core.access import access_object
from dangjian.core.bounds import Count, Day, Id, Latitude, Longitude, PageNumberPagination
from dangjian.core.listing import is_staff_user
from dangjian.territory.api import NodeRef, filter_under, under_node
from dangjian.territory.models import Node

router = Router(tags=["诉求"])
PAGE_SIZE = 50
NOT_FOUND = "未找到或无权访问"


# --- schemas --------------------------------------------------------------------------


class CategoryOut(Schema):
    id: int = Field(..., description="分类编号")
    name: str = Field(..., description="分类名称")
    code: str = Field(..., description="层级编码（如 3.02.01）")
    level: int = Field(..., description="级别：1 一级、2 二级、3 三级")
    parent_id: int | None = Field(None, description="上级分类编号")
    enterprise: bool = Field(..., description="是否企业诉求分类（服务企业马上办）")
    response_hours: int = Field(..., description="签收时限（工作小时）")
    resolve_days: int = Field(..., description="办结时限（工作日）")


class CategoryRef(Schema):
    id: int = Field(..., description="分类编号")
    name: str = Field(..., description="分类名称")
    code: str = Field(..., description="层级编码")


class CaseUnitRef(Schema):
    id: int = Field(..., description="单位编号")
    name: str = Field(..., description="单位名称")


class CaseOut(Schema):
    number: str = Field(..., description="诉求编号（如 BL-20261121-0001）")
    title: str = Field(..., description="标题")
    description: str = Field(..., description="内容")
    channel: str = Field(..., description="渠道代码")
    channel_label: str = Field(..., description="渠道名称")
    status: str = Field(..., description="状态代码")
    status_label: str = Field(..., description="状态名称")
    tier: str = Field(
        ..., description="办理层级：grid 网格、community 社区、street 街道、county 县(市、区)、city 市"
    )
    priority: str = Field(..., description="紧急程度：normal 一般、urgent 紧急、emergency 特急")
    category: CategoryRef = Field(..., description="分类")
    top_category: CategoryRef = Field(..., description="一级分类")
    handling_node: NodeRef = Field(..., description="责任区域")
    assignee_unit: CaseUnitRef | None = Field(None, description="承办部门/单位")
    address: str = Field("", description="地址")
    lng: float | None = Field(None, description="经度（GCJ-02）")
    lat: float | None = Field(None, description="纬度（GCJ-02）")
    located: bool = Field(..., description="是否已定位到网格")
    anonymous: bool = Field(..., description="匿名反映")
    contact_name_masked: str = Field("", description="联系人（脱敏）")
    contact_phone_masked: str = Field("", description="联系电话（脱敏）")
    received_on: date = Field(..., description="受理日期")
    ack_due: datetime | None = Field(None, description="签收时限")
    resolve_due: datetime | None = Field(None, description="办结时限")
    accepted_at: datetime | None = Field(None, description="立案时间")
    dispatched_at: datetime | None = Field(None, description="首次派遣时间")
    acknowledged_at: datetime | None = Field(None, description="签收时间")
    handled_at: datetime | None = Field(None, description="首次处置反馈时间")
    closed_at: datetime | None = Field(None, description="办结时间")
    rating: str = Field("", description="评价：satisfied 满意、basic 基本满意、unsatisfied 不满意")
    reopen_count: int = Field(..., description="重办次数")
    rework_count: int = Field(..., description="返工次数")
    closure_reason: str = Field("", description="关闭原因")
    merged_into: str | None = Field(None, description="并入的诉求编号")

    @staticmethod
    def resolve_channel_label(obj: Case) -> str:
        return str(obj.get_channel_display())

    @staticmethod
    def resolve_status_label(obj: Case) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_contact_name_masked(obj: Case) -> str:
        name = "" if obj.anonymous else obj.contact_name
        return name[:1] + "*" * max(1, len(name) - 1) if name else ""

    @staticmethod
    def resolve_contact_phone_masked(obj: Case) -> str:
        return "" if obj.anonymous else obj.contact_phone_masked

    @staticmethod
    def resolve_merged_into(obj: Case) -> str | None:
        return obj.merged_into.number if obj.merged_into_id and obj.merged_into else None


class CaseDetailOut(CaseOut):
    allowed_events: list[str] = Field(..., description="当前用户此刻可执行的操作（event 代码）")
    tracking_token: str | None = Field(None, description="免登录查询凭据（仅反映人本人可见）")

    @staticmethod
    def resolve_allowed_events(obj: Case, context: Any) -> list[str]:
        kinds = actor_kinds(auth_user(context["request"]), obj)
        return [e for e in workflow.events_from(obj.status) if workflow.allowed_actors(obj.status, e) & kinds]

    @staticmethod
    def resolve_tracking_token(obj: Case, context: Any) -> str | None:
        user = auth_user(context["request"])
        return obj.tracking_token if obj.reporter_user_id == user.pk else None


class CaseIn(Schema):
    category: Id = Field(..., description="诉求分类编号（建议三级分类）")
    title: str = Field(..., max_length=120, description="标题")
    description: str = Field(..., max_length=5000, description="问题描述")
    lng: Longitude | None = Field(None, description="经度（GCJ-02，与纬度同时提供）")
    lat: Latitude | None = Field(None, description="纬度（GCJ-02）")
    address: str = Field("", max_length=200, description="地址")
    node: Id | None = Field(None, description="所在区域节点编号（工作人员代录且无坐标时）")
    channel: str | None = Field(
        None,
        description="渠道：api 开放接口（默认）、enterprise 服务企业马上办、patrol 网格巡查、hotline 12345 热线",
    )
    priority: str = Field(
        Priority.NORMAL,
        description="紧急程度：normal 一般、urgent 紧急、emergency 特急。居民与企业提交只能为 normal"
        "（由受理的工作人员调整）；网格员、社区、街道工作人员代录时可设置",
    )
    anonymous: bool = Field(False, description="匿名反映")
    contact_name: str = Field("", max_length=50, description="联系人")
    contact_phone: str = Field("", max_length=20, description="联系电话")
    idempotency_key: str | None = Field(
        None, max_length=80, description="幂等键（客户端生成；也可用 Idempotency-Key 请求头，请求头优先）"
    )


class CaseFilter(Schema):
    status: str | None = Field(None, description="按状态代码筛选")
    category: Id | None = Field(None, description="按分类筛选（含其下级分类）")
    start: Day | None = Field(None, description="受理日期起（含）")
    end: Day | None = Field(None, description="受理日期止（含）")
    node: Id | None = Field(None, description="只看此区域节点下的诉求")


class CaseEventIn(Schema):
    event: str = Field(
        ...,
        description=(
            "操作：accept 受理立案、reject 不予受理、dispatch 派遣、publish 发布认领、claim 认领、"
            "acknowledge 签收、send_back 退回、escalate 上报、progress 填写进展、feedback 处置反馈、"
            "verify 核查（配合 passed）、verify_pass 核查通过、verify_return 核查退回、rate 评价、"
            "close_duplicate 按重复件关闭、close_not_ours 非本级职责关闭、cancel 撤销、"
            "set_priority 调整紧急程度（配合 priority，受理派遣人员）"
        ),
    )
    priority: str | None = Field(
        None, description="紧急程度（event=set_priority 时必填）：normal 一般、urgent 紧急、emergency 特急"
    )
    note: str = Field("", max_length=5000, description="说明 / 进展内容")
    reason: str = Field("", max_length=300, description="原因（不予受理、退回、上报、关闭、撤销须填写）")
    to_node: Id | None = Field(None, description="派遣到的区域节点编号（网格、社区、街道）")
    to_unit: Id | None = Field(None, description="派遣到的部门/单位编号")
    to_user: Id | None = Field(None, description="派遣到的人员（用户编号）")
    rating: str | None = Field(None, description="评价：satisfied 满意、basic 基本满意、unsatisfied 不满意")
    comment: str = Field("", max_length=300, description="评价意见")
    result: str = Field("", max_length=5000, description="处置结果（处置反馈时填写）")
    passed: bool | None = Field(None, description="核查是否通过（event=verify 时必填）")


class CaseTransitionOut(Schema):
    at: datetime = Field(..., description="时间")
    event: str = Field(..., description="操作代码")
    event_label: str = Field(..., description="操作名称")
    from_state: str = Field("", description="原状态")
    to_state: str = Field(..., description="新状态")
    to_state_label: str = Field(..., description="新状态名称")
    tier: str = Field("", description="办理层级")
    actor_name: str = Field("", description="操作人（系统操作为空）")
    note: str = Field("", description="说明")

    @staticmethod
    def resolve_event_label(obj: Transition) -> str:
        return _label(Event, obj.event, {"submit": "提交"})

    @staticmethod
    def resolve_to_state_label(obj: Transition) -> str:
        return _label(CaseStatus, obj.to_state, {})

    @staticmethod
    def resolve_actor_name(obj: Transition) -> str:
        return obj.actor.name if obj.actor_id and obj.actor else ""


class RatesOut(Schema):
    node: NodeRef = Field(..., description="统计区域")
    start: date = Field(..., description="受理日期起")
    end: date = Field(..., description="受理日期止")
    counts: dict[str, int] = Field(
        ...,
        description="计数：received 受理、accepted 立案、dispatched 派遣、ack_on_time 签收及时、handled 处置反馈、"
        "reworked 返工、closed 办结、closed_on_time 按期办结、rated 已评价、satisfied 满意、basic 基本满意、unsatisfied 不满意",
    )
    response_rate: float | None = Field(None, description="响应率 = 签收及时 ÷ 派遣（0–1，无分母为 null）")
    resolution_rate: float | None = Field(None, description="解决率 = 办结 ÷ 立案")
    satisfaction_rate: float | None = Field(None, description="满意率 = (满意 + 基本满意) ÷ 已评价")
    on_time_rate: float | None = Field(None, description="按期办结率 = 按期办结 ÷ 办结")
    rework_rate: float | None = Field(None, description="返工率 = 返工 ÷ 处置反馈")


class CaseFiguresOut(RatesOut):
    categories: list[dict[str, Any]] = Field(
        ..., description="按一级分类：category_id、name、received、closed"
    )
    summary: str = Field(..., description="一句话概述（共受理诉求 N 件，办结 M 件，其中……）")


class FiguresQuery(Schema):
    node: Id | None = Field(None, description="统计区域节点编号（默认：管辖范围的最上级）")
    start: Day | None = Field(None, description="受理日期起（默认本月 1 日）")
    end: Day | None = Field(None, description="受理日期止（默认本月末）")


class ChildrenQuery(FiguresQuery):
    sort: str = Field(
        "",
        description="排序：received、closed、response、resolution、satisfaction、on_time、rework，前加 - 为降序",
    )


class CategoryQuery(Schema):
    level: Count | None = Field(None, description="只看某一级")
    enterprise: bool | None = Field(None, description="只看企业诉求分类（true）或居民诉求分类（false）")


# --- helpers --------------------------------------------------------------------------


def _label(choices: Any, value: str, extra: dict[str, str]) -> str:
    if value in extra:
        return extra[value]
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def visible_cases(user: Any) -> QuerySet[Case]:
    """Staff: what the staff pages show them (territory, or their department's cases);
    everyone: the cases they reported themselves."""
    own = Q(reporter_user_id=user.pk)
    if user.person_id:
        own |= Q(reporter_id=user.person_id)
    return selectors.visible_cases(user) | Case.objects.filter(own)


def _with_refs(qs: QuerySet[Case]) -> QuerySet[Case]:
    return qs.select_related("category", "top_category", "handling_node", "assignee_unit", "merged_into")


def _case(request: HttpRequest, number: str) -> Case:
    user = auth_user(request)
    case = _with_refs(visible_cases(user)).filter(number=number).first()
    if case is None:
        raise Http404(NOT_FOUND)
    return case


def _figures_scope(request: HttpRequest, node_id: int | None, start: date | None, end: date | None) -> Any:
    user = auth_user(request)
    if not is_staff_user(user):
        raise Http404(NOT_FOUND)
    node, _ = figures.figures_node(user, node_id)
    default = periods.parse_period({"range": "month"})  # the API's documented default: this month
    start, end = start or default.start, end or default.end
    if start > end:
        raise HttpError(422, "开始日期不能晚于结束日期")
    return user, node, start, end


def _rates_payload(node: Node, start: date, end: date, rates: stats.Rates) -> dict[str, Any]:
    d = rates.as_dict()
    return {
        "node": node,
        "start": start,
        "end": end,
        "counts": rates.counts,
        **{
            k: d[k]
            for k in ("response_rate", "resolution_rate", "satisfaction_rate", "on_time_rate", "rework_rate")
        },
    }


# --- endpoints ------------------------------------------------------------------------


@router.get("/categories", response=list[CategoryOut], summary="诉求分类（三级，平铺，含级别与上级）")
def list_categories(request: HttpRequest, q: Query[CategoryQuery]) -> Any:
    qs = Category.objects.filter(active=True)
    if q.level is not None:
        qs = qs.filter(level=q.level)
    if q.enterprise is not None:
        qs = qs.filter(enterprise=q.enterprise)
    return qs.order_by("code")


@router.post("/cases", response={200: CaseDetailOut, 201: CaseDetailOut}, summary="提交诉求（幂等）")
def submit_case(
    request: HttpRequest,
    payload: CaseIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key", description="幂等键"),
) -> Any:
    user = auth_user(request)
    key = (idempotency_key or payload.idempotency_key or "").strip()
    category = categories.get(payload.category)
    node = access_object(Node, user, "view", pk=payload.node) if payload.node is not None else None
    channel = payload.channel or (Channel.ENTERPRISE if category and category.enterprise else Channel.API)
    if channel not in (Channel.API, Channel.ENTERPRISE, Channel.PATROL, Channel.HOTLINE):
        raise HttpError(422, "渠道不正确：可选 api、enterprise、patrol、hotline")
    if channel in (Channel.PATROL, Channel.HOTLINE) and not is_staff_user(user):
        raise HttpError(422, "网格巡查与热线渠道仅限工作人员使用")
    try:
        submitted = actions.submit_case(
            channel=channel,
            category=category,
            title=payload.title,
            description=payload.description,
            idempotency_key=key,
            lng=payload.lng,
            lat=payload.lat,
            address=payload.address,
            node=node,
            priority=payload.priority,
            reporter=user.person if user.person_id else None,
            anonymous=payload.anonymous,
            contact_name=payload.contact_name,
            contact_phone=payload.contact_phone,
            acting_user=user,
        )
    except actions.IdempotencyConflict as exc:  # someone else's key: never disclose their case
        raise HttpError(409, str(exc)) from exc
    if submitted.created:  # the new case as it was written, its references already loaded
        from dangjian.api import api  # the API this router is mounted on (it imports this module)

        return schemadump.respond(api, CaseDetailOut, submitted.case, request, status=201)
    # A retry gets its own earlier case (another sender's key raised a conflict above):
    # read it back by key without the scope union, which costs more than the insert.
    return Status(200, _with_refs(Case.objects.filter(pk=submitted.case.pk)).get())


@router.get("/cases", response=list[CaseOut], summary="诉求列表（按权限范围）")
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def list_cases(request: HttpRequest, filters: Query[CaseFilter]) -> Any:
    user = auth_user(request)
    qs = filter_under(visible_cases(user), under_node(request, filters.node))
    if filters.status:
        if filters.status not in CaseStatus.values:
            raise HttpError(422, "状态不正确")
        qs = qs.filter(status=filters.status)
    if filters.category is not None:
        cat = Category.objects.filter(pk=filters.category).first()
        if cat is None:
            raise HttpError(422, "分类不存在")
        qs = qs.filter(Q(category=cat) | Q(category__code__startswith=f"{cat.code}."))
    if filters.start:
        qs = qs.filter(received_on__gte=filters.start)
    if filters.end:
        qs = qs.filter(received_on__lte=filters.end)
    return _with_refs(qs).order_by("-received_on", "-id")


@router.get("/cases/{number}", response=CaseDetailOut, summary="诉求详情（个人信息脱敏）")
def get_case(request: HttpRequest, number: str) -> Case:
    return _case(request, number)


def _target_unit(unit_id: int | None) -> Any:
    from dangjian.units.models import Unit

    if unit_id is None:
        return None
    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None:
        raise HttpError(422, "派遣对象（部门/单位）不存在")
    return unit


def _target_user(user_id: int | None) -> Any:
    if user_id is None:
        return None
    target = User.objects.filter(pk=user_id, is_active=True).first()
    if target is None:
        raise HttpError(422, "派遣对象（人员）不存在")
    return target


def _fire(case: Case, p: CaseEventIn, user: Any) -> None:
    reason = (p.reason or p.note).strip()
    e = p.event
    if e == "accept":
        actions.accept_case(case, acting_user=user, note=p.note)
    elif e == "reject":
        actions.reject_case(case, reason=reason, acting_user=user)
    elif e == "dispatch":
        to_node = access_object(Node, user, "view", pk=p.to_node) if p.to_node is not None else None
        actions.dispatch_case(
            case,
            to_node=to_node,
            to_unit=_target_unit(p.to_unit),
            to_user=_target_user(p.to_user),
            note=p.note,
            acting_user=user,
        )
    elif e == "publish":
        actions.publish_case(case, acting_user=user, note=p.note)
    elif e == "claim":
        actions.claim_case(case, acting_user=user, note=p.note)
    elif e == "acknowledge":
        actions.acknowledge_case(case, acting_user=user, note=p.note)
    elif e == "send_back":
        actions.send_back_case(case, reason=reason, acting_user=user)
    elif e == "escalate":
        actions.escalate_case(case, reason=reason, acting_user=user)
    elif e == "progress":
        actions.add_progress(case, text=p.note, acting_user=user)
    elif e == "feedback":
        actions.feedback_case(case, result=p.result or p.note, acting_user=user)
    elif e in ("verify", "verify_pass", "verify_return"):
        passed = p.passed if e == "verify" else e == "verify_pass"
        if passed is None:
            raise ValidationError({"passed": "请说明核查是否通过（passed: true / false）"})
        actions.verify_case(case, passed=passed, note=p.note, acting_user=user)
    elif e == "rate":
        actions.rate_case(case, rating=p.rating or "", comment=p.comment, acting_user=user)
    elif e in (Event.CLOSE_DUPLICATE, Event.CLOSE_NOT_OURS, Event.CANCEL):
        actions.close_case(case, event=e, reason=reason, acting_user=user)
    elif e == "set_priority":
        actions.set_priority(case, priority=p.priority or "", acting_user=user)
    else:
        raise HttpError(422, f"不支持的操作：{e}")


@router.post(
    "/cases/{number}/events",
    response=CaseDetailOut,
    summary="办理操作（受理、派遣、签收、反馈、核查、评价……）",
)
def post_event(request: HttpRequest, number: str, payload: CaseEventIn) -> Case:
    user = auth_user(request)
    case = _case(request, number)
    try:
        _fire(case, payload, user)
    except workflow.TransitionError as exc:
        raise HttpError(409, str(exc)) from exc
    return _case(request, number)


@router.get("/cases/{number}/transitions", response=list[CaseTransitionOut], summary="办理流转记录")
def list_transitions(request: HttpRequest, number: str) -> Any:
    case = _case(request, number)
    return Transition.objects.filter(case=case).select_related("actor").order_by("at", "id")


@router.get("/figures", response=CaseFiguresOut, summary="五项指标与分类计数（按受理日期）")
def get_figures(request: HttpRequest, q: Query[FiguresQuery]) -> dict[str, Any]:
    _, where, start, end = _figures_scope(request, q.node, q.start, q.end)
    rates = stats.rates_for(where.pk, start, end)
    cats = figures.category_rows(where.pk, start, end)
    return {
        **_rates_payload(where, start, end, rates),
        "categories": cats,
        "summary": figures.category_sentence(cats, rates),
    }


@router.get("/figures/children", response=list[RatesOut], summary="下级区域排名（五项指标）")
def get_children_figures(request: HttpRequest, q: Query[ChildrenQuery]) -> list[dict[str, Any]]:
    user, where, start, end = _figures_scope(request, q.node, q.start, q.end)
    rows = figures.children_rows(user, where, start, end, q.sort)
    return [_rates_payload(r.node, start, end, r.rates) for r in rows]
