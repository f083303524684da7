"""Issue 11: a form on the case page that fails keeps what was typed — above all 吹哨, whose
ticked departments, their tasks and the reason used to be cleared."""

import re

import pytest
from django.urls import reverse

from dangjian.appeals import actions
from dangjian.appeals.choices import Status

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def street_case(world, report):
    case = actions.accept_case(report(), acting_user=world.grid_worker)
    case = actions.escalate_case(case, reason="网格无法解决", acting_user=world.grid_worker)
    return actions.escalate_case(case, reason="社区上报街道", acting_user=world.street_officer)


def checked(html, pk):
    tag = re.search(rf'<input[^>]*name="departments" value="{pk}"[^>]*>', html)
    assert tag is not None
    return " checked" in tag.group(0)


@pytest.mark.parametrize("htmx", [True, False])
def test_a_failed_whistle_keeps_the_ticked_departments_and_the_reason(
    world, street_case, departments, login, htmx
):
    (cg, _), (hw, _) = departments["城市管理局"], departments["环境卫生管理站"]
    client = login(world.street_officer)
    data = {
        "departments": [cg.pk, hw.pk],
        f"duty_{cg.pk}": "拆除违章搭建",
        "reason": "占道违建，需多部门会商",
    }
    # 环卫 is ticked without a task: refused.
    r = client.post(
        reverse("appeals:case_action", args=[street_case.pk, "whistle"]), data, **(HTMX if htmx else {})
    )
    html = r.content.decode()
    assert r.status_code == (200 if htmx else 400)
    assert "请填写北流市环境卫生管理站的任务" in html and 'data-flash="error"' in html
    assert checked(html, cg.pk) and checked(html, hw.pk)
    assert 'value="拆除违章搭建"' in html and ">占道违建，需多部门会商</textarea>" in html
    assert 'id="act-whistle" class="accordion-collapse collapse show"' in html
    street_case.refresh_from_db()
    assert street_case.status == Status.ACCEPTED
    # The page opened afresh is empty again.
    html = client.get(reverse("appeals:case", args=[street_case.pk])).content.decode()
    assert not checked(html, cg.pk) and "占道违建" not in html


def test_other_failed_forms_keep_what_was_typed(world, report, login):
    case = report()
    client = login(world.grid_worker)
    url = reverse("appeals:case_action", args=[case.pk, "close_duplicate"])
    r = client.post(url, {"merge_into": "BL-20000101-0042", "reason": "同一路灯"}, **HTMX)
    html = r.content.decode()
    assert "未找到编号为 BL-20000101-0042 的诉求" in html
    assert 'value="BL-20000101-0042"' in html and 'value="同一路灯"' in html
    # What was typed goes back only into the form that failed, escaped like any text.
    r = client.post(
        reverse("appeals:case_action", args=[case.pk, "reject"]), {"reason": "<b>" + "长" * 301}, **HTMX
    )
    html = r.content.decode()
    assert "&lt;b&gt;" + "长" * 301 + "</textarea>" in html and "<b>长" not in html
    assert html.count("长" * 301) == 1
