"""双报到 (members and units registering with a community), the post catalogue and its
claims, duty rotas, volunteer teams and activities, service records (纪实) with their
evidence photos, and the flags of the formalism guards.

Every record is placed at the community it serves (``Placed``), so street and community
staff see theirs through ``restrict``; members see their own through ``owner_lookup``;
unit liaisons see their unit's through ``selectors``.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from dangjian.accounts.roles import Role
from dangjian.core.models import Placed
from dangjian.core.scoping import ScopedQuerySet
from dangjian.service.choices import (
    LIVE_REGISTRATION,
    ActivityCategory,
    ActivityStep,
    Badge,
    ClaimStatus,
    FlagKind,
    FlagStatus,
    PostKind,
    RecordStatus,
    RegistrationStatus,
    Shift,
    TeamKind,
)

# The territory scope of these records applies to the staff of the tree; a unit liaison
# sees its own unit's rows (selectors), a functional department none.
TERRITORY_ROLES = frozenset(
    {
        Role.CITY_ADMIN,
        Role.LEADER,
        Role.STREET_OFFICER,
        Role.STREET_CHIEF,
        Role.COMMUNITY_WORKER,
        Role.GRID_WORKER,
        Role.INSPECTOR,
    }
)

_USER = settings.AUTH_USER_MODEL


class MemberRegistration(Placed):
    """An in-service party member reports to the community where they live (在职党员进社区)."""

    scope_roles = TERRITORY_ROLES
    owner_lookup = "member__person_id"

    member = models.ForeignKey(
        "party.PartyMember", models.PROTECT, related_name="registrations", verbose_name="党员"
    )
    node = models.ForeignKey("territory.Node", models.PROTECT, related_name="+", verbose_name="报到社区")
    status = models.CharField(
        "状态", max_length=10, choices=RegistrationStatus.choices, default=RegistrationStatus.PENDING
    )
    skills = models.JSONField("特长", default=list, blank=True)
    note = models.CharField("说明", max_length=200, blank=True)
    applied_at = models.DateTimeField("申请时间", auto_now_add=True)
    decided_by = models.ForeignKey(_USER, models.SET_NULL, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField("确认时间", null=True, blank=True)
    reason = models.CharField("退回/结束原因", max_length=200, blank=True)
    ended_at = models.DateTimeField("结束时间", null=True, blank=True)

    class Meta:
        ordering = ["-applied_at", "-id"]
        verbose_name = verbose_name_plural = "党员报到"
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(status__in=LIVE_REGISTRATION),
                name="service_one_live_member_registration",
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} → {self.node}"


class UnitRegistration(Placed):
    """A unit (驻区单位) reports to the community where it stands (单位报到)."""

    scope_roles = TERRITORY_ROLES

    unit = models.ForeignKey("units.Unit", models.PROTECT, related_name="registrations", verbose_name="单位")
    node = models.ForeignKey("territory.Node", models.PROTECT, related_name="+", verbose_name="报到社区")
    status = models.CharField(
        "状态", max_length=10, choices=RegistrationStatus.choices, default=RegistrationStatus.PENDING
    )
    agreement = models.TextField("共建协议", blank=True, help_text="双报到共建协议要点")
    signed_on = models.DateField("签订日期", null=True, blank=True)
    contact_name = models.CharField("联系人", max_length=50)
    contact_phone_enc = models.TextField(blank=True, editable=False)
    contact_phone_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    contact_phone_masked = models.CharField("联系电话", max_length=20, blank=True)
    resources = models.JSONField("可提供资源", default=list, blank=True)
    applied_at = models.DateTimeField("申请时间", auto_now_add=True)
    applied_by = models.ForeignKey(_USER, models.SET_NULL, null=True, blank=True, related_name="+")
    decided_by = models.ForeignKey(_USER, models.SET_NULL, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField("确认时间", null=True, blank=True)
    reason = models.CharField("退回/结束原因", max_length=200, blank=True)
    ended_at = models.DateTimeField("结束时间", null=True, blank=True)

    class Meta:
        ordering = ["-applied_at", "-id"]
        verbose_name = verbose_name_plural = "单位报到"
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "node"],
                condition=Q(status__in=LIVE_REGISTRATION),
                name="service_one_live_unit_registration",
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit} → {self.node}"


class Document(models.Model):
    """文件清单: an agreement, letter or plan attached to a unit registration."""

    registration = models.ForeignKey(UnitRegistration, models.CASCADE, related_name="documents")
    title = models.CharField("文件名称", max_length=120)
    file = models.FileField("文件", upload_to="service/docs/%Y/%m/", blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(_USER, models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = verbose_name_plural = "报到文件"

    def __str__(self) -> str:
        return self.title


class Post(Placed):
    """A post of the catalogue opened in one community, with a number of slots (岗位)."""

    scope_roles = TERRITORY_ROLES

    kind = models.CharField("岗位类别", max_length=16, choices=PostKind.choices, db_index=True)
    title = models.CharField("岗位名称", max_length=80)
    description = models.TextField("岗位职责", blank=True)
    node = models.ForeignKey(
        "territory.Node", models.PROTECT, related_name="+", verbose_name="所在社区/小区/楼栋"
    )
    slots = models.PositiveSmallIntegerField("名额", default=1)
    taken = models.PositiveSmallIntegerField("已认领", default=0, editable=False)
    skills = models.JSONField("所需特长", default=list, blank=True)
    active = models.BooleanField("开放认领", default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(_USER, models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["kind", "id"]
        verbose_name = verbose_name_plural = "服务岗位"
        constraints = [
            models.CheckConstraint(
                condition=Q(taken__lte=models.F("slots")), name="service_post_not_oversubscribed"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def free(self) -> int:
        return max(0, self.slots - self.taken)


class PostClaim(models.Model):
    """A member on a post (认岗). ``Post.taken`` counts the active claims."""

    scope_through = "post"
    scope_roles = TERRITORY_ROLES
    owner_lookup = "member__person_id"

    post = models.ForeignKey(Post, models.PROTECT, related_name="claims", verbose_name="岗位")
    member = models.ForeignKey(
        "party.PartyMember", models.PROTECT, related_name="post_claims", verbose_name="党员"
    )
    status = models.CharField("状态", max_length=10, choices=ClaimStatus.choices, default=ClaimStatus.ACTIVE)
    claimed_at = models.DateTimeField("认领时间", auto_now_add=True)
    released_at = models.DateTimeField("退岗时间", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-claimed_at", "-id"]
        verbose_name = verbose_name_plural = "岗位认领"
        constraints = [
            models.UniqueConstraint(
                fields=["post", "member"], condition=Q(status="active"), name="service_one_active_claim"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} @ {self.post}"


class DutyShift(models.Model):
    """One turn of a duty rota (红管家轮流值班) on a post."""

    scope_through = "post"
    scope_roles = TERRITORY_ROLES
    owner_lookup = "member__person_id"

    post = models.ForeignKey(Post, models.CASCADE, related_name="shifts", verbose_name="岗位")
    member = models.ForeignKey("party.PartyMember", models.PROTECT, related_name="duty_shifts")
    day = models.DateField("值班日期", db_index=True)
    shift = models.CharField("班次", max_length=4, choices=Shift.choices, default=Shift.DAY)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["day", "shift", "id"]
        verbose_name = verbose_name_plural = "值班安排"
        constraints = [
            models.UniqueConstraint(fields=["post", "day", "shift"], name="service_one_turn_per_shift")
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.get_shift_display()} {self.member}"


class VolunteerTeam(Placed):
    """A volunteer team (志愿服务队; 红帽子、红马甲) of a community."""

    scope_roles = TERRITORY_ROLES

    name = models.CharField("队名", max_length=80)
    kind = models.CharField("类型", max_length=16, choices=TeamKind.choices)
    badge = models.CharField("标识", max_length=10, choices=Badge.choices, blank=True)
    node = models.ForeignKey("territory.Node", models.PROTECT, related_name="+", verbose_name="所在社区")
    leader = models.ForeignKey(
        "people.Person", models.PROTECT, null=True, blank=True, related_name="+", verbose_name="队长"
    )
    unit = models.ForeignKey(
        "units.Unit", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="组建单位"
    )
    description = models.CharField("简介", max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = verbose_name_plural = "志愿服务队"

    def __str__(self) -> str:
        return self.name


class TeamMembership(models.Model):
    team = models.ForeignKey(VolunteerTeam, models.CASCADE, related_name="memberships")
    person = models.ForeignKey("people.Person", models.PROTECT, related_name="team_memberships")
    joined_at = models.DateTimeField(auto_now_add=True)
    active = models.BooleanField(default=True)

    class Meta:
        verbose_name = verbose_name_plural = "队员"
        constraints = [models.UniqueConstraint(fields=["team", "person"], name="service_one_membership")]


class VolunteerActivity(Placed):
    """A volunteer service activity going through the five steps (``workflow.py``)."""

    scope_roles = TERRITORY_ROLES

    title = models.CharField("服务内容", max_length=120)
    category = models.CharField("类别", max_length=16, choices=ActivityCategory.choices)
    demand = models.TextField("收集到的需求", blank=True)
    node = models.ForeignKey("territory.Node", models.PROTECT, related_name="+", verbose_name="服务地点")
    team = models.ForeignKey(
        VolunteerTeam, models.PROTECT, null=True, blank=True, related_name="activities", verbose_name="服务队"
    )
    status = models.CharField(
        "环节", max_length=12, choices=ActivityStep.choices, default=ActivityStep.COLLECTED
    )
    starts_at = models.DateTimeField("计划开始", null=True, blank=True)
    feedback = models.TextField("反馈", blank=True)
    people_served = models.PositiveIntegerField("服务人数", default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(_USER, models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = "志愿服务活动"

    def __str__(self) -> str:
        return self.title


class ActivityTask(models.Model):
    """One piece of an activity after 分解, given to one volunteer."""

    activity = models.ForeignKey(VolunteerActivity, models.CASCADE, related_name="tasks")
    title = models.CharField("任务", max_length=120)
    assignee = models.ForeignKey("people.Person", models.PROTECT, null=True, blank=True, related_name="+")
    done = models.BooleanField(default=False)

    class Meta:
        ordering = ["id"]
        verbose_name = verbose_name_plural = "活动分解任务"


class ActivityTransition(models.Model):
    """History of an activity's steps; never rewritten."""

    activity = models.ForeignKey(VolunteerActivity, models.CASCADE, related_name="transitions")
    actor = models.ForeignKey(_USER, models.SET_NULL, null=True, related_name="+")
    event = models.CharField(max_length=12)
    from_state = models.CharField(max_length=12)
    to_state = models.CharField(max_length=12)
    note = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "活动流转记录"
        ordering = ["at", "id"]


class ServiceRecord(Placed):
    """纪实: one service done by one person — what, where, when, hours, evidence.

    Verified (or returned) by the community; verification awards points and time-bank
    hours once (``points`` keys the award on this record).
    """

    scope_roles = TERRITORY_ROLES
    owner_lookup = "person_id"

    person = models.ForeignKey("people.Person", models.PROTECT, related_name="service_records")
    member = models.ForeignKey(
        "party.PartyMember", models.PROTECT, null=True, blank=True, related_name="service_records"
    )
    unit = models.ForeignKey(
        "units.Unit",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="service_records",
        verbose_name="所在单位",
        help_text="服务者的工作单位（回单位反馈）",
    )
    branch = models.ForeignKey(
        "party.Organization", models.PROTECT, null=True, blank=True, related_name="+", verbose_name="所在支部"
    )
    post = models.ForeignKey(Post, models.SET_NULL, null=True, blank=True, related_name="records")
    activity = models.ForeignKey(
        VolunteerActivity, models.SET_NULL, null=True, blank=True, related_name="records"
    )
    need_ref = models.CharField("关联需求", max_length=40, blank=True)
    title = models.CharField("服务内容", max_length=120)
    place_text = models.CharField("服务地点", max_length=120, blank=True)
    node = models.ForeignKey("territory.Node", models.PROTECT, related_name="+", verbose_name="服务社区")
    started_at = models.DateTimeField("开始时间")
    ended_at = models.DateTimeField("结束时间")
    hours = models.DecimalField("服务时长(小时)", max_digits=5, decimal_places=1, default=Decimal("0"))
    status = models.CharField(
        "状态", max_length=10, choices=RecordStatus.choices, default=RecordStatus.SUBMITTED, db_index=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(_USER, models.SET_NULL, null=True, blank=True, related_name="+")
    verified_by = models.ForeignKey(_USER, models.SET_NULL, null=True, blank=True, related_name="+")
    verified_at = models.DateTimeField("核实时间", null=True, blank=True)
    return_reason = models.CharField("退回原因", max_length=200, blank=True)
    rating = models.PositiveSmallIntegerField("群众评价", null=True, blank=True)
    rating_note = models.CharField("评价意见", max_length=200, blank=True)
    rewarded = models.BooleanField("已记积分", default=False)
    reward_error = models.CharField("积分未发原因", max_length=200, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = verbose_name_plural = "服务纪实"
        indexes = [
            models.Index(fields=["person", "started_at"]),
            models.Index(fields=["unit", "status", "started_at"]),
            models.Index(fields=["community", "status", "started_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_at__gt=models.F("started_at")), name="service_record_span"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.title}"


class RecordPhoto(models.Model):
    """Evidence photo of a record, re-encoded without EXIF, with its difference hash."""

    record = models.ForeignKey(ServiceRecord, models.CASCADE, related_name="photos")
    image = models.ImageField(upload_to="service/photos/%Y/%m/")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    dhash = models.CharField("差值哈希", max_length=16, db_index=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = verbose_name_plural = "纪实照片"


class Flag(Placed):
    """A formalism-guard finding on a record, for a reviewer to confirm or clear."""

    scope_roles = TERRITORY_ROLES

    kind = models.CharField("类型", max_length=16, choices=FlagKind.choices, db_index=True)
    key = models.CharField(max_length=80, unique=True, help_text="kind:record:other — one flag per finding")
    record = models.ForeignKey(ServiceRecord, models.CASCADE, related_name="flags")
    other = models.ForeignKey(ServiceRecord, models.CASCADE, null=True, blank=True, related_name="+")
    person = models.ForeignKey("people.Person", models.PROTECT, related_name="+")
    reason = models.CharField("原因", max_length=300)
    status = models.CharField("状态", max_length=10, choices=FlagStatus.choices, default=FlagStatus.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    reviewed_by = models.ForeignKey(_USER, models.SET_NULL, null=True, blank=True, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.CharField("复核意见", max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = "形式主义预警"

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.reason}"
