"""The position export equals the filtered list, including the area-standard column."""

from __future__ import annotations

import io

import openpyxl
from django.urls import reverse

from dangjian.venues import actions as venue_actions


def test_it_exports_the_filtered_positions(world, login):
    for i in range(30):
        venue_actions.create_position(
            name=f"服务站{i:02d}",
            node=world.compound_a1,
            floor_area=120 + i * 3,
            level="compound",
            acting_user=world.admin,
        )
    c = login(world.street_officer)
    listed, page = [], 1
    while True:
        response = c.get(reverse("venues:position_list"), {"area": "bad", "page": page})
        listed += [[v for _c, v in row.cells][:6] for row in response.context["rows"]]
        if not response.context["page_obj"].has_next():
            break
        page += 1
    response = c.get(reverse("venues:position_export"), {"area": "bad"})
    ws = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    exported = [list(r[:6]) for r in ws.iter_rows(min_row=2, values_only=True)]
    assert [r[0] for r in exported] == [r[0] for r in listed]
    assert len(exported) == 20  # 120..177 m² against the 180 m² the 600 households need
    assert {r[5] for r in exported} == {"未达标"}
    assert [float(str(r[3])) for r in exported] == [float(r[3]) for r in listed]
