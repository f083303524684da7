"""Smart dispatch API (分类派遣): a case's decision, applying or overriding it, its
suspected duplicates, and the hotspots. Cases are addressed by number and fetched within
the user's scope (404 alike); a refused workflow step answers 409.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from dangjian.accounts.api import auth_user
from dangjian.appeals import selectors as appeals_selectors
from dangjian.appeals import workflow
from dangjian.appeals.models import Case, Category
from dangjian.core.bounds import Id
from dangjian.dispatch import actions, selectors
from dangjian.dispatch.models import DispatchDecision, Hotspot

router = Router(tags=["分类派遣"])
NOT_FOUND = "未找到或无权访问"


class GuessOut(Schema):
    code: str = Field(..., description="分类编码")
    name: str = Field(..., description="分类名称")
    confidence: float = Field(..., description="置信度 0–1")


class DecisionOut(Schema):
    id: int = Field(..., description="建议编号")
    case: str = Field(..., description="诉求编号")
    status: str = Field(
        ..., description="proposed 待确认、applied 已采用、overridden 已改派、superseded 已失效"
    )
    needs_person: bool = Field(..., description="须人工分派（置信度不足或没有分派对象）")
    model_version: int | None = Field(None, description="分类模型版本（无模型时为空）")
    guesses: list[GuessOut] = Field(..., description="模型前三候选")
    rule: str = Field("", description="命中的分派规则")
    category: str | None = Field(None, description="建议分类编码")
    tier: str = Field("", description="建议层级：grid、community、street、county")
    node: int | None = Field(None, description="建议责任区域节点编号")
    node_name: str = Field("", description="建议责任区域")
    department: int | None = Field(None, description="建议承办部门编号")
    department_name: str = Field("", description="建议承办部门")
    reasons: list[str] = Field(..., description="理由（中文）")
    decided_by: str = Field("", description="处理人")
    decided_at: datetime | None = Field(None, description="处理时间")

    @staticmethod
    def resolve_case(obj: DispatchDecision) -> str:
        return obj.case.number

    @staticmethod
    def resolve_rule(obj: DispatchDecision) -> str:
        return obj.rule_label

    @staticmethod
    def resolve_category(obj: DispatchDecision) -> str | None:
        return obj.category.code if obj.category_id and obj.category else None

    @staticmethod
    def resolve_node(obj: DispatchDecision) -> int | None:
        return obj.node_id

    @staticmethod
    def resolve_node_name(obj: DispatchDecision) -> str:
        return obj.node.name if obj.node_id and obj.node else ""

    @staticmethod
    def resolve_department(obj: DispatchDecision) -> int | None:
        return obj.department_id

    @staticmethod
    def resolve_department_name(obj: DispatchDecision) -> str:
        return obj.department.name if obj.department_id and obj.department else ""

    @staticmethod
    def resolve_decided_by(obj: DispatchDecision) -> str:
        return obj.decided_by.name if obj.decided_by_id and obj.decided_by else ""


class OverrideIn(Schema):
    category: Id | None = Field(None, description="改定的分类编号（不改可不填）")
    to_node: Id | None = Field(None, description="派遣到的区域节点（诉求所在网格、社区或街道）")
    to_unit: Id | None = Field(None, description="派遣到的职能部门")
    note: str = Field("", max_length=500, description="改派说明")


class DuplicateOut(Schema):
    number: str = Field(..., description="诉求编号")
    title: str = Field(..., description="标题")
    status: str = Field(..., description="状态代码")
    received_on: date = Field(..., description="受理日期")
    score: float = Field(..., description="综合得分 0–1（≥0.5 为疑似重复）")
    text_similarity: float = Field(..., description="文字相似度 0–1")
    distance_m: int = Field(..., description="相距（米）")
    days_apart: int = Field(..., description="相隔天数")
    reasons: list[str] = Field(..., description="理由")
    can_merge: bool = Field(..., description="当前用户能否合并（较晚的一件并入较早的一件）")


class HotspotOut(Schema):
    id: int
    title: str = Field(..., description="代表诉求标题")
    top_category: str = Field(..., description="问题领域（一级分类）")
    category: str = Field(..., description="主要分类")
    place: str = Field("", description="所在区域")
    lng: float
    lat: float
    radius_m: int = Field(..., description="范围（米）")
    first_day: date
    last_day: date
    cases: int = Field(..., description="诉求件数")
    reporters: int = Field(..., description="反映人数")
    support: int = Field(..., description="关注/并件")
    active_days: int = Field(..., description="反映天数")
    open_cases: int = Field(..., description="未办结件数")
    departments: int = Field(..., description="涉及部门数")
    heat: float = Field(..., description="热度指数")
    suggests_whistle: bool = Field(..., description="建议吹哨")
    whistle_reason: str = Field("", description="建议吹哨的理由")
    lead_case: str | None = Field(None, description="代表诉求编号")

    @staticmethod
    def resolve_top_category(obj: Hotspot) -> str:
        return obj.top_category.name

    @staticmethod
    def resolve_category(obj: Hotspot) -> str:
        return obj.category.name

    @staticmethod
    def resolve_place(obj: Hotspot) -> str:
        return obj.place_label

    @staticmethod
    def resolve_lead_case(obj: Hotspot) -> str | None:
        return obj.lead_case.number if obj.lead_case_id and obj.lead_case else None


def _case(request: HttpRequest, number: str) -> Case:
    user = auth_user(request)
    appeals_selectors.require_staff(user)
    case = appeals_selectors.visible_cases(user).select_related("category").filter(number=number).first()
    if case is None:
        raise Http404(NOT_FOUND)
    return case


def _decision(case: Case) -> DispatchDecision:
    decision = selectors.latest_decision(case)
    if decision is None:
        raise Http404("该诉求没有分派建议")
    return decision


def _refused(exc: Exception) -> HttpError:
    return HttpError(409, str(exc))


@router.get("/cases/{number}/decision", response=DecisionOut, summary="诉求的智能分派建议（没有时即时计算）")
def get_decision(request: HttpRequest, number: str) -> DispatchDecision:
    return _decision(_case(request, number))


@router.post("/cases/{number}/decision/apply", response=DecisionOut, summary="采用建议（受理并派遣）")
def apply_decision(request: HttpRequest, number: str) -> DispatchDecision:
    case = _case(request, number)
    decision = _decision(case)
    try:
        actions.apply_decision(decision, acting_user=auth_user(request))
    except workflow.TransitionError as exc:
        raise _refused(exc) from exc
    decision.refresh_from_db()
    return decision


@router.post("/cases/{number}/decision/override", response=DecisionOut, summary="改派（另选分类和派遣对象）")
def override_decision(request: HttpRequest, number: str, payload: OverrideIn) -> DispatchDecision:
    case = _case(request, number)
    decision = _decision(case)
    category = None
    if payload.category is not None:
        category = Category.objects.filter(pk=payload.category, active=True).first()
        if category is None:
            raise ValidationError({"category": "分类不存在"})
    if (payload.to_node is None) == (payload.to_unit is None):
        raise ValidationError({"to_node": "请在 to_node 与 to_unit 中选择一个派遣对象"})
    raw = f"node:{payload.to_node}" if payload.to_node is not None else f"unit:{payload.to_unit}"
    try:
        node, unit = selectors.parse_target(case, raw)
    except Http404 as exc:
        raise ValidationError(
            {"to_node" if payload.to_node else "to_unit": "派遣对象不在可选范围内"}
        ) from exc
    try:
        actions.override_decision(
            decision,
            category=category,
            node=node,
            department=unit,
            note=payload.note,
            acting_user=auth_user(request),
        )
    except workflow.TransitionError as exc:
        raise _refused(exc) from exc
    decision.refresh_from_db()
    return decision


@router.get("/cases/{number}/duplicates", response=list[DuplicateOut], summary="疑似重复的诉求")
def list_duplicates(request: HttpRequest, number: str) -> list[dict[str, Any]]:
    user = auth_user(request)
    case = _case(request, number)
    return [
        {
            "number": d.case.number,
            "title": d.case.title,
            "status": d.case.status,
            "received_on": d.case.received_on,
            "score": d.score.score,
            "text_similarity": round(d.score.text, 4),
            "distance_m": round(d.score.distance_m),
            "days_apart": d.score.days_apart,
            "reasons": d.score.reasons(),
            "can_merge": bool(d.merge_label),
        }
        for d in selectors.duplicates_for(user, case)
    ]


@router.get("/hotspots", response=list[HotspotOut], summary="热点问题（按热度指数，按权限范围）")
def list_hotspots(request: HttpRequest) -> Any:
    return list(selectors.hotspots_for(auth_user(request))[:200])
