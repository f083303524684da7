"""Points API (积分 · 时间银行 · 爱心超市): balances, movements, rules, the catalogue,
redeeming and orders for a person; awards, reversals and pickup check-off for staff.

A person sees their own accounts and orders; staff see the people, movements and orders
within their scope. Missing and forbidden answer 404 alike; an order event the workflow
does not allow answers 409; a write the ledger refuses (balance, budget, stock) answers 422.
A manual award honours an ``Idempotency-Key`` header: a retry answers 200 with the first
award; the same key for another award answers 409.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from django.http import Http404, HttpRequest
from ninja import Field, Header, Query, Router, Schema, Status
from ninja.errors import HttpError

from dangjian.accounts.api import auth_user
from dangjian.core.access import access_object
from dangjian.core.bounds import QUANTITY_MAX, Id, Page, Quantity
from dangjian.core.pages import require_page
from dangjian.people.models import Person
from dangjian.points import actions, selectors, workflow
from dangjian.points.choices import Ledger
from dangjian.points.models import Item, Movement, Order, Rule

router = Router(tags=["积分与时间银行"])
PAGE = 50


class BalanceOut(Schema):
    person_id: Id
    honour: Decimal = Field(..., description="荣誉积分余额（分录合计）")
    timebank: Decimal = Field(..., description="时间银行余额（小时）")
    expiring: Decimal = Field(..., description="本年底到期的积分")
    expiring_on: date


class MovementOut(Schema):
    id: int
    ledger: str
    kind: str
    kind_label: str
    person_id: int | None
    amount: Decimal = Field(..., description="本人账户变动额")
    quantity: Decimal
    rule: str | None
    reason: str
    operator: str | None
    reverses_id: int | None
    reversed: bool
    created_at: datetime


class RuleOut(Schema):
    code: str
    name: str
    points: Decimal
    unit: str
    description: str
    max_per_year: Decimal | None


class ItemOut(Schema):
    id: int
    name: str
    description: str
    cost: int
    stock: int
    community_id: int


class OrderOut(Schema):
    id: int
    item: str
    quantity: int
    points: int
    status: str
    status_label: str
    pickup_code: str | None = Field(None, description="取货码（本人与本社区工作人员可见）")
    created_at: datetime
    exchange_day: date | None = Field(None, description="下一个积分兑换日")


class RedeemIn(Schema):
    item_id: Id
    quantity: Annotated[int, Field(ge=1, le=int(QUANTITY_MAX))] = 1


class CancelIn(Schema):
    reason: str = ""


class PickupIn(Schema):
    code: str


class AwardIn(Schema):
    person_id: Id
    rule: str
    quantity: Quantity = Decimal("1")
    reason: str


class ReverseIn(Schema):
    reason: str


def _movement_out(m: Movement) -> dict[str, Any]:
    return {
        "id": m.pk,
        "ledger": m.ledger,
        "kind": m.kind,
        "kind_label": m.get_kind_display(),
        "person_id": m.person_id,
        "amount": m.amount,
        "quantity": m.quantity,
        "rule": m.rule.code if m.rule else None,
        "reason": m.reason,
        "operator": m.operator.name if m.operator else None,
        "reverses_id": m.reverses_id,
        "reversed": getattr(m, "is_reversed", False),
        "created_at": m.created_at,
    }


def _order_out(o: Order, *, show_code: bool) -> dict[str, Any]:
    day = selectors.next_exchange_day(o.community_id) if o.status == "placed" else None
    return {
        "id": o.pk,
        "item": o.item.name,
        "quantity": o.quantity,
        "points": o.points,
        "status": o.status,
        "status_label": o.get_status_display(),
        "pickup_code": o.pickup_code if show_code and o.status == "placed" else None,
        "created_at": o.created_at,
        "exchange_day": day.date if day else None,
    }


def _own_person(user: Any) -> Person:
    if not user.person_id:
        raise Http404("您的账号未关联人员档案")
    return user.person


@router.get("/balance", response=BalanceOut, summary="我的积分与时长；工作人员可带 person_id 查看辖区人员")
def balance(request: HttpRequest, person_id: Id | None = None) -> dict[str, Any]:
    user = auth_user(request)
    person = _own_person(user) if person_id is None else access_object(Person, user, pk=person_id)
    expiring, on = selectors.expiring_soon(person)
    return {
        "person_id": person.pk,
        "honour": selectors.balance(person, Ledger.HONOUR),
        "timebank": selectors.balance(person, Ledger.TIMEBANK),
        "expiring": expiring,
        "expiring_on": on,
    }


class MovementFilter(Schema):
    ledger: str | None = None
    person_id: Id | None = None
    page: Page = 1


@router.get("/movements", response=list[MovementOut], summary="流水：本人的，或工作人员辖区内的")
def movements(request: HttpRequest, filters: Query[MovementFilter]) -> list[dict[str, Any]]:
    from django.db.models import Exists, OuterRef

    user = auth_user(request)
    qs = Movement.objects.restrict(user, "view").select_related("rule", "operator")
    if filters.ledger:
        if filters.ledger not in Ledger.values:
            raise HttpError(422, "账本应为 honour 或 timebank")
        qs = qs.filter(ledger=filters.ledger)
    if filters.person_id:
        qs = qs.filter(person_id=filters.person_id)
    qs = qs.annotate(is_reversed=Exists(Movement.objects.filter(reverses=OuterRef("pk"))))
    page = max(1, filters.page)
    return [_movement_out(m) for m in qs.order_by("-created_at", "-id")[(page - 1) * PAGE : page * PAGE]]


@router.get("/rules", response=list[RuleOut], summary="积分规则公示")
def rules(request: HttpRequest) -> list[Rule]:
    return list(selectors.rules())


@router.get("/items", response=list[ItemOut], summary="爱心超市：本社区可兑换物品")
def items(request: HttpRequest, community_id: Id | None = None) -> list[dict[str, Any]]:
    user = auth_user(request)
    if community_id is None:
        community_id = _own_person(user).community_id
    return [
        {
            "id": i.pk,
            "name": i.name,
            "description": i.description,
            "cost": i.cost,
            "stock": i.stock,
            "community_id": i.shop_id,
        }
        for i in selectors.catalogue(community_id)
    ]


@router.post("/orders", response={201: OrderOut}, summary="兑换（本人积分）")
def redeem(request: HttpRequest, payload: RedeemIn) -> Status:
    user = auth_user(request)
    person = _own_person(user)
    item = Item.objects.filter(pk=payload.item_id, shop_id=person.community_id).first()
    if item is None:
        raise Http404("未找到或无权访问")
    order = actions.redeem(person=person, item=item, quantity=payload.quantity, acting_user=user)
    return Status(201, _order_out(order, show_code=True))  # the owner's own order


@router.get("/orders", response=list[OrderOut], summary="兑换订单：本人的，或本社区的（工作人员）")
def orders(request: HttpRequest, status: str | None = None) -> list[dict[str, Any]]:
    user = auth_user(request)
    qs = Order.objects.restrict(user, "view").select_related("item")
    if status:
        qs = qs.filter(status=status)
    found = list(qs[:PAGE])
    readers = selectors.pickup_code_readers(user, found)
    return [_order_out(o, show_code=o.pk in readers) for o in found]


@router.post("/orders/{order_id}/cancel", response=OrderOut, summary="取消订单（积分与库存退回）")
def cancel(request: HttpRequest, order_id: int, payload: CancelIn) -> dict[str, Any]:
    user = auth_user(request)
    order = access_object(Order, user, pk=order_id)
    try:
        order = actions.cancel_order(order=order, acting_user=user, reason=payload.reason)
    except workflow.TransitionError as exc:
        raise HttpError(409, str(exc)) from exc
    return _order_out(order, show_code=order.pk in selectors.pickup_code_readers(user, [order]))


@router.post("/pickup", response=OrderOut, summary="积分兑换日凭取货码核销（工作人员）")
def pickup(request: HttpRequest, payload: PickupIn) -> dict[str, Any]:
    user = auth_user(request)
    require_page(user, "points:counter")
    order = actions.find_open_order(code=payload.code, acting_user=user)
    try:
        order = actions.pick_up(order=order, acting_user=user)
    except workflow.TransitionError as exc:
        raise HttpError(409, str(exc)) from exc
    return _order_out(order, show_code=False)  # picked up: the code is spent


@router.post(
    "/awards",
    response={200: MovementOut, 201: MovementOut},
    summary="人工奖励积分（工作人员，须写明事由；可带 Idempotency-Key 安全重试）",
)
def grant(
    request: HttpRequest,
    payload: AwardIn,
    idempotency_key: str | None = Header(
        None,
        alias="Idempotency-Key",
        description="幂等键（客户端生成，每个经办人各自一套，不超过 64 个字符）：同一键重试返回第一次的结果（200），不再发放",
    ),
) -> Status:
    user = auth_user(request)
    require_page(user, "points:desk")
    person = access_object(Person, user, "change", pk=payload.person_id)
    rule = Rule.objects.filter(code=payload.rule, active=True).first()
    if rule is None:
        raise actions.LedgerError({"rule": "积分规则不存在或已停用"})
    try:
        granted = actions.grant_points(
            rule=rule,
            person=person,
            quantity=payload.quantity,
            reason=payload.reason,
            acting_user=user,
            idempotency_key=idempotency_key or "",
        )
    except actions.IdempotencyConflict as exc:
        raise HttpError(409, str(exc)) from exc
    return Status(201 if granted.created else 200, _movement_out(granted.movement))


@router.post(
    "/movements/{movement_id}/reverse", response={201: MovementOut}, summary="冲正（工作人员，须写明事由）"
)
def reverse(request: HttpRequest, movement_id: int, payload: ReverseIn) -> Status:
    user = auth_user(request)
    require_page(user, "points:desk")
    movement = access_object(Movement, user, "change", pk=movement_id)
    new = actions.reverse(movement=movement, reason=payload.reason, acting_user=user)
    return Status(201, _movement_out(new))
