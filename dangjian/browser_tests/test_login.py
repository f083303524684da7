"""Log-in through the real form on a phone: a wrong password shows the Chinese error, the
right one lands on the home page."""

import re

import pytest
from playwright.sync_api import expect

from dangjian.conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_it_logs_in_with_phone_and_password(phone, live_server, world):
    page = phone
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))  # anonymous → log-in page

    page.get_by_label("手机号").fill("130 0000 0002")
    page.get_by_label("密码").fill("not-the-password")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("alert")).to_contain_text("手机号或密码错误")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    assert page.get_by_label("手机号").input_value() == "130 0000 0002"  # kept for a retry

    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator("nav.navbar")).to_be_visible()
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator("main")).to_contain_text("陵城街道")  # the officer's scope
    assert page.js_errors == []


def test_it_rejects_a_malformed_phone_in_chinese(phone, live_server, world):
    page = phone
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("手机号").fill("12345")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.locator(".invalid-feedback")).to_contain_text("请输入正确的 11 位手机号")
