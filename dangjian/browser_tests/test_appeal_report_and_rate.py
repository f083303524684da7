"""有话想说 on a phone: a resident logs in through the form, picks a three-level category
through the htmx cascade, taps the problem's place on the grid map, attaches a photo taken
with GPS in its EXIF and submits; staff then handle the case (actions); the resident opens
the private tracking link without being logged in and rates 满意."""

import re
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import expect

from dangjian.appeals import actions
from dangjian.appeals.choices import Channel, Rating, Status
from dangjian.appeals.models import Case, Category, Photo
from dangjian.browser_tests.conftest import DESKTOP, _context

pytestmark = pytest.mark.browser

LNG, LAT = 110.355, 22.705  # inside grid A1 (桂塘第一网格) of the personas' world


def jpeg_with_gps(path: Path) -> Path:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (22.0, 42.0, 18.0), 3: "E", 4: (110.0, 21.0, 18.0)}  # GPS
    Image.new("RGB", (320, 240), (200, 40, 40)).save(path, "JPEG", exif=exif.tobytes())
    assert Image.open(path).getexif().get_ifd(0x8825)  # the file really carries a GPS position
    return path


def wired(page, selector: str) -> None:
    """Wait until htmx has finished settling ``selector`` (swapped in and its hx-* attributes
    processed): a change made in the 20 ms before that is lost, as it would be for a user."""
    page.wait_for_function(
        "(sel) => { const el = document.querySelector(sel);"
        " return el && !el.disabled && (el['htmx-internal-data'] || {}).initHash"
        " && !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling'); }",
        arg=selector,
    )


def test_it_reports_with_a_photo_on_a_phone_and_rates_through_the_link(
    phone, browser, live_server, world, appeal_categories, sign_in, log_in, snap, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    page = phone
    leaf = (
        Category.objects.filter(level=3, enterprise=False, active=True)
        .select_related("parent__parent")
        .order_by("code")
        .first()
    )
    assert leaf is not None and leaf.parent is not None and leaf.parent.parent is not None
    photo = jpeg_with_gps(tmp_path / "现场.jpg")

    stacks = []
    page.on("pageerror", lambda e: stacks.append(e.stack))
    sign_in(page, "13800001234")  # 李秀英, a resident of grid A1
    page.goto(f"{live_server.url}/appeals/report/")
    expect(page.locator("h1")).to_contain_text("有话想说")

    # The htmx cascade: level 2 and 3 are empty and disabled until their parent is chosen.
    expect(page.locator("#cat2")).to_be_disabled()
    page.locator("#cat1").select_option(label=leaf.parent.parent.name)
    expect(page.locator("#cat2")).to_be_enabled()
    expect(page.locator("#cat3")).to_be_disabled()
    wired(page, "#cat2")
    page.locator("#cat2").select_option(label=leaf.parent.name)
    expect(page.locator("#cat3")).to_be_enabled()
    page.locator("#cat3").select_option(label=leaf.name)
    assert page.locator("#cat3").input_value() == str(leaf.pk)

    page.get_by_label("标题").fill("小区门口路灯不亮")
    page.get_by_label("详细情况").fill("东湖一号小区南门口的路灯坏了三天，晚上很黑")

    # Tap the map where grid A1 lies: the pixel comes from the chart's own projection.
    page.wait_for_function(
        "() => { const c = echarts.getInstanceByDom(document.getElementById('pick-map'));"
        " const o = c && c.getOption(); return o && o.geo && o.geo.length > 0; }"
    )
    page.locator("#pick-map").scroll_into_view_if_needed()
    x, y = page.evaluate(
        "([lng, lat]) => echarts.getInstanceByDom(document.getElementById('pick-map'))"
        ".convertToPixel({geoIndex: 0}, [lng, lat])",
        [LNG, LAT],
    )
    box = page.locator("#pick-map").bounding_box()
    assert box is not None and 0 < x < box["width"] and 0 < y < box["height"], (x, y, box)
    page.locator("#pick-map").tap(position={"x": x, "y": y})
    expect(page.locator("#pick-readout")).to_contain_text("已选位置")
    expect(page.locator("#nearby")).to_contain_text("桂塘第一网格")  # located to its grid
    picked = float(page.locator("#id_lng").input_value()), float(page.locator("#id_lat").input_value())
    assert abs(picked[0] - LNG) < 0.001 and abs(picked[1] - LAT) < 0.001, picked

    page.locator("#id_photos").set_input_files(str(photo))
    expect(page.locator("#photo-thumbs img")).to_have_count(1)
    snap(page, "filled")

    page.locator("#report-submit").click()
    expect(page).to_have_url(re.compile(r"/appeals/submitted/BL-\d{8}-\d{4}/$"))
    number = page.locator("#case-number").inner_text().strip()
    track_url = page.locator("#track-url").input_value()
    expect(page.get_by_role("link", name="查看办理进度")).to_have_attribute("href", track_url)
    snap(page, "submitted")

    case = Case.objects.get(number=number)
    assert case.channel == Channel.RESIDENT and case.status == Status.SUBMITTED
    assert case.reporter_user == world.resident and case.category == leaf
    assert case.grid_id == world.grid_a1.pk
    assert track_url == f"{live_server.url}/appeals/t/{case.tracking_token}/"

    # The grid worker handles it at a desk (a desktop browser of its own): accept, dispatch to
    # the grid, acknowledge, feed the result back. Then the street verifies (an action).
    desk = _context(browser, DESKTOP, mobile=False)
    try:
        staff = desk.new_page()
        staff_errors: list[str] = []
        staff.on("pageerror", lambda exc: staff_errors.append(str(exc)))
        log_in(staff, world.grid_worker)
        staff.goto(f"{live_server.url}/appeals/staff/case/{case.pk}/")
        expect(staff.locator("h1")).to_contain_text("小区门口路灯不亮")
        for event, fields, after in (
            ("accept", {}, "dispatch"),
            ("dispatch", {"target": f"node:{world.grid_a1.pk}"}, "acknowledge"),
            ("acknowledge", {}, "feedback"),
            ("feedback", {"result": "已联系供电所更换灯泡"}, None),
        ):
            item = staff.locator(f"#action-panel [data-event='{event}']")
            item.locator(".accordion-button").click()
            form = item.locator("form")
            expect(form).to_be_visible()
            for name, value in fields.items():
                field = form.locator(f"[name='{name}']")
                if name == "target":
                    field.select_option(value)
                else:
                    field.fill(value)
            form.get_by_role("button", name="确定").click()
            expect(staff.locator("#case-work [data-flash='ok']")).to_be_visible()
            if after:
                expect(staff.locator(f"#action-panel [data-event='{after}']")).to_be_visible()
        expect(staff.locator("#case-work")).to_contain_text("已反馈待核查")
        snap(staff, "handled")
        assert staff_errors == []
    finally:
        desk.close()
    case.refresh_from_db()
    assert case.status == Status.HANDLED and case.handled_at is not None
    case = actions.verify_case(case, passed=True, acting_user=world.street_officer)
    assert case.status == Status.CLOSED

    # Later, from the link in a message: no log-in needed.
    page.context.clear_cookies()
    page.goto(track_url)
    expect(page.locator("main")).to_contain_text(number)
    expect(page.locator("main")).to_contain_text("已办结待评价")
    expect(page.locator("main")).to_contain_text("已联系供电所更换灯泡")  # the result is shown
    expect(page.locator("#rate")).to_be_visible()
    expect(page.locator("main img[alt='反映照片']")).to_have_count(1)
    snap(page, "to_rate")
    page.locator("#rate").get_by_text("满意", exact=True).click()
    expect(page.locator("#rating-satisfied")).to_be_checked()
    page.locator("#id_comment").fill("修得很快，谢谢")
    page.get_by_role("button", name="提交评价").click()

    expect(page).to_have_url(track_url)
    expect(page.locator("main")).to_contain_text("已评价")
    expect(page.locator("main")).to_contain_text("您的评价：满意")
    expect(page.locator("main")).to_contain_text("感谢您的评价")
    expect(page.locator("#rate")).to_have_count(0)  # rated once only

    case.refresh_from_db()
    assert case.status == Status.RATED and case.rating == Rating.SATISFIED
    assert case.rating_comment == "修得很快，谢谢"
    stored = Photo.objects.get(case=case)
    assert stored.kind == "report"
    image = Image.open(stored.image.path)
    assert image.format == "JPEG" and "exif" not in image.info
    assert len(image.getexif()) == 0 and not image.getexif().get_ifd(0x8825)
    assert b"PhoneMaker" not in Path(stored.image.path).read_bytes()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    assert page.js_errors == [], stacks
