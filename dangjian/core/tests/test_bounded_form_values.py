"""The web forms parse numbers and dates with the same bounds as the API (core.bounds): an
absurd value is refused with the form's Chinese message, never a 500, and nothing is written."""

from __future__ import annotations

import pytest

from dangjian.needs.models import Need
from dangjian.points.models import Movement
from dangjian.service.models import ServiceRecord


@pytest.mark.parametrize("quantity", ["NaN", "Infinity", "1e999", str(2**63), "99999999999999"])
def test_the_award_form_refuses_absurd_quantities(world, login, quantity):
    r = login(world.grid_worker).post(
        "/points/desk/award/",
        {
            "person": world.member_person.pk,
            "rule": "good_deed",
            "quantity": quantity,
            "reason": "扶老人",
            "idempotency_key": f"k-{quantity}",
        },
        follow=True,
    )
    assert r.status_code == 200
    assert "数量应为数字" in r.content.decode()
    assert not Movement.objects.exists()


@pytest.mark.parametrize("cost", ["NaN", "sNaN", "-Infinity", "1e999"])
def test_the_need_form_refuses_absurd_costs(world, login, cost):
    r = login(world.resident).post(
        "/needs/new/",
        {"kind": "wish", "title": "轮椅一辆", "description": "腿脚不便", "estimated_cost": cost},
    )
    assert r.status_code in (200, 400)
    assert "金额应为数字" in r.content.decode()
    assert not Need.objects.exists()


@pytest.mark.parametrize("moment", ["0001-01-01T00:00", "9999-12-31T23:59"])
def test_the_service_record_form_refuses_out_of_range_times(world, login, moment):
    r = login(world.member).post(
        "/service/records/new/",
        {"node": world.community_a.pk, "title": "法律咨询", "started_at": moment, "ended_at": moment},
    )
    assert r.status_code in (200, 400)
    assert not ServiceRecord.objects.exists()
