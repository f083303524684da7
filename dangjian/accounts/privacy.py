"""Least privilege for personal data: which registers each role may read, how far, which
fields, and whether it may export them.

One table, read by the menu (``core.nav``), the register pages, the API and the exports
alike; the README prints the same table and ``people/tests/test_privacy_table.py`` checks
every cell for every persona. A user holding several roles gets, per register, the widest
of their cells.

Scopes
    ``territory`` every record under the nodes the role is assigned at;
    ``linked``    only the records attached to the user's own work: for a department the
                  reporters of cases assigned or whistled to it, for a unit liaison the
                  members of its own unit who registered (双报到) and its own unit;
    ``none``      the register is closed (no menu entry, 404 on pages and API).
Fields
    ``full``      every column (personal numbers masked; unmasking needs ``reveal``);
    ``basic``     name, masked phone and placement only — no birth date, ID number,
                  address, care tags, pay.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dangjian.accounts.roles import Role

RESIDENTS = "residents"
MEMBERS = "members"
GRID_WORKERS = "grid_workers"
COMMUNITY_WORKERS = "community_workers"
UNITS = "units"

REGISTERS: dict[str, str] = {
    RESIDENTS: "居民",
    MEMBERS: "党员",
    GRID_WORKERS: "网格员",
    COMMUNITY_WORKERS: "社区工作者",
    UNITS: "驻区单位",
}

TERRITORY, LINKED, NONE = "territory", "linked", "none"
FULL, BASIC = "full", "basic"

SCOPE_LABELS = {TERRITORY: "辖区全部", LINKED: "仅与本人工作相关", NONE: "不可见"}
FIELD_LABELS = {FULL: "全部字段(脱敏)", BASIC: "姓名、脱敏手机号、所在组织/网格", NONE: "—"}


@dataclass(frozen=True)
class Cell:
    scope: str = NONE
    fields: str = NONE
    export: bool = False

    @property
    def open(self) -> bool:
        return self.scope != NONE


_FULL_X = Cell(TERRITORY, FULL, True)
_FULL = Cell(TERRITORY, FULL, False)
_BASIC = Cell(TERRITORY, BASIC, False)
_NO = Cell()

PERSONAL_DATA: dict[str, dict[str, Cell]] = {
    Role.CITY_ADMIN: {
        RESIDENTS: _FULL_X,
        MEMBERS: _FULL_X,
        GRID_WORKERS: _FULL_X,
        COMMUNITY_WORKERS: _FULL_X,
        UNITS: _FULL_X,
    },
    # Leaders steer by figures; they read the party and worker registers, not residents.
    Role.LEADER: {
        RESIDENTS: _NO,
        MEMBERS: _BASIC,
        GRID_WORKERS: _BASIC,
        COMMUNITY_WORKERS: _BASIC,
        UNITS: _FULL,
    },
    Role.STREET_OFFICER: {
        RESIDENTS: _FULL_X,
        MEMBERS: _FULL_X,
        GRID_WORKERS: _FULL_X,
        COMMUNITY_WORKERS: _FULL_X,
        UNITS: _FULL_X,
    },
    Role.STREET_CHIEF: {
        RESIDENTS: _FULL,
        MEMBERS: _BASIC,
        GRID_WORKERS: _FULL,
        COMMUNITY_WORKERS: _BASIC,
        UNITS: _FULL,
    },
    Role.COMMUNITY_WORKER: {
        RESIDENTS: _FULL_X,
        MEMBERS: _FULL_X,
        GRID_WORKERS: _FULL_X,
        COMMUNITY_WORKERS: _FULL_X,
        UNITS: _FULL_X,
    },
    Role.GRID_WORKER: {
        RESIDENTS: _FULL,
        MEMBERS: _BASIC,
        GRID_WORKERS: _BASIC,
        COMMUNITY_WORKERS: _BASIC,
        UNITS: _BASIC,
    },
    # A department handles cases: it may look up the people who reported them, nothing more.
    Role.DEPARTMENT: {
        RESIDENTS: Cell(LINKED, BASIC, False),
        MEMBERS: _NO,
        GRID_WORKERS: _NO,
        COMMUNITY_WORKERS: _NO,
        UNITS: Cell(LINKED, FULL, False),
    },
    Role.INSPECTOR: {
        RESIDENTS: _NO,
        MEMBERS: _BASIC,
        GRID_WORKERS: _BASIC,
        COMMUNITY_WORKERS: _BASIC,
        UNITS: _BASIC,
    },
    # A unit liaison manages its own unit's 双报到: its own members and its own unit.
    Role.UNIT_ADMIN: {
        RESIDENTS: _NO,
        MEMBERS: Cell(LINKED, BASIC, False),
        GRID_WORKERS: _NO,
        COMMUNITY_WORKERS: _NO,
        UNITS: Cell(LINKED, FULL, False),
    },
    Role.MEMBER: dict.fromkeys(REGISTERS, _NO),
    Role.RESIDENT: dict.fromkeys(REGISTERS, _NO),
}

_SCOPE_RANK = {NONE: 0, LINKED: 1, TERRITORY: 2}
_FIELD_RANK = {NONE: 0, BASIC: 1, FULL: 2}


def cell_for_roles(roles: list[str] | set[str], register: str) -> Cell:
    """The widest cell among ``roles`` for ``register``."""
    best = _NO
    for role in roles:
        cell = PERSONAL_DATA.get(role, {}).get(register, _NO)
        best = Cell(
            max(best.scope, cell.scope, key=_SCOPE_RANK.__getitem__),
            max(best.fields, cell.fields, key=_FIELD_RANK.__getitem__),
            best.export or cell.export,
        )
    return best


def register_access(user: Any, register: str) -> Cell:
    """What ``user`` may do with ``register``; superusers hold the city admin's cell."""
    if not getattr(user, "is_authenticated", False):
        return _NO
    if user.is_superuser:
        return PERSONAL_DATA[Role.CITY_ADMIN][register]
    return cell_for_roles(user.roles, register)


def roles_for_cell(register: str, role: str) -> Cell:
    return PERSONAL_DATA[role][register]
