"""The private tracking link: without logging in, the timeline, deadlines and photos;
staff-only notes stay hidden; unknown tokens are 404."""

import pytest
from django.urls import reverse

from dangjian.appeals import actions


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def in_progress(world, report):
    gw = world.grid_worker
    case = report()
    case = actions.accept_case(case, acting_user=gw)
    case = actions.dispatch_case(case, to_node=world.grid_a1, note="派给小王，注意安全", acting_user=gw)
    return actions.acknowledge_case(case, acting_user=gw)


def test_it_shows_the_timeline_without_a_login_and_hides_staff_notes(world, report, client):
    case = in_progress(world, report)
    actions.add_progress(case, text="已联系供电所，明天更换", acting_user=world.grid_worker)
    actions.add_progress(case, text="内部：该户多次投诉", public=False, acting_user=world.grid_worker)
    response = client.get(reverse("appeals:track", args=[case.tracking_token]))
    html = response.content.decode()
    assert response.status_code == 200
    for words in ("提交诉求", "受理立案", "派遣", "签收", "处置中", "已联系供电所，明天更换", case.number):
        assert words in html
    assert "内部：该户多次投诉" not in html and "派给小王" not in html
    assert "办结时限" in html and ("剩余" in html or "已超期" in html)
    assert response["Referrer-Policy"] == "same-origin" and "noindex" in response["X-Robots-Tag"]
    assert "13800001234" not in html and "李秀英" not in html


def test_a_wrong_token_is_404(world, report, client):
    report()
    assert client.get(reverse("appeals:track", args=["not-a-token"])).status_code == 404
    assert client.get(reverse("appeals:track", args=["x" * 41])).status_code == 404


def test_a_rejection_shows_its_reason(world, report, client):
    case = report()
    actions.reject_case(case, reason="不属于本平台受理范围", acting_user=world.grid_worker)
    html = client.get(reverse("appeals:track", args=[case.tracking_token])).content.decode()
    assert "不予受理" in html and "不属于本平台受理范围" in html and "办结时限" not in html


def test_the_query_count_does_not_grow_with_the_history(world, report, client, django_assert_max_num_queries):
    case = in_progress(world, report)
    for i in range(8):
        actions.add_progress(case, text=f"进展{i}", acting_user=world.grid_worker)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("appeals:track", args=[case.tracking_token]))
    assert response.status_code == 200 and "进展7" in response.content.decode()
