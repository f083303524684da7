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
from typing import Any

from django.db import transaction

from dangjian.accounts.models import User
from dangjian.core import crypto
from dangjian.needs import actions, fairness
from dangjian.needs.choices import Status
from dangjian.territory.models import Node

SEED = 2021
WISHES = [
    ("wish", "想要一个新书包", ["donation"]),
    ("wish", "想学用智能手机视频通话", ["training"]),
    ("family", "帮忙修理厨房水龙头", ["repair"]),
    ("wish", "孩子暑假想有人辅导数学", ["tutoring"]),
    ("family", "独居老人希望有人每周探望", ["disability"]),
    ("wish", "想要一台收音机听粤剧", ["donation"]),
    ("family", "轮椅坏了需要维修", ["repair", "disability"]),
    ("wish", "想了解赡养纠纷怎么处理", ["legal"]),
    ("public", "东湖一号小区巷道路灯不亮", ["repair"]),
    ("wish", "想参加社区合唱队", ["arts"]),
    ("family", "帮忙代购降压药", ["health"]),
    ("wish", "想要一套过冬棉被", ["donation"]),
]
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
        ).order_by("pk")[:40]
    )
    members = list(
        PartyMember.objects.filter(person__community=community).select_related("person").order_by("pk")[:12]
    )
    branch = (
        Organization.objects.filter(community=community, kind="branch").first()
        or Organization.objects.filter(street_id=community.street_id).first()
    )
    unit = Unit.objects.filter(street_id=community.street_id).order_by("pk").first()
    if not residents or not members or branch is None:
        say("  心愿：桂塘社区没有居民或党员，跳过")
        return DemoNeeds()
    member_users = [_account_for(m.person, i) for i, m in enumerate(members)]
    result = DemoNeeds()
    with transaction.atomic():
        for i in range(count):
            kind, title, skills = WISHES[i % len(WISHES)]
            target = PLAN[i % len(PLAN)]
            person = residents[i % len(residents)]
            own = resident_user is not None and resident_user.person_id == person.pk
            need = actions.submit_need(
                kind=kind,
                title=title,
                description="",
                beneficiary=person,
                skills=skills,
                estimated_cost=rng.choice([0, 30, 80, 150, 300]),
                people_served=120 if kind == "public" else rng.choice([1, 1, 2, 3]),
                acting_user=resident_user if own else secretary,
            )
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
            if target == "funded" and unit is not None:
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
                    need, rating=rng.choice([4, 5, 5, 5]), comment="感谢党员同志", acting_user=owner
                )
    result.seconds = time.perf_counter() - started
    say(f"  心愿：{result.needs} 件，用时 {result.seconds:.1f} 秒")
    return result
