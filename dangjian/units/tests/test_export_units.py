"""The unit export equals the filtered list."""

from __future__ import annotations

import io

import openpyxl
from django.urls import reverse

from dangjian.units import actions as unit_actions


def test_it_exports_the_filtered_units(world, login):
    for i in range(26):
        kind = "private" if i % 2 else "agency"
        unit_actions.create_unit(
            name=f"单位{i:02d}", kind=kind, node=world.community_a, acting_user=world.admin
        )
    unit_actions.create_unit(name="城南企业", kind="private", node=world.community_b, acting_user=world.admin)
    c = login(world.street_officer)
    listed, page = [], 1
    while True:
        response = c.get(reverse("units:unit_list"), {"two_new": "1", "page": page})
        listed += [row.obj.name for row in response.context["rows"]]
        if not response.context["page_obj"].has_next():
            break
        page += 1
    response = c.get(reverse("units:unit_export"), {"two_new": "1"})
    ws = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    assert ws.title == "驻区单位"
    exported = [r[0] for r in ws.iter_rows(min_row=2, values_only=True)]
    assert exported == listed
    assert len(exported) == 13 and "城南企业" not in exported
