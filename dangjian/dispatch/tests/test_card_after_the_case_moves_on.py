"""Issue 11: the 智能分派建议 card stops offering 采用建议 once the case has moved on — also
when it moved on through the action panel (htmx), which swaps the card out of band."""

import pytest
from django.urls import reverse

from dangjian.appeals import actions as appeals_actions
from dangjian.dispatch import actions

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def rules(world, departments, lamp):
    actions.create_rule(
        node=world.city,
        category=lamp,
        tier="street",
        department=departments["城市管理局"][0],
        acting_user=world.admin,
    )


def card(html):
    start = html.index('<div id="dispatch-panel"')
    return html[start : html.index('data-panel="duplicates"', start)]


def test_dispatching_from_the_action_panel_refreshes_the_card(world, report, rules, login):
    client = login(world.grid_worker)
    case = report()
    html = client.get(reverse("appeals:case", args=[case.pk])).content.decode()
    assert 'data-action="apply"' in card(html)
    case = appeals_actions.accept_case(case, acting_user=world.grid_worker)
    r = client.post(
        reverse("appeals:case_action", args=[case.pk, "dispatch"]),
        {"target": f"node:{world.grid_a1.pk}", "note": "网格员处理"},
        **HTMX,
    )
    html = r.content.decode()
    assert 'data-flash="ok"' in html
    swapped = card(html)
    assert 'hx-swap-oob="true"' in swapped
    assert 'data-action="apply"' not in swapped and 'data-form="override"' not in swapped
    assert "已失效" in swapped and "此建议不再适用" in swapped
    # The page opened afresh says the same.
    page = card(client.get(reverse("appeals:case", args=[case.pk])).content.decode())
    assert 'data-action="apply"' not in page and "已失效" in page


def test_a_card_still_valid_keeps_its_actions(world, report, rules, login):
    client = login(world.grid_worker)
    case = report()
    client.get(reverse("appeals:case", args=[case.pk]))
    r = client.post(reverse("appeals:case_action", args=[case.pk, "accept"]), {"note": ""}, **HTMX)
    swapped = card(r.content.decode())
    assert 'data-action="apply"' in swapped and "已失效" not in swapped
