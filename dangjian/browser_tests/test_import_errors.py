"""Uploading a bad workbook on /exchange/ shows every problem with sheet, row, column and reason,
and writes nothing."""

import io

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect

from dangjian.exchange.importers import KINDS_BY_KEY
from dangjian.territory.models import Node

pytestmark = pytest.mark.browser


def bad_workbook(world) -> bytes:
    kind = KINDS_BY_KEY["territory"]
    headers = [c.header for c in kind.columns]
    wb = Workbook()
    assert wb.active is not None
    wb.remove(wb.active)
    ws = wb.create_sheet(kind.sheet)
    ws.append(headers)
    rows = [
        {"层级": "网格", "名称": "无主网格", "上级编码": "450981009001"},  # unknown parent
        {
            "层级": "网格",
            "名称": "桂塘第九网格",
            "上级编码": world.community_a.code,
            "户数": "很多",
        },  # not a number
    ]
    for row in rows:
        ws.append([row.get(h) for h in headers])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_it_lists_the_problems_of_a_bad_workbook(page, live_server, world, log_in, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    log_in(page, world.street_officer)
    nodes_before = Node.objects.count()
    page.goto(f"{live_server.url}/exchange/")
    expect(page.locator("h1")).to_contain_text("导入")
    page.locator("input[type=file]").set_input_files(
        files=[
            {
                "name": "区域-有错.xlsx",
                "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "buffer": bad_workbook(world),
            }
        ]
    )
    page.get_by_role("button", name="上传并导入").click()

    expect(page.get_by_role("alert")).to_contain_text("没有导入任何数据")
    table = page.locator("table").filter(has_text="原因")
    expect(table).to_be_visible()
    headers = [h.strip() for h in table.locator("thead th").all_inner_texts()]
    assert headers == ["工作表", "行", "列", "原因"]
    rows = [[c.strip() for c in r.locator("td").all_inner_texts()] for r in table.locator("tbody tr").all()]
    sheet = KINDS_BY_KEY["territory"].sheet
    assert len(rows) >= 2
    assert all(r[0] == sheet for r in rows)
    by_column = {r[2].split()[-1]: r for r in rows}  # shown as "C 上级编码"
    assert by_column["上级编码"][1] == "2" and "450981009001" in by_column["上级编码"][3]
    assert by_column["户数"][1] == "3" and "很多" in by_column["户数"][3]
    assert Node.objects.count() == nodes_before
    assert page.js_errors == []
