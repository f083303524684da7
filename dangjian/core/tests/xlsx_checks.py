"""Shared by the export tests: a hostile string as residents, titles and names may carry,
and how a written workbook must hold it (OWASP CSV injection, ``core.xlsx``)."""

from __future__ import annotations

import io
from typing import Any

import openpyxl

HOSTILE = '=HYPERLINK("http://x.example/steal","点击")'
NEUTRALISED = "'" + HOSTILE


def workbook(data: Any) -> Any:
    """A workbook from bytes, a streaming response, a response or a path."""
    if hasattr(data, "streaming_content"):
        data = b"".join(data.streaming_content)
    elif hasattr(data, "content"):
        data = data.content
    return openpyxl.load_workbook(io.BytesIO(data) if isinstance(data, bytes) else data)


def cells(book: Any) -> list[Any]:
    return [c for ws in book.worksheets for row in ws.iter_rows() for c in row]


def assert_no_formula(book: Any, *, expect: str = NEUTRALISED) -> None:
    """No cell of ``book`` is a formula, and some text cell holds ``expect`` (or contains it)."""
    every = cells(book)
    formulas = [c.coordinate for c in every if c.data_type == "f"]
    assert not formulas, f"formula cells: {formulas}"
    holding = [c for c in every if isinstance(c.value, str) and expect in c.value]
    assert holding, f"no cell holds {expect!r}"
    assert all(c.data_type == "s" for c in holding)
