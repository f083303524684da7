"""The demo accounts: one per role, defined once here, used to create them and to print them.

Each account names where its role sits (``scope``): a territory node by level and name, and
for departments and unit liaisons the unit they speak for. The resident and party-member
accounts are linked to a person of the demo city instead of a role.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dangjian.accounts.roles import Role

PASSWORD = "Beiliu@2021"


@dataclass(frozen=True)
class DemoAccount:
    phone: str
    name: str
    role: str  # a Role value, or "superuser" for the platform administrator
    scope_level: str = ""  # territory level of the role's node ("" for none)
    scope_name: str = ""  # node name at that level
    unit: str = ""  # unit name for departments and unit liaisons
    title: str = ""
    person: str = ""  # demo person key the account is linked to (see beiliu.DemoCity.people)
    note: str = ""  # shown as the scope when the account has no node

    @property
    def role_label(self) -> str:
        return "平台管理员（Django 后台）" if self.role == "superuser" else Role(self.role).label

    @property
    def scope_label(self) -> str:
        parts = [self.scope_name, self.unit]
        return " · ".join(p for p in parts if p) or self.note or "本人"


ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("18807750000", "平台管理员", "superuser", note="全部（/admin/ 后台）"),
    DemoAccount("18807750001", "组织部管理员", Role.CITY_ADMIN, "county", "北流市", title="市委组织部"),
    DemoAccount("18807750002", "梁振华", Role.LEADER, "county", "北流市", title="市委常委", person="leader"),
    DemoAccount("18807750003", "陵城街道党工委", Role.STREET_OFFICER, "street", "陵城街道", title="党建办"),
    DemoAccount(
        "18807750004", "陵城街长", Role.STREET_CHIEF, "street", "陵城街道", title="街道党工委书记、街长"
    ),
    DemoAccount(
        "18807750005",
        "桂塘社区书记",
        Role.COMMUNITY_WORKER,
        "community",
        "桂塘社区",
        title="社区党委书记、居委会主任",
        person="community_worker",
    ),
    DemoAccount("18807750006", "桂塘网格员", Role.GRID_WORKER, "grid", "桂塘第一网格", person="grid_worker"),
    DemoAccount("18807750007", "城管局联络员", Role.DEPARTMENT, "county", "北流市", unit="北流市城市管理局"),
    DemoAccount("18807750008", "党建特派员", Role.INSPECTOR, "street", "陵城街道", title="市委组织部派驻"),
    DemoAccount(
        "18807750009", "人民医院联络员", Role.UNIT_ADMIN, "community", "桂塘社区", unit="北流市人民医院"
    ),
    DemoAccount(
        "18807750010", "东湖党员", Role.MEMBER, person="member", note="本人（东湖一号小区，在职党员）"
    ),
    DemoAccount("18807750011", "东湖居民", Role.RESIDENT, person="resident", note="本人（东湖一号小区）"),
)

PHONES = frozenset(a.phone for a in ACCOUNTS)


def existing() -> list[tuple[DemoAccount, Any]]:
    """The demo accounts that exist in the database, with their users."""
    from dangjian.accounts.models import User
    from dangjian.core import crypto

    hashes = {crypto.lookup_hash("phone", a.phone): a for a in ACCOUNTS}
    users = {u.phone_hash: u for u in User.objects.filter(phone_hash__in=hashes)}
    return [(a, users[h]) for h, a in hashes.items() if h in users]


def table(rows: list[tuple[DemoAccount, Any]]) -> str:
    """A plain-text table (phone, password, role, scope) for the console."""
    if not rows:
        return "（没有演示账号：先运行 `dangjian demo` 生成演示城市）"
    head = ("手机号", "密码", "角色", "姓名", "范围")
    body = [(a.phone, PASSWORD, a.role_label, u.name, a.scope_label) for a, u in rows]

    def width(s: str) -> int:  # CJK characters take two columns in a terminal
        return sum(2 if ord(ch) > 0x2E80 else 1 for ch in s)

    cols = [max(width(r[i]) for r in (head, *body)) for i in range(len(head))]

    def line(r: tuple[str, ...]) -> str:
        return "  ".join(c + " " * (w - width(c)) for c, w in zip(r, cols, strict=True)).rstrip()

    rule = "  ".join("-" * w for w in cols)
    return "\n".join([line(head), rule, *(line(r) for r in body)])
