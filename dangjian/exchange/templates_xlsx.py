"""Downloadable import templates: a data sheet per kind (Chinese header row and one example
row) and a 说明 sheet explaining every column and its allowed values."""

from __future__ import annotations

import io

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from dangjian.core import xlsx
from dangjian.exchange.importers import HELP_SHEET, KINDS, KINDS_BY_KEY, Kind, choice_help

PARTY_RED = "C8161D"
HEADER_FILL = PatternFill("solid", fgColor=PARTY_RED)
OPTIONAL_FILL = PatternFill("solid", fgColor="F3C6C8")
EXAMPLE_FONT = Font(color="808080", italic=True)
MAX_ROWS = 5000  # how far the choice drop-downs and text formats reach

ALL = "all"


def template_filename(kind_key: str) -> str:
    if kind_key == ALL:
        return "导入模板-全部.xlsx"
    return f"导入模板-{KINDS_BY_KEY[kind_key].sheet}.xlsx"


def _data_sheet(ws: Worksheet, kind: Kind) -> None:
    ws.title = kind.sheet
    ws.freeze_panes = "A2"
    for i, col in enumerate(kind.columns, start=1):
        letter = get_column_letter(i)
        cell = xlsx.put(ws, 1, i, col.header)
        cell.font = Font(bold=True, color="FFFFFF" if col.required else "7A0A0E")
        cell.fill = HEADER_FILL if col.required else OPTIONAL_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center")
        ws.column_dimensions[letter].width = col.width
        example = xlsx.put(ws, 2, i, col.example if col.example != "" else None)
        example.font = EXAMPLE_FONT
        if col.text:  # new cells in the column default to text, so codes keep their digits
            ws.column_dimensions[letter].number_format = "@"
            example.number_format = "@"
        if col.choices is not None and col.key != "tags":
            options = ",".join(str(label) for label in col.choices.labels)
            if len(options) <= 250:
                dv = DataValidation(type="list", formula1=f'"{options}"', allow_blank=not col.required)
                dv.error = f"请从下拉列表选择：{choice_help(col.choices)}"
                dv.errorTitle = f"{col.header}不正确"
                dv.add(f"{letter}2:{letter}{MAX_ROWS}")
                ws.add_data_validation(dv)
        if col.key in ("is_joint", "is_head"):
            dv = DataValidation(type="list", formula1='"是,否"', allow_blank=True)
            dv.add(f"{letter}2:{letter}{MAX_ROWS}")
            ws.add_data_validation(dv)
    ws.row_dimensions[1].height = 22


def _help_rows(kind: Kind) -> list[list[str]]:
    rows = []
    for col in kind.columns:
        allowed = choice_help(col.choices) if col.choices is not None else ""
        if col.key in ("is_joint", "is_head"):
            allowed = "是、否"
        rows.append(
            [
                kind.sheet,
                col.header,
                "必填" if col.required else "选填",
                col.help,
                allowed,
                str(col.example),
            ]
        )
    return rows


def _help_sheet(ws: Worksheet, kinds: list[Kind]) -> None:
    ws.title = HELP_SHEET
    order = " → ".join(k.sheet for k in KINDS)
    notes = [
        "填写说明",
        "1. 每个工作表对应一类数据，工作表名称不要修改；一个文件可同时包含多个工作表。",
        f"2. 导入顺序：{order}。后面的表可以引用前面表中新建的编码、名称和信用代码。",
        "3. 第 1 行为列名（深红色为必填列），第 2 行为灰色示例，导入前请删除或改为真实数据。",
        "4. 编码、身份证号、手机号、信用代码请以文本格式填写，避免 Excel 截断或改成科学计数法。",
        "5. 选项列填写中文名称（可从下拉列表选择）；多个值用“、”分隔。",
        "6. 文件中有任何问题时一条也不导入，并一次列出全部问题（工作表 / 行 / 列 / 原因）。",
        "7. 只能导入到您管辖范围内的区域。",
    ]
    for i, line in enumerate(notes, start=1):
        cell = xlsx.put(ws, i, 1, line)
        if i == 1:
            cell.font = Font(bold=True, size=14, color=PARTY_RED)
    start = len(notes) + 2
    headers = ["工作表", "列名", "是否必填", "说明", "可选值", "示例"]
    for j, h in enumerate(headers, start=1):
        cell = xlsx.put(ws, start, j, h)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = HEADER_FILL
    r = start + 1
    for kind in kinds:
        if kind.note:
            xlsx.put(ws, r, 1, kind.sheet).font = Font(bold=True)
            xlsx.put(ws, r, 4, kind.note).font = Font(italic=True)
            r += 1
        for values in _help_rows(kind):
            for j, v in enumerate(values, start=1):
                cell = xlsx.put(ws, r, j, v)
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            r += 1
    for letter, width in zip("ABCDEF", (10, 18, 10, 48, 40, 24), strict=True):
        ws.column_dimensions[letter].width = width


def build_template(kind_key: str) -> bytes:
    """The template workbook for one kind, or for every kind when ``kind_key`` is ``all``."""
    kinds = list(KINDS) if kind_key == ALL else [KINDS_BY_KEY[kind_key]]
    wb = xlsx.workbook()
    first = True
    for kind in kinds:
        ws = wb.active if first else wb.create_sheet()
        assert ws is not None
        _data_sheet(ws, kind)
        first = False
    _help_sheet(wb.create_sheet(), kinds)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
