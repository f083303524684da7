"""Issue 11: short buttons beside an input (查询, 查看, 筛选) never wrap one character per line
on a phone: text-nowrap where the page is ours, one CSS rule for buttons in flex rows."""

import re
from pathlib import Path

from django.contrib.staticfiles import finders
from django.urls import reverse


def button(html, text):
    found = re.search(rf'<(?:button|a) class="([^"]*)"[^>]*>(?:<i [^>]*></i>)?{text}</(?:button|a)>', html)
    assert found is not None, text
    return found.group(1).split()


def test_the_counters_query_button_stays_on_one_line(world, login, community_worker):
    html = login(community_worker).get("/points/counter/").content.decode()
    assert "text-nowrap" in button(html, "查询")


def test_the_queue_filter_buttons_stay_on_one_line(world, login):
    html = login(world.grid_worker).get(reverse("appeals:queue")).content.decode()
    assert "text-nowrap" in button(html, "筛选") and "text-nowrap" in button(html, "重置")


def test_buttons_in_flex_rows_do_not_wrap():
    css = Path(str(finders.find("css/app.css"))).read_text(encoding="utf-8")
    assert ".d-flex > .btn, .input-group > .btn { white-space: nowrap; }" in css
