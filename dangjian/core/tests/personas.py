"""One user per role, built once per test module (inside a transaction rolled back at its end).

The eleven personas of the demo city — city admin, leader, street officer, street chief,
community worker, grid worker, department (城管局), inspector, unit liaison (人民医院), party
member and resident — on top of the shared small city of ``dangjian/conftest.py``
(``build_world``). Tests that walk every page as every role (the menu walk, the pages table)
use them; a test that writes data uses the function-scoped ``world`` instead.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction

from dangjian.accounts import actions as account_actions
from dangjian.conftest import PASSWORD, World, build_world
from dangjian.units.actions import create_unit

# persona key → Chinese label (the test ids read as the README's demo-account table)
PERSONAS: dict[str, str] = {
    "city_admin": "组织部管理员",
    "leader": "市/县领导",
    "street_officer": "街道党工委",
    "street_chief": "街长",
    "community_worker": "社区工作者",
    "grid_worker": "网格员",
    "department": "职能部门（城管局）",
    "inspector": "党建特派员",
    "unit_admin": "驻区单位联络员（人民医院）",
    "member": "党员",
    "resident": "居民",
}


@dataclass
class Personas:
    world: World
    users: dict[str, Any]

    def __getitem__(self, key: str) -> Any:
        return self.users[key]


def build_personas() -> Personas:
    w = build_world()
    A = account_actions

    def staff(phone: str, name: str, role: str, node: Any, unit: Any = None) -> Any:
        u = A.create_user(phone=phone, password=PASSWORD, name=name, acting_user=None)
        A.assign_role(user=u, role=role, node=node, unit=unit, acting_user=None)
        return u

    cgj = create_unit(name="北流市城市管理局", kind="department", node=w.county, acting_user=None)
    hospital = create_unit(name="北流市人民医院", kind="hospital", node=w.community_a, acting_user=None)
    users = {
        "city_admin": w.admin,
        "leader": staff("13000000011", "市领导", "leader", w.county),
        "street_officer": w.street_officer,
        "street_chief": staff("13000000012", "陵城街长", "street_chief", w.street_a),
        "community_worker": staff("13000000013", "桂塘社区干事", "community_worker", w.community_a),
        "grid_worker": w.grid_worker,
        "department": staff("13000000014", "城管局联络员", "department", w.county, cgj),
        "inspector": staff("13000000015", "党建特派员", "inspector", w.street_a),
        "unit_admin": staff("13000000016", "人民医院联络员", "unit_admin", w.community_a, hospital),
        "member": w.member,
        "resident": w.resident,
    }
    assert set(users) == set(PERSONAS)
    return Personas(world=w, users=users)


@pytest.fixture(scope="module")
def personas(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Personas]:
    """Built once per module; each test's own ``db`` transaction nests inside this one."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_personas()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
