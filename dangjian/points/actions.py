"""Every write to the points ledgers and the 爱心超市.

All money-like writes go through :func:`_post`: one :class:`Movement` with postings that
sum to zero, the cached account balances moved in the same transaction (accounts updated
in primary-key order, each with a conditional ``UPDATE`` when it has a floor, so a balance
or a budget can never be overdrawn by concurrent requests). Awards, earned hours and
expiries carry a unique ``key``; a second call with the same key — even a concurrent one on
PostgreSQL, which waits on the unique index — returns the first movement and pays nothing.

Public interface used by ``needs`` and ``service``: :func:`award`, :func:`earn_hours`,
:func:`spend_hours`, :func:`reverse`, :func:`redeem`.
"""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import F, Sum
from django.utils import timezone

from dangjian.core import audit
from dangjian.core.access import ensure_in_scope
from dangjian.points import workflow
from dangjian.points.choices import AccountKind, Ledger, MovementKind, OrderStatus
from dangjian.points.models import (
    ZERO,
    Account,
    Budget,
    ExchangeDay,
    Grant,
    Item,
    Movement,
    Order,
    OrderTransition,
    Posting,
    Rule,
)

DEFAULT_ANNUAL_BUDGET = Decimal("200000")
CENT = Decimal("0.01")
MAX_QUANTITY = Decimal("1000")
MAX_HOURS = Decimal("24")


class LedgerError(ValidationError):
    """A write the ledger refuses (insufficient balance, budget used up …); nothing changed."""


class InsufficientBalance(LedgerError):
    pass


class BudgetExceeded(LedgerError):
    pass


class OutOfStock(LedgerError):
    pass


def _q(value: Decimal | int | str) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def _community_of(*objs: Any) -> Any:
    """The community (a territory Node) a source or person lies in: the issuing organisation."""
    from dangjian.territory.models import Node

    for obj in objs:
        if obj is None:
            continue
        if isinstance(obj, Node) and obj.level == "community":
            return obj
        community_id = getattr(obj, "community_id", None)
        if community_id:
            return Node.objects.get(pk=community_id)
    raise LedgerError("该人员或事项未落到社区，无法记账")


# --- accounts ------------------------------------------------------------------------------


def _account(
    ledger: str, kind: str, *, person: Any = None, owner: Any = None, year: int | None = None
) -> Account:
    """Fetch or open an account. ``INSERT … ON CONFLICT DO NOTHING`` then read, so two
    concurrent first payments to one person open one account."""
    lookup: dict[str, Any] = {"ledger": ledger, "kind": kind}
    if kind == AccountKind.PERSON:
        lookup["person"] = person
    else:
        lookup.update(owner=owner, year=year)
    found = Account.objects.filter(**lookup).first()
    if found is not None:
        return found
    account = Account(**lookup)
    account.place(person if person is not None else owner)
    Account.objects.bulk_create([account], ignore_conflicts=True)
    return Account.objects.get(**lookup)


def person_account(person: Any, ledger: str) -> Account:
    return _account(ledger, AccountKind.PERSON, person=person)


def budget_for(issuer: Any, year: int) -> Budget:
    found = Budget.objects.filter(issuer=issuer, year=year).first()
    if found is not None:
        return found
    budget = Budget(issuer=issuer, year=year, amount=DEFAULT_ANNUAL_BUDGET)
    budget.place(issuer)
    Budget.objects.bulk_create([budget], ignore_conflicts=True)
    return Budget.objects.get(issuer=issuer, year=year)


def _lock_accounts(*accounts: Account) -> None:
    """Lock these account rows until the commit (``SELECT … FOR UPDATE``), in primary-key
    order as :func:`_post` updates them, so two writers never wait on each other in a cycle.
    On SQLite the transaction already holds the database's write lock (BEGIN IMMEDIATE)."""
    pks = sorted({a.pk for a in accounts})
    list(Account.objects.select_for_update().filter(pk__in=pks).order_by("pk").values_list("pk", flat=True))


@dataclass
class _Entry:
    account: Account
    amount: Decimal
    floor: Decimal | None = None  # the balance may not fall below this


def _post(
    *,
    ledger: str,
    kind: str,
    person: Any,
    reason: str,
    acting_user: Any,
    entries: list[_Entry],
    place: Any,
    rule: Rule | None = None,
    quantity: Decimal = ZERO,
    source: models.Model | None = None,
    key: str | None = None,
    reverses: Movement | None = None,
) -> tuple[Movement, bool]:
    """Write one balanced movement. Returns ``(movement, created)``; with a ``key`` already
    used, the existing movement and ``False``."""
    entries = [e for e in entries if e.amount != 0]
    if len(entries) < 2:
        raise LedgerError("记账至少需要两个账户")
    if sum((e.amount for e in entries), ZERO) != 0:
        raise LedgerError("借贷不平衡")
    if len({e.account.pk for e in entries}) != len(entries):
        raise LedgerError("同一账户不能在一笔流水中出现两次")
    if not reason.strip():
        raise LedgerError("请填写事由")
    person_amount = sum(
        (e.amount for e in entries if e.account.person_id == getattr(person, "pk", None)), ZERO
    )
    movement = Movement(
        ledger=ledger,
        kind=kind,
        rule=rule,
        person=person,
        quantity=quantity,
        amount=person_amount,
        reason=reason.strip()[:200],
        operator=acting_user if getattr(acting_user, "pk", None) else None,
        source_type=ContentType.objects.get_for_model(source) if source is not None else None,
        source_id=str(source.pk) if source is not None else "",
        key=key,
        reverses=reverses,
    )
    movement.place(place)
    if key is not None:
        existing = Movement.objects.filter(key=key).first()
        if existing is not None:
            return existing, False
        try:
            with transaction.atomic():  # a savepoint: a concurrent twin fails here, not later
                movement.save()
        except IntegrityError:
            existing = Movement.objects.filter(key=key).first()
            if existing is None:
                raise
            return existing, False
    elif reverses is not None:
        try:
            with transaction.atomic():
                movement.save()
        except IntegrityError:
            raise LedgerError("该流水已冲正，不能重复冲正") from None
    else:
        movement.save()
    for entry in sorted(entries, key=lambda e: e.account.pk):
        qs = Account.objects.filter(pk=entry.account.pk)
        if entry.floor is not None:
            qs = qs.filter(balance__gte=entry.floor - entry.amount)
        if qs.update(balance=F("balance") + entry.amount) != 1:
            if entry.account.kind == AccountKind.BUDGET:
                raise BudgetExceeded("发放单位本年度积分预算不足，未发放")
            raise InsufficientBalance("余额不足" if ledger == Ledger.HONOUR else "时间银行余额不足")
    Posting.objects.bulk_create(
        [Posting(movement=movement, account=e.account, amount=e.amount) for e in entries]
    )
    audit.record(acting_user, f"points.{kind}", movement)
    return movement, True


# --- honour points ------------------------------------------------------------------------


def _source_key(source: models.Model) -> str:
    ct = ContentType.objects.get_for_model(source)
    return f"{ct.pk}:{source.pk}"


def _award_key(rule_code: str, source: models.Model, person_id: int) -> str:
    return f"award:{rule_code}:{_source_key(source)}:{person_id}"


@transaction.atomic
def award(
    *,
    rule: str,
    person: Any,
    source: models.Model,
    acting_user: Any,
    quantity: Decimal | int = 1,
    note: str = "",
) -> Movement:
    """Pay the honour points of rule ``rule`` (a :class:`Rule` code) for ``quantity`` units
    to ``person``, from the annual budget of the issuing community (the source's community,
    else the person's). Idempotent on (rule, source, person): a second call — even a
    concurrent one — returns the existing movement and pays nothing more. A rule's yearly
    cap per person is checked with the person's account locked, so parallel awards under
    different sources cannot pay past it either.

    Raises :class:`LedgerError` (a ``ValidationError``) when the rule is unknown or inactive,
    the quantity is out of range, the yearly cap is reached or the budget is used up.
    """
    rule_obj = Rule.objects.filter(code=rule).first()
    if rule_obj is None or not rule_obj.active:
        raise LedgerError(f"积分规则“{rule}”不存在或已停用")
    qty = _q(quantity)
    if qty <= 0 or qty > MAX_QUANTITY:
        raise LedgerError("数量应大于 0 且不超过 1000")
    key = _award_key(rule_obj.code, source, person.pk)
    existing = Movement.objects.filter(key=key).first()
    if existing is not None:
        return existing
    amount = _q(rule_obj.points * qty)
    year = timezone.localdate().year
    issuer = _community_of(source, person)
    budget = budget_for(issuer, year)
    budget_account = _account(Ledger.HONOUR, AccountKind.BUDGET, owner=issuer, year=year)
    account = person_account(person, Ledger.HONOUR)
    if rule_obj.max_per_year is not None:
        # The cap is read under the lock of the person's account, held to the commit: a
        # parallel award to the same person waits here and then sees this one's movement.
        _lock_accounts(account, budget_account)
        existing = Movement.objects.filter(key=key).first()  # a twin paid while we waited
        if existing is not None:
            return existing
        so_far = (
            Movement.objects.filter(
                person=person, rule=rule_obj, ledger=Ledger.HONOUR, created_at__year=year
            ).aggregate(s=Sum("amount"))["s"]
            or ZERO
        )
        if so_far + amount > rule_obj.max_per_year:
            raise LedgerError(
                f"“{rule_obj.name}”每人每年最多 {rule_obj.max_per_year.normalize():f} 分，已达上限"
            )
    reason = f"{rule_obj.name}" + (f"：{note}" if note else "")
    movement, _ = _post(
        ledger=Ledger.HONOUR,
        kind=MovementKind.AWARD,
        person=person,
        reason=reason,
        acting_user=acting_user,
        entries=[
            _Entry(account, amount),
            _Entry(budget_account, -amount, floor=-budget.amount),
        ],
        place=person,
        rule=rule_obj,
        quantity=qty,
        source=source,
        key=key,
    )
    return movement


MAX_KEY = 64  # the client's part of an idempotency key; stored as "<operator id>:<key>"


class IdempotencyConflict(Exception):
    """The idempotency key was already used by this operator for another award (API: 409)."""


@dataclass(frozen=True)
class Granted:
    movement: Movement
    created: bool  # False when the idempotency key had been seen: the first award is returned


@transaction.atomic
def grant_points(
    *,
    rule: Rule,
    person: Any,
    quantity: Decimal | int,
    reason: str,
    acting_user: Any,
    idempotency_key: str = "",
) -> Granted:
    """Staff award by hand (e.g. 星积分 for a 红管家), with a written reason.

    Safe to retry with an ``idempotency_key`` (an API client's ``Idempotency-Key``, the
    desk form's hidden key): keys are per operator, and a key seen before — even from a
    concurrent request, which waits on the unique index — returns the first award and pays
    nothing. The same key for a different award raises :class:`IdempotencyConflict`."""
    ensure_in_scope(acting_user, "change", person)
    if not reason.strip():
        raise LedgerError("请填写奖励事由")
    key = idempotency_key.strip()
    if len(key) > MAX_KEY or not key.isprintable():
        raise LedgerError({"idempotency_key": f"幂等键不超过 {MAX_KEY} 个字符，且只能含可见字符"})
    grant = Grant(
        rule=rule,
        person=person,
        quantity=_q(quantity),
        reason=reason.strip()[:200],
        operator=acting_user,
        idempotency_key=f"{acting_user.pk}:{key}" if key else None,
    )
    grant.place(person)
    if grant.idempotency_key is not None:
        earlier = Grant.objects.filter(idempotency_key=grant.idempotency_key).first()
        if earlier is not None:
            return Granted(_granted_movement(earlier, grant), False)
        try:
            with transaction.atomic():  # a savepoint: a concurrent twin fails here, not later
                grant.save()
        except IntegrityError:
            earlier = Grant.objects.filter(idempotency_key=grant.idempotency_key).first()
            if earlier is None:
                raise
            return Granted(_granted_movement(earlier, grant), False)
    else:
        grant.save()
    audit.record(acting_user, "points.grant", grant)
    movement = award(
        rule=rule.code,
        person=person,
        source=grant,
        acting_user=acting_user,
        note=grant.reason,
        quantity=grant.quantity,
    )
    return Granted(movement, True)


def _granted_movement(earlier: Grant, retry: Grant) -> Movement:
    """The movement of an earlier grant with the same key, if the retry asks for the same."""
    same = (earlier.rule_id, earlier.person_id, earlier.quantity, earlier.reason) == (
        retry.rule_id,
        retry.person_id,
        retry.quantity,
        retry.reason,
    )
    if not same:
        raise IdempotencyConflict("该幂等键已用于另一笔奖励，请更换后重试")
    return Movement.objects.get(key=_award_key(earlier.rule.code, earlier, earlier.person_id))


@transaction.atomic
def set_budget(*, issuer: Any, year: int, amount: Decimal | int, acting_user: Any) -> Budget:
    ensure_in_scope(acting_user, "change", issuer)
    amount = _q(amount)
    budget = budget_for(issuer, year)
    before = audit.snapshot(budget)
    issued = -(
        Account.objects.filter(ledger=Ledger.HONOUR, kind=AccountKind.BUDGET, owner=issuer, year=year)
        .values_list("balance", flat=True)
        .first()
        or ZERO
    )
    if amount < issued:
        raise LedgerError(f"预算不能少于已发放的 {issued.normalize():f} 分")
    Budget.objects.filter(pk=budget.pk).update(amount=amount)
    budget.refresh_from_db()
    audit.record(acting_user, "points.set_budget", budget, before=before)
    return budget


# --- time bank ----------------------------------------------------------------------------


def _hours(hours: Decimal | int | str) -> Decimal:
    value = _q(hours)
    if value <= 0 or value > MAX_HOURS:
        raise LedgerError("时长应大于 0 且不超过 24 小时")
    return value


@transaction.atomic
def earn_hours(
    *,
    person: Any,
    hours: Decimal | int,
    source: models.Model,
    acting_user: Any,
    beneficiary: Any = None,
    note: str = "",
) -> Movement:
    """Time bank: credit ``hours`` to the volunteer; debit the beneficiary (a Person) as far
    as their balance goes and the community's mutual-aid pool for the rest. Idempotent per
    (source, person)."""
    value = _hours(hours)
    key = f"earn:{_source_key(source)}:{person.pk}"
    existing = Movement.objects.filter(key=key).first()
    if existing is not None:
        return existing
    if beneficiary is not None and beneficiary.pk == person.pk:
        raise LedgerError("不能为自己服务记时长")
    community = _community_of(source, person)
    pool = _account(Ledger.TIMEBANK, AccountKind.POOL, owner=community)
    entries = [_Entry(person_account(person, Ledger.TIMEBANK), value)]
    from_pool = value
    if beneficiary is not None:
        ben_account = person_account(beneficiary, Ledger.TIMEBANK)
        balance = Account.objects.select_for_update().get(pk=ben_account.pk).balance
        paid = min(value, max(balance, ZERO))
        entries.append(_Entry(ben_account, -paid, floor=ZERO))
        from_pool = value - paid
    entries.append(_Entry(pool, -from_pool))
    reason = "志愿服务存入时长" + (f"：{note}" if note else "")
    movement, _ = _post(
        ledger=Ledger.TIMEBANK,
        kind=MovementKind.EARN,
        person=person,
        reason=reason,
        acting_user=acting_user,
        entries=entries,
        place=person,
        quantity=value,
        source=source,
        key=key,
    )
    return movement


@transaction.atomic
def spend_hours(
    *,
    person: Any,
    hours: Decimal | int,
    source: models.Model,
    acting_user: Any,
    provider: Any = None,
    note: str = "",
) -> Movement:
    """Time bank: the person (or their family, through them) receives ``hours`` of service.
    Debit the person (never below zero); credit the provider, or the community pool when the
    service came from the community. Idempotent per (source, person)."""
    value = _hours(hours)
    key = f"spend:{_source_key(source)}:{person.pk}"
    existing = Movement.objects.filter(key=key).first()
    if existing is not None:
        return existing
    if provider is not None and provider.pk == person.pk:
        raise LedgerError("服务提供者不能是本人")
    if provider is not None:
        credit = person_account(provider, Ledger.TIMEBANK)
    else:
        credit = _account(Ledger.TIMEBANK, AccountKind.POOL, owner=_community_of(source, person))
    reason = "支取时长接受服务" + (f"：{note}" if note else "")
    movement, _ = _post(
        ledger=Ledger.TIMEBANK,
        kind=MovementKind.SPEND,
        person=person,
        reason=reason,
        acting_user=acting_user,
        entries=[_Entry(person_account(person, Ledger.TIMEBANK), -value, floor=ZERO), _Entry(credit, value)],
        place=person,
        quantity=value,
        source=source,
        key=key,
    )
    return movement


# --- corrections --------------------------------------------------------------------------

REVERSIBLE = {MovementKind.AWARD, MovementKind.EARN, MovementKind.SPEND, MovementKind.EXPIRE}


@transaction.atomic
def reverse(*, movement: Movement, reason: str, acting_user: Any) -> Movement:
    """A correction: a new movement with every posting negated, pointing at the original.
    A movement is reversed at most once (a unique column); a redemption is undone by
    cancelling its order instead."""
    ensure_in_scope(acting_user, "change", movement)
    if movement.kind not in REVERSIBLE:
        raise LedgerError("该类流水不能冲正（兑换请取消订单）")
    if not reason.strip():
        raise LedgerError("请填写冲正事由")
    if Movement.objects.filter(reverses=movement).exists():
        raise LedgerError("该流水已冲正，不能重复冲正")
    postings = list(movement.postings.select_related("account"))
    new, _ = _post(
        ledger=movement.ledger,
        kind=MovementKind.REVERSE,
        person=movement.person,
        reason=f"冲正：{reason.strip()}",
        acting_user=acting_user,
        entries=[_Entry(p.account, -p.amount) for p in postings],
        place=movement,
        rule=movement.rule,
        quantity=movement.quantity,
        reverses=movement,
    )
    return new


# --- expiry -------------------------------------------------------------------------------


def expiry_date(earned_year: int) -> datetime.date:
    """Honour points earned in a year expire at the end of the following year."""
    return datetime.date(earned_year + 1, 12, 31)


def expiring_amount(account: Account, earned_up_to_year: int) -> Decimal:
    """First in, first out: what is left of the points credited up to the end of
    ``earned_up_to_year`` after every debit so far (spending uses the oldest points first)."""
    rows = Posting.objects.filter(account=account)
    credits = (
        rows.filter(amount__gt=0, movement__created_at__year__lte=earned_up_to_year).aggregate(
            s=Sum("amount")
        )["s"]
        or ZERO
    )
    debits = -(rows.filter(amount__lt=0).aggregate(s=Sum("amount"))["s"] or ZERO)
    return max(ZERO, min(credits - debits, account.balance))


@transaction.atomic
def expire_account(*, account: Account, earned_year: int, acting_user: Any = None) -> Movement | None:
    account = Account.objects.select_for_update().get(pk=account.pk)
    amount = expiring_amount(account, earned_year)
    if amount <= 0:
        return None
    sink = _account(Ledger.HONOUR, AccountKind.EXPIRY, owner=_community_of(account.person, account))
    movement, _ = _post(
        ledger=Ledger.HONOUR,
        kind=MovementKind.EXPIRE,
        person=account.person,
        reason=f"{earned_year}年获得的积分于{expiry_date(earned_year):%Y年%m月%d日}到期清零",
        acting_user=acting_user,
        entries=[_Entry(account, -amount, floor=ZERO), _Entry(sink, amount)],
        place=account.person,
        key=f"expire:{earned_year}:{account.pk}",
    )
    return movement


def run_expiry(*, today: datetime.date | None = None, acting_user: Any = None) -> dict[str, Any]:
    """Expire every honour point whose expiry date has passed (idempotent: one expiry
    movement per account and earning year). Run daily by the worker or ``dangjian points expire``."""
    today = today or timezone.localdate()
    earned_year = today.year - 2  # points of year Y expire after 31 Dec of Y+1
    count, total = 0, ZERO
    accounts = Account.objects.filter(ledger=Ledger.HONOUR, kind=AccountKind.PERSON, balance__gt=0)
    for account in accounts.iterator():
        movement = expire_account(account=account, earned_year=earned_year, acting_user=acting_user)
        if movement is not None:
            count += 1
            total += -movement.amount
    return {"earned_year": earned_year, "accounts": count, "points": str(total)}


# --- 爱心超市 ------------------------------------------------------------------------------


@transaction.atomic
def create_item(
    *, shop: Any, name: str, cost: int, stock: int, description: str = "", acting_user: Any
) -> Item:
    ensure_in_scope(acting_user, "change", shop)
    errors = {}
    if not name.strip():
        errors["name"] = "请填写物品名称"
    if not isinstance(cost, int) or cost <= 0 or cost > 100000:
        errors["cost"] = "所需积分应为 1–100000 的整数"
    if not isinstance(stock, int) or stock < 0 or stock > 100000:
        errors["stock"] = "库存应为 0–100000 的整数"
    if errors:
        raise ValidationError(errors)
    item = Item(
        shop=shop, name=name.strip()[:60], description=description.strip()[:200], cost=cost, stock=stock
    )
    item.place(shop)
    item.save()
    audit.record(acting_user, "points.create_item", item)
    return item


@transaction.atomic
def restock(*, item: Item, quantity: int, acting_user: Any) -> Item:
    ensure_in_scope(acting_user, "change", item)
    if quantity <= 0 or quantity > 100000:
        raise ValidationError({"quantity": "补货数量应为 1–100000 的整数"})
    before = audit.snapshot(item)
    Item.objects.filter(pk=item.pk).update(stock=F("stock") + quantity)
    item.refresh_from_db()
    audit.record(acting_user, "points.restock", item, before=before)
    return item


@transaction.atomic
def add_exchange_day(
    *, shop: Any, date: datetime.date, hours: str = "09:00-11:30", location: str = "", acting_user: Any
) -> ExchangeDay:
    ensure_in_scope(acting_user, "change", shop)
    if ExchangeDay.objects.filter(shop=shop, date=date).exists():
        raise ValidationError({"date": "这一天已是积分兑换日"})
    day = ExchangeDay(
        shop=shop, date=date, hours=hours.strip()[:40] or "09:00-11:30", location=location.strip()[:100]
    )
    day.place(shop)
    day.save()
    audit.record(acting_user, "points.add_exchange_day", day)
    return day


def _new_pickup_code() -> str:
    return f"{secrets.randbelow(1_000_000):06d}"


@transaction.atomic
def redeem(*, person: Any, item: Item, acting_user: Any, quantity: int = 1) -> Order:
    """Order ``quantity`` of ``item`` for ``person``'s honour points: stock taken with a
    conditional ``UPDATE`` (never negative), points moved to the community's redemption
    account (never below zero), and a 6-digit pickup code for the next 积分兑换日."""
    if acting_user is not None and getattr(acting_user, "person_id", None) != person.pk:
        ensure_in_scope(acting_user, "change", person)  # staff redeeming for a resident
    if not isinstance(quantity, int) or quantity < 1 or quantity > 20:
        raise ValidationError({"quantity": "数量应为 1–20"})
    if not item.active:
        raise OutOfStock("该物品已下架")
    if person.community_id and item.shop_id != person.community_id:
        raise LedgerError("只能兑换本社区爱心超市的物品")
    taken = Item.objects.filter(pk=item.pk, active=True, stock__gte=quantity).update(
        stock=F("stock") - quantity
    )
    if taken != 1:
        raise OutOfStock("库存不足")
    points = item.cost * quantity
    movement, _ = _post(
        ledger=Ledger.HONOUR,
        kind=MovementKind.REDEEM,
        person=person,
        reason=f"爱心超市兑换：{item.name} ×{quantity}",
        acting_user=acting_user,
        entries=[
            _Entry(person_account(person, Ledger.HONOUR), -Decimal(points), floor=ZERO),
            _Entry(_account(Ledger.HONOUR, AccountKind.REDEMPTION, owner=item.shop), Decimal(points)),
        ],
        place=person,
        quantity=Decimal(quantity),
        source=item,
    )
    order = Order(person=person, item=item, quantity=quantity, points=points, movement=movement)
    order.place(item.shop)
    for _attempt in range(20):
        order.pickup_code = _new_pickup_code()
        try:
            with transaction.atomic():
                order.save()
            break
        except IntegrityError:
            order.pk = None
            order._state.adding = True
    else:  # pragma: no cover - a million open codes in one community
        raise LedgerError("取货码已用尽，请稍后再试")
    OrderTransition.objects.create(
        order=order, event="place", from_status="", to_status=order.status, actor=_user(acting_user)
    )
    audit.record(acting_user, "points.redeem", order)
    return order


def _user(acting_user: Any) -> Any:
    return acting_user if getattr(acting_user, "pk", None) else None


def _transition(order: Order, event: str, actor_kind: str, acting_user: Any, note: str = "") -> Order:
    new = workflow.next_state(order.status, event, actor_kind)
    swapped = Order.objects.filter(pk=order.pk, status=order.status).update(
        status=new, closed_at=timezone.now(), closed_by=_user(acting_user)
    )
    if swapped != 1:
        raise workflow.TransitionError("订单状态已变化，请刷新后重试")
    OrderTransition.objects.create(
        order=order,
        event=event,
        from_status=order.status,
        to_status=new,
        actor=_user(acting_user),
        note=note[:200],
    )
    order.refresh_from_db()
    return order


def _actor_kind(order: Order, acting_user: Any) -> str:
    if acting_user is not None and getattr(acting_user, "person_id", None) == order.person_id:
        from dangjian.core.access import can

        return workflow.STAFF if can(acting_user, "change", order) else workflow.PERSON
    ensure_in_scope(acting_user, "change", order)
    return workflow.STAFF


@transaction.atomic
def cancel_order(*, order: Order, acting_user: Any, reason: str = "") -> Order:
    """Cancel an open order: the points come back (a refund movement reversing the
    redemption) and the stock returns."""
    order = Order.objects.select_for_update().get(pk=order.pk)
    kind = _actor_kind(order, acting_user)
    order = _transition(order, workflow.CANCEL, kind, acting_user, reason)
    postings = list(order.movement.postings.select_related("account"))
    refund, _ = _post(
        ledger=Ledger.HONOUR,
        kind=MovementKind.REFUND,
        person=order.person,
        reason=f"取消兑换，积分退回：{order.item.name} ×{order.quantity}"
        + (f"（{reason.strip()}）" if reason.strip() else ""),
        acting_user=acting_user,
        entries=[_Entry(p.account, -p.amount) for p in postings],
        place=order.person,
        quantity=Decimal(order.quantity),
        source=order,
        reverses=order.movement,
    )
    Order.objects.filter(pk=order.pk).update(refund=refund)
    Item.objects.filter(pk=order.item_id).update(stock=F("stock") + order.quantity)
    order.refresh_from_db()
    audit.record(acting_user, "points.cancel_order", order)
    return order


def find_open_order(*, code: str, acting_user: Any) -> Order:
    code = (code or "").strip()
    if not (len(code) == 6 and code.isdigit()):
        raise ValidationError({"code": "取货码为 6 位数字"})
    order = (
        Order.objects.restrict(acting_user, "change")
        .filter(pickup_code=code, status=OrderStatus.PLACED)
        .first()
    )
    if order is None:
        raise ValidationError({"code": "没有找到该取货码的待领取订单"})
    return order


@transaction.atomic
def pick_up(*, order: Order, acting_user: Any, today: datetime.date | None = None) -> Order:
    """Staff hand the goods over on a 积分兑换日 and check the order off."""
    ensure_in_scope(acting_user, "change", order)
    today = today or timezone.localdate()
    if not ExchangeDay.objects.filter(shop=order.item.shop, date=today).exists():
        raise ValidationError({"code": "今天不是本社区的积分兑换日，不能领取"})
    order = _transition(order, workflow.PICKUP, workflow.STAFF, acting_user)
    audit.record(acting_user, "points.pick_up", order)
    return order
