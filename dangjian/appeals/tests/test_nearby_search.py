"""Open cases of the same category within 250 m: at most 5, nearest first, distance in metres."""

import math

from django.urls import reverse

from dangjian.appeals import actions, nearby
from dangjian.appeals.models import Category

LNG, LAT = 110.355, 22.705
M_LAT = math.pi * nearby.EARTH_RADIUS_M / 180  # metres per degree of latitude


def north(metres):
    return LAT + metres / M_LAT


def test_the_haversine_distance_is_in_metres():
    assert abs(nearby.haversine_m(LNG, LAT, LNG, north(100)) - 100) < 0.01
    # 0.001° of longitude at 22.7°N is about 102.6 m
    assert abs(nearby.haversine_m(LNG, LAT, LNG + 0.001, LAT) - 102.6) < 0.5


def test_it_finds_only_open_cases_of_the_same_category_within_250_m_nearest_first(world, report, road):
    other = Category.objects.filter(level=3, enterprise=False).exclude(pk=road.pk).first()
    far = report(lat=north(260))
    wrong_category = report(category=other, lat=north(10))
    closed = report(lat=north(20))
    actions.reject_case(closed, reason="不属实", acting_user=world.grid_worker)
    near = {d: report(lat=north(d), title=f"{d}米") for d in (200, 30, 120, 60, 240, 90)}
    found = nearby.open_cases_near(road.pk, LNG, LAT)
    assert [n.case.pk for n in found] == [near[d].pk for d in (30, 60, 90, 120, 200)]  # 5, nearest first
    assert [round(n.distance_m) for n in found] == [30, 60, 90, 120, 200]
    ids = {n.case.pk for n in nearby.open_cases_near(road.pk, LNG, LAT, limit=50)}
    assert near[240].pk in ids and not ids & {far.pk, wrong_category.pk, closed.pk}


def test_a_corner_of_the_box_beyond_the_circle_is_left_out(world, report, road):
    east = LNG + 240 / (M_LAT * math.cos(math.radians(LAT)))
    corner = report(lat=north(240), lng=east)  # inside the 250 m box, about 339 m away
    lo_lng, hi_lng, lo_lat, hi_lat = nearby.bounding_box(LNG, LAT, nearby.RADIUS_M)
    assert lo_lng <= corner.lng <= hi_lng and lo_lat <= corner.lat <= hi_lat
    assert nearby.open_cases_near(road.pk, LNG, LAT) == []


def test_the_page_shows_them_with_a_follow_button_and_where_the_point_is(world, report, road, login):
    case = report(lat=north(50))
    client = login(world.member)
    html = client.get(
        reverse("appeals:nearby"), {"category": road.pk, "lng": LNG, "lat": LAT}
    ).content.decode()
    assert "桂塘第一网格" in html and case.title in html and "约 50 米" in html
    assert reverse("appeals:follow", args=[case.number]) in html and "关注此问题" in html
    html = client.get(
        reverse("appeals:nearby"), {"category": road.pk, "lng": LNG, "lat": north(600)}
    ).content.decode()
    assert "没有同类问题" in html
    html = client.get(
        reverse("appeals:nearby"), {"category": road.pk, "lng": 111.5, "lat": 23.5}
    ).content.decode()
    assert "不在本市范围内" in html


def test_the_nearby_endpoint_needs_a_login(client):
    assert client.get(reverse("appeals:nearby"), {"lng": LNG, "lat": LAT}).status_code == 302
