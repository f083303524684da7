"""The member export equals the filtered list (all its pages) and is a proper sheet."""

from __future__ import annotations

import datetime
import decimal
import io

import openpyxl
from django.urls import reverse

from dangjian.party import actions as party_actions
from dangjian.people import actions as people_actions


def norm(value):
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, int | float | decimal.Decimal) and not isinstance(value, bool):
        return float(value)
    return value


def list_rows(client, url, params):
    rows, page = [], 1
    while True:
        response = client.get(url, {**params, "page": page})
        rows += [[norm(v) for _c, v in row.cells] for row in response.context["rows"]]
        if not response.context["page_obj"].has_next():
            return rows
        page += 1


def xlsx_rows(response):
    wb = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    ws = wb.worksheets[0]
    values = [[norm(c) for c in row] for row in ws.iter_rows(values_only=True)]
    return ws, values[0], values[1:]


def test_it_exports_exactly_the_filtered_list(world, login):
    for i in range(24):
        person = people_actions.create_person(
            name=f"退休党员{i:02d}", home=world.compound_a1, acting_user=world.admin
        )
        party_actions.register_member(
            person=person,
            organization=world.branch_a1,
            category="retired" if i % 2 else "in_service",
            acting_user=world.admin,
        )
    c = login(world.street_officer)
    params = {"category": "in_service", "q": "党员"}
    expected = list_rows(c, reverse("party:member_list"), params)
    assert len(expected) == 12
    response = c.get(reverse("party:member_export"), params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws, header, rows = xlsx_rows(response)
    assert header[:3] == ["姓名", "性别", "手机号"]
    assert rows == expected


def test_it_writes_a_bold_frozen_titled_sheet(world, login):
    response = login(world.admin).get(reverse("party:member_export"))
    wb = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    ws = wb.worksheets[0]
    assert ws.title == "党员"
    assert ws.freeze_panes == "A2"
    assert ws["A1"].font.bold
    assert ws.column_dimensions["F"].width > 20
    assert sorted(str(r[0]) for r in ws.iter_rows(min_row=2, values_only=True)) == ["周强", "陈建华"]


def test_it_exports_only_the_scope(world, login):
    response = login(world.outsider).get(reverse("party:member_export"))
    _ws, _header, rows = xlsx_rows(response)
    assert [r[0] for r in rows] == ["周强"]
