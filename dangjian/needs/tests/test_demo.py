"""The demo builder: a few dozen needs in 桂塘社区 in every state, through the actions."""

from __future__ import annotations

from dangjian.demo import beiliu
from dangjian.needs.choices import Status
from dangjian.needs.models import Need, NeedTransition
from dangjian.territory import geo


def test_the_demo_city_has_needs_in_every_state(db):
    geo.invalidate()
    beiliu.build(residents=40, cases=10)
    geo.invalidate()
    states = set(Need.objects.values_list("status", flat=True))
    assert states == set(Status.values)
    assert Need.objects.count() == 36
    assert Need.objects.filter(funded_amount__gt=0).exists()
    assert NeedTransition.objects.filter(on_behalf=True).exists()
