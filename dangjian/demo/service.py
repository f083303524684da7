"""Demo 双报到 for 北流市, through ``service.actions``: in-service members register with the
community where they live (most confirmed, a few pending or rejected), units with the
community where they stand, the post catalogue in every community with claims and a
month of 红管家 rota, a 红马甲 and a 红帽子 team per street with an activity in each of the
five steps, and two months of service records (most verified, some returned, a few
pending) — with one reused photo and one overlap left in the review queue.

Records keep the times they describe (they are written with past start/end times); audit
rows keep the build time. The notifications queued by the build are dropped.
"""

from __future__ import annotations

import io
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from dangjian.territory.models import Node

SEED = 2021
TITLES = [
    "政策宣讲进楼栋",
    "帮独居老人打扫卫生",
    "周末课堂辅导作业",
    "文明劝导",
    "小区环境清理",
    "义诊量血压",
    "法律咨询",
    "红管家楼栋巡查",
    "垃圾分类宣传",
    "防诈骗宣传",
]


@dataclass
class DemoService:
    registrations: int
    posts: int
    records: int
    flags: int
    seconds: float


def _photo(rnd: random.Random, seed: int) -> SimpleUploadedFile:
    im = Image.new("RGB", (320, 240), (235, 235, 235))
    d = ImageDraw.Draw(im)
    r2 = random.Random(seed)
    for _ in range(10):
        x, y = r2.randrange(300), r2.randrange(220)
        d.rectangle(
            (x, y, x + r2.randrange(30, 120), y + r2.randrange(20, 90)),
            fill=tuple(r2.randrange(256) for _ in range(3)),
        )
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=80)
    return SimpleUploadedFile(f"demo{seed}.jpg", buf.getvalue(), content_type="image/jpeg")


def build(county: Node, *, seed: int = SEED, log: Callable[[str], None] | None = None) -> DemoService:
    from dangjian.party.models import PartyMember
    from dangjian.service import actions
    from dangjian.service.choices import PostKind
    from dangjian.service.models import Flag, MemberRegistration, ServiceRecord
    from dangjian.units.models import Unit

    started = time.perf_counter()
    rnd = random.Random(seed)
    say = log or (lambda _m: None)
    now = timezone.now().replace(second=0, microsecond=0)
    with transaction.atomic():
        queued = len(connection.run_on_commit)
        members = list(
            PartyMember.objects.filter(county=county, category="in_service", person__community__isnull=False)
            .select_related("person", "person__community")
            .order_by("pk")
        )
        confirmed: list[Any] = []
        for m in members:
            roll = rnd.random()
            if roll > 0.85:
                continue  # not registered yet: the 报到率 is not 100 %
            reg = actions.register_member(
                member=m,
                community=m.person.community,
                skills=rnd.sample(["法律咨询", "文艺演出", "医疗保健", "电脑维修", "作业辅导", "理发"], 2),
                acting_user=None,
            )
            if roll < 0.75:
                actions.confirm_member_registration(registration=reg, acting_user=None)
                confirmed.append(m)
            elif roll < 0.78:
                actions.reject_member_registration(
                    registration=reg, reason="居住地信息有误，请核对后重新报到", acting_user=None
                )
        for unit in Unit.objects.filter(county=county, community__isnull=False).exclude(kind="department")[
            :40
        ]:
            ureg = actions.register_unit(
                unit=unit,
                community=unit.community,
                contact_name=unit.contact_name or "党建联络员",
                contact_phone=f"1387750{rnd.randrange(10000):04d}",
                agreement="每季度到社区开展一次主题党日；开放会议室、篮球场；组织党员参与“微心愿”认领。",
                resources=rnd.sample(
                    ["会议室", "篮球场", "党员志愿者", "法律顾问", "医疗义诊", "资金支持"], 3
                ),
                acting_user=None,
            )
            if rnd.random() < 0.8:
                actions.confirm_unit_registration(registration=ureg, acting_user=None)
                actions.add_document(
                    registration=ureg, title=f"{unit.name}双报到共建协议书", acting_user=None
                )
        by_community: dict[int, list[Any]] = {}
        for m in confirmed:
            by_community.setdefault(m.person.community_id, []).append(m)
        posts = 0
        for community in Node.objects.filter(county=county, level="community").order_by("code"):
            kinds = rnd.sample(list(PostKind.values), 6)
            if PostKind.BUILDING_HEAD not in kinds:
                kinds[0] = PostKind.BUILDING_HEAD
            pool = by_community.get(community.pk, [])
            for kind in kinds:
                post = actions.create_post(
                    node=community, kind=kind, slots=rnd.randint(2, 6), acting_user=None
                )
                posts += 1
                for m in rnd.sample(pool, min(len(pool), rnd.randint(0, post.slots))):
                    actions.claim_post(post=post, member=m, acting_user=None)
                if kind == PostKind.BUILDING_HEAD and post.taken:
                    actions.generate_rota(
                        post=post, start=timezone.localdate() - timedelta(days=7), days=35, acting_user=None
                    )
        for street in Node.objects.filter(county=county, level="street").order_by("code"):
            community = Node.objects.filter(parent=street, level="community").order_by("code").first()
            if community is None:
                continue
            pool = by_community.get(community.pk, [])
            teams = []
            for badge, name in (("red_vest", "红马甲志愿服务队"), ("red_hat", "红帽子平安巡逻队")):
                leader = pool[0].person if pool else None
                team = actions.create_team(
                    node=community,
                    name=f"{community.name}{name}",
                    kind="party_volunteer" if badge == "red_vest" else "red_steward",
                    badge=badge,
                    leader=leader,
                    acting_user=None,
                )
                for m in pool[1:8]:
                    actions.join_team(team=team, person=m.person, acting_user=None)
                teams.append(team)
            steps = ["assign", "decompose", "start", "feed_back"]
            for n, title in enumerate(
                ["重阳节慰问独居老人", "小区消防安全宣传", "周末课堂", "背街小巷卫生清理", "政策宣讲"]
            ):
                act = actions.collect_activity(
                    node=community,
                    title=title,
                    category="party_building" if n % 2 else "convenience",
                    demand="网格员入户收集",
                    acting_user=None,
                )
                for event in steps[:n]:
                    act = actions.fire_activity(
                        activity=act,
                        event=event,
                        team=teams[0],
                        tasks=[("联系服务对象", None), ("现场服务", None)],
                        note="已完成" if event == "feed_back" else "",
                        people_served=rnd.randint(8, 60) if event == "feed_back" else None,
                        acting_user=None,
                    )
        # two months of service records of the confirmed members
        photo_seed = 1000
        records = []
        for m in confirmed[:400]:
            for _ in range(rnd.randint(1, 4)):
                day = rnd.randint(2, 58)
                start = now - timedelta(days=day, hours=rnd.randint(0, 8))
                start = start.replace(hour=rnd.choice([8, 9, 14, 15, 19]), minute=0)
                photo_seed += 1
                try:
                    rec = actions.record_service(
                        person=m.person,
                        node=m.person.community,
                        title=rnd.choice(TITLES),
                        started_at=start,
                        ended_at=start + timedelta(hours=rnd.choice([1, 1.5, 2, 3])),
                        photos=[_photo(rnd, photo_seed)],
                        acting_user=None,
                    )
                except ValidationError:
                    continue
                records.append(rec)
        for rec in records:
            roll = rnd.random()
            if roll < 0.8 and not rec.flags.exists():
                actions.verify_record(record=rec, acting_user=None)
                if rnd.random() < 0.5:
                    actions.rate_record(
                        record=rec, rating=rnd.choice([4, 5, 5]), note="服务热情", acting_user=None
                    )
            elif roll < 0.88:
                actions.return_record(record=rec, reason="请补充现场照片和服务对象签字", acting_user=None)
        # formalism guards: one reused photo, one overlap
        if len(confirmed) >= 2:
            a, b = confirmed[0], confirmed[1]
            start = now - timedelta(days=1, hours=3)
            # b's photo is a's first photo again (photo seed 1001)
            actions.record_service(
                person=b.person,
                node=b.person.community,
                title="入户走访",
                started_at=start,
                ended_at=start + timedelta(hours=2),
                photos=[_photo(rnd, 1001)],
                acting_user=None,
            )
            # a is in two places at once
            for offset, title in ((0, "楼栋巡查"), (30, "政策宣讲")):
                s = start + timedelta(minutes=offset)
                actions.record_service(
                    person=a.person,
                    node=a.person.community,
                    title=title,
                    started_at=s,
                    ended_at=s + timedelta(hours=1),
                    acting_user=None,
                )
        del connection.run_on_commit[queued:]
    result = DemoService(
        registrations=MemberRegistration.objects.filter(county=county).count(),
        posts=posts,
        records=ServiceRecord.objects.filter(county=county).count(),
        flags=Flag.objects.filter(county=county).count(),
        seconds=time.perf_counter() - started,
    )
    say(
        f"  双报到：党员报到 {result.registrations} 条，岗位 {result.posts} 个，服务纪实 {result.records} 条，"
        f"预警 {result.flags} 条，用时 {result.seconds:.1f} 秒"
    )
    return result
