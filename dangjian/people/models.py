"""One person record, many roles. Personal data (ID number, phone, address) is stored
encrypted with a blind index for look-ups and a masked copy for screens."""

from __future__ import annotations

from decimal import Decimal

from django.db import models

from dangjian.core.models import Placed
from dangjian.people.choices import CommunityPost, Gender, GridRole, LegalKind, ResidenceType


class Person(Placed):
    owner_lookup = "pk"

    name = models.CharField("姓名", max_length=50, db_index=True)
    gender = models.CharField("性别", max_length=1, choices=Gender.choices, blank=True)
    birth_date = models.DateField("出生日期", null=True, blank=True)
    id_number_enc = models.TextField(blank=True, editable=False)
    id_number_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    id_number_masked = models.CharField("身份证号", max_length=20, blank=True)
    phone_enc = models.TextField(blank=True, editable=False)
    phone_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    phone_masked = models.CharField("手机号", max_length=20, blank=True)
    address_enc = models.TextField(blank=True, editable=False)
    address_masked = models.CharField("住址", max_length=120, blank=True)
    home = models.ForeignKey(
        "territory.Node", models.PROTECT, null=True, blank=True, related_name="people", verbose_name="居住地"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        verbose_name = verbose_name_plural = "人员"
        constraints = [
            models.UniqueConstraint(
                fields=["id_number_hash"], condition=~models.Q(id_number_hash=""), name="unique_id_number"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Resident(Placed):
    owner_lookup = "person_id"

    person = models.OneToOneField(Person, models.CASCADE, related_name="resident", verbose_name="人员")
    household = models.ForeignKey(
        "territory.Node", models.PROTECT, related_name="residents", verbose_name="所在户/小区"
    )
    residence_type = models.CharField(
        "人口类型", max_length=12, choices=ResidenceType.choices, default=ResidenceType.REGISTERED
    )
    is_head = models.BooleanField("户主", default=False)
    tags = models.JSONField("关爱标签", default=list, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "居民"

    def __str__(self) -> str:
        return str(self.person)


class GridWorker(Placed):
    owner_lookup = "person_id"

    person = models.ForeignKey(Person, models.PROTECT, related_name="grid_posts", verbose_name="人员")
    grid_node = models.ForeignKey(
        "territory.Node", models.PROTECT, related_name="grid_workers", verbose_name="网格"
    )
    role = models.CharField("职务", max_length=8, choices=GridRole.choices, default=GridRole.WORKER)
    full_time = models.BooleanField("专职", default=True)
    since = models.DateField("上岗日期", null=True, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        verbose_name = verbose_name_plural = "网格员"
        constraints = [models.UniqueConstraint(fields=["person", "grid_node"], name="one_post_per_grid")]

    def __str__(self) -> str:
        return f"{self.person}（{self.get_role_display()}）"


class PayScale(models.Model):
    """三岗十八级: monthly base pay per post and level (1–6), set by each city."""

    post = models.CharField("岗位", max_length=10, choices=CommunityPost.choices)
    level = models.PositiveSmallIntegerField("级别")
    monthly_pay = models.DecimalField("月基本报酬(元)", max_digits=8, decimal_places=2)

    class Meta:
        verbose_name = verbose_name_plural = "三岗十八级薪酬标准"
        constraints = [
            models.UniqueConstraint(fields=["post", "level"], name="one_pay_per_grade"),
            models.CheckConstraint(condition=models.Q(level__gte=1, level__lte=6), name="pay_level_1_to_6"),
        ]

    def __str__(self) -> str:
        return f"{self.get_post_display()}{self.level}级"


POST_ORDER = [CommunityPost.PRINCIPAL, CommunityPost.DEPUTY, CommunityPost.STAFF]


class CommunityWorker(Placed):
    owner_lookup = "person_id"

    person = models.OneToOneField(
        Person, models.PROTECT, related_name="community_worker", verbose_name="人员"
    )
    community_node = models.ForeignKey(
        "territory.Node", models.PROTECT, related_name="community_workers", verbose_name="社区"
    )
    post = models.CharField("岗位", max_length=10, choices=CommunityPost.choices)
    level = models.PositiveSmallIntegerField("岗位级别(1-6)", default=1)
    position_title = models.CharField("职务", max_length=50, blank=True)
    since = models.DateField("入职日期", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "社区工作者"
        constraints = [
            models.CheckConstraint(condition=models.Q(level__gte=1, level__lte=6), name="worker_level_1_to_6")
        ]

    def __str__(self) -> str:
        return str(self.person)

    @property
    def grade(self) -> int:
        """1–18 across the three posts (正职 1–6, 副职 7–12, 其他 13–18)."""
        return POST_ORDER.index(CommunityPost(self.post)) * 6 + self.level

    def monthly_pay(self) -> Decimal | None:
        scale = PayScale.objects.filter(post=self.post, level=self.level).first()
        return scale.monthly_pay if scale else None


class Leader(Placed):
    """A city/county leader linked to a community (001: 28 leaders, each visits quarterly)."""

    owner_lookup = "person_id"

    person = models.ForeignKey(Person, models.PROTECT, related_name="leader_posts", verbose_name="人员")
    title = models.CharField("职务", max_length=60)
    linked_community = models.ForeignKey(
        "territory.Node", models.PROTECT, related_name="linked_leaders", verbose_name="联系社区"
    )

    class Meta:
        verbose_name = verbose_name_plural = "联系社区领导"


class LegalOfficer(Placed):
    """三官一律: judges, police officers, prosecutors and lawyers serving a community."""

    owner_lookup = "person_id"

    person = models.ForeignKey(Person, models.PROTECT, related_name="legal_posts", verbose_name="人员")
    kind = models.CharField("类别", max_length=12, choices=LegalKind.choices)
    employer = models.CharField("所在单位", max_length=100)
    serving_node = models.ForeignKey(
        "territory.Node", models.PROTECT, related_name="legal_officers", verbose_name="服务社区/网格"
    )

    class Meta:
        verbose_name = verbose_name_plural = "三官一律"
