"""Needs (为民红绳 / 微心愿): a resident's wish through the five orders to a rated result.

A need is placed (``Placed``) where its beneficiary lives (grid/compound) or, for a public
need, at the community that posted it. Every state change is a ``NeedTransition`` row;
who acted for whom (a grid worker for a resident without a phone) is on that row too.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from dangjian.core.models import Placed
from dangjian.needs.choices import STATUS_BADGE, ClaimerKind, Kind, Status


class Need(Placed):
    # Residents see what they posted or what is for them; claimers see theirs (selectors).
    owner_lookup = "beneficiary_id"
    scope_roles = frozenset(
        {
            "city_admin",
            "leader",
            "street_officer",
            "street_chief",
            "community_worker",
            "grid_worker",
            "inspector",
        }
    )

    number = models.CharField("编号", max_length=24, unique=True, null=True, blank=True)
    kind = models.CharField("类型", max_length=10, choices=Kind.choices, default=Kind.WISH)
    title = models.CharField("心愿/需求", max_length=80)
    description = models.TextField("详细说明", blank=True)
    skills = models.JSONField("所需服务", default=list, blank=True)
    estimated_cost = models.DecimalField("预计费用(元)", max_digits=10, decimal_places=2, default=0)
    beneficiary = models.ForeignKey(
        "people.Person", models.PROTECT, null=True, blank=True, related_name="needs", verbose_name="许愿人"
    )
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="posted_needs",
        verbose_name="登记人",
    )
    on_behalf = models.BooleanField("代为登记", default=False)
    elderly = models.BooleanField("老年人(60岁以上)", default=False)
    disabled = models.BooleanField("残疾人", default=False)
    people_served = models.PositiveIntegerField("受益人数", default=1)
    status = models.CharField(
        "状态", max_length=12, choices=Status.choices, default=Status.SUBMITTED, db_index=True
    )
    # 支部下单
    branch = models.ForeignKey(
        "party.Organization",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="needs",
        verbose_name="下单支部",
    )
    directed_member = models.ForeignKey(
        "party.PartyMember", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="定向党员"
    )
    # 党员接单
    claimer_kind = models.CharField("接单方类型", max_length=10, choices=ClaimerKind.choices, blank=True)
    claimed_member = models.ForeignKey(
        "party.PartyMember",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="claimed_needs",
        verbose_name="接单党员",
    )
    claimed_unit = models.ForeignKey(
        "units.Unit",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="claimed_needs",
        verbose_name="接单单位",
    )
    claimer_name = models.CharField("接单方", max_length=120, blank=True)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="claimed_needs"
    )
    assigned = models.BooleanField("指派(非自主认领)", default=False)
    # 机关买单
    funder_unit = models.ForeignKey(
        "units.Unit",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="funded_needs",
        verbose_name="买单单位",
    )
    funded_amount = models.DecimalField("买单金额(元)", max_digits=10, decimal_places=2, default=0)
    # 完成、确认、评价
    evidence = models.TextField("完成情况", blank=True)
    rating = models.PositiveSmallIntegerField("评价(1-5星)", null=True, blank=True)
    rating_comment = models.CharField("评价意见", max_length=300, blank=True)
    closure_reason = models.CharField("退回/撤销原因", max_length=300, blank=True)
    published_at = models.DateTimeField("上墙时间", null=True, blank=True)
    claimed_at = models.DateTimeField("接单时间", null=True, blank=True)
    funded_at = models.DateTimeField(null=True, blank=True)
    fulfilled_at = models.DateTimeField("完成时间", null=True, blank=True)
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)
    created_at = models.DateTimeField("点单时间", auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = "红绳心愿"
        indexes = [
            models.Index(fields=["community", "status"]),
            models.Index(fields=["street", "created_at"]),
            models.Index(fields=["claimed_member", "status"]),
            models.Index(fields=["claimed_by", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(funded_amount__gte=0), name="need_funded_amount_non_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
                name="need_rating_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number or '#' + str(self.pk)} {self.title}"

    @property
    def badge(self) -> str:
        return STATUS_BADGE.get(Status(self.status), "secondary")


class NeedTransition(models.Model):
    """One state change: who, when, from, to, note; ``on_behalf`` when staff acted for the resident."""

    need = models.ForeignKey(Need, models.CASCADE, related_name="transitions")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    event = models.CharField("操作", max_length=12)
    from_state = models.CharField(max_length=12)
    to_state = models.CharField(max_length=12)
    on_behalf = models.BooleanField("代办", default=False)
    note = models.TextField("说明", blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = verbose_name_plural = "心愿流转记录"


class NeedPhoto(models.Model):
    need = models.ForeignKey(Need, models.CASCADE, related_name="photos")
    kind = models.CharField(max_length=10, choices=[("request", "心愿照片"), ("evidence", "完成凭证")])
    image = models.FileField(upload_to="needs/%Y/%m/")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "心愿照片"
        ordering = ["id"]
