"""A micro-wish on phones: the resident posts it through 我要许愿, the community publishes it,
a party member claims it on the wall and fulfils it, the resident confirms and rates, points
appear on the member's 我的积分 page and the member redeems them in 爱心超市."""

import re

import pytest
from playwright.sync_api import expect

from dangjian.browser_tests.conftest import DESKTOP, _context
from dangjian.needs.models import Need

pytestmark = pytest.mark.browser


def test_it_takes_a_wish_from_the_phone_to_the_love_supermarket(
    phone, live_server, points_rules, world, sign_in, log_in, snap
):
    from dangjian.points import actions as points_actions

    page = phone
    sign_in(page, "13800001234")  # 李秀英, resident of grid A1
    page.goto(f"{live_server.url}/needs/new/")
    expect(page.locator("h1")).to_contain_text("我要许愿")
    page.get_by_label("我的心愿").fill("想要一台收音机听粤剧")
    page.locator("label[for=skill-donation]").click()
    snap(page, "wish form")
    page.get_by_role("button", name="提交心愿").click()
    expect(page.locator("body")).to_contain_text("社区审核后将上心愿墙")
    need = Need.objects.get(title="想要一台收音机听粤剧")
    assert need.beneficiary_id == world.resident_person.pk and need.status == "submitted"

    # 社区审核上墙, at a desktop: the street officer opens the wish and publishes it.
    desk = _context(page.context.browser, DESKTOP, mobile=False)
    try:
        staff = desk.new_page()
        log_in(staff, world.street_officer)
        staff.goto(f"{live_server.url}/needs/{need.pk}/")
        expect(staff.locator("h1")).to_contain_text("想要一台收音机听粤剧")
        staff.locator("form[data-event=publish]").get_by_role("button").click()
        expect(staff.locator("body")).to_contain_text("已上墙")
        snap(staff, "published")
    finally:
        desk.close()
    need.refresh_from_db()
    assert need.status == "published"

    page.context.clear_cookies()
    sign_in(page, "13900005678")  # 陈建华, party member of the same compound
    page.goto(f"{live_server.url}/needs/wall/{world.community_a.pk}/")
    card = page.locator(f"[data-need='{need.pk}']")
    expect(card).to_contain_text("想要一台收音机听粤剧")
    expect(page.locator("body")).not_to_contain_text("李秀英")  # the wall hides who wished
    snap(page, "wall")
    card.get_by_role("button", name="我来接单").click()
    expect(page.locator("[data-claimer]")).to_contain_text("陈建华")
    form = page.locator("form[data-event=fulfil]")
    form.get_by_label("完成情况").fill("收音机已送到李阿姨家，教会了调台")
    form.get_by_role("button", name="完成并上传凭证").click()
    expect(page.locator("body")).to_contain_text("已完成待确认")

    page.context.clear_cookies()
    sign_in(page, "13800001234")
    page.goto(f"{live_server.url}/needs/mine/")
    expect(page.locator("body")).to_contain_text("待您确认")
    page.get_by_text("想要一台收音机听粤剧").click()
    page.locator("form[data-event=confirm]").get_by_role("button").click()
    expect(page.locator("body")).to_contain_text("已确认")
    page.locator("label[for=star-5]").click()
    page.locator("form[data-event=rate]").get_by_role("button").click()
    expect(page.locator("body")).to_contain_text("已评价")
    snap(page, "rated")

    points_actions.create_item(shop=world.community_a, name="洗衣液", cost=10, stock=5, acting_user=None)
    page.context.clear_cookies()
    sign_in(page, "13900005678")
    page.goto(f"{live_server.url}/points/")
    expect(page.get_by_test_id("honour-balance")).to_have_text("20")
    page.goto(f"{live_server.url}/points/shop/")
    page.get_by_role("button", name="兑换").click()
    expect(page.locator("body")).to_contain_text(re.compile(r"兑换成功！取货码 \w+"))
    snap(page, "redeemed")
    assert page.js_errors == []
