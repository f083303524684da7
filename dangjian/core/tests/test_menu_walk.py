"""Every persona's menu: each entry answers 200, and no page outside the role is offered.

The table (``core/pages.py``) is also checked the other way: a page its ``allow`` rule closes
for a persona answers 404 to that persona, so the menu and the views cannot disagree.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from dangjian.core.pages import PAGES, menu_for
from dangjian.core.tests.personas import PERSONAS

# What each role's menu holds, by label (the table's rules, written out once by hand).
CITIZEN = [
    "首页",
    "有话想说",
    "我的诉求",
    "心愿墙",
    "我的心愿",
    "双报到",
    "我的积分",
    "爱心超市",
    "消息",
    "我的档案",
]
EXPECTED: dict[str, list[str]] = {
    "city_admin": [
        "首页",
        "有话想说",
        "我的诉求",
        "心愿墙",
        "诉求办理",
        "12345 工单导入",
        "热点问题",
        "心愿办理",
        "工委清单",
        "报到确认与核实",
        "回单位反馈",
        "积分奖励与冲正",
        "爱心超市管理",
        "诉求统计",
        "双报到统计",
        "积分统计",
        "区域网格",
        "党组织",
        "党员",
        "居民",
        "网格员",
        "社区工作者",
        "驻区单位",
        "服务阵地",
        "数据导入",
        "分派规则",
        "接口密钥",
        "消息",
    ],
    "leader": [
        "首页",
        "有话想说",
        "我的诉求",
        "心愿墙",
        "热点问题",
        "工委清单",
        "诉求统计",
        "双报到统计",
        "积分统计",
        "区域网格",
        "党组织",
        "党员",
        "网格员",
        "社区工作者",
        "驻区单位",
        "服务阵地",
        "消息",
    ],
    "street_officer": [
        "首页",
        "有话想说",
        "我的诉求",
        "心愿墙",
        "诉求办理",
        "12345 工单导入",
        "热点问题",
        "心愿办理",
        "工委清单",
        "报到确认与核实",
        "回单位反馈",
        "积分奖励与冲正",
        "爱心超市管理",
        "诉求统计",
        "双报到统计",
        "积分统计",
        "区域网格",
        "党组织",
        "党员",
        "居民",
        "网格员",
        "社区工作者",
        "驻区单位",
        "服务阵地",
        "数据导入",
        "街长任务清单",
        "消息",
    ],
    "street_chief": [
        "首页",
        "有话想说",
        "我的诉求",
        "心愿墙",
        "诉求办理",
        "12345 工单导入",
        "热点问题",
        "心愿办理",
        "工委清单",
        "报到确认与核实",
        "回单位反馈",
        "积分奖励与冲正",
        "爱心超市管理",
        "诉求统计",
        "双报到统计",
        "积分统计",
        "区域网格",
        "党组织",
        "党员",
        "居民",
        "网格员",
        "社区工作者",
        "驻区单位",
        "服务阵地",
        "数据导入",
        "街长任务清单",
        "消息",
    ],
    "community_worker": [
        "首页",
        "有话想说",
        "我的诉求",
        "心愿墙",
        "诉求办理",
        "12345 工单导入",
        "热点问题",
        "心愿办理",
        "工委清单",
        "报到确认与核实",
        "回单位反馈",
        "积分奖励与冲正",
        "爱心超市管理",
        "诉求统计",
        "双报到统计",
        "积分统计",
        "区域网格",
        "党组织",
        "党员",
        "居民",
        "网格员",
        "社区工作者",
        "驻区单位",
        "服务阵地",
        "数据导入",
        "消息",
    ],
    "grid_worker": [
        "首页",
        "有话想说",
        "我的诉求",
        "心愿墙",
        "我的心愿",
        "双报到",
        "诉求办理",
        "12345 工单导入",
        "热点问题",
        "心愿办理",
        "工委清单",
        "报到确认与核实",
        "回单位反馈",
        "积分奖励与冲正",
        "爱心超市管理",
        "诉求统计",
        "双报到统计",
        "积分统计",
        "区域网格",
        "党组织",
        "党员",
        "居民",
        "网格员",
        "社区工作者",
        "驻区单位",
        "服务阵地",
        "数据导入",
        "我的积分",
        "爱心超市",
        "消息",
        "我的档案",
    ],
    "department": [
        "首页",
        "有话想说",
        "我的诉求",
        "心愿墙",
        "诉求办理",
        "热点问题",
        "回单位反馈",
        "诉求统计",
        "双报到统计",
        "居民",
        "驻区单位",
        "消息",
    ],
    "inspector": [
        "首页",
        "有话想说",
        "我的诉求",
        "心愿墙",
        "热点问题",
        "工委清单",
        "诉求统计",
        "双报到统计",
        "积分统计",
        "区域网格",
        "党组织",
        "党员",
        "网格员",
        "社区工作者",
        "驻区单位",
        "服务阵地",
        "消息",
    ],
    "unit_admin": [
        "首页",
        "有话想说",
        "我的诉求",
        "心愿墙",
        "诉求办理",
        "热点问题",
        "回单位反馈",
        "诉求统计",
        "双报到统计",
        "党员",
        "驻区单位",
        "消息",
    ],
    "member": CITIZEN,
    "resident": CITIZEN,
}


def _get(client: Any, url: str) -> Any:
    return client.get(url, follow=True)


@pytest.mark.parametrize("key", list(PERSONAS))
def test_it_offers_each_role_its_own_menu(key: str, personas: Any) -> None:
    assert [i["label"] for i in menu_for(personas[key])] == EXPECTED[key]


@pytest.mark.parametrize("key", list(PERSONAS))
def test_every_menu_entry_answers_200(key: str, personas: Any, client: Any, db: Any) -> None:
    client.force_login(personas[key])
    failures = {}
    for item in menu_for(personas[key]):
        response = _get(client, item["url"])
        if response.status_code != 200:
            failures[item["label"]] = response.status_code
    assert failures == {}


@pytest.mark.parametrize("key", list(PERSONAS))
def test_every_closed_page_answers_404(key: str, personas: Any, client: Any, db: Any) -> None:
    user = personas[key]
    client.force_login(user)
    failures = {}
    for p in PAGES:
        if not p.allow(user):
            response = client.get(reverse(p.name))
            if response.status_code != 404:
                failures[p.label] = response.status_code
    assert failures == {}


def test_the_issues_dead_ends_are_gone(personas: Any) -> None:
    """Issue 11 met 404s on these entries; they are no longer offered."""
    street = {i["label"] for i in menu_for(personas["street_officer"])}
    assert not {"我的积分", "爱心超市"} & street
    for key in ("department", "unit_admin"):
        labels = {i["label"] for i in menu_for(personas[key])}
        assert not {"12345 工单导入", "数据导入"} & labels


@pytest.mark.parametrize(("key", "status"), [("resident", 404), ("member", 404), ("grid_worker", 200)])
def test_the_api_reads_the_same_table(key: str, status: int, personas: Any, client: Any, db: Any) -> None:
    """``require_page`` gives the API the page's rule: the wish queue is staff work."""
    client.force_login(personas[key])
    assert client.get("/api/v1/needs").status_code == status
