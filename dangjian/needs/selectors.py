"""Every scoped read of needs: the staff queue, the wall, my needs, one need, the 工委清单
figures, and the candidates fed to the matching (``intel.matching``)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from dangjian.intel import matching
from dangjian.needs import fairness
from dangjian.needs.access import actor_kinds
from dangjian.needs.choices import CLAIM_LOAD_STATES, DONE_STATES, SKILL_LABELS, WAITING_STATES, Actor, Status
from dangjian.needs.models import Need
from dangjian.territory.models import Node

BASE_RELATED = (
    "community",
    "grid",
    "street",
    "beneficiary",
    "claimed_member__person",
    "claimed_unit",
    "branch",
)


def mask_name(name: str) -> str:
    """李秀英 → 李**: the wall shows the family name only."""
    return (name[:1] + "*" * max(1, len(name) - 1)) if name else "群众"


def staff_needs(user: Any) -> QuerySet[Need]:
    return Need.objects.restrict(user, "view").select_related(*BASE_RELATED)


def access_need(user: Any, pk: int) -> tuple[Need, set[str], bool]:
    """One need for this user: (need, actor kinds, whether staff scope covers it). 404 alike."""
    need = Need.objects.select_related(*BASE_RELATED, "funder_unit", "posted_by").filter(pk=pk).first()
    if need is None:
        raise Http404("未找到或无权访问")
    staff = Need.objects.restrict(user, "view").filter(pk=pk).exists()
    kinds = actor_kinds(user, need)
    if not staff and not kinds & {Actor.RESIDENT, Actor.HANDLER, Actor.CLAIMER, Actor.FUNDER, Actor.BRANCH}:
        raise Http404("未找到或无权访问")
    return need, kinds, staff


def with_priority(
    needs: Iterable[Need], now: dt.datetime | None = None
) -> list[tuple[Need, fairness.Priority]]:
    now = now or timezone.now()
    rows = [(n, fairness.priority(n, now)) for n in needs]
    rows.sort(key=lambda r: (-r[1].score, r[0].pk))
    return rows


def queue(
    user: Any, status: str = "", community: int | None = None, limit: int = 300
) -> list[tuple[Need, Any]]:
    qs = staff_needs(user)
    if status:
        qs = qs.filter(status=status)
    else:
        qs = qs.filter(
            status__in=[Status.SUBMITTED, Status.PUBLISHED, Status.ORDERED, Status.CLAIMED, Status.FULFILLED]
        )
    if community:
        qs = qs.filter(community_id=community)
    return with_priority(qs.order_by("created_at")[:limit])


def wall(community: Node) -> dict[str, Any]:
    base = Need.objects.filter(community=community).select_related("grid", "claimed_member__person")
    waiting = with_priority(base.filter(status__in=WAITING_STATES))
    taken = list(base.filter(status=Status.CLAIMED).order_by("-claimed_at")[:30])
    done = list(base.filter(status__in=DONE_STATES).order_by("-confirmed_at")[:30])
    return {"waiting": waiting, "taken": taken, "done": done}


# ?show= on 我的心愿: what the personal home page counts and links to.
MINE_FILTERS: dict[str, tuple[str, Q]] = {
    "open": (
        "办理中",
        Q(status__in=[Status.SUBMITTED, Status.PUBLISHED, Status.ORDERED, Status.CLAIMED, Status.FULFILLED]),
    ),
    "answer": ("待我确认或评价", Q(status__in=[Status.FULFILLED, Status.CONFIRMED])),
}


def posted_needs(user: Any, show: str = "") -> QuerySet[Need]:
    """The wishes ``user`` made for themselves (or that were made for them), by ``show``."""
    if user.person_id:
        qs = Need.objects.filter(Q(beneficiary_id=user.person_id) | Q(posted_by=user, on_behalf=False))
    else:
        qs = Need.objects.filter(posted_by=user, on_behalf=False)
    if show in MINE_FILTERS:
        qs = qs.filter(MINE_FILTERS[show][1])
    return qs


def my_needs(user: Any, show: str = "") -> dict[str, list[Need]]:
    """我的心愿; with ``show`` only the matching wishes I made (nothing I claimed or proxied)."""
    posted = list(posted_needs(user, show).select_related("community").order_by("-created_at")[:50])
    if show:
        return {"posted": posted, "claimed": [], "proxied": []}
    claimed_q = Q(claimed_by=user)
    if user.person_id:
        claimed_q |= Q(claimed_member__person_id=user.person_id)
    return {
        "posted": posted,
        "claimed": list(
            Need.objects.filter(claimed_q).select_related("community").order_by("-claimed_at")[:50]
        ),
        "proxied": list(
            Need.objects.filter(posted_by=user, on_behalf=True).select_related("beneficiary", "community")[
                :50
            ]
        ),
    }


# --- 工委清单 ------------------------------------------------------------------------------


def quarter_bounds(year: int, quarter: int) -> tuple[dt.datetime, dt.datetime]:
    if quarter not in (1, 2, 3, 4):
        raise ValueError("季度应为 1–4")
    start = dt.date(year, 3 * quarter - 2, 1)
    end = dt.date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1)
    tz = timezone.get_current_timezone()
    return (
        dt.datetime.combine(start, dt.time(), tzinfo=tz),
        dt.datetime.combine(end, dt.time(), tzinfo=tz),
    )


def current_quarter(today: dt.date | None = None) -> tuple[int, int]:
    today = today or timezone.localdate()
    return today.year, (today.month - 1) // 3 + 1


@dataclass
class Figures:
    """The seeds' counts: 红绳 tied and claimed, wishes fulfilled, people served, money funded."""

    name: str = ""
    tied: int = 0
    claimed: int = 0
    fulfilled: int = 0
    people_served: int = 0
    funded: Decimal = field(default_factory=lambda: Decimal("0"))
    funded_count: int = 0

    @property
    def claim_rate(self) -> float:
        return round(100 * self.claimed / self.tied, 1) if self.tied else 0.0


def ledger_queryset(user: Any, year: int, quarter: int) -> QuerySet[Need]:
    start, end = quarter_bounds(year, quarter)
    return (
        staff_needs(user)
        .filter(created_at__gte=start, created_at__lt=end)
        .exclude(status__in=[Status.SUBMITTED, Status.REJECTED])
        .select_related("funder_unit")
        .order_by("street__name", "community__name", "created_at")
    )


def ledger_figures(needs: Iterable[Need]) -> tuple[list[Figures], Figures]:
    """Per community (and a total) for the 工委清单."""
    per: dict[int, Figures] = {}
    total = Figures(name="合计")
    for n in needs:
        rows = [total]
        if n.community_id:
            rows.append(per.setdefault(n.community_id, Figures(name=n.community.name if n.community else "")))
        for f in rows:
            f.tied += 1
            if n.claimed_at is not None or n.status in DONE_STATES or n.status == Status.FULFILLED:
                f.claimed += 1
            if n.status in DONE_STATES:
                f.fulfilled += 1
                f.people_served += n.people_served
            if n.funded_amount:
                f.funded += n.funded_amount
                f.funded_count += 1
    return sorted(per.values(), key=lambda f: f.name), total


# --- candidates for the matching ----------------------------------------------------------


def _coords(nodes: Iterable[Node | None]) -> dict[int, tuple[float, float]]:
    """Plane km coordinates of nodes, falling back to the nearest located ancestor."""
    present = [n for n in nodes if n is not None]
    ancestor_ids = {getattr(n, f"{lvl}_id") for n in present for lvl in ("grid", "community")} - {None}
    located = {n.pk: n for n in present}
    located.update({n.pk: n for n in Node.objects.filter(pk__in=ancestor_ids)})
    out: dict[int, tuple[float, float]] = {}
    for n in present:
        for candidate in (n, located.get(n.grid_id or -1), located.get(n.community_id or -1)):
            if candidate is not None and candidate.lng is not None and candidate.lat is not None:
                out[n.pk] = matching.to_km(candidate.lng, candidate.lat)
                break
    return out


def need_item(need: Need, now: dt.datetime | None = None) -> matching.NeedItem:
    node = need.beneficiary.home if need.beneficiary_id and need.beneficiary else None
    node = node or need.grid or need.community
    xy = _coords([node]).get(node.pk, (0.0, 0.0)) if node is not None else (0.0, 0.0)
    return need_items([need], now, {need.pk: xy})[0]


def need_items(
    needs: Iterable[Need], now: dt.datetime | None = None, xy: dict[int, tuple[float, float]] | None = None
) -> list[matching.NeedItem]:
    now = now or timezone.now()
    needs = list(needs)
    if xy is None:
        homes = {n.pk: (n.beneficiary.home if n.beneficiary_id and n.beneficiary else None) for n in needs}
        nodes = {n.pk: homes[n.pk] or n.grid or n.community for n in needs}
        coords = _coords(nodes.values())
        xy = {pk: coords.get(node.pk, (0.0, 0.0)) if node else (0.0, 0.0) for pk, node in nodes.items()}
    return [
        matching.NeedItem(
            id=n.pk,
            community=n.community_id,
            grid=n.grid_id,
            x=xy[n.pk][0],
            y=xy[n.pk][1],
            skills=frozenset(n.skills or []),
            priority=fairness.priority(n, now).score,
        )
        for n in needs
    ]


def _skill_codes(values: Iterable[str]) -> set[str]:
    by_label = {label: code for code, label in SKILL_LABELS.items()}
    out = set()
    for v in values:
        v = str(v).strip().removesuffix("岗")
        if v in SKILL_LABELS:
            out.add(v)
        elif v in by_label:
            out.add(by_label[v])
    return out


def candidates_for(community_ids: Iterable[int]) -> list[matching.CandidateItem]:
    """Members registered (双报到) with these communities, members living there who have not
    registered, and the units and volunteer teams registered there."""
    from dangjian.party.models import PartyMember
    from dangjian.service.models import MemberRegistration, PostClaim, UnitRegistration, VolunteerTeam

    communities = [c for c in set(community_ids) if c]
    if not communities:
        return []
    regs = list(
        MemberRegistration.objects.filter(node_id__in=communities, status="confirmed").select_related(
            "member__person__home"
        )
    )
    skills: dict[int, set[str]] = defaultdict(set)
    for r in regs:
        skills[r.member_id] |= _skill_codes(r.skills or [])
    for member_id, kind in PostClaim.objects.filter(
        status="active", post__community_id__in=communities
    ).values_list("member_id", "post__kind"):
        skills[member_id] |= _skill_codes([kind])
    registered = {r.member_id: r.node_id for r in regs}
    members = {r.member_id: r.member for r in regs}
    for m in PartyMember.objects.filter(person__community_id__in=communities).select_related("person__home"):
        members.setdefault(m.pk, m)
    load = dict(
        Need.objects.filter(claimed_member_id__in=members, status__in=CLAIM_LOAD_STATES)
        .values("claimed_member")
        .annotate(n=Count("id"))
        .values_list("claimed_member", "n")
    )
    ratings = {
        row["claimed_member"]: (row["avg"], row["n"])
        for row in Need.objects.filter(claimed_member_id__in=members, rating__isnull=False)
        .values("claimed_member")
        .annotate(avg=Avg("rating"), n=Count("id"))
    }
    coords = _coords(m.person.home for m in members.values())
    cap = fairness.max_open_claims()
    out: list[matching.CandidateItem] = []
    for pk, m in members.items():
        home = m.person.home
        xy = coords.get(home.pk) if home is not None else None
        avg, n = ratings.get(pk, (None, 0))
        out.append(
            matching.CandidateItem(
                id=f"member:{pk}",
                label=m.person.name,
                kind="member",
                community=registered.get(pk, m.person.community_id),
                grid=m.person.grid_id,
                x=xy[0] if xy else None,
                y=xy[1] if xy else None,
                skills=frozenset(skills.get(pk, set())),
                available=m.category != "mobile",
                load=load.get(pk, 0),
                cap=cap,
                rating=float(avg) if avg is not None else None,
                ratings=n,
                registered=pk in registered,
            )
        )
    unit_regs = list(
        UnitRegistration.objects.filter(node_id__in=communities, status="confirmed").select_related(
            "unit__node"
        )
    )
    unit_load = dict(
        Need.objects.filter(claimed_unit_id__in=[r.unit_id for r in unit_regs], status__in=CLAIM_LOAD_STATES)
        .values("claimed_unit")
        .annotate(n=Count("id"))
        .values_list("claimed_unit", "n")
    )
    unit_xy = _coords(r.unit.node for r in unit_regs)
    for r in unit_regs:
        xy = unit_xy.get(r.unit.node_id)
        out.append(
            matching.CandidateItem(
                id=f"unit:{r.unit_id}",
                label=r.unit.name,
                kind="unit",
                community=r.node_id,
                grid=r.unit.grid_id,
                x=xy[0] if xy else None,
                y=xy[1] if xy else None,
                load=unit_load.get(r.unit_id, 0),
                cap=fairness.max_open_claims_unit(),
            )
        )
    for t in VolunteerTeam.objects.filter(node_id__in=communities):
        out.append(
            matching.CandidateItem(
                id=f"team:{t.pk}",
                label=t.name,
                kind="team",
                community=t.node_id,
                cap=fairness.max_open_claims_unit(),
            )
        )
    return out
