import itertools
from typing import Any

import pytest

from dangjian.accounts import actions as account_actions
from dangjian.appeals import actions
from dangjian.appeals.models import Category
from dangjian.units.actions import create_unit

_keys = itertools.count(1)


@pytest.fixture
def road(db: Any) -> Category:
    """A third-level category from the seeded provincial taxonomy."""
    category = Category.objects.filter(level=3, enterprise=False).order_by("code").first()
    assert category is not None, "the taxonomy migration seeds the categories"
    return category


@pytest.fixture
def departments(world: Any) -> dict[str, Any]:
    """Two stationed departments (城管, 环卫) of 北流市, each with a liaison account."""
    out = {}
    for i, name in enumerate(["城市管理局", "环境卫生管理站"], start=1):
        unit = create_unit(name=f"北流市{name}", kind="department", node=world.county, acting_user=None)
        user = account_actions.create_user(
            phone=f"1350000000{i}", password="Dept#2026x", name=f"{name}联络员", acting_user=None
        )
        account_actions.assign_role(
            user=user, role="department", node=world.county, unit=unit, acting_user=None
        )
        out[name] = (unit, user)
    return out


@pytest.fixture
def report(world: Any, road: Category) -> Any:
    """``report(**overrides)`` files a resident report in grid A1 and returns the case."""

    def _report(**overrides: Any) -> Any:
        kwargs = {
            "channel": "resident",
            "category": road,
            "title": "路灯不亮",
            "description": "东湖一号小区门口路灯坏了三天",
            "lng": 110.355,
            "lat": 22.705,
            "idempotency_key": f"k-{next(_keys)}",
            "reporter": world.resident_person,
            "acting_user": world.resident,
        }
        kwargs.update(overrides)
        return actions.submit_case(**kwargs).case

    return _report
