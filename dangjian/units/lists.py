"""The unit list: one spec for the screen and the export."""

from __future__ import annotations

from django.db.models import Count, QuerySet
from django.urls import reverse

from dangjian.accounts import privacy
from dangjian.core.listing import YES_NO, Column, Filter, ListSpec, Search, lookup_filter
from dangjian.units.choices import TWO_NEW_KINDS, UnitKind
from dangjian.units.models import Unit


def two_new(qs: QuerySet, value: str) -> QuerySet:
    kinds = [str(k) for k in TWO_NEW_KINDS]
    return qs.filter(kind__in=kinds) if value == "1" else qs.exclude(kind__in=kinds)


UNITS = ListSpec(
    key="units",
    title="驻区单位",
    model=Unit,
    icon="buildings",
    register=privacy.UNITS,
    columns=(
        Column("单位名称", "name", 28, basic=True),
        Column("单位类型", "get_kind_display", 10, basic=True),
        Column("两新组织", "is_two_new", 8),
        Column("统一社会信用代码", "credit_code", 22),
        Column("联系人", "contact_name", 10, basic=True),
        Column("联系电话", "contact_phone_masked", 14, "masked", basic=True),
        Column("职工人数", "employees", 8),
        Column("党组织数", "n_orgs", 8),
        Column("所在区域", "node.name", 14, basic=True),
        Column("街道(镇)", "street.name", 12, basic=True),
        Column("社区", "community.name", 12, basic=True),
        Column("地址", "address", 28),
    ),
    search_fields=(
        Search("name", "单位名称", basic=True),
        Search("credit_code", "信用代码"),
        Search("address", "地址"),
        Search("contact_name", "联系人", basic=True),
    ),
    filters=(
        Filter("kind", "单位类型", list(UnitKind.choices), lookup_filter("kind"), basic=True),
        Filter("two_new", "两新组织", YES_NO, two_new),
    ),
    ordering=("name", "pk"),
    select_related=("node", "street", "community"),
    annotate=lambda qs: qs.annotate(n_orgs=Count("organizations")),
    detail_url=lambda u: reverse("units:unit_detail", args=[u.pk]),
)
