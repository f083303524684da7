"""The scrubbing rules and the coarse location of ``appeals.public_view``, one by one."""

import pytest

from dangjian.appeals.public_view import ADDRESS_MARK, ID_MARK, NUMBER_MARK, PHONE_MARK, coarse, scrub

P, ID, A, N = PHONE_MARK, ID_MARK, ADDRESS_MARK, NUMBER_MARK


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # mobile numbers, plain, grouped, with the country code
        ("电话13800001234请回电", f"电话{P}请回电"),
        ("联系138-0013-8000", f"联系{P}"),
        ("手机 138 0013 8000。", f"手机 {P}。"),
        ("+86 139 1234 5678", P),
        ("8613912345678", P),
        ("１３８００００１２３４", P),  # full-width digits
        # landlines and service numbers
        ("座机0775-6212345", f"座机{P}"),
        ("(0775)6212345", P),
        ("（0775）6212345", P),
        ("400-123-4567", P),
        ("电话：621-2345", f"电话：{P}"),
        # ID numbers: 18 digits (last may be X), the old 15 digits; other long numbers
        ("身份证45098119800101123X", f"身份证{ID}"),
        ("身份证450981198001011236号", f"身份证{ID}号"),
        ("旧证450981800101123", f"旧证{ID}"),
        ("卡号6222 0212 3456 7890 123", f"卡号{N}"),
        # house numbers
        ("东湖一号小区3栋201门口", f"东湖一号小区{A}门口"),
        ("住12号楼3单元402室", f"住{A}"),
        ("A座1502", A),
        ("人民路88号", f"人民路{A}"),
        ("三号楼二单元", A),
        ("村里5组", f"村里{A}"),
        ("3-2-501", A),
        ("5楼楼道灯坏了", f"{A}楼道灯坏了"),
    ],
)
def test_it_removes(text, expected):
    assert scrub(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "小区门口路灯坏了三天",
        "11月3号晚上开始",  # a date, not a house number
        "坐地铁3号线",
        "2026-11-21 反映",  # a date
        "拨打12345热线",
        "每天约有600户居民经过",
        "二楼",  # a floor without a building says nothing
        "东湖一号小区",  # a compound's name
    ],
)
def test_it_keeps(text):
    assert scrub(text) == text


def test_it_removes_the_cases_own_address_and_contact_name_wherever_quoted():
    text = "我是李秀英，住东湖一号小区三栋二零一，李秀英"
    out = scrub(text, known=("东湖一号小区三栋二零一", "李秀英", ""))
    assert "李秀英" not in out and "二零一" not in out and out.startswith("我是（已隐去）")


@pytest.mark.parametrize(
    ("value", "centre"),
    [
        (22.705, 22.7055),
        (22.70523, 22.7055),
        (22.70599, 22.7055),
        (22.7049999, 22.7045),
        (110.35517, 110.3555),
        (-0.0001, -0.0005),
        (None, None),
        (float("nan"), None),
    ],
)
def test_it_snaps_a_coordinate_to_its_cells_centre(value, centre):
    assert coarse(value) == centre
