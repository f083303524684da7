"""Fixtures of the smart dispatch tests: departments, a report helper (resident in grid A1),
categories by name, and a predictor standing in for a trained model with a chosen answer."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import pytest

from dangjian.accounts import actions as account_actions
from dangjian.appeals import actions as appeals_actions
from dangjian.appeals.models import Category
from dangjian.units.actions import create_unit

_keys = itertools.count(1)
LNG, LAT = 110.355, 22.705


def cat(*names: str) -> Category:
    """The category at path ``names`` (top, second, third level)."""
    parent = None
    for name in names:
        parent = Category.objects.get(parent=parent, name=name)
    assert parent is not None
    return parent


@pytest.fixture
def lamp(db: Any) -> Category:
    return cat("城乡建设", "城市建设和市政管理", "城市公共设施")


@pytest.fixture
def departments(world: Any) -> dict[str, Any]:
    """Departments of 北流市 (城管, 环卫, 交警, 生态环境), each with a liaison account."""
    out = {}
    for i, name in enumerate(["城市管理局", "环境卫生管理站", "公安局交通管理大队", "生态环境局"], start=1):
        unit = create_unit(name=f"北流市{name}", kind="department", node=world.county, acting_user=None)
        user = account_actions.create_user(
            phone=f"1350000010{i}", password="Dept#2026x", name=f"{name}联络员", acting_user=None
        )
        account_actions.assign_role(
            user=user, role="department", node=world.county, unit=unit, acting_user=None
        )
        out[name] = (unit, user)
    return out


@pytest.fixture
def report(world: Any, lamp: Category) -> Any:
    def _report(**overrides: Any) -> Any:
        kwargs = {
            "channel": "resident",
            "category": lamp,
            "title": "路灯不亮",
            "description": "东湖一号小区门口的路灯坏了三天，晚上很黑",
            "lng": LNG,
            "lat": LAT,
            "idempotency_key": f"d-{next(_keys)}",
            "reporter": world.resident_person,
            "acting_user": world.resident,
        }
        kwargs.update(overrides)
        return appeals_actions.submit_case(**kwargs).case

    return _report


@dataclass(frozen=True)
class Guess:
    category_code: str
    category_name: str
    confidence: float


@dataclass(frozen=True)
class Prediction:
    guesses: list[Guess]
    model_version: int
    confident: bool


def predictor_for(*answers: tuple[Category, float], confident: bool = True, version: int = 3) -> Any:
    """A predictor with the interface of ``intel.classify.predict`` answering ``answers``."""

    def predict(title: str, text: str) -> Prediction:
        return Prediction([Guess(c.code, c.name, p) for c, p in answers], version, confident)

    return predict
