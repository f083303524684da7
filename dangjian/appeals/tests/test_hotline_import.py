"""12345 hotline import: a good file creates cases, a bad one lists every problem and writes nothing,
and importing the same file again creates nothing twice."""

import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from dangjian.appeals import hotline
from dangjian.appeals.choices import Channel, Priority, Status
from dangjian.appeals.models import Case

HEADER = [
    "工单编号",
    "来电时间",
    "来电人",
    "联系电话",
    "诉求地址",
    "经度",
    "纬度",
    "诉求类别",
    "诉求内容",
    "紧急程度",
]


def xlsx(rows, header=HEADER):
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(header)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    return buf


def good_rows(road):
    return [
        [
            "GX-0001",
            "2026-11-20 09:30",
            "张先生",
            "13812345678",
            "",
            110.355,
            22.705,
            road.code,
            "东湖一号小区门口路灯不亮",
            "紧急",
        ],
        [
            "GX-0002",
            "2026/11/20 10:05",
            "王女士",
            "",
            "北流市陵城街道桂塘社区东湖一号小区3栋",
            None,
            None,
            _path(road),
            "楼道垃圾无人清运",
            "",
        ],
    ]


def _path(category):
    parts = []
    while category is not None:
        parts.append(category.name)
        category = category.parent
    return "/".join(reversed(parts))


def test_it_imports_a_good_file_and_not_twice(world, road):
    result = hotline.import_hotline(xlsx(good_rows(road)), acting_user=world.admin)
    assert result.ok, [str(p) for p in result.problems]
    assert len(result.created) == 2 and result.existing == 0
    a, b = Case.objects.order_by("idempotency_key")
    assert a.idempotency_key == "hotline:GX-0001" and b.idempotency_key == "hotline:GX-0002"
    assert {a.channel, b.channel} == {Channel.HOTLINE} and {a.status, b.status} == {Status.SUBMITTED}
    assert (
        a.grid_id == world.grid_a1.pk
        and a.priority == Priority.URGENT
        and a.contact_phone_masked.startswith("138")
    )
    assert "13812345678" not in a.contact_phone_masked and a.contact_name == "张先生"
    assert b.grid_id == world.grid_a1.pk and b.category_id == road.pk and b.lng is None
    assert "GX-0001" in a.description and "2026-11-20 09:30" in a.description

    again = hotline.import_hotline(xlsx(good_rows(road)), acting_user=world.admin)
    assert again.ok and again.created == [] and again.existing == 2
    assert again.summary() == "共 2 条：新建 0 条，已存在 2 条"
    assert Case.objects.count() == 2


def test_it_lists_every_problem_and_writes_nothing(world, road):
    rows = [
        good_rows(road)[0],
        ["GX-0001", "", "", "", "", 110.355, 22.705, road.code, "重复工单", ""],
        ["GX-0003", "昨天", "", "12345", "", 100.0, 30.0, "不存在的分类", "", "很急"],
        ["GX-0004", "", "", "", "", None, None, road.code, "没有地址", ""],
        ["GX-0005", "", "", "", "火星某地", None, None, road.code, "地址认不出", ""],
        ["GX-0006", "", "", "", "", 110.355, None, road.code, "只有经度", ""],
    ]
    result = hotline.import_hotline(xlsx(rows), acting_user=world.admin)
    assert not result.ok and result.created == []
    found = {(p.row, p.column) for p in result.problems}
    assert found == {
        (3, "工单编号"),
        (4, "来电时间"),
        (4, "联系电话"),
        (4, "经度"),
        (4, "诉求类别"),
        (4, "诉求内容"),
        (4, "紧急程度"),
        (5, "诉求地址"),
        (6, "诉求地址"),
        (7, "纬度"),
    }
    reasons = {(p.row, p.column): p.reason for p in result.problems}
    assert "不在本市范围内" in reasons[(4, "经度")] and "第 2 行" in reasons[(3, "工单编号")]
    assert Case.objects.count() == 0


def test_it_refuses_rows_outside_the_importers_scope(world, road):
    result = hotline.import_hotline(xlsx(good_rows(road)), acting_user=world.outsider)
    assert {(p.row, p.reason) for p in result.problems} == {
        (2, "该位置超出您的管辖范围"),
        (3, "该位置超出您的管辖范围"),
    }
    assert Case.objects.count() == 0
    assert hotline.import_hotline(xlsx(good_rows(road)), acting_user=world.street_officer).ok


def test_it_accepts_synonym_headers_and_reports_missing_columns(world, road):
    synonyms = [
        "工单号",
        "受理时间",
        "姓名",
        "手机号",
        "事发地址",
        "lng",
        "lat",
        "问题分类",
        "问题描述",
        "优先级",
    ]
    assert hotline.import_hotline(xlsx(good_rows(road), header=synonyms), acting_user=None).ok
    result = hotline.import_hotline(
        xlsx([["x"]], header=["工单编号", "来电人", "联系电话"]), acting_user=None
    )
    assert {p.column for p in result.problems} == {"诉求类别", "诉求内容", "诉求地址"}
    broken = hotline.import_hotline(io.BytesIO(b"not a workbook"), acting_user=None)
    assert [p.reason for p in broken.problems] == ["无法读取文件：请上传 Excel（.xlsx）格式的 12345 工单表"]


def test_the_template_imports_as_it_is(world):
    result = hotline.import_hotline(io.BytesIO(hotline.template_workbook()), acting_user=world.admin)
    assert result.ok and len(result.created) == 1


def test_the_command_imports_and_reports(world, road, tmp_path):
    path = tmp_path / "12345.xlsx"
    path.write_bytes(xlsx(good_rows(road)).getvalue())
    out = io.StringIO()
    call_command("import_hotline", str(path), "--as", "13000000001", stdout=out)
    assert "新建 2 条，已存在 0 条" in out.getvalue()
    out = io.StringIO()
    call_command("import_hotline", str(path), "--as", "13000000001", stdout=out)
    assert "新建 0 条，已存在 2 条" in out.getvalue()

    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(xlsx([["GX-9", "", "", "1", "", 110.355, 22.705, "不存在", "内容", ""]]).getvalue())
    err = io.StringIO()
    with pytest.raises(CommandError, match="未导入任何数据"):
        call_command("import_hotline", str(bad), stderr=err)
    assert "第 2 行「联系电话」" in err.getvalue() and "第 2 行「诉求类别」" in err.getvalue()
    with pytest.raises(CommandError, match="未找到手机号"):
        call_command("import_hotline", str(path), "--as", "13999999999")
    assert Case.objects.count() == 2
