"""Issue 11: a known case number typed into the queue's search jumps to the case (when the
user may see it; otherwise the usual empty list), and a text search covers every tab."""

import re

from django.urls import reverse

from dangjian.appeals import actions

QUEUE = reverse("appeals:queue")
HTMX = {"HTTP_HX_REQUEST": "true"}


def numbers(response):
    return set(re.findall(r'data-case="([^"]+)"', response.content.decode()))


def test_it_jumps_to_a_case_by_its_number_from_any_tab(world, report, login):
    case = actions.accept_case(report(), acting_user=world.grid_worker)  # 待派遣, not 待受理
    client = login(world.grid_worker)
    url = reverse("appeals:case", args=[case.pk])
    for tab in ("submitted", "handled", "all", ""):
        r = client.get(QUEUE, {"tab": tab, "q": case.number})
        assert r.status_code == 302 and r["Location"] == url, tab
    # Typed in lower case and with spaces around it.
    assert client.get(QUEUE, {"q": f"  {case.number.lower()} "})["Location"] == url
    # From the search box (htmx): the browser is sent to the case.
    r = client.get(QUEUE, {"tab": "submitted", "q": case.number}, **HTMX)
    assert r.status_code == 200 and r["HX-Redirect"] == url


def test_a_number_out_of_scope_is_simply_not_found(world, report, login):
    case = report()
    r = login(world.outsider).get(QUEUE, {"tab": "all", "q": case.number})
    assert r.status_code == 200 and "HX-Redirect" not in r and numbers(r) == set()
    assert "暂无诉求" in r.content.decode()
    r = login(world.outsider).get(QUEUE, {"q": "BL-20000101-0001"})  # no such case
    assert r.status_code == 200 and numbers(r) == set()


def test_a_text_search_looks_through_every_tab(world, report, login):
    gw = world.grid_worker
    waiting = report(title="井盖缺失")  # 待受理
    accepted = actions.accept_case(report(title="井盖松动"), acting_user=gw)  # 待派遣
    other = report(title="路灯不亮")
    client = login(gw)
    r = client.get(QUEUE, {"tab": "submitted", "q": "井盖"})
    assert numbers(r) == {waiting.number, accepted.number}
    assert "已在全部诉求中搜索" in r.content.decode()
    assert numbers(client.get(QUEUE, {"tab": "handled", "q": "井盖"}, **HTMX)) == {
        waiting.number,
        accepted.number,
    }
    # Without a search the tab still narrows the list.
    assert numbers(client.get(QUEUE, {"tab": "submitted"})) == {waiting.number, other.number}
