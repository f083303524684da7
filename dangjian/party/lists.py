"""The party lists (members, organisations): one spec each for the screen and the export."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet
from django.urls import reverse

from dangjian.accounts import privacy
from dangjian.core import bounds
from dangjian.core.listing import YES_NO, Column, Filter, ListSpec, Search, bool_filter, lookup_filter
from dangjian.party.choices import MemberCategory, MemberStatus, OrgKind
from dangjian.party.models import Organization, PartyMember

PLACE_COLUMNS = (
    Column("街道(镇)", "street.name", 12, basic=True),
    Column("社区", "community.name", 12, basic=True),
    Column("网格", "grid.name", 14, basic=True),
)
PLACE_RELATED = ("street", "community", "grid")


def visible_organizations(user: Any) -> QuerySet[Organization]:
    return Organization.objects.all() if user is None else Organization.objects.restrict(user, "view")


def organization_options(user: Any) -> list[tuple[str, str]]:
    """Organisations a member can belong to (not 党小组), indented by depth, at most 500."""
    qs = visible_organizations(user).exclude(kind=OrgKind.GROUP).order_by("path")
    return [
        (str(pk), "　" * min(depth, 4) + name)
        for pk, name, depth in qs.values_list("pk", "name", "depth")[:500]
    ]


def organization_accepts(user: Any, value: str) -> bool:
    return bounds.is_id(value) and visible_organizations(user).filter(pk=int(value)).exists()


def in_organization_subtree(qs: QuerySet, value: str) -> QuerySet:
    """Members of the organisation and of every organisation below it."""
    path = Organization.objects.filter(pk=int(value)).values_list("path", flat=True).first() or "-"
    return qs.filter(organization__path__startswith=path)


MEMBERS = ListSpec(
    key="members",
    title="党员",
    model=PartyMember,
    icon="person-badge",
    register=privacy.MEMBERS,
    columns=(
        Column("姓名", "person.name", 10, basic=True),
        Column("性别", "person.get_gender_display", 6),
        Column("手机号", "person.phone_masked", 14, "masked", basic=True),
        Column("党员状态", "get_status_display", 10),
        Column("党员类别", "get_category_display", 12),
        Column("所在党组织", "organization.name", 26, basic=True),
        Column("入党日期", "joined_on", 12),
        Column("工作单位", "work_unit.name", 20),
        *PLACE_COLUMNS,
    ),
    search_fields=(
        Search("person__name", "姓名", basic=True),
        Search("organization__name", "党组织", basic=True),
    ),
    filters=(
        Filter("status", "党员状态", list(MemberStatus.choices), lookup_filter("status")),
        Filter("category", "党员类别", list(MemberCategory.choices), lookup_filter("category")),
        Filter(
            "organization",
            "党组织",
            organization_options,
            in_organization_subtree,
            accepts=organization_accepts,
            basic=True,
        ),
    ),
    ordering=("organization__path", "person__name", "pk"),
    select_related=("person", "organization", "work_unit", *PLACE_RELATED),
    detail_url=lambda m: reverse("party:member_detail", args=[m.pk]),
)


ORGANIZATIONS = ListSpec(
    key="organizations",
    title="党组织",
    model=Organization,
    icon="diagram-3",
    search_placeholder="组织名称",
    columns=(
        Column("组织名称", "name", 28),
        Column("组织类别", "get_kind_display", 10),
        Column("上级党组织", "parent.name", 26),
        Column("大党委/大工委", "joint_label", 12),
        Column("所在区域", "node.name", 16),
        Column("所在单位", "unit.name", 20),
        Column("党员数", "n_members", 8),
        Column("成立日期", "founded_on", 12),
        *PLACE_COLUMNS[:2],
    ),
    search_fields=("name",),
    filters=(
        Filter("kind", "组织类别", list(OrgKind.choices), lookup_filter("kind")),
        Filter("joint", "大党委/大工委", YES_NO, bool_filter("is_joint")),
    ),
    ordering=("path",),
    select_related=("parent", "node", "unit", "street", "community"),
    annotate=lambda qs: qs.annotate(n_members=Count("members")),
    detail_url=lambda o: reverse("party:org_detail", args=[o.pk]),
)
