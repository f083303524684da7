"""Two append-only double-entry ledgers: honour points (积分/星积分) and time-bank hours
(时间银行/公时银行), plus the 爱心超市 where honour points are redeemed.

A :class:`Movement` is one journal entry with two or more :class:`Posting` rows summing to
zero. Movements and postings are never updated or deleted (the model and its queryset
refuse it); a correction is a new movement that ``reverses`` the old one. An account's
``balance`` is a cached copy of the sum of its postings, kept in the same transaction and
checked by :func:`dangjian.points.selectors.check_ledger` (``dangjian points check``).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models

from dangjian.core.models import Placed
from dangjian.core.scoping import ScopedQuerySet
from dangjian.points.choices import AccountKind, Ledger, MovementKind, OrderStatus

ZERO = Decimal("0")
CENT = Decimal("0.01")


class AppendOnlyError(RuntimeError):
    """Raised on any attempt to change or delete a journal row."""


class AppendOnlyQuerySet(ScopedQuerySet):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("账务记录只能追加，不能修改")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("账务记录只能追加，不能删除")

    def bulk_update(self, *args: Any, **kwargs: Any) -> int:
        raise AppendOnlyError("账务记录只能追加，不能修改")


class AppendOnly(models.Model):
    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("账务记录只能追加，不能修改")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("账务记录只能追加，不能删除")


class Rule(models.Model):
    """A published rule (规则公示): how many honour points one unit of something earns."""

    code = models.SlugField("规则代码", max_length=40, unique=True)
    name = models.CharField("规则名称", max_length=60)
    points = models.DecimalField("每单位积分", max_digits=14, decimal_places=2)
    unit = models.CharField("计量单位", max_length=10, default="次")
    description = models.CharField("说明", max_length=300, blank=True)
    max_per_year = models.DecimalField(
        "每人每年上限", null=True, blank=True, help_text="留空为不设上限", max_digits=14, decimal_places=2
    )
    active = models.BooleanField("启用", default=True)
    ordering = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["ordering", "code"]
        verbose_name = verbose_name_plural = "积分规则"

    def __str__(self) -> str:
        return f"{self.name}（{self.points.normalize():f}分/{self.unit}）"


class Budget(Placed):
    """The annual honour-point budget of an issuing organisation (a community and its 社区党委)."""

    issuer = models.ForeignKey("territory.Node", models.PROTECT, related_name="+", verbose_name="发放单位")
    year = models.PositiveSmallIntegerField("年度")
    amount = models.DecimalField("年度预算(分)", max_digits=14, decimal_places=2)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "issuer_id"]
        verbose_name = verbose_name_plural = "积分年度预算"
        constraints = [models.UniqueConstraint(fields=["issuer", "year"], name="one_budget_per_issuer_year")]

    def __str__(self) -> str:
        return f"{self.issuer} {self.year}年积分预算"


class Account(Placed):
    """One account of one ledger. People hold one per ledger; each community holds a budget
    account per year (honour), a time-bank pool, a redemption sink and an expiry sink."""

    owner_lookup = "person_id"

    ledger = models.CharField("账本", max_length=10, choices=Ledger.choices)
    kind = models.CharField("账户类型", max_length=12, choices=AccountKind.choices)
    person = models.ForeignKey(
        "people.Person", models.PROTECT, null=True, blank=True, related_name="point_accounts"
    )
    owner = models.ForeignKey(
        "territory.Node", models.PROTECT, null=True, blank=True, related_name="+", verbose_name="所属社区"
    )
    year = models.PositiveSmallIntegerField("年度", null=True, blank=True)
    balance = models.DecimalField("余额(缓存)", default=ZERO, max_digits=14, decimal_places=2)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "账户"
        constraints = [
            models.UniqueConstraint(
                fields=["ledger", "person"],
                condition=models.Q(kind="person"),
                name="one_person_account_per_ledger",
            ),
            models.UniqueConstraint(
                fields=["ledger", "kind", "owner", "year"],
                condition=models.Q(year__isnull=False),
                name="one_budget_account_per_year",
            ),
            models.UniqueConstraint(
                fields=["ledger", "kind", "owner"],
                condition=~models.Q(kind="person") & models.Q(year__isnull=True),
                name="one_community_account_per_kind",
            ),
        ]

    def __str__(self) -> str:
        who = self.person if self.person_id else self.owner
        year = f"{self.year}年" if self.year else ""
        return f"{who}{year}{self.get_kind_display()}（{self.get_ledger_display()}）"


class Movement(Placed, AppendOnly):
    """One journal entry. ``key`` is the idempotency key: an award on the same source for
    the same person is paid once."""

    owner_lookup = "person_id"

    ledger = models.CharField("账本", max_length=10, choices=Ledger.choices)
    kind = models.CharField("类型", max_length=12, choices=MovementKind.choices)
    rule = models.ForeignKey(Rule, models.PROTECT, null=True, blank=True, related_name="+")
    person = models.ForeignKey(
        "people.Person", models.PROTECT, null=True, blank=True, related_name="+", verbose_name="人员"
    )
    quantity = models.DecimalField("数量", default=ZERO, max_digits=14, decimal_places=2)
    amount = models.DecimalField(
        "金额", default=ZERO, help_text="人员账户的变动额", max_digits=14, decimal_places=2
    )
    reason = models.CharField("事由", max_length=200)
    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="经办人",
    )
    source_type = models.ForeignKey(ContentType, models.PROTECT, null=True, blank=True, related_name="+")
    source_id = models.CharField(max_length=40, blank=True)
    key = models.CharField("唯一键", max_length=160, null=True, blank=True, unique=True)
    reverses = models.OneToOneField(
        "self", models.PROTECT, null=True, blank=True, related_name="reversed_by", verbose_name="冲正对象"
    )
    created_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)

    objects = AppendOnlyQuerySet.as_manager()  # type: ignore[misc]

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = "账务流水"
        indexes = [models.Index(fields=["person", "ledger", "created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount:+} {self.reason}"


class Posting(AppendOnly):
    scope_through = "movement"

    movement = models.ForeignKey(Movement, models.PROTECT, related_name="postings")
    account = models.ForeignKey(Account, models.PROTECT, related_name="postings")
    amount = models.DecimalField("金额", max_digits=14, decimal_places=2)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "分录"
        indexes = [models.Index(fields=["account", "movement"])]
        constraints = [models.CheckConstraint(condition=~models.Q(amount=0), name="posting_not_zero")]

    def __str__(self) -> str:
        return f"{self.account} {self.amount:+}"


class Item(Placed):
    """A 爱心超市 catalogue item with its stock at one community."""

    shop = models.ForeignKey("territory.Node", models.PROTECT, related_name="+", verbose_name="所属社区")
    name = models.CharField("物品名称", max_length=60)
    description = models.CharField("说明", max_length=200, blank=True)
    cost = models.PositiveIntegerField("所需积分")
    stock = models.PositiveIntegerField("库存")
    active = models.BooleanField("上架", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["cost", "id"]
        verbose_name = verbose_name_plural = "爱心超市物品"
        constraints = [
            models.CheckConstraint(condition=models.Q(stock__gte=0), name="item_stock_not_negative")
        ]

    def __str__(self) -> str:
        return self.name


class ExchangeDay(Placed):
    """积分兑换日: a day on which orders can be picked up at a community."""

    shop = models.ForeignKey("territory.Node", models.PROTECT, related_name="+", verbose_name="社区")
    date = models.DateField("日期")
    hours = models.CharField("时间", max_length=40, default="09:00-11:30")
    location = models.CharField("地点", max_length=100, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = verbose_name_plural = "积分兑换日"
        constraints = [models.UniqueConstraint(fields=["shop", "date"], name="one_exchange_day_per_date")]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.hours}"


class Order(Placed):
    owner_lookup = "person_id"

    person = models.ForeignKey("people.Person", models.PROTECT, related_name="+", verbose_name="兑换人")
    item = models.ForeignKey(Item, models.PROTECT, related_name="orders", verbose_name="物品")
    quantity = models.PositiveIntegerField("数量", default=1)
    points = models.PositiveIntegerField("积分")
    status = models.CharField("状态", max_length=12, choices=OrderStatus.choices, default=OrderStatus.PLACED)
    pickup_code = models.CharField("取货码", max_length=6)
    movement = models.OneToOneField(Movement, models.PROTECT, related_name="order")
    refund = models.OneToOneField(
        Movement, models.PROTECT, null=True, blank=True, related_name="refunded_order"
    )
    created_at = models.DateTimeField("下单时间", auto_now_add=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = "兑换订单"
        constraints = [
            models.UniqueConstraint(
                fields=["community", "pickup_code"],
                condition=models.Q(status="placed"),
                name="unique_open_pickup_code",
            )
        ]

    def __str__(self) -> str:
        return f"{self.item} ×{self.quantity}"


class OrderTransition(models.Model):
    order = models.ForeignKey(Order, models.CASCADE, related_name="transitions")
    event = models.CharField(max_length=12)
    from_status = models.CharField(max_length=12)
    to_status = models.CharField(max_length=12)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    note = models.CharField(max_length=200, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "兑换订单流转记录"
        ordering = ["at", "id"]


class Grant(Placed):
    """A points award entered by hand by community staff (e.g. 星积分 for a 红管家), with its
    reason: the source of that award's movement. ``idempotency_key`` (per operator, unique)
    makes a retried or double-submitted award return the first one."""

    owner_lookup = "person_id"

    rule = models.ForeignKey(Rule, models.PROTECT, related_name="+", verbose_name="规则")
    person = models.ForeignKey("people.Person", models.PROTECT, related_name="+", verbose_name="人员")
    quantity = models.DecimalField("数量", max_digits=14, decimal_places=2)
    reason = models.CharField("事由", max_length=200)
    operator = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    idempotency_key = models.CharField(
        "幂等键",
        max_length=80,
        null=True,
        blank=True,
        unique=True,
        help_text="经办人编号:客户端生成的键；同一键重复提交只发放一次",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = "人工奖励"

    def __str__(self) -> str:
        return f"{self.person} {self.rule.name} ×{self.quantity}"
