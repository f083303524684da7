"""Needs API (为民红绳 / 微心愿): post a need (for oneself, or for a resident as staff), the
wall, my needs, the staff list, one need with its events, recommendations, the campaign
batch assignment and the 工委清单 figures.

Staff see the needs within their scope; residents theirs; members and unit liaisons the
ones they may claim or hold. Missing and forbidden answer 404 alike; an event the workflow
does not allow answers 409.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from django.db import transaction
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja import Status as HttpStatus
from ninja.errors import HttpError

from dangjian.accounts.api import auth_user
from dangjian.core.bounds import Amount, Count, Id, IdList, Year
from dangjian.core.pages import require_page
from dangjian.intel import matching
from dangjian.needs import actions, fairness, selectors, workflow
from dangjian.needs.choices import Kind, Status
from dangjian.needs.models import Need, NeedTransition
from dangjian.territory.models import Node

router = Router(tags=["红绳心愿"])


class NeedOut(Schema):
    id: int
    number: str | None = Field(None, description="编号")
    kind: str = Field(..., description="类型：wish 微心愿、family 家庭帮扶、public 公共需求")
    title: str
    description: str
    skills: list[str]
    status: str = Field(..., description="状态")
    status_label: str
    community_id: int | None
    grid_id: int | None
    beneficiary: str = Field(..., description="许愿人（心愿墙上为脱敏姓名）")
    on_behalf: bool = Field(..., description="网格员代为登记")
    elderly: bool
    disabled: bool
    priority: float = Field(..., description="优先分 = 等待天数 + 15 老人 + 15 残疾人 + 5 家庭帮扶")
    branch: str = Field("", description="下单支部")
    claimer_kind: str
    claimer_name: str = Field(..., description="接单方")
    assigned: bool
    funder_unit: str = ""
    funded_amount: Decimal
    estimated_cost: Decimal
    people_served: int
    evidence: str
    rating: int | None
    created_at: datetime
    events: list[str] = Field(default_factory=list, description="当前用户可执行的操作")


class NeedTransitionOut(Schema):
    at: datetime
    event: str
    from_state: str
    to_state: str
    on_behalf: bool
    note: str


class NeedIn(Schema):
    kind: str = Kind.WISH
    title: str
    description: str = ""
    skills: list[str] = []
    estimated_cost: Amount = Decimal("0")
    people_served: Count = 1
    elderly: bool = False
    disabled: bool = False
    beneficiary_id: Id | None = Field(None, description="代群众登记时的人员编号（工作人员）")
    community_id: Id | None = Field(None, description="公共需求的社区编号（工作人员）")


class NeedEventIn(Schema):
    event: str = Field(
        ...,
        description="publish/reject/order/claim/assign/release/fund/fulfil/return/confirm/rate/withdraw/cancel",
    )
    note: str = ""
    branch_id: Id | None = None
    member_id: Id | None = None
    unit_id: Id | None = None
    team_name: str = ""
    claimer_kind: str = ""
    amount: Amount | None = None
    evidence: str = ""
    rating: Count | None = None


class RecommendationOut(Schema):
    candidate: str
    label: str
    kind: str
    cost: float
    reasons: list[str]


class CampaignIn(Schema):
    community_ids: IdList
    apply: bool = False
    k: int = Field(10, ge=1, le=100)


class PairOut(Schema):
    need_id: int
    candidate: str
    label: str


class CampaignOut(Schema):
    needs: int
    candidates: int
    total_cost: float
    pairs: list[PairOut]
    unassigned: list[int]
    applied: int = 0
    failed: list[str] = []


class NeedFiguresOut(Schema):
    name: str
    tied: int = Field(..., description="系上红绳（点单）")
    claimed: int = Field(..., description="已认领")
    claim_rate: float
    fulfilled: int = Field(..., description="实现心愿")
    people_served: int
    funded: Decimal = Field(..., description="机关买单金额（元）")
    funded_count: int


class LedgerOut(Schema):
    period: str
    total: NeedFiguresOut
    communities: list[NeedFiguresOut]


class LedgerQuery(Schema):
    year: Year | None = None
    quarter: int | None = Field(None, ge=1, le=4)


def _out(need: Need, user: Any, *, private: bool) -> dict[str, Any]:
    from django.utils import timezone

    from dangjian.needs.access import actor_kinds

    name = need.beneficiary.name if need.beneficiary else "公共需求"
    return {
        **{
            f: getattr(need, f)
            for f in NeedOut.model_fields
            if hasattr(need, f) and f not in ("beneficiary", "branch", "funder_unit")
        },
        "status_label": need.get_status_display(),
        "beneficiary": name if private or not need.beneficiary else selectors.mask_name(name),
        "priority": fairness.priority(need, timezone.now()).score,
        "branch": need.branch.name if need.branch else "",
        "funder_unit": need.funder_unit.name if need.funder_unit else "",
        "events": workflow.events_for(need.status, actor_kinds(user, need)),
    }


def _need(request: HttpRequest, need_id: int) -> tuple[Need, set[str], bool]:
    return selectors.access_need(auth_user(request), need_id)


def _get(model: Any, pk: int | None, what: str) -> Any:
    if pk is None:
        return None
    obj = model.objects.filter(pk=pk).first()
    if obj is None:
        raise HttpError(422, f"{what}不存在")
    return obj


@router.get("/mine", response=dict[str, list[NeedOut]], summary="我的心愿：我许的愿、我接的单、我代登记的")
def mine(request: HttpRequest) -> dict[str, list[dict[str, Any]]]:
    user = auth_user(request)
    data = selectors.my_needs(user)
    return {k: [_out(n, user, private=True) for n in v] for k, v in data.items()}


@router.get(
    "/wall/{community_id}", response=list[NeedOut], summary="社区心愿墙（等待认领，按优先分排序；许愿人脱敏）"
)
def wall(request: HttpRequest, community_id: int) -> list[dict[str, Any]]:
    user = auth_user(request)
    node = Node.objects.filter(pk=community_id, level="community").first()
    if node is None:
        raise HttpError(404, "社区不存在")
    return [_out(n, user, private=False) for n, _ in selectors.wall(node)["waiting"]]


@router.get("", response=list[NeedOut], summary="管辖范围内的心愿（工作人员）")
def list_needs(
    request: HttpRequest, status: str = "", community_id: int | None = None
) -> list[dict[str, Any]]:
    user = auth_user(request)
    require_page(user, "needs:queue")
    if status and status not in Status.values:
        raise HttpError(422, "状态不正确")
    return [
        _out(n, user, private=True) for n, _ in selectors.queue(user, status=status, community=community_id)
    ]


@router.post("", response={201: NeedOut}, summary="我要许愿（或工作人员代群众登记、登记公共需求）")
def create_need(request: HttpRequest, payload: NeedIn) -> Any:
    from dangjian.people.models import Person

    user = auth_user(request)
    beneficiary = None
    node = None
    if payload.beneficiary_id is not None:
        beneficiary = Person.objects.restrict(user, "add").filter(pk=payload.beneficiary_id).first()
        if beneficiary is None and user.person_id == payload.beneficiary_id:
            beneficiary = user.person
        if beneficiary is None:
            raise HttpError(404, "未找到或无权访问")
    elif payload.community_id is not None:
        node = Node.objects.restrict(user, "add").filter(pk=payload.community_id, level="community").first()
        if node is None:
            raise HttpError(404, "未找到或无权访问")
    elif user.person_id:
        beneficiary = user.person
    need = actions.submit_need(
        kind=payload.kind,
        title=payload.title,
        description=payload.description,
        beneficiary=beneficiary,
        node=node,
        skills=payload.skills,
        estimated_cost=payload.estimated_cost,
        people_served=payload.people_served,
        elderly=payload.elderly,
        disabled=payload.disabled,
        acting_user=user,
    )
    return HttpStatus(201, _out(need, user, private=True))


@router.post(
    "/campaign", response=CampaignOut, summary="集中认领：最小费用批量匹配（apply=true 时按方案指派）"
)
def campaign(request: HttpRequest, payload: CampaignIn) -> dict[str, Any]:
    from dangjian.party.models import PartyMember
    from dangjian.units.models import Unit

    user = auth_user(request)
    require_page(user, "needs:campaign")
    allowed = set(
        Node.objects.restrict(user, "change")
        .filter(pk__in=payload.community_ids, level="community")
        .values_list("pk", flat=True)
    )
    if not allowed:
        raise HttpError(404, "未找到或无权访问")
    needs = list(
        selectors.staff_needs(user)
        .filter(
            community_id__in=allowed,
            status__in=[Status.PUBLISHED, Status.ORDERED],
            directed_member__isnull=True,
        )
        .select_related("beneficiary__home")
        .order_by("created_at")[:5000]
    )
    cands = selectors.candidates_for(allowed)
    result = matching.batch_assign(selectors.need_items(needs), cands, k=payload.k)
    labels = {c.id: c.label for c in cands}
    out: dict[str, Any] = {
        "needs": len(needs),
        "candidates": len(cands),
        "total_cost": round(result.total_cost, 3),
        "pairs": [{"need_id": n, "candidate": str(c), "label": labels[c]} for n, c in result.pairs.items()],
        "unassigned": list(result.unassigned),
        "applied": 0,
        "failed": [],
    }
    if payload.apply:
        by_id = {n.pk: n for n in needs}
        for need_id, cand in result.pairs.items():
            kind, _, ident = str(cand).partition(":")
            need = by_id[int(need_id)]  # type: ignore[call-overload]
            try:
                with transaction.atomic():
                    if kind == "member":
                        actions.assign_need(
                            need,
                            acting_user=user,
                            member=PartyMember.objects.get(pk=int(ident)),
                            note="集中认领（批量匹配）",
                        )
                    elif kind == "unit":
                        actions.assign_need(
                            need,
                            acting_user=user,
                            unit=Unit.objects.get(pk=int(ident)),
                            note="集中认领（批量匹配）",
                        )
                    else:
                        actions.assign_need(
                            need,
                            acting_user=user,
                            team_name=labels[cand],
                            claimer_kind="team",
                            note="集中认领（批量匹配）",
                        )
                out["applied"] += 1
            except Exception as exc:  # noqa: BLE001 — reported per need, the others go on
                out["failed"].append(f"{need.number}：{exc}")
    return out


@router.get(
    "/ledger",
    response=LedgerOut,
    summary="工委清单：本季度（或指定季度）各社区的红绳、认领、实现、服务人数、买单金额",
)
def ledger(request: HttpRequest, q: Query[LedgerQuery]) -> dict[str, Any]:
    user = auth_user(request)
    require_page(user, "needs:ledger")
    year, quarter = selectors.current_quarter()
    year, quarter = q.year or year, q.quarter or quarter
    per, total = selectors.ledger_figures(selectors.ledger_queryset(user, year, quarter))

    def fig(f: selectors.Figures) -> dict[str, Any]:
        return {**f.__dict__, "claim_rate": f.claim_rate}

    return {"period": f"{year}Q{quarter}", "total": fig(total), "communities": [fig(f) for f in per]}


@router.get("/{need_id}", response=NeedOut, summary="一件心愿")
def get_need(request: HttpRequest, need_id: int) -> dict[str, Any]:
    need, kinds, staff = _need(request, need_id)
    return _out(need, auth_user(request), private=staff or "resident" in kinds or "handler" in kinds)


@router.get("/{need_id}/transitions", response=list[NeedTransitionOut], summary="流转记录")
def transitions(request: HttpRequest, need_id: int) -> Any:
    need, _, _ = _need(request, need_id)
    return NeedTransition.objects.filter(need=need).order_by("at", "id")


@router.get("/{need_id}/recommendations", response=list[RecommendationOut], summary="推荐接单人及理由")
def recommendations(
    request: HttpRequest, need_id: int, limit: Annotated[int, Field(ge=1, le=100)] = 5
) -> list[dict[str, Any]]:
    need, kinds, staff = _need(request, need_id)
    if not staff and "branch" not in kinds:
        raise HttpError(404, "未找到或无权访问")
    recs = matching.recommend(
        selectors.need_item(need),
        selectors.candidates_for([need.community_id or 0]),
        limit=max(1, min(limit, 50)),
    )
    return [
        {
            "candidate": str(r.candidate.id),
            "label": r.candidate.label,
            "kind": r.candidate.kind,
            "cost": r.cost,
            "reasons": r.reasons,
        }
        for r in recs
    ]


@router.post(
    "/{need_id}/events",
    response=NeedOut,
    summary="办理操作（审核、下单、接单、指派、买单、完成、确认、评价……）",
)
def post_event(request: HttpRequest, need_id: int, payload: NeedEventIn) -> dict[str, Any]:
    from dangjian.party.models import Organization, PartyMember
    from dangjian.units.models import Unit

    user = auth_user(request)
    need, _, _ = _need(request, need_id)
    try:
        actions.fire_event(
            need,
            event=payload.event,
            acting_user=user,
            note=payload.note,
            branch=_get(Organization, payload.branch_id, "党组织"),
            member=_get(PartyMember, payload.member_id, "党员"),
            unit=_get(Unit, payload.unit_id, "单位"),
            team_name=payload.team_name,
            claimer_kind=payload.claimer_kind,
            amount=payload.amount,
            evidence=payload.evidence,
            rating=payload.rating,
        )
    except workflow.TransitionError as exc:
        raise HttpError(409, str(exc)) from exc
    need.refresh_from_db()
    return _out(need, user, private=True)
