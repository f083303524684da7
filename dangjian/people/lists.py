"""The people lists (residents, grid workers, community workers): one spec each for the
screen and the export. Personal data appears only in its masked form; ``basic`` marks what
a cell reading basic fields sees (name, masked phone, placement — ``accounts.privacy``)."""

from __future__ import annotations

from django.db.models import OuterRef, QuerySet, Subquery, TextField
from django.db.models.functions import Cast
from django.urls import reverse

from dangjian.accounts import privacy
from dangjian.core.listing import YES_NO, Column, Filter, ListSpec, Search, bool_filter, lookup_filter
from dangjian.people.choices import CommunityPost, GridRole, ResidenceType, ResidentTag
from dangjian.people.models import CommunityWorker, GridWorker, PayScale, Resident

PLACE_COLUMNS = (
    Column("街道(镇)", "street.name", 12, basic=True),
    Column("社区", "community.name", 12, basic=True),
    Column("网格", "grid.name", 14, basic=True),
)
PLACE_RELATED = ("street", "community", "grid")
TAG_LABELS = dict(ResidentTag.choices)


def person_url(obj: Resident | GridWorker | CommunityWorker) -> str:
    return reverse("people:person_detail", args=[obj.person_id])


def with_tag(qs: QuerySet, value: str) -> QuerySet:
    # Tags are a JSON list of fixed slugs; matching the quoted slug in its text form works
    # the same on SQLite and PostgreSQL.
    return qs.alias(tags_text=Cast("tags", TextField())).filter(tags_text__contains=f'"{value}"')


RESIDENTS = ListSpec(
    key="residents",
    title="居民",
    model=Resident,
    icon="people",
    register=privacy.RESIDENTS,
    columns=(
        Column("姓名", "person.name", 10, basic=True),
        Column("性别", "person.get_gender_display", 6),
        Column("出生日期", "person.birth_date", 12),
        Column("手机号", "person.phone_masked", 14, "masked", basic=True),
        Column("身份证号", "person.id_number_masked", 22, "masked"),
        Column("住址", "person.address_masked", 24, "masked"),
        Column("人口类型", "get_residence_type_display", 10),
        Column("户主", "is_head", 6),
        Column("关爱标签", lambda r: [TAG_LABELS.get(t, t) for t in r.tags], 16),
        Column("所在户/小区", "household.name", 16),
        *PLACE_COLUMNS,
    ),
    search_fields=(Search("person__name", "姓名", basic=True), Search("household__name", "小区")),
    filters=(
        Filter("residence_type", "人口类型", list(ResidenceType.choices), lookup_filter("residence_type")),
        Filter("tag", "关爱标签", list(ResidentTag.choices), with_tag),
    ),
    ordering=("household__path", "person__name", "pk"),
    select_related=("person", "household", *PLACE_RELATED),
    detail_url=person_url,
)


GRID_WORKERS = ListSpec(
    key="grid_workers",
    title="网格员",
    model=GridWorker,
    icon="person-walking",
    register=privacy.GRID_WORKERS,
    columns=(
        Column("姓名", "person.name", 10, basic=True),
        Column("手机号", "person.phone_masked", 14, "masked", basic=True),
        Column("职务", "get_role_display", 8),
        Column("专职", "full_time", 6),
        Column("所在网格", "grid_node.name", 16, basic=True),
        Column("网格编码", "grid_node.code", 18, basic=True),
        Column("上岗日期", "since", 12),
        Column("在岗", "active", 6),
        *PLACE_COLUMNS[:2],
    ),
    search_fields=(
        Search("person__name", "姓名", basic=True),
        Search("grid_node__name", "网格名称", basic=True),
        Search("grid_node__code", "网格编码", basic=True),
    ),
    filters=(
        Filter("role", "职务", list(GridRole.choices), lookup_filter("role")),
        Filter("full_time", "专职", YES_NO, bool_filter("full_time")),
    ),
    ordering=("grid_node__code", "role", "person__name", "pk"),
    select_related=("person", "grid_node", "street", "community"),
    detail_url=person_url,
)


def with_monthly_pay(qs: QuerySet) -> QuerySet:
    pay = PayScale.objects.filter(post=OuterRef("post"), level=OuterRef("level")).values("monthly_pay")[:1]
    return qs.annotate(pay=Subquery(pay))


COMMUNITY_WORKERS = ListSpec(
    key="community_workers",
    title="社区工作者",
    model=CommunityWorker,
    icon="person-workspace",
    register=privacy.COMMUNITY_WORKERS,
    columns=(
        Column("姓名", "person.name", 10, basic=True),
        Column("手机号", "person.phone_masked", 14, "masked", basic=True),
        Column("社区", "community_node.name", 14, basic=True),
        Column("岗位", "get_post_display", 16),
        Column("岗位级别", "level", 8),
        Column("等级(1-18)", "grade", 10),
        Column("月基本报酬(元)", "pay", 14),
        Column("职务", "position_title", 16),
        Column("入职日期", "since", 12),
        Column("街道(镇)", "street.name", 12, basic=True),
    ),
    search_fields=(Search("person__name", "姓名", basic=True), Search("position_title", "职务")),
    filters=(
        Filter("post", "岗位（三岗）", list(CommunityPost.choices), lookup_filter("post")),
        Filter("level", "岗位级别", [(str(i), f"{i} 级") for i in range(1, 7)], lookup_filter("level")),
    ),
    ordering=("community_node__code", "post", "-level", "person__name", "pk"),
    select_related=("person", "community_node", "street"),
    annotate=with_monthly_pay,
    detail_url=person_url,
)
