"""Party organisations (党委/党工委/党总支/党支部/党小组), their committees — including the
大工委/大党委 with part-time members from units — alliances (党建联盟), members and the
history of their organisation relation."""

from __future__ import annotations

from django.db import models

from dangjian.core.models import Placed
from dangjian.party.choices import (
    AllianceKind,
    AllianceTier,
    MemberCategory,
    MemberStatus,
    OrgKind,
    SeatTitle,
)


class Organization(Placed):
    name = models.CharField("组织名称", max_length=120)
    kind = models.CharField("组织类别", max_length=16, choices=OrgKind.choices, db_index=True)
    parent = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="children", verbose_name="上级党组织"
    )
    path = models.CharField(max_length=255, db_index=True)
    depth = models.PositiveSmallIntegerField(default=0)
    node = models.ForeignKey(
        "territory.Node", models.PROTECT, related_name="organizations", verbose_name="所在区域"
    )
    unit = models.ForeignKey(
        "units.Unit",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="organizations",
        verbose_name="所在单位",
    )
    is_joint = models.BooleanField(
        "大工委/大党委", default=False, help_text="吸纳驻区单位党员领导担任兼职委员"
    )
    founded_on = models.DateField("成立日期", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["path"]
        verbose_name = verbose_name_plural = "党组织"

    def __str__(self) -> str:
        return self.name

    @property
    def joint_label(self) -> str:
        if not self.is_joint:
            return ""
        return "大工委" if self.kind == OrgKind.WORK_COMMITTEE else "大党委"


class CommitteeSeat(models.Model):
    organization = models.ForeignKey(Organization, models.CASCADE, related_name="seats")
    person = models.ForeignKey("people.Person", models.PROTECT, related_name="seats", verbose_name="成员")
    title = models.CharField("职务", max_length=12, choices=SeatTitle.choices)
    from_unit = models.ForeignKey(
        "units.Unit", models.PROTECT, null=True, blank=True, related_name="+", verbose_name="来自单位"
    )
    since = models.DateField("任职日期", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "班子成员"
        constraints = [models.UniqueConstraint(fields=["organization", "person"], name="one_seat_per_org")]


class Alliance(Placed):
    name = models.CharField("联盟名称", max_length=120)
    kind = models.CharField("联盟类型", max_length=16, choices=AllianceKind.choices)
    tier = models.CharField("层级", max_length=12, choices=AllianceTier.choices, blank=True)
    parent = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="children", verbose_name="上级联盟"
    )
    node = models.ForeignKey(
        "territory.Node", models.PROTECT, related_name="alliances", verbose_name="所在区域"
    )
    lead = models.ForeignKey(
        Organization, models.PROTECT, related_name="led_alliances", verbose_name="牵头党组织"
    )
    members = models.ManyToManyField(
        Organization, related_name="alliances", blank=True, verbose_name="成员党组织"
    )

    class Meta:
        verbose_name = verbose_name_plural = "党建联盟"

    def __str__(self) -> str:
        return self.name


class PartyMember(Placed):
    """The party-member role of a person; placed where the organisation relation is."""

    scope_through = ""
    owner_lookup = "person_id"

    person = models.OneToOneField(
        "people.Person", models.PROTECT, related_name="party_member", verbose_name="人员"
    )
    organization = models.ForeignKey(
        Organization, models.PROTECT, related_name="members", verbose_name="所在党组织"
    )
    status = models.CharField(
        "党员状态", max_length=14, choices=MemberStatus.choices, default=MemberStatus.FULL
    )
    category = models.CharField("党员类别", max_length=12, choices=MemberCategory.choices, db_index=True)
    joined_on = models.DateField("入党日期", null=True, blank=True)
    work_unit = models.ForeignKey(
        "units.Unit",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="party_members",
        verbose_name="工作单位",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "党员"
        indexes = [models.Index(fields=["organization", "category"])]

    def __str__(self) -> str:
        return str(self.person)


class OrgTransfer(models.Model):
    """One move of a member's organisation relation (组织关系转接); never rewritten."""

    member = models.ForeignKey(PartyMember, models.CASCADE, related_name="transfers")
    from_org = models.ForeignKey(
        Organization, models.PROTECT, null=True, related_name="+", verbose_name="转出组织"
    )
    to_org = models.ForeignKey(Organization, models.PROTECT, related_name="+", verbose_name="转入组织")
    at = models.DateTimeField(auto_now_add=True)
    reason = models.CharField("原因", max_length=200, blank=True)
    operator = models.ForeignKey("accounts.User", models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["at", "id"]
        verbose_name = verbose_name_plural = "组织关系转接"
