"""Seeding the three-level category taxonomy.

Source: ``data/message_taxonomy.csv`` — a real provincial classification of citizen
messages (一级分类, 二级分类, 三级分类). On top of it, the enterprise channel
(服务企业马上办) gets its own categories with tighter deadlines. Deadlines are defaults that
each city edits (admin): response in working hours, resolution in working days.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

CSV_PATH = Path(__file__).parent / "data" / "message_taxonomy.csv"

DEFAULT_RESPONSE_HOURS = 4
DEFAULT_RESOLVE_DAYS = 5
# Matters where people's safety is at stake get tighter default deadlines.
FAST_SECOND_LEVEL = {"安全生产": (2, 3), "治安": (1, 2), "消防": (1, 2), "交通管理": (2, 3)}

ENTERPRISE_TOP = "企业服务（服务企业马上办）"
ENTERPRISE_CATEGORIES: dict[str, list[str]] = {
    "企业生产": ["用电用水用气", "原料物流", "周边施工影响", "安全生产指导"],
    "审批服务": ["证照办理", "项目审批", "政策兑现"],
    "要素保障": ["用工招聘", "融资信贷", "用地厂房"],
    "营商环境": ["涉企执法", "合同纠纷", "知识产权"],
}
ENTERPRISE_RESPONSE_HOURS = 2
ENTERPRISE_RESOLVE_DAYS = 3


def rows() -> list[tuple[str, str, str]]:
    with CSV_PATH.open(encoding="utf-8") as f:
        reader = csv.reader(f)
        next(reader)
        return [(a.strip(), b.strip(), c.strip()) for a, b, c in reader if a.strip()]


def seed(Category: Any) -> int:
    """Create the taxonomy if absent (idempotent). ``Category`` may be a historical model."""
    created = 0
    tops: dict[str, Any] = {}
    seconds: dict[tuple[str, str], Any] = {}

    def get(name: str, parent: Any, code: str, level: int, hours: int, days: int, enterprise: bool) -> Any:
        nonlocal created
        obj, made = Category.objects.get_or_create(
            parent=parent,
            name=name,
            defaults={
                "code": code,
                "level": level,
                "response_hours": hours,
                "resolve_days": days,
                "enterprise": enterprise,
            },
        )
        created += int(made)
        return obj

    for a, b, c in rows():
        if a not in tops:
            tops[a] = get(
                a, None, f"{len(tops) + 1:02d}", 1, DEFAULT_RESPONSE_HOURS, DEFAULT_RESOLVE_DAYS, False
            )
        top = tops[a]
        if (a, b) not in seconds:
            n = sum(1 for k in seconds if k[0] == a) + 1
            hours, days = FAST_SECOND_LEVEL.get(b, (DEFAULT_RESPONSE_HOURS, DEFAULT_RESOLVE_DAYS))
            seconds[(a, b)] = get(b, top, f"{top.code}.{n:02d}", 2, hours, days, False)
        second = seconds[(a, b)]
        n3 = Category.objects.filter(parent=second).count() + 1
        if c and not Category.objects.filter(parent=second, name=c).exists():
            get(c, second, f"{second.code}.{n3:02d}", 3, second.response_hours, second.resolve_days, False)
    top = get(ENTERPRISE_TOP, None, "99", 1, ENTERPRISE_RESPONSE_HOURS, ENTERPRISE_RESOLVE_DAYS, True)
    for i, (second_name, thirds) in enumerate(ENTERPRISE_CATEGORIES.items(), start=1):
        second = get(
            second_name, top, f"99.{i:02d}", 2, ENTERPRISE_RESPONSE_HOURS, ENTERPRISE_RESOLVE_DAYS, True
        )
        for j, third in enumerate(thirds, start=1):
            get(
                third,
                second,
                f"99.{i:02d}.{j:02d}",
                3,
                ENTERPRISE_RESPONSE_HOURS,
                ENTERPRISE_RESOLVE_DAYS,
                True,
            )
    return created
