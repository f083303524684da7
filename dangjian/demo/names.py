"""Deterministic fake personal data for demo and scale cities: Chinese names, citizen ID
numbers with a correct check digit, mobile numbers and unified social credit codes.

Every generator takes a ``random.Random`` so a fixed seed gives the same city twice.
"""

from __future__ import annotations

import itertools
import random
from datetime import date, timedelta

from dangjian.core.crypto import id_check_digit
from dangjian.units.actions import credit_check_char

# Common surnames in south-east Guangxi, most frequent first (weights roughly follow use).
SURNAMES = (
    "陈李黄梁刘张王林何钟莫覃韦杨吴冯邓庞苏罗周谢朱蒙卢彭甘曾蔡廖潘陆宁赖范胡徐丘温邱"
    "龙秦江许肖叶郑严欧骆唐宋宾卜姚"
)
_SURNAME_CUM = list(itertools.accumulate(max(1, 40 - i) for i in range(len(SURNAMES))))
GIVEN = (
    "建国华明丽娟秀英志强海燕伟芳军敏静杰涛勇艳霞玲桂兰红梅德林永福文辉小平春生金凤"
    "宇浩然子涵欣怡雨轩思远家豪嘉琪晓东振华少华国庆卫东美玲爱民志刚秋菊冬梅荣光"
)
PHONE_PREFIXES = ("135", "136", "137", "138", "139", "150", "151", "152", "158", "159", "177", "180", "189")


def person_name(rng: random.Random) -> str:
    surname = rng.choices(SURNAMES, cum_weights=_SURNAME_CUM)[0]
    n = 1 if rng.random() < 0.25 else 2
    return surname + "".join(rng.choice(GIVEN) for _ in range(n))


class Uniques:
    """Issue ID numbers and phone numbers that never repeat within one run."""

    def __init__(self, rng: random.Random, *, reserved_phones: set[str] | None = None) -> None:
        self.rng = rng
        self.ids: set[str] = set()
        self.phones: set[str] = set(reserved_phones or ())

    def id_number(self, area: str, *, born_from: int = 1945, born_to: int = 2015) -> str:
        rng = self.rng
        start = date(born_from, 1, 1)
        span = (date(born_to, 12, 31) - start).days
        while True:
            born = start + timedelta(days=rng.randrange(span))
            first17 = f"{area}{born:%Y%m%d}{rng.randrange(1000):03d}"
            idn = first17 + id_check_digit(first17)
            if idn not in self.ids:
                self.ids.add(idn)
                return idn

    def phone(self) -> str:
        rng = self.rng
        while True:
            ph = rng.choice(PHONE_PREFIXES) + f"{rng.randrange(10**8):08d}"
            if ph not in self.phones:
                self.phones.add(ph)
                return ph


_CREDIT_BODY = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def credit_code(rng: random.Random, area: str, *, dept: str = "9", kind: str = "1") -> str:
    """A valid-looking 统一社会信用代码 (GB 32100) registered in ``area``."""
    body = "".join(rng.choice(_CREDIT_BODY[:10] if i < 8 else _CREDIT_BODY) for i in range(9))
    first17 = dept + kind + area + body
    return first17 + credit_check_char(first17)


CN_DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """1 → 一, 12 → 十二, 20 → 二十 (for names such as 桂塘第三网格)."""
    if n < 10:
        return CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + (CN_DIGITS[ones] if ones else "")


COMPOUND_HEADS = [
    "碧桂园",
    "恒大名都",
    "金港湾",
    "御景华庭",
    "锦绣江南",
    "凤凰城",
    "阳光花园",
    "翡翠湾",
    "中央公馆",
    "世纪华府",
    "荔园",
    "城东花苑",
    "江畔明珠",
    "陶瓷城",
    "玉博苑",
    "水岸名都",
    "银湖湾",
    "新荣",
    "丽景",
    "圭江",
    "盛世",
    "富丽",
    "东方",
    "南方",
    "金桂",
    "龙腾",
    "泰和",
    "嘉和",
    "惠民",
    "幸福",
    "天骄",
    "华庭",
    "君悦",
    "君临",
    "时代",
    "香榭",
    "翰林",
    "状元",
    "书香",
    "紫荆",
    "桂花",
    "芙蓉",
    "锦江",
    "山水",
    "绿城",
    "滨江",
    "新城",
    "温泉",
    "荔枝",
    "育才",
    "明珠",
    "城市",
    "公园",
    "湖景",
]
COMPOUND_TAILS = ("花园", "华府", "名苑", "雅居", "新村", "家园", "公馆", "嘉园", "豪庭", "小区", "苑", "城")


def compound_names(rng: random.Random, count: int, *, taken: set[str] | None = None) -> list[str]:
    """``count`` distinct compound names; past the pool's size, later phases (二期, 三期 …)."""
    seen = set(taken or ())
    out: list[str] = []
    pool = len(COMPOUND_HEADS) * len(COMPOUND_TAILS)
    tries = 0
    while len(out) < count:
        phase = tries // (pool * 3)  # move to the next phase once this one is mostly used
        tries += 1
        name = rng.choice(COMPOUND_HEADS) + rng.choice(COMPOUND_TAILS)
        name = name.removesuffix("小区") + (f"{cn_number(phase + 1)}期" if phase else "") + "小区"
        if name not in seen:
            seen.add(name)
            out.append(name)
    return out


def split(total: int, parts: int, rng: random.Random | None = None, *, spread: float = 0.0) -> list[int]:
    """``total`` items into ``parts`` near-equal positive parts (±``spread`` when rng given)."""
    if parts <= 0:
        return []
    base = [total / parts] * parts
    if rng is not None and spread:
        base = [b * (1 + rng.uniform(-spread, spread)) for b in base]
    scale = total / sum(base)
    out = [max(1, int(b * scale)) for b in base] if total >= parts else [1] * total + [0] * (parts - total)
    i = 0
    while sum(out) < total:
        out[i % parts] += 1
        i += 1
    while sum(out) > total:
        j = max(range(parts), key=lambda k: out[k])
        out[j] -= 1
    return out
