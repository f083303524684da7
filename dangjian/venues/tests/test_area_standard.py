from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from dangjian.territory import actions as territory_actions
from dangjian.venues.actions import create_position


@pytest.mark.parametrize(
    ("households", "area", "compliant"),
    [
        (600, 180, True),  # 30 m² per 100 households → 180 m² needed
        (600, 179, False),
        (2000, 300, True),  # would need 600, but 300 m² in total suffices
        (2000, 299, False),
    ],
)
def test_it_checks_compound_centres_against_the_area_standard(world, households, area, compliant):
    compound = territory_actions.create_node(
        parent=world.grid_a2,
        level="compound",
        name="测试小区",
        households=households,
        acting_user=world.admin,
    )
    pos = create_position(
        name="小区党群服务站", level="compound", node=compound, floor_area=area, acting_user=world.admin
    )
    check = pos.area_check()
    assert check.applies and check.compliant is compliant
    assert check.required == min(Decimal(households) * 30 / 100, Decimal(300))


def test_it_checks_community_centres_against_500_square_metres(world):
    ok = create_position(
        name="桂塘社区党群服务中心",
        level="community",
        node=world.community_a,
        floor_area=500,
        acting_user=world.admin,
    )
    small = create_position(
        name="城南社区党群服务中心",
        level="community",
        node=world.community_b,
        floor_area="499.5",
        acting_user=world.admin,
    )
    assert ok.area_check().label == "达标" and small.area_check().label == "未达标"


def test_it_rejects_bad_input_in_chinese(world):
    with pytest.raises(ValidationError) as exc:
        create_position(
            name="",
            level="community",
            node=world.grid_a1,
            floor_area="abc",
            functions=["游泳池"],
            acting_user=world.admin,
        )
    text = str(exc.value)
    assert (
        "阵地名称不能为空" in text and "面积应为数字" in text and "未知功能室" in text and "对应层级" in text
    )
