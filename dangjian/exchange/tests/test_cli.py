"""``manage.py import_xlsx FILE [--as PHONE]`` and its ``dangjian import`` alias."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from dangjian.__main__ import ALIASES
from dangjian.exchange.models import ImportJob
from dangjian.exchange.tests.helpers import workbook
from dangjian.territory.models import Node


def write(tmp_path, rows) -> str:
    path = tmp_path / "区域.xlsx"
    path.write_bytes(workbook({"territory": rows}))
    return str(path)


def test_it_imports_as_the_system_and_says_what_it_wrote(world, tmp_path):
    path = write(tmp_path, [{"层级": "街道(镇)", "名称": "新荣街道", "上级编码": world.county.code}])
    out, err = io.StringIO(), io.StringIO()
    call_command("import_xlsx", path, stdout=out, stderr=err)
    assert "导入成功：区域 1 条" in out.getvalue()
    assert "校验" in err.getvalue() and "行" in err.getvalue()  # the tqdm bars
    street = Node.objects.get(name="新荣街道")
    assert street.code == world.county.code + "003"
    job = ImportJob.objects.get()
    assert (job.user, job.as_system, job.status) == (None, True, "done")


def test_it_exits_1_and_lists_every_problem_as_the_outsider(world, tmp_path):
    path = write(
        tmp_path,
        [
            {"层级": "网格", "名称": "越界网格", "上级编码": world.community_a.code},
            {"层级": "网格", "名称": "", "上级编码": world.community_b.code, "户数": -3},
        ],
    )
    before = Node.objects.count()
    out = io.StringIO()
    with pytest.raises(SystemExit) as exc:
        call_command("import_xlsx", path, "--as", "13000000004", stdout=out, stderr=io.StringIO())
    assert exc.value.code == 1
    lines = out.getvalue().splitlines()
    assert lines[0] == "导入失败：共 3 个问题，未写入任何数据"
    assert lines[1] == "工作表 / 行 / 列 / 原因"
    assert lines[2] == f"区域 / 2 / C 上级编码 / 上级编码 {world.community_a.code} 不存在或不在您的管辖范围内"
    assert lines[3] == "区域 / 3 / B 名称 / 「名称」不能为空"
    assert lines[4] == "区域 / 3 / F 户数 / 「-3」不是非负整数"
    assert Node.objects.count() == before


def test_it_refuses_an_unknown_user_or_file(world, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="没有手机号为"):
        call_command("import_xlsx", write(tmp_path, []), "--as", "13999999999")
    with pytest.raises(CommandError, match="文件不存在"):
        call_command("import_xlsx", str(tmp_path / "nope.xlsx"))


def test_it_is_what_dangjian_import_runs():
    assert ALIASES["import"] == "import_xlsx"
