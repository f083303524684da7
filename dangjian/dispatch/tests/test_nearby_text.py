"""When the resident has typed text, the nearby list (appeals/nearby.py) ranks the open
cases of the category by text similarity and distance together."""

import math

from django.urls import reverse

from dangjian.appeals import nearby
from dangjian.dispatch.tests.conftest import LAT, LNG

M_LAT = math.pi * nearby.EARTH_RADIUS_M / 180


def north(metres):
    return LAT + metres / M_LAT


def test_typed_text_ranks_the_same_problem_first(world, report, lamp, login):
    near_other = report(title="路灯闪烁", description="灯一闪一闪的刺眼", lat=north(20))
    far_same = report(
        title="门口路灯不亮", description="东湖一号小区门口路灯坏了三天晚上很黑", lat=north(150)
    )
    plain = nearby.open_cases_near(lamp.pk, LNG, LAT)
    assert [n.case.pk for n in plain] == [near_other.pk, far_same.pk] and plain[0].similarity is None
    ranked = nearby.open_cases_near(lamp.pk, LNG, LAT, text="您好，东湖一号小区门口路灯坏了，晚上很黑")
    assert [n.case.pk for n in ranked] == [far_same.pk, near_other.pk]
    assert ranked[0].similarity is not None and ranked[0].similarity > 0.5
    html = (
        login(world.member)
        .get(
            reverse("appeals:nearby"),
            {"category": lamp.pk, "lng": LNG, "lat": LAT, "text": "东湖一号小区门口路灯坏了"},
        )
        .content.decode()
    )
    assert html.index(far_same.title) < html.index(near_other.title)
