from __future__ import annotations

import pytest

from dangjian.dashboard import selectors
from dangjian.venues import actions as V
from dangjian.venues.models import ServicePosition


@pytest.mark.parametrize(
    "level, node_attr, area",
    [
        ("community", "community_a", 499),
        ("community", "community_a", 500),
        ("compound", "compound_a1", 179),  # 600 households need 180 m²
        ("compound", "compound_a1", 180),
        ("compound", "compound_b1", 299),  # 1200 households: capped at 300 m²
        ("compound", "compound_b1", 300),
    ],
)
def test_it_counts_compliance_like_the_model_check(world, level, node_attr, area):
    pos = V.create_position(
        name="测试阵地", node=getattr(world, node_attr), level=level, floor_area=area, acting_user=None
    )
    ov = selectors.overview(world.admin)
    assert ov.totals.positions_checked == 1
    assert ov.totals.positions_compliant == int(ServicePosition.objects.get(pk=pos.pk).area_check().compliant)


def test_it_ignores_positions_without_an_area_standard(world):
    V.create_position(
        name="共享活动室", node=world.community_a, kind="shared", floor_area=20, acting_user=None
    )
    t = selectors.overview(world.admin).totals
    assert (t.positions, t.positions_checked, t.positions_compliant) == (1, 0, 0)
