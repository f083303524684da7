"""Figures of 双报到: the registration rate and service hours by unit, branch and community,
and the monthly report back to a member's own unit (回单位反馈).

报到率 (registration rate), defined once here:

    报到率 = 已报到的在职党员人数 ÷ 在职党员人数

* the denominator counts party members of category 在职党员 (``in_service``) in the group;
* the numerator counts those of them with a registration the community has **confirmed**
  and not ended (pending, rejected and ended registrations do not count);
* a group is a unit (the member's 工作单位), a branch (the member's 党组织) or a community
  (the community where the member lives); a member without one is left out of that grouping.

Service hours are the hours of **verified** records whose service started in the period,
grouped by the record's unit, branch or community.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils import timezone

from dangjian.party.choices import MemberCategory
from dangjian.service.choices import RecordStatus, RegistrationStatus
from dangjian.service.models import MemberRegistration, ServiceRecord

GROUPS = {
    "unit": ("work_unit_id", "work_unit__name", "unit_id", "unit__name", "单位"),
    "branch": ("organization_id", "organization__name", "branch_id", "branch__name", "支部"),
    "community": (
        "person__community_id",
        "person__community__name",
        "community_id",
        "community__name",
        "社区",
    ),
}


def rate(registered: int, total: int) -> Decimal | None:
    """报到率 as a percentage with one decimal, or None when there is nobody to count."""
    if total <= 0:
        return None
    return (Decimal(registered) * 100 / Decimal(total)).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass(frozen=True)
class RateRow:
    key: int
    name: str
    total: int
    registered: int

    @property
    def rate(self) -> Decimal | None:
        return rate(self.registered, self.total)


def registration_rates(members: Any, by: str) -> list[RateRow]:
    """报到率 per group of the given party members (a ``PartyMember`` queryset)."""
    key, label, *_ = GROUPS[by]
    confirmed = MemberRegistration.objects.filter(member=OuterRef("pk"), status=RegistrationStatus.CONFIRMED)
    rows = (
        members.filter(category=MemberCategory.IN_SERVICE)
        .exclude(**{f"{key}__isnull": True})
        .annotate(reg=Exists(confirmed))
        .values(key, label)
        .annotate(total=Count("pk"), registered=Count("pk", filter=Q(reg=True)))
        .order_by(label)
    )
    return [RateRow(r[key], r[label], r["total"], r["registered"]) for r in rows]


def overall_rate(members: Any) -> RateRow:
    confirmed = MemberRegistration.objects.filter(member=OuterRef("pk"), status=RegistrationStatus.CONFIRMED)
    qs = members.filter(category=MemberCategory.IN_SERVICE).annotate(reg=Exists(confirmed))
    agg = qs.aggregate(total=Count("pk"), registered=Count("pk", filter=Q(reg=True)))
    return RateRow(0, "合计", agg["total"] or 0, agg["registered"] or 0)


@dataclass(frozen=True)
class HoursRow:
    key: int
    name: str
    records: int
    people: int
    hours: Decimal


def month_bounds(month: date) -> tuple[datetime, datetime]:
    start = month.replace(day=1)
    end = (start + timedelta(days=32)).replace(day=1)
    tz = timezone.get_current_timezone()
    return datetime.combine(start, time.min, tz), datetime.combine(end, time.min, tz)


def service_hours(records: Any, by: str, start: datetime, end: datetime) -> list[HoursRow]:
    *_, key, label, _title = GROUPS[by]
    rows = (
        records.filter(status=RecordStatus.VERIFIED, started_at__gte=start, started_at__lt=end)
        .exclude(**{f"{key}__isnull": True})
        .values(key, label)
        .annotate(records=Count("pk"), people=Count("person_id", distinct=True), hours=Sum("hours"))
        .order_by("-hours", label)
    )
    return [HoursRow(r[key], r[label], r["records"], r["people"], r["hours"] or Decimal("0")) for r in rows]


@dataclass
class ReportLine:
    member: Any
    registration: Any
    records: list[Any]

    @property
    def hours(self) -> Decimal:
        return sum((r.hours for r in self.records), Decimal("0"))


def unit_report(*, unit: Any = None, branch: Any = None, month: date) -> list[ReportLine]:
    """回单位反馈: each in-service member of the unit (or branch) with their registration and
    the verified services of the month."""
    from dangjian.party.models import PartyMember

    members = PartyMember.objects.filter(category=MemberCategory.IN_SERVICE).select_related("person")
    if unit is not None:
        members = members.filter(work_unit=unit)
    if branch is not None:
        members = members.filter(organization=branch)
    members = members.order_by("person__name", "pk")
    start, end = month_bounds(month)
    regs = {
        r.member_id: r
        for r in MemberRegistration.objects.filter(
            member__in=members, status__in=(RegistrationStatus.CONFIRMED, RegistrationStatus.PENDING)
        ).select_related("node")
    }
    by_member: dict[int, list[Any]] = {}
    for rec in (
        ServiceRecord.objects.filter(
            member__in=members, status=RecordStatus.VERIFIED, started_at__gte=start, started_at__lt=end
        )
        .select_related("community")
        .order_by("started_at")
    ):
        by_member.setdefault(rec.member_id, []).append(rec)
    return [ReportLine(m, regs.get(m.pk), by_member.get(m.pk, [])) for m in members]
