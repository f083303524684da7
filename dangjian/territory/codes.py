"""Hierarchical codes: GB/T 2260 county (6) + street (3) + community (3) + grid (3) = the
15-digit grid code; compounds, buildings and households extend it. A code is unique
forever: nodes are retired, never deleted, and sequences continue past retired ones."""

from __future__ import annotations

import re

from dangjian.territory.choices import CODE_LENGTH

# GB/T 2260 county-level codes: 2 province + 2 prefecture + 2 county digits.
GB2260_RE = re.compile(r"^[1-8]\d(0[1-9]|[1-9]\d)(0[1-9]|[1-9]\d)$")
CITY_RE = re.compile(r"^[1-8]\d(0[1-9]|[1-9]\d)00$")


def check_code(level: str, code: str, parent_code: str | None) -> list[str]:
    """Return the problems with ``code`` for a node at ``level`` under ``parent_code``."""
    errors: list[str] = []
    want = CODE_LENGTH[level]
    if not code.isdigit() or len(code) != want:
        errors.append(f"编码应为 {want} 位数字")
        return errors
    if level == "city" and not CITY_RE.match(code):
        errors.append("市级编码应为 GB/T 2260 地级代码（末两位为 00）")
    if level == "county" and not GB2260_RE.match(code):
        errors.append("县级编码应为 GB/T 2260 的 6 位县级行政区划代码")
    if level == "county" and parent_code and code[:4] != parent_code[:4]:
        errors.append(f"县级编码应以所属市的代码前四位 {parent_code[:4]} 开头")
    if level not in ("city", "county") and parent_code:
        if not code.startswith(parent_code):
            errors.append(f"编码应以上级编码 {parent_code} 开头")
        elif set(code[len(parent_code) :]) == {"0"}:
            errors.append("本级序号不能全为 0")
    return errors


def next_code(parent_code: str, level: str, used: list[str]) -> str:
    """The next sequence under ``parent_code``, after every code ever issued there."""
    width = CODE_LENGTH[level] - len(parent_code)
    top = max((int(c[len(parent_code) :]) for c in used), default=0)
    if top + 1 >= 10**width:
        raise ValueError("该上级下的编码序号已用尽")
    return parent_code + str(top + 1).zfill(width)


def format_code(code: str) -> str:
    """Group a hierarchical code for reading: 450981 001 001 001 (county, street, community, grid)."""
    if len(code) <= 6:
        return code
    head, rest = code[:6], code[6:]
    parts = [rest[i : i + 3] for i in range(0, min(len(rest), 12), 3)]
    tail = rest[12:]
    groups = [head, *parts]
    if tail:
        groups.extend(tail[i : i + 3] for i in range(0, len(tail), 3))
    return " ".join(groups)
