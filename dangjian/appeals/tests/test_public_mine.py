"""我的诉求: my own cases (to the private page) and the ones I follow, with status badges."""

from django.urls import reverse

from dangjian.appeals import actions
from dangjian.core.pages import menu_for


def test_it_lists_my_cases_and_the_followed_ones(world, report, login):
    mine = report(title="我的路灯")
    rejected = report(title="我的另一件")
    actions.reject_case(rejected, reason="不属实", acting_user=world.grid_worker)
    theirs = report(title="陈建华反映的", reporter=world.member_person, acting_user=world.member)
    other = report(title="别人的问题", reporter=world.member_person, acting_user=world.member)
    actions.follow_case(theirs, acting_user=world.resident)
    html = login(world.resident).get(reverse("appeals:mine")).content.decode()
    assert reverse("appeals:track", args=[mine.tracking_token]) in html
    assert reverse("appeals:public_case", args=[theirs.number]) in html
    assert theirs.tracking_token not in html and other.title not in html
    assert "text-bg-secondary" in html and "待受理" in html and "不予受理" in html


def test_empty_lists_say_so(world, login):
    html = login(world.member).get(reverse("appeals:mine")).content.decode()
    assert "您还没有反映过问题" in html and "暂无关注的问题" in html


def test_the_query_count_does_not_grow_with_the_list(world, report, login, django_assert_max_num_queries):
    client = login(world.resident)
    for _ in range(2):
        report()
    with django_assert_max_num_queries(9) as few:
        client.get(reverse("appeals:mine"))
    for _ in range(10):
        actions.follow_case(
            report(reporter=world.member_person, acting_user=world.member), acting_user=world.resident
        )
        report()
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("appeals:mine"))
    html = response.content.decode()
    assert html.count('href="/appeals/t/') == 12 and html.count('href="/appeals/c/') == 10


def test_residents_and_members_find_it_in_the_menu(world):
    for user in (world.resident, world.member, world.street_officer):
        names = [i["name"] for i in menu_for(user)]
        assert "appeals:report" in names and "appeals:mine" in names


def test_it_needs_a_login(client):
    assert client.get(reverse("appeals:mine")).status_code == 302
