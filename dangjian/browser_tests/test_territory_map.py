"""The territory browser draws the visible grids with ECharts from the GeoJSON endpoint."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_it_draws_the_grid_map(page, live_server, world, log_in):
    log_in(page, world.street_officer)
    with page.expect_response(re.compile(r"/territory/grids\.geojson")) as geo:
        page.goto(f"{live_server.url}/territory/")
    response = geo.value
    assert response.ok
    features = response.json()["features"]
    assert {f["properties"]["name"] for f in features} == {
        "桂塘第一网格",
        "桂塘第二网格",
    }  # street B stays hidden

    canvas = page.locator("#grid-map canvas")
    expect(canvas.first).to_be_visible()
    box = canvas.first.bounding_box()
    assert box is not None and box["width"] > 200 and box["height"] > 150
    # The map series really holds the grids (not just an empty canvas).
    page.wait_for_function(
        "() => { const c = echarts.getInstanceByDom(document.getElementById('grid-map'));"
        " const o = c && c.getOption(); return o && o.series && o.series[0] && o.series[0].data.length === 2; }"
    )
    expect(page.locator(".tree")).to_contain_text("陵城街道")
    assert page.js_errors == []


def test_it_draws_the_map_on_a_phone(phone, live_server, world, log_in):
    log_in(phone, world.grid_worker)
    with phone.expect_response(re.compile(r"/territory/grids\.geojson")) as geo:
        phone.goto(f"{live_server.url}/territory/")
    assert [f["properties"]["name"] for f in geo.value.json()["features"]] == ["桂塘第一网格"]
    expect(phone.locator("#grid-map canvas").first).to_be_visible()
    width = phone.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390, f"页面横向溢出：{width}px"
