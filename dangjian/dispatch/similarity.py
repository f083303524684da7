"""Same-incident similarity: text, distance and time. Pure functions, no database.

Text: the Dice coefficient of **character bigram** sets of the normalised text (title +
description, greetings/closing formulas, punctuation and spaces removed). Chinese has no
spaces, and two residents reporting one broken street lamp share words (路灯、不亮、门口),
not sentences: bigrams catch those. Why not SimHash: on 20–200 characters a 64-bit SimHash
flips many bits for small edits, so its Hamming threshold is unreliable; and why not TF-IDF
cosine: it needs corpus statistics that drift as cases come in. The look-up already prunes
the candidates to a few hundred by cell and day (indexed), so the exact set comparison
costs well under a millisecond per hundred candidates.

Score (0–1) of a candidate within ``radius_m`` and ``window_days``::

    0.55 × text + 0.20 × (1 − distance / radius) + 0.15 × (1 − |days apart| / window)
         + 0.10 × category   (1 same category, 0.5 same top-level category, else 0)

It is a duplicate (疑似重复) when the score reaches ``DUPLICATE_SCORE`` (0.5): identical text
anywhere inside the radius and window always is; two different complaints of one category
at the same spot on the same day (text ≈ 0) are not.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

EARTH_RADIUS_M = 6_371_008.8
METRES_PER_DEGREE_LAT = math.pi * EARTH_RADIUS_M / 180
CELL_DEG = 0.003  # ≈ 333 m of latitude, ≈ 308 m of longitude at 22.7°N (Guangxi)
TEXT_CHARS = 200

RADIUS_M = 300.0
WINDOW_DAYS = 14
DUPLICATE_SCORE = 0.5
W_TEXT, W_NEAR, W_TIME, W_CATEGORY = 0.55, 0.20, 0.15, 0.10

# Forms of address and closing formulas every message may carry; they say nothing about
# the incident, so they must not make two messages look alike.
_BOILERPLATE = re.compile(
    r"(尊敬的[^，。,！!：:\s]{0,12}|各位领导|领导们?|您们?好|你们?好|大家好|"
    r"望领导重视|请领导重视|望[^，。,]{0,6}重视|恳请|"
    r"请尽快处理|请尽快解决|尽快处理|尽快解决|麻烦[^，。,]{0,4}处理一下|"
    r"谢谢|感谢|万分感谢|此致敬礼|辛苦了)"
)
_NOISE = re.compile(r"[\s\W_]+", re.UNICODE)


def normalise(title: str, description: str = "") -> str:
    """Title + description without boilerplate, punctuation or spaces, cut to 200 chars."""
    text = f"{title or ''}。{description or ''}"
    text = _BOILERPLATE.sub("", text)
    text = _NOISE.sub("", text).lower()
    return text[:TEXT_CHARS]


def bigrams(text: str) -> frozenset[str]:
    if len(text) < 2:
        return frozenset([text]) if text else frozenset()
    return frozenset(text[i : i + 2] for i in range(len(text) - 1))


def dice(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return 2 * len(a & b) / (len(a) + len(b))


def text_similarity(a: str, b: str) -> float:
    """Similarity of two already normalised texts."""
    return dice(bigrams(a), bigrams(b))


def haversine_m(lng1: float, lat1: float, lng2: float, lat2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def cell_xy(lng: float, lat: float) -> tuple[int, int]:
    return math.floor((lng + 180) / CELL_DEG), math.floor((lat + 90) / CELL_DEG)


def cell_of(lng: float, lat: float) -> int:
    x, y = cell_xy(lng, lat)
    return x * 1_000_000 + y


def cells_around(lng: float, lat: float, radius_m: float) -> list[int]:
    """Every cell a circle of ``radius_m`` around the point can touch."""
    x, y = cell_xy(lng, lat)
    dy = math.ceil(radius_m / (CELL_DEG * METRES_PER_DEGREE_LAT))
    dx = math.ceil(radius_m / (CELL_DEG * METRES_PER_DEGREE_LAT * max(math.cos(math.radians(lat)), 1e-6)))
    return [(x + i) * 1_000_000 + (y + j) for i in range(-dx, dx + 1) for j in range(-dy, dy + 1)]


@dataclass(frozen=True)
class Score:
    score: float
    text: float
    distance_m: float
    days_apart: int
    same_category: bool
    same_top: bool

    @property
    def is_duplicate(self) -> bool:
        return self.score >= DUPLICATE_SCORE

    def reasons(self) -> list[str]:
        lines = [f"文字相似度 {self.text:.0%}", f"相距约 {round(self.distance_m)} 米"]
        lines.append("同一天反映" if self.days_apart == 0 else f"相隔 {self.days_apart} 天")
        if self.same_category:
            lines.append("同一诉求分类")
        elif self.same_top:
            lines.append("同一问题领域（一级分类）")
        return lines


def score(
    *,
    text: float,
    distance_m: float,
    days_apart: int,
    same_category: bool,
    same_top: bool,
    radius_m: float = RADIUS_M,
    window_days: int = WINDOW_DAYS,
) -> Score | None:
    """The combined score, or None outside the radius or the time window."""
    days_apart = abs(days_apart)
    if distance_m > radius_m or days_apart > window_days:
        return None
    cat = 1.0 if same_category else 0.5 if same_top else 0.0
    value = (
        W_TEXT * text
        + W_NEAR * (1 - distance_m / radius_m)
        + W_TIME * (1 - days_apart / max(window_days, 1))
        + W_CATEGORY * cat
    )
    return Score(round(value, 4), text, distance_m, days_apart, same_category, same_top)
