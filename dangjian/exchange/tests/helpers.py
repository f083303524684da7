"""Workbooks built in memory for the import tests."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook

from dangjian.core import crypto
from dangjian.exchange.importers import KINDS_BY_KEY
from dangjian.units.actions import credit_check_char


def id_number(first17: str) -> str:
    return first17 + crypto.id_check_digit(first17)


def credit_code(first17: str) -> str:
    return first17 + credit_check_char(first17)


def workbook(sheets: dict[str, list[dict[str, Any]]], drop: dict[str, list[str]] | None = None) -> bytes:
    """``sheets``: kind key → rows as {header: value}; columns in template order, minus
    the headers in ``drop[kind]``."""
    wb = Workbook()
    assert wb.active is not None
    wb.remove(wb.active)
    for key, rows in sheets.items():
        kind = KINDS_BY_KEY[key]
        headers = [c.header for c in kind.columns if c.header not in (drop or {}).get(key, [])]
        ws = wb.create_sheet(kind.sheet)
        ws.append(headers)
        for row in rows:
            unknown = set(row) - set(headers)
            assert not unknown, unknown
            ws.append([row.get(h) for h in headers])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def square(lng: float, lat: float, size: float = 0.01) -> str:
    import json

    return json.dumps(
        {
            "type": "Polygon",
            "coordinates": [
                [[lng, lat], [lng + size, lat], [lng + size, lat + size], [lng, lat + size], [lng, lat]]
            ],
        }
    )
