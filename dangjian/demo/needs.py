"""Demo needs (为民红绳 / 微心愿) for 北流市 桂塘社区: a few dozen, through the real actions.

Residents post (the demo resident herself; others through the community secretary, logged
as acting for them), the community publishes or rejects, the branch orders, members claim
(members of the community get an account without a usable password so the history names
them), a unit pays (机关买单), members fulfil with evidence, residents confirm (or the
community secretary for them) and rate. Every state of the workflow is represented.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from dangjian.accounts.models import User
from dangjian.core import crypto
from dangjian.needs import actions, fairness
from dangjian.needs.choices import Status
from dangjian.territory.models import Node

SEED = 2021
# (kind, title, skills, who it is for: "old" / "child" / "any", which branch orders it:
# "home" = the beneficiary's compound or grid branch, else a unit of the street: by kind
# (school, hospital, soe) or by name (司法局, 民政局, 图书馆))
WISHES = [
    ("wish", "想要一个新书包", ["donation"], "child", "home"),
    ("wish", "想学用智能手机和孙子视频通话", ["training"], "old", "home"),
    ("family", "厨房水龙头漏水，想请人帮忙修一修", ["repair"], "old", "home"),
    ("wish", "孩子暑假想有人辅导数学", ["tutoring"], "child", "school"),
    ("family", "独居老人希望有人每周上门探望", ["disability"], "old", "home"),
    ("wish", "想要一台收音机听粤剧", ["donation"], "old", "home"),
    ("family", "轮椅刹车坏了，需要维修", ["repair", "disability"], "old", "home"),
    ("wish", "想了解赡养纠纷怎么处理", ["legal"], "old", "司法局"),
    ("public", "东湖一号小区3栋巷道路灯不亮", ["repair"], "any", "home"),
    ("wish", "想参加社区合唱队，需要一本歌谱", ["arts"], "old", "home"),
    ("family", "行动不便，想请人帮忙代购降压药", ["health"], "old", "hospital"),
    ("wish", "想要一套过冬的厚棉被", ["donation"], "old", "home"),
    ("wish", "想要一本新华字典", ["donation"], "child", "school"),
    ("family", "卫生间灯泡坏了，够不着换", ["repair"], "old", "home"),
    ("wish", "想请医生上门量量血压、看看药", ["health"], "old", "hospital"),
    ("wish", "孩子想学毛笔字", ["arts", "tutoring"], "child", "school"),
    ("family", "家里老式电视收不到台，想请人调一调", ["repair"], "old", "home"),
    ("wish", "想要一双合脚的运动鞋上体育课", ["donation"], "child", "home"),
    ("public", "小区健身器材螺丝松了，需要加固", ["repair"], "any", "home"),
    ("wish", "想学会用手机交电费、医保缴费", ["training"], "old", "home"),
    ("family", "老伴住院，家里的狗没人喂几天", ["disability"], "old", "home"),
    ("wish", "想要一个护眼台灯写作业", ["donation"], "child", "soe"),
    ("wish", "想咨询拆迁补偿的政策", ["legal"], "any", "司法局"),
    ("family", "防盗门锁芯坏了，想请人换一个", ["repair"], "old", "home"),
    ("wish", "孩子英语跟不上，想找人周末辅导", ["tutoring"], "child", "school"),
    ("public", "楼道堆放杂物，想请志愿者帮忙清理", ["repair"], "any", "home"),
    ("wish", "想要一副老花镜", ["donation", "health"], "old", "hospital"),
    ("family", "腿脚不便，想请人陪同去医院复查", ["health", "disability"], "old", "hospital"),
    ("wish", "想要几本课外书", ["donation"], "child", "图书馆"),
    ("wish", "想学太极拳，希望有人教", ["arts"], "old", "home"),
    ("family", "家里热水器打不着火，想找人看看", ["repair"], "old", "home"),
    ("wish", "想给孙女过一个有蛋糕的生日", ["donation"], "child", "soe"),
    ("public", "小区门口人行道的井盖松动", ["repair"], "any", "home"),
    ("wish", "想了解高龄津贴怎么申请", ["legal"], "old", "民政局"),
    ("family", "行动不便，想请人帮忙理发", ["disability"], "old", "home"),
    ("wish", "想要一个篮球，和同学一起打球", ["donation"], "child", "soe"),
]
# How long ago (days) a need of each final state was posted: open ones are fresh,
# finished ones older; none is "已等待 0 天" unless it was posted today.
AGE_DAYS = {
    Status.SUBMITTED: (0.2, 3),
    Status.PUBLISHED: (1, 20),
    Status.ORDERED: (3, 18),
    Status.CLAIMED: (4, 15),
    "funded": (5, 20),
    Status.FULFILLED: (6, 16),
    Status.CONFIRMED: (10, 40),
    Status.RATED: (15, 120),
    Status.REJECTED: (5, 60),
    Status.CANCELLED: (5, 60),
}
# The state each demo need is worked to, in turn (finished ones first, so claims free up for the next).
PLAN = [
    Status.RATED,
    Status.CONFIRMED,
    Status.RATED,
    Status.RATED,
    Status.REJECTED,
    Status.CANCELLED,
    Status.SUBMITTED,
    Status.PUBLISHED,
    Status.ORDERED,
    Status.CLAIMED,
    "funded",
    Status.FULFILLED,
]


COMMENTS = ("感谢党员同志", "服务很周到，谢谢", "来得很及时", "解决了家里的大难题", "非常满意")


def backdate(ages: dict[int, float], rng: random.Random) -> None:
    """DEMO ONLY: spread each need's history over the ``ages[need]`` days before now.

    The actions stamp ``timezone.now()``; a wall where every wish was posted a minute ago
    ("已等待 0 天") is not a wall anyone has seen. Each need's transitions keep their order,
    spaced over its age (the last one a little before now); the milestone columns follow
    the transitions they came from. Audit rows keep the build time.
    """
    from dangjian.needs.models import Need, NeedTransition

    now = timezone.now()
    fields = {
        "publish": "published_at",
        "claim": "claimed_at",
        "assign": "claimed_at",
        "fund": "funded_at",
        "fulfil": "fulfilled_at",
        "confirm": "confirmed_at",
    }
    changed = []
    for need in Need.objects.filter(pk__in=list(ages)):
        start = now - timedelta(days=ages[need.pk])
        rows = list(NeedTransition.objects.filter(need=need).order_by("at", "id"))
        span = (now - start) * 0.85
        steps = sorted(rng.uniform(0.05, 1.0) for _ in rows[1:])
        times = [start] + [start + span * f for f in steps]
        values: dict[str, Any] = {"created_at": start, "updated_at": times[-1]}
        for row, at in zip(rows, times, strict=True):
            row.at = at
            if row.event in fields:
                values[fields[row.event]] = at
        changed += rows
        Need.objects.filter(pk=need.pk).update(**values)
    NeedTransition.objects.bulk_update(changed, ["at"], batch_size=500)


@dataclass
class DemoNeeds:
    needs: int = 0
    seconds: float = 0.0


def _user(phone: str) -> Any:
    return User.objects.filter(phone_hash=crypto.lookup_hash("phone", phone)).first()


def _account_for(person: Any, n: int) -> Any:
    user = User.objects.filter(person=person).first()
    if user is None:  # no usable password: they exist so the history names real people
        user = User.objects.create_user(f"1770775{n:04d}", None, name=person.name, person=person)
    return user


def build(
    county: Node, *, seed: int = SEED, count: int = 36, log: Callable[[str], None] | None = None
) -> DemoNeeds:
    from dangjian.party.models import Organization, PartyMember
    from dangjian.people.models import Person
    from dangjian.units.models import Unit

    started = time.perf_counter()
    say = log or (lambda _m: None)
    rng = random.Random(seed)
    community = Node.objects.filter(level="community", name="桂塘社区", county=county).first()
    officer = _user("18807750003")  # 陵城街道党工委
    secretary = _user("18807750005")  # 桂塘社区书记 (community worker: reviews, acts for residents)
    resident_user = _user("18807750011")
    if community is None or officer is None or secretary is None:
        say("  心愿：未找到桂塘社区或演示账号，跳过")
        return DemoNeeds()
    residents = list(
        Person.objects.filter(
            community=community, resident__isnull=False, party_member__isnull=True
        ).order_by("pk")
    )
    members = list(
        PartyMember.objects.filter(person__community=community).select_related("person").order_by("pk")[:12]
    )
    if not residents or not members:
        say("  心愿：桂塘社区没有居民或党员，跳过")
        return DemoNeeds()
    today = timezone.localdate()
    pools = {
        "old": [p for p in residents if p.birth_date and (today - p.birth_date).days >= 60 * 365],
        "child": [p for p in residents if p.birth_date and (today - p.birth_date).days < 16 * 365],
        "any": [p for p in residents if p.birth_date and (today - p.birth_date).days >= 18 * 365],
    }
    branches = {
        o.node_id: o
        for o in Organization.objects.filter(community=community, kind="branch", unit__isnull=True)
    }
    unit_branches: dict[str, list[Any]] = {}
    for o in (
        Organization.objects.filter(street_id=community.street_id, unit__isnull=False)
        .select_related("unit")
        .order_by("pk")
    ):
        unit_branches.setdefault(o.unit.kind, []).append(o)
    funders = list(
        Unit.objects.filter(street_id=community.street_id, kind__in=["soe", "private"]).order_by("pk")
    )
    member_users = [_account_for(m.person, i) for i, m in enumerate(members)]
    result = DemoNeeds()
    used: set[int] = set()
    ages: dict[int, float] = {}
    with transaction.atomic():
        for i, (kind, title, skills, who, orderer) in enumerate(WISHES[:count]):
            target = PLAN[i % len(PLAN)]
            pool = [p for p in pools[who] or residents if p.pk not in used] or residents
            own = i == 0 and resident_user is not None and resident_user.person_id is not None
            person = resident_user.person if own and resident_user is not None else rng.choice(pool)
            used.add(person.pk)
            need = actions.submit_need(
                kind=kind,
                title=title,
                description="",
                beneficiary=person,
                skills=skills,
                estimated_cost=rng.choice([0, 30, 80, 150, 300]) if kind != "public" else 600,
                people_served=rng.randint(40, 300) if kind == "public" else rng.choice([1, 1, 2, 3]),
                acting_user=resident_user if own else secretary,
            )
            ages[need.pk] = rng.uniform(*AGE_DAYS[target])
            owner = resident_user if own else secretary
            result.needs += 1
            if target == Status.SUBMITTED:
                continue
            if target == Status.REJECTED:
                actions.reject_need(need, reason="属于物业维修责任，已转物业公司处理", acting_user=officer)
                continue
            if target == Status.CANCELLED:
                actions.withdraw_need(need, reason="家人已帮忙解决", acting_user=owner)
                continue
            need = actions.publish_need(need, acting_user=secretary)
            if target == Status.PUBLISHED:
                continue
            # Ordered by the branch where the person lives, or by a unit whose work it is
            # (a hospital for health, a school for tutoring, a government office for the law).
            home = branches.get(person.compound_id or 0) or branches.get(person.grid_id or 0)
            fitting = unit_branches.get(orderer) or [
                o for branch_list in unit_branches.values() for o in branch_list if orderer in o.unit.name
            ]
            branch = rng.choice(fitting) if orderer != "home" and fitting else home
            branch = branch or next(iter(branches.values()), None)
            if branch is None:
                continue
            need = actions.order_need(need, branch=branch, acting_user=officer)
            if target == Status.ORDERED:
                continue
            # The member with the fewest open claims takes it (the load cap holds in the demo too).
            k = min(
                range(len(members)),
                key=lambda j: (actions.open_claims_of_member(members[j]), (j - i) % len(members)),
            )
            if actions.open_claims_of_member(members[k]) >= fairness.max_open_claims():
                continue  # everyone is busy: it stays ordered
            if i % 3:
                need = actions.claim_need(need, acting_user=member_users[k])
            else:
                need = actions.assign_need(need, member=members[k], acting_user=officer)
            if target == "funded" and funders:
                unit = funders[i % len(funders)]
                actions.fund_need(need, unit=unit, amount=need.estimated_cost or 100, acting_user=officer)
                continue
            if target == Status.CLAIMED:
                continue
            handler = (
                User.objects.filter(person=need.claimed_member.person).first()
                if need.claimed_member
                else None
            )
            need = actions.fulfil_need(need, evidence=f"已上门完成：{title}", acting_user=handler)
            if target == Status.FULFILLED:
                continue
            need = actions.confirm_need(need, acting_user=owner)
            if target == Status.RATED:
                actions.rate_need(
                    need,
                    rating=rng.choice([4, 5, 5, 5]),
                    comment=rng.choice(COMMENTS),
                    acting_user=owner,
                )
        backdate(ages, rng)
    result.seconds = time.perf_counter() - started
    say(f"  心愿：{result.needs} 件，用时 {result.seconds:.1f} 秒")
    return result
