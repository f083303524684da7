"""Same-incident detection on crafted sets: text, distance and time window together."""

import datetime as dt
import math

from django.utils import timezone

from dangjian.dispatch import actions, duplicates
from dangjian.dispatch import similarity as sim
from dangjian.dispatch.tests.conftest import LAT, LNG, cat

M_LAT = math.pi * sim.EARTH_RADIUS_M / 180


def north(metres):
    return LAT + metres / M_LAT


def signed(case):
    actions.store_signature(case)
    return case


def look(case, **kw):
    return [c.case_id for c in duplicates.find_for_case(case, **kw)]


def test_boilerplate_does_not_make_messages_alike():
    a = sim.normalise("您好", "尊敬的领导：小区门口路灯不亮。望领导重视，谢谢！")
    b = sim.normalise("", "你好，路灯不亮")
    assert a == "小区门口路灯不亮" and b == "路灯不亮"
    polite_1 = sim.normalise("", "您好，望领导重视，请尽快处理，谢谢！菜市场乱摆摊")
    polite_2 = sim.normalise("", "您好，望领导重视，请尽快处理，谢谢！楼上漏水")
    assert sim.text_similarity(polite_1, polite_2) == 0


def test_the_same_incident_nearby_and_soon_is_a_duplicate(world, report):
    first = signed(report())
    again = signed(
        report(title="小区门口路灯坏了", description="东湖一号小区门口路灯不亮好几天", lat=north(40))
    )
    found = duplicates.find_for_case(again)
    assert [c.case_id for c in found] == [first.pk]
    s = found[0].score
    assert s.is_duplicate and 35 < s.distance_m < 45 and s.same_category and s.text > 0.4
    assert s.reasons()[:2] == [f"文字相似度 {s.text:.0%}", "相距约 40 米"]


def test_the_same_text_somewhere_else_is_not_a_duplicate(world, report):
    signed(report(lat=north(400)))
    assert look(signed(report())) == []


def test_the_same_place_outside_the_time_window_is_not_a_duplicate(world, report):
    case = signed(report())
    text = sim.normalise(case.title, case.description)
    today = timezone.localdate()

    def at(days):
        return duplicates.find(lng=LNG, lat=LAT, day=today + dt.timedelta(days=days), text=text)

    assert [c.case_id for c in at(10)] == [case.pk]
    assert at(sim.WINDOW_DAYS + 1) == []


def test_a_different_problem_at_the_same_spot_is_not_a_duplicate(world, report):
    signed(
        report(title="楼道堆放杂物", description="邻居在楼道堆了纸箱和旧家具引发矛盾", category=cat("政法"))
    )
    signed(report(title="垃圾桶满了", description="垃圾三天没人清运，臭味很大"))  # same category, other text
    assert look(signed(report())) == []


def test_closer_and_more_alike_ranks_first(world, report):
    far_alike = signed(report(lat=north(200)))
    near_alike = signed(report(lat=north(20)))
    near_other = signed(report(title="路灯闪烁", description="路灯一闪一闪", lat=north(10)))
    ranked = look(signed(report()), min_score=0)
    assert ranked.index(near_alike.pk) < ranked.index(far_alike.pk)
    assert ranked.index(near_alike.pk) < ranked.index(near_other.pk)


def test_cells_cover_the_radius_across_cell_borders():
    x, y = sim.cell_xy(LNG, LAT)
    edge_lng = (x + 1) * sim.CELL_DEG - 180 - 1e-7  # just west of a cell border
    cells = sim.cells_around(edge_lng, LAT, sim.RADIUS_M)
    east = edge_lng + 250 / (M_LAT * math.cos(math.radians(LAT)))
    assert sim.cell_of(east, LAT) in cells and sim.cell_of(edge_lng, north(290)) in cells
