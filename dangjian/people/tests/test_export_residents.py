"""People exports equal their filtered lists."""

from __future__ import annotations

import datetime
import decimal
import io

import openpyxl
from django.urls import reverse

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
    ws = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    return [[norm(c) for c in row] for row in ws.iter_rows(min_row=2, values_only=True)]


def test_it_exports_the_residents_the_filtered_list_shows(world, login):
    for i in range(45):
        person = people_actions.create_person(
            name=f"居民{i:02d}",
            home=world.compound_a1,
            id_number="",
            phone=f"1370000{i:04d}",
            acting_user=world.admin,
        )
        people_actions.register_resident(
            person=person,
            household=world.compound_a1,
            tags=["elderly"] if i % 3 else ["veteran"],
            acting_user=world.admin,
        )
    c = login(world.street_officer)
    params = {"tag": "elderly", "street": world.street_a.pk}
    expected = list_rows(c, reverse("people:resident_list"), params)
    assert len(expected) == 30
    rows = xlsx_rows(c.get(reverse("people:resident_export"), params))
    assert rows == expected
    assert all("****" in r[3] for r in rows)  # phone column masked


def test_it_exports_grid_workers_in_scope_only(world, login):
    rows = xlsx_rows(login(world.outsider).get(reverse("people:grid_worker_export")))
    assert rows == []
    rows = xlsx_rows(login(world.street_officer).get(reverse("people:grid_worker_export")))
    assert [r[0] for r in rows] == ["网格员小王"]
