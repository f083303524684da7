"""GeoReport v2 bodies: bare JSON arrays/objects, or XML with the specification's root elements.

One shape (plain dicts and lists) is rendered both ways, so the two formats never drift apart.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import datetime
from typing import Any

from django.http import HttpResponse
from django.utils import timezone

JSON_TYPE = "application/json; charset=utf-8"
XML_TYPE = "text/xml; charset=utf-8"

# The element for each member of a list-valued field (<endpoints><endpoint>…).
LIST_ITEMS = {"endpoints": "endpoint", "formats": "format", "attributes": "attribute", "values": "value"}


def w3c(value: datetime | None) -> str | None:
    """W3C/ISO 8601 with the offset, e.g. 2026-11-21T14:05:00+08:00."""
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _fill(element: ET.Element, data: dict[str, Any]) -> None:
    for name, value in data.items():
        child = ET.SubElement(element, name)
        if isinstance(value, dict):
            _fill(child, value)
        elif isinstance(value, list):
            item_tag = LIST_ITEMS.get(name, "item")
            for member in value:
                sub = ET.SubElement(child, item_tag)
                if isinstance(member, dict):
                    _fill(sub, member)
                else:
                    sub.text = _text(member)
        else:
            child.text = _text(value)


def to_xml(root: str, data: dict[str, Any] | list[dict[str, Any]], item: str = "") -> bytes:
    """A list becomes ``<root><item>…</item>…</root>``; a dict becomes ``<root>…</root>``."""
    element = ET.Element(root)
    if isinstance(data, list):
        for member in data:
            _fill(ET.SubElement(element, item), member)
    else:
        _fill(element, data)
    return ET.tostring(element, encoding="utf-8", xml_declaration=True)


def respond(
    fmt: str,
    data: dict[str, Any] | list[dict[str, Any]],
    *,
    root: str,
    item: str = "",
    status: int = 200,
) -> HttpResponse:
    if fmt == "xml":
        return HttpResponse(to_xml(root, data, item), content_type=XML_TYPE, status=status)
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return HttpResponse(body.encode(), content_type=JSON_TYPE, status=status)


def error(fmt: str, status: int, description: str) -> HttpResponse:
    """``[{"code": 400, "description": "…"}]`` / ``<errors><error><code>400</code>…``."""
    return respond(
        fmt, [{"code": status, "description": description}], root="errors", item="error", status=status
    )
