"""Demo 爱心超市 for 北流市: every community's shop stocked, with its exchange days.

Each community's shop gets ten to fourteen everyday goods (rice, oil, soap, towels, school
things …) at the points they cost in the seeds' shops (honour points, 10–200), with stock
that differs from shop to shop (a few items run low, one may be sold out), and an
exchange day (积分兑换日) on a fixed weekday every week for the next six weeks, plus the
one just past. All through ``points.actions`` as the system.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from dangjian.points import actions
from dangjian.territory.models import Node

SEED = 2021
# (name, points, usual stock)
GOODS = (
    ("大米 5 公斤", 120, 30),
    ("花生油 1.8 升", 150, 20),
    ("洗衣粉 1 公斤", 40, 40),
    ("香皂（两块装）", 20, 60),
    ("牙膏", 25, 50),
    ("毛巾", 20, 50),
    ("挂面 1 公斤", 30, 40),
    ("酱油 500 毫升", 25, 30),
    ("鸡蛋 10 个", 35, 25),
    ("洗洁精", 20, 40),
    ("卷纸（10 卷）", 45, 30),
    ("作业本（10 本）", 15, 60),
    ("保温杯", 80, 12),
    ("雨伞", 60, 15),
    ("老花镜", 50, 10),
    ("电蚊拍", 70, 10),
    ("环保购物袋", 10, 80),
    ("象棋", 40, 8),
)


@dataclass
class DemoShops:
    shops: int = 0
    items: int = 0
    days: int = 0
    seconds: float = 0.0


def build(county: Node, *, seed: int = SEED, log: Callable[[str], None] | None = None) -> DemoShops:
    started = time.perf_counter()
    rng = random.Random(seed)
    today = timezone.localdate()
    result = DemoShops()
    for community in Node.objects.filter(county=county, level="community").order_by("code"):
        goods = rng.sample(GOODS, rng.randint(10, 14))
        for k, (name, cost, usual) in enumerate(goods):
            stock = max(0, round(usual * rng.uniform(0.3, 1.4)))
            if k == 0 and rng.random() < 0.2:
                stock = 0  # sold out until the next delivery
            actions.create_item(shop=community, name=name, cost=cost, stock=stock, acting_user=None)
            result.items += 1
        weekday = rng.choice((2, 4, 5))  # 周三, 周五 or 周六
        first = today + timedelta(days=(weekday - today.weekday()) % 7) - timedelta(days=7)
        hours = rng.choice(("09:00-11:30", "15:00-17:30", "08:30-11:00"))
        where = f"{community.name}党群服务中心一楼"
        for week in range(7):
            actions.add_exchange_day(
                shop=community,
                date=first + timedelta(weeks=week),
                hours=hours,
                location=where,
                acting_user=None,
            )
            result.days += 1
        result.shops += 1
    result.seconds = time.perf_counter() - started
    (log or (lambda _m: None))(
        f"  爱心超市：{result.shops} 个，物品 {result.items} 种，兑换日 {result.days} 个，用时 {result.seconds:.1f} 秒"
    )
    return result
