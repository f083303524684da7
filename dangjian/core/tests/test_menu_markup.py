"""The menu in base.html: grouped in one <nav aria-label="主菜单">, a bottom tab bar on phones
for residents, members and grid workers only."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse


def _nav(html: str, label: str) -> str:
    match = re.search(rf'(?s)<nav aria-label="{label}"[^>]*>(.*?)</nav>', html)
    return match.group(1) if match else ""


def test_one_main_menu_grouped_by_what_the_person_does(personas: Any, client: Any, db: Any) -> None:
    client.force_login(personas["street_officer"])
    html = client.get(reverse("appeals:queue")).content.decode()
    assert html.count('aria-label="主菜单"') == 1
    menu = _nav(html, "主菜单")
    groups = re.findall(r'(?s)class="menu-group-toggle[^"]*"[^>]*>.*?</i>(\S+?)<i', menu)
    assert groups == ["办事", "办理", "统计", "管理", "我的"]
    # on a phone only the group of the current page is unfolded
    assert re.search(r'aria-expanded="true" aria-controls="nav-group-2"', menu)  # 办理
    assert re.search(r'aria-expanded="false" aria-controls="nav-group-4"', menu)  # 管理
    assert 'aria-current="page"' in menu and "诉求办理" in menu
    assert "底部导航" not in html


@pytest.mark.parametrize(
    ("key", "tabs"),
    [
        ("resident", ["首页", "反映", "心愿", "积分", "我的"]),
        ("member", ["首页", "反映", "心愿", "积分", "我的"]),
        ("grid_worker", ["首页", "办件", "反映", "心愿", "消息"]),
    ],
)
def test_a_bottom_tab_bar_for_people_on_foot(
    key: str, tabs: list[str], personas: Any, client: Any, db: Any
) -> None:
    client.force_login(personas[key])
    html = client.get("/").content.decode()
    bar = _nav(html, "底部导航")
    assert re.findall(r"<span>([^<]+)</span>", bar) == tabs
    assert "d-md-none" in re.search(r'<nav aria-label="底部导航"[^>]*>', html).group(0)  # type: ignore[union-attr]
    assert 'class="has-tabbar' in html


@pytest.mark.parametrize("key", ["city_admin", "department", "leader", "unit_admin"])
def test_no_tab_bar_for_office_roles(key: str, personas: Any, client: Any, db: Any) -> None:
    client.force_login(personas[key])
    assert "底部导航" not in client.get("/").content.decode()
