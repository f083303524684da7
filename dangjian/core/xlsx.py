"""Every spreadsheet the platform writes goes through here, so text stays text.

openpyxl turns any string starting with ``=`` into a live formula, and Excel/WPS/LibreOffice
also evaluate cells starting with ``+``, ``-`` or ``@`` (and ones whose first character is a
tab or carriage return). A resident imported as ``=HYPERLINK("http://…","点击")`` would be
exported as a working link. Per OWASP's CSV-injection guidance, :func:`cell_value` prefixes
such strings with a single quote, and :func:`append`/:func:`put` store them as explicit
string cells; numbers, dates and booleans are written as they are (a real −5 stays a number,
the text "-5" becomes the text "'-5"). Characters a workbook cannot hold (control
characters) are dropped instead of failing the whole export.

Use :func:`workbook` for a new workbook, :func:`append` for a row and :func:`put` for one
cell; nothing else writes cells (``test_xlsx_cells`` checks the source). A figures page's
export is :func:`tables_response`: one sheet per table it shows.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import FileResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell

# First characters that make a spreadsheet read a cell as a formula (OWASP).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Table = tuple[str, list[str], list[list[Any]]]  # (sheet title, headers, rows)


def workbook(*, write_only: bool = False) -> Workbook:
    return Workbook(write_only=write_only)


def cell_value(value: Any) -> Any:
    """``value`` as it may be written: a string that would be read as a formula gets a
    leading single quote; other values are returned unchanged."""
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _cell(ws: Any, value: Any, style: dict[str, Any]) -> Any:
    safe = cell_value(value)
    if not style and not (isinstance(value, str) and safe != value):
        return value  # nothing to neutralise or style: openpyxl writes it as is
    cell = WriteOnlyCell(ws, value=safe)  # a plain Cell at A1 until appended (either mode)
    if isinstance(safe, str):
        cell.data_type = "s"  # an explicit string, never a formula
    for name, setting in style.items():
        setattr(cell, name, setting)
    return cell


def append(ws: Any, values: Iterable[Any], **style: Any) -> None:
    """Append one row (normal or write-only worksheet); ``style`` (font, fill, alignment,
    number_format) applies to each of its cells."""
    ws.append([_cell(ws, v, style) for v in values])


def put(ws: Any, row: int, column: int, value: Any) -> Cell:
    """Write one cell of a normal worksheet and return it (to style it)."""
    cell = ws.cell(row=row, column=column)
    safe = cell_value(value)
    cell.value = safe
    if isinstance(safe, str):
        cell.data_type = "s"
    return cell


def tables_response(tables: Sequence[Table], filename: str) -> FileResponse:
    """A download of ``tables``, one sheet each: a bold red header row kept in view, then
    the rows as they are (text neutralised by :func:`append`)."""
    from openpyxl.styles import Font, PatternFill

    wb = workbook()
    wb.remove(wb.active)  # type: ignore[arg-type]
    bold, fill = Font(bold=True, color="FFFFFF"), PatternFill("solid", fgColor="C8161D")
    for title, headers, rows in tables:
        ws = wb.create_sheet(title=title[:31])
        append(ws, headers, font=bold, fill=fill)
        for row in rows:
            append(ws, list(row))
        ws.freeze_panes = "A2"
        ws.column_dimensions["A"].width = 24
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    return FileResponse(buffer, as_attachment=True, filename=filename, content_type=XLSX_TYPE)
