from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from dangjian.units import actions as unit_actions
from dangjian.venues import actions as venue_actions


@dataclass
class Places:
    unit_a: Any
    unit_b: Any
    center_a: Any
    station_a1: Any
    center_b: Any


@pytest.fixture
def places(world: Any) -> Places:
    """Units and service positions on both streets, some meeting the area standard."""
    unit_a = unit_actions.create_unit(
        name="北流市第一中学", kind="school", node=world.community_a, acting_user=None
    )
    unit_b = unit_actions.create_unit(
        name="城南物业公司", kind="property", node=world.community_b, acting_user=None
    )
    V = venue_actions
    center_a = V.create_position(
        name="桂塘社区党群服务中心",
        node=world.community_a,
        level="community",
        floor_area=620,
        acting_user=None,
    )
    # 600 households need 180 m²: 120 m² falls short.
    station_a1 = V.create_position(
        name="东湖一号小区党群服务站",
        node=world.compound_a1,
        level="compound",
        floor_area=120,
        acting_user=None,
    )
    center_b = V.create_position(
        name="城南社区党群服务中心",
        node=world.community_b,
        level="community",
        floor_area=420,
        acting_user=None,
    )
    return Places(unit_a=unit_a, unit_b=unit_b, center_a=center_a, station_a1=station_a1, center_b=center_b)
