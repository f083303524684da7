"""``core.xlsx``: text that a spreadsheet would read as a formula is written as text; numbers
stay numbers; and no module writes cells any other way."""

from __future__ import annotations

import datetime
import io
import re
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from openpyxl.styles import Font

from dangjian.core import xlsx
from dangjian.core.tests.xlsx_checks import HOSTILE, NEUTRALISED


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (HOSTILE, NEUTRALISED),
        ("+86 138 0000 1234", "'+86 138 0000 1234"),
        ("-5", "'-5"),  # a negative number stored as text stays text
        ("-", "'-"),  # a placeholder
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("138****1234", "138****1234"),  # a phone mask
        ("东湖一号小区*栋***", "东湖一号小区*栋***"),  # a masked address
        ("a=b", "a=b"),
        ("坏\x01字符", "坏字符"),  # a workbook cannot hold control characters
        ("", ""),
        (-5, -5),
        (Decimal("-2.50"), Decimal("-2.50")),
        (3.5, 3.5),
        (None, None),
        (True, True),
        (datetime.date(2026, 11, 21), datetime.date(2026, 11, 21)),
    ],
)
def test_it_neutralises_only_text_read_as_a_formula(value, written):
    assert xlsx.cell_value(value) == written


@pytest.mark.parametrize("write_only", [False, True])
def test_a_written_workbook_keeps_text_as_text_and_numbers_as_numbers(write_only):
    wb = xlsx.workbook(write_only=write_only)
    ws = wb.create_sheet("表") if write_only else wb.active
    xlsx.append(ws, ["姓名", "积分"], font=Font(bold=True))
    xlsx.append(ws, [HOSTILE, -5])
    xlsx.append(ws, ["-5", Decimal("-2.5")])
    xlsx.append(ws, ["138****1234", 0])
    if not write_only:
        xlsx.put(ws, 5, 1, "=1+1").font = Font(italic=True)
    buf = io.BytesIO()
    wb.save(buf)
    rows = list(openpyxl.load_workbook(io.BytesIO(buf.getvalue())).worksheets[0].iter_rows(min_row=2))
    assert (rows[0][0].value, rows[0][0].data_type) == (NEUTRALISED, "s")
    assert (rows[0][1].value, rows[0][1].data_type) == (-5, "n")
    assert (rows[1][0].value, rows[1][0].data_type) == ("'-5", "s")
    assert (rows[1][1].value, rows[1][1].data_type) == (-2.5, "n")
    assert rows[2][0].value == "138****1234" and rows[2][0].data_type == "s"
    if not write_only:
        assert (rows[3][0].value, rows[3][0].data_type) == ("'=1+1", "s")
    assert rows[0][0].parent.parent  # loaded back from the file


ROOT = Path(xlsx.__file__).resolve().parents[1]
CELL_WRITES = re.compile(
    r"\bWorkbook\(|\bws\.append\(|\.cell\([^)]*value=|\bws\[[^\]]+\]\s*=[^=]|WriteOnlyCell"
)


def test_no_module_writes_cells_but_core_xlsx():
    offenders = []
    for path in ROOT.rglob("*.py"):
        if "tests" in path.parts or "browser_tests" in path.parts or path.name == "xlsx.py":
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if CELL_WRITES.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert not offenders, "write spreadsheet cells through dangjian.core.xlsx:\n" + "\n".join(offenders)
