"""关注此问题: follow an open case instead of filing a duplicate."""

from django.urls import reverse

from dangjian.appeals import actions
from dangjian.appeals.models import Case, Follower


def test_it_follows_an_open_case_and_goes_to_its_public_page(world, report, login):
    case = report()
    client = login(world.member)
    response = client.post(reverse("appeals:follow", args=[case.number]))
    assert response.status_code == 302 and response["Location"] == reverse(
        "appeals:public_case", args=[case.number]
    )
    assert Follower.objects.filter(case=case, user=world.member).count() == 1
    client.post(reverse("appeals:follow", args=[case.number]))  # twice is still once
    assert Follower.objects.filter(case=case).count() == 1 and Case.objects.count() == 1
    assert "已关注" in client.get(response["Location"]).content.decode()


def test_from_the_report_page_htmx_is_told_where_to_go(world, report, login):
    case = report()
    response = login(world.member).post(
        reverse("appeals:follow", args=[case.number]), headers={"HX-Request": "true"}
    )
    assert response.status_code == 204
    assert response["HX-Redirect"] == reverse("appeals:public_case", args=[case.number])


def test_a_finished_case_is_not_followed(world, report, login):
    case = report()
    actions.reject_case(case, reason="不属实", acting_user=world.grid_worker)
    client = login(world.member)
    response = client.post(reverse("appeals:follow", args=[case.number]), follow=True)
    assert "无需关注" in response.content.decode() and not Follower.objects.exists()


def test_following_needs_a_login_and_a_post(world, report, client, login):
    case = report()
    assert client.post(reverse("appeals:follow", args=[case.number])).status_code == 302
    assert login(world.member).get(reverse("appeals:follow", args=[case.number])).status_code == 405
    assert login(world.member).post(reverse("appeals:follow", args=["BL-19990101-0001"])).status_code == 404
    assert not Follower.objects.exists()
