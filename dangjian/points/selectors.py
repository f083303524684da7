"""Every read of the ledgers: balances are sums of postings; :func:`check_ledger` proves the
cached balances and the double-entry invariants."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import ExtractYear
from django.utils import timezone

from dangjian.points.choices import AccountKind, Ledger, MovementKind, OrderStatus
from dangjian.points.models import (
    CENT,
    ZERO,
    Account,
    Budget,
    ExchangeDay,
    Item,
    Movement,
    Order,
    Posting,
    Rule,
)


def balance(person: Any, ledger: str) -> Decimal:
    """The person's balance in ``ledger`` ("honour" or "timebank"): the sum of its postings."""
    if ledger not in Ledger.values:
        raise ValueError(f"unknown ledger {ledger!r}")
    total = Posting.objects.filter(
        account__ledger=ledger, account__kind=AccountKind.PERSON, account__person=person
    ).aggregate(s=Sum("amount"))["s"]
    return (total or ZERO).quantize(CENT)


def cached_balance(person: Any, ledger: str) -> Decimal:
    value = Account.objects.filter(ledger=ledger, kind=AccountKind.PERSON, person=person).values_list(
        "balance", flat=True
    )
    return next(iter(value), ZERO).quantize(CENT)


def movements(person: Any, ledger: str | None = None) -> QuerySet[Movement]:
    qs = Movement.objects.filter(person=person).select_related("rule", "operator")
    return qs.filter(ledger=ledger) if ledger else qs


def expiring_soon(person: Any, today: datetime.date | None = None) -> tuple[Decimal, datetime.date]:
    """Honour points that will expire at the end of this year (earned last year or before,
    not yet used — oldest points are used first)."""
    from dangjian.points.actions import expiring_amount, expiry_date

    today = today or timezone.localdate()
    account = Account.objects.filter(ledger=Ledger.HONOUR, kind=AccountKind.PERSON, person=person).first()
    due = expiry_date(today.year - 1)
    if account is None:
        return ZERO, due
    return expiring_amount(account, today.year - 1), due


def next_exchange_day(shop_id: int | None, today: datetime.date | None = None) -> ExchangeDay | None:
    today = today or timezone.localdate()
    return ExchangeDay.objects.filter(shop_id=shop_id, date__gte=today).order_by("date").first()


def catalogue(shop_id: int | None) -> QuerySet[Item]:
    return Item.objects.filter(shop_id=shop_id, active=True).order_by("cost", "id")


def orders_of(person: Any) -> QuerySet[Order]:
    return Order.objects.filter(person=person).select_related("item")


@dataclass
class BudgetLine:
    budget: Budget
    issued: Decimal
    left: Decimal


def budget_lines(issuers: QuerySet[Any] | list[Any], year: int) -> list[BudgetLine]:
    """Budget used and left per issuing community for ``year`` (for 规则公示)."""
    from dangjian.points.actions import budget_for

    issued = dict(
        Account.objects.filter(
            ledger=Ledger.HONOUR, kind=AccountKind.BUDGET, year=year, owner__in=issuers
        ).values_list("owner_id", "balance")
    )
    lines = []
    for issuer in issuers:
        budget = budget_for(issuer, year)
        used = -(issued.get(issuer.pk) or ZERO)
        lines.append(BudgetLine(budget=budget, issued=used, left=budget.amount - used))
    return lines


def rules() -> QuerySet[Rule]:
    return Rule.objects.filter(active=True)


@dataclass
class CommunityFigures:
    """One community's points economy over a period (the pool is its balance today)."""

    community: Any
    awarded: Decimal = ZERO
    awards: int = 0
    earners: int = 0
    redeemed: Decimal = ZERO
    expired: Decimal = ZERO
    hours: Decimal = ZERO
    services: int = 0
    volunteers: int = 0
    pool: Decimal = ZERO
    orders: int = 0
    picked_up: int = 0
    open_orders: int = 0


FIGURE_HEADERS = [
    "社区",
    "发放积分",
    "奖励次数",
    "获奖人数",
    "兑换积分",
    "过期积分",
    "服务时长(小时)",
    "服务次数",
    "志愿者",
    "互助池(小时)",
    "兑换单",
    "已领取",
    "待领取",
]


def figure_cells(row: CommunityFigures) -> list[Any]:
    """A row of :data:`FIGURE_HEADERS` (numbers as numbers, for the export)."""
    return [
        row.community.name,
        float(row.awarded),
        row.awards,
        row.earners,
        float(row.redeemed),
        float(row.expired),
        float(row.hours),
        row.services,
        row.volunteers,
        float(row.pool),
        row.orders,
        row.picked_up,
        row.open_orders,
    ]


def communities_figures(
    communities: list[Any], start: datetime.datetime, end: datetime.datetime
) -> list[CommunityFigures]:
    """The figures of each community for movements and orders in ``[start, end)``, most
    points awarded first: five grouped queries whatever the number of communities."""
    rows = {c.pk: CommunityFigures(community=c) for c in communities}
    moves = Movement.objects.filter(community_id__in=rows, created_at__gte=start, created_at__lt=end)
    honour = moves.filter(ledger=Ledger.HONOUR)
    for r in honour.values("community_id", "kind").annotate(n=Count("id"), s=Sum("amount")).order_by():
        row, total = rows[r["community_id"]], r["s"] or ZERO
        if r["kind"] == MovementKind.AWARD:
            row.awarded, row.awards = total, r["n"]
        elif r["kind"] in (MovementKind.REDEEM, MovementKind.REFUND):
            row.redeemed -= total
        elif r["kind"] == MovementKind.EXPIRE:
            row.expired = -total
    for r in (
        honour.filter(kind=MovementKind.AWARD)
        .values("community_id")
        .annotate(p=Count("person", distinct=True))
        .order_by()
    ):
        rows[r["community_id"]].earners = r["p"]
    for r in (
        moves.filter(ledger=Ledger.TIMEBANK, kind=MovementKind.EARN)
        .values("community_id")
        .annotate(s=Sum("amount"), n=Count("id"), p=Count("person", distinct=True))
        .order_by()
    ):
        row = rows[r["community_id"]]
        row.hours, row.services, row.volunteers = r["s"] or ZERO, r["n"], r["p"]
    pools = Account.objects.filter(ledger=Ledger.TIMEBANK, kind=AccountKind.POOL, owner_id__in=rows)
    for owner_id, pool in pools.values_list("owner_id", "balance"):
        rows[owner_id].pool = pool
    orders = Order.objects.filter(community_id__in=rows, created_at__gte=start, created_at__lt=end)
    for r in orders.values("community_id", "status").annotate(n=Count("id")).order_by():
        row = rows[r["community_id"]]
        row.orders += r["n"]
        if r["status"] == OrderStatus.PICKED_UP:
            row.picked_up = r["n"]
        elif r["status"] == OrderStatus.PLACED:
            row.open_orders = r["n"]
    return sorted(rows.values(), key=lambda r: (-r.awarded, -r.hours, r.community.name))


def awards_by_rule(
    communities: list[Any], start: datetime.datetime, end: datetime.datetime
) -> list[dict[str, Any]]:
    """Points awarded per rule in ``[start, end)`` across the communities, largest first."""
    rows = (
        Movement.objects.filter(
            community__in=communities,
            ledger=Ledger.HONOUR,
            kind=MovementKind.AWARD,
            created_at__gte=start,
            created_at__lt=end,
        )
        .values("rule__name")
        .annotate(n=Count("id"), s=Sum("amount"))
        .order_by("-s", "rule__name")
    )
    return [{"name": r["rule__name"] or "其他", "awards": r["n"], "points": r["s"] or ZERO} for r in rows]


@dataclass
class LedgerCheck:
    accounts: int = 0
    movements: int = 0
    problems: list[str] = field(default_factory=list)
    totals: dict[str, Decimal] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


def check_ledger() -> LedgerCheck:
    """Prove the ledgers: every movement has ≥2 postings summing to zero; every cached
    balance equals the sum of its postings; each ledger sums to zero; postings stay in their
    movement's ledger; no stock is negative; nobody holds more of a rule's points in a year
    than its cap per person."""
    result = LedgerCheck()
    result.movements = Movement.objects.count()
    bad = (
        Movement.objects.annotate(n=Count("postings"), s=Sum("postings__amount"))
        .filter(Q(n__lt=2) | ~Q(s=0))
        .values_list("pk", "n", "s")
    )
    for pk, n, s in bad:
        result.problems.append(f"流水 #{pk}：{n} 条分录，合计 {s}")
    sums = dict(Posting.objects.values("account").annotate(s=Sum("amount")).values_list("account", "s"))
    for account in Account.objects.only("pk", "balance", "ledger", "kind").iterator():
        result.accounts += 1
        actual = sums.get(account.pk) or ZERO
        if actual != account.balance:
            result.problems.append(f"账户 #{account.pk}：缓存余额 {account.balance}，分录合计 {actual}")
    for ledger in Ledger.values:
        total = Posting.objects.filter(account__ledger=ledger).aggregate(s=Sum("amount"))["s"] or ZERO
        result.totals[ledger] = total
        if total != 0:
            result.problems.append(f"{Ledger(ledger).label}合计为 {total}，应为 0")
    mixed = Posting.objects.exclude(account__ledger=F("movement__ledger")).count()
    if mixed:
        result.problems.append(f"{mixed} 条分录记在了另一本账上")
    if Item.objects.filter(stock__lt=0).exists():
        result.problems.append("有物品库存为负")
    for row in over_cap():
        result.problems.append(
            f"人员 #{row['person']}：{row['year']}年“{row['rule__name']}”合计 {_points(row['s'])} 分，"
            f"超过每人每年上限 {_points(row['rule__max_per_year'])} 分"
        )
    return result


def _points(value: Any) -> str:
    return f"{Decimal(value).normalize():f}"


def over_cap() -> QuerySet[Any, dict[str, Any]]:
    """Every (person, rule, year) whose honour points — awards less their reversals — pass
    the rule's yearly cap per person (the year in the site's time zone, as the award counts)."""
    return (
        Movement.objects.filter(ledger=Ledger.HONOUR, person__isnull=False, rule__max_per_year__isnull=False)
        .annotate(year=ExtractYear("created_at"))
        .values("person", "rule", "rule__name", "rule__max_per_year", "year")
        .annotate(s=Sum("amount"))
        .filter(s__gt=F("rule__max_per_year"))
        .order_by("year", "person", "rule")
    )


def pickup_code_readers(user: Any, orders: list[Order]) -> set[int]:
    """The ids of ``orders`` whose pickup code (取货码) ``user`` may see: their own orders, and
    those they may check off at the counter (the community's staff: ``change`` in scope).
    Departments, unit liaisons, leaders and inspectors see the orders without the code."""
    own = {o.pk for o in orders if user.person_id and o.person_id == user.person_id}
    rest = [o.pk for o in orders if o.pk not in own and o.status == OrderStatus.PLACED]
    if rest:
        own |= set(Order.objects.restrict(user, "change").filter(pk__in=rest).values_list("pk", flat=True))
    return own
