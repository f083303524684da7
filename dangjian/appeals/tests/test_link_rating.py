"""Rating through the private link for a case without a reporter account (12345 hotline):
whoever holds the link rates once when the case is 办结待评价; 不满意 reopens one level up;
afterwards the form is gone and a second submit changes nothing (and says so)."""

import itertools

import pytest
from django.urls import reverse

from dangjian.appeals import actions
from dangjian.appeals.choices import Channel, Status, Tier
from dangjian.appeals.models import Case, Transition
from dangjian.core.models import AuditEvent

_keys = itertools.count(1)


@pytest.fixture
def hotline_case(world, road):
    """``hotline_case(closed=True)``: a 12345 work order filed by the system, worked to 办结."""

    def make(closed=True):
        case = actions.submit_case(
            channel=Channel.HOTLINE,
            category=road,
            title="路灯不亮",
            description="东湖一号小区门口路灯不亮（12345 热线工单 GX-1）",
            idempotency_key=f"hotline:GX-{next(_keys)}",
            lng=110.355,
            lat=22.705,
            contact_name="张先生",
            contact_phone="13812345678",
            acting_user=None,
        ).case
        if not closed:
            return case
        gw = world.grid_worker
        case = actions.accept_case(case, acting_user=gw)
        case = actions.dispatch_case(case, to_node=world.grid_a1, acting_user=gw)
        case = actions.acknowledge_case(case, acting_user=gw)
        case = actions.feedback_case(case, result="已更换灯泡", acting_user=gw)
        return actions.verify_case(case, passed=True, acting_user=world.street_officer)

    return make


def rate(client, case, **data):
    return client.post(reverse("appeals:rate", args=[case.tracking_token]), data, follow=True)


def track(client, case):
    return client.get(reverse("appeals:track", args=[case.tracking_token])).content.decode()


def test_the_link_holder_rates_once(world, hotline_case, client):
    case = hotline_case()
    assert case.reporter_user_id is None and case.reporter_id is None
    assert "办理结果评价" in track(client, case)
    response = rate(client, case, rating="basic", comment="换得还算快")
    assert "感谢您的评价" in response.content.decode()
    case.refresh_from_db()
    assert (case.status, case.rating, case.rating_comment) == (Status.RATED, "basic", "换得还算快")
    row = case.transitions.get(event="rate")
    assert row.actor is None and row.from_state == Status.CLOSED and row.to_state == Status.RATED
    assert AuditEvent.objects.filter(action="appeals.rate_by_link", object_id=str(case.pk)).count() == 1
    html = track(client, case)
    assert "您的评价：基本满意" in html and "办理结果评价" not in html
    # a second submit changes nothing, and says so
    transitions = Transition.objects.count()
    response = rate(client, case, rating="unsatisfied", comment="改主意了")
    assert "您已评价过该诉求，本次提交未作更改" in response.content.decode()
    case.refresh_from_db()
    assert (case.status, case.rating, case.rating_comment) == (Status.RATED, "basic", "换得还算快")
    assert Transition.objects.count() == transitions


def test_unsatisfied_reopens_once_one_level_up(world, hotline_case, client):
    case = hotline_case()
    rate(client, case, rating="unsatisfied", comment="晚上还是黑")
    case.refresh_from_db()
    assert case.status == Status.ACCEPTED and case.tier == Tier.COMMUNITY and case.reopen_count == 1
    assert case.handling_node_id == world.community_a.pk and case.rating == "unsatisfied"
    assert [t.event for t in case.transitions.order_by("id")][-2:] == ["rate", "reopen"]
    assert "办理结果评价" not in track(client, case)
    response = rate(client, case, rating="satisfied")
    assert "您已评价过该诉求，本次提交未作更改" in response.content.decode()
    assert Case.objects.get(pk=case.pk).status == Status.ACCEPTED


def test_there_is_no_form_before_the_case_is_closed(hotline_case, client):
    case = hotline_case(closed=False)
    assert "办理结果评价" not in track(client, case)
    response = rate(client, case, rating="satisfied")
    assert "诉求办结后才能评价" in response.content.decode()
    case.refresh_from_db()
    assert case.status == Status.SUBMITTED and not case.rating


def test_a_bad_choice_is_refused_in_chinese(hotline_case, client):
    case = hotline_case()
    response = rate(client, case, rating="great")
    assert "请选择 满意 / 基本满意 / 不满意" in response.content.decode()
    case.refresh_from_db()
    assert case.status == Status.CLOSED and not case.rating


def test_a_wrong_token_cannot_rate(hotline_case, client):
    case = hotline_case()
    assert client.post(reverse("appeals:rate", args=["wrong"]), {"rating": "satisfied"}).status_code == 404
    assert Case.objects.get(pk=case.pk).status == Status.CLOSED


def test_the_staff_timeline_names_the_link_holder(world, hotline_case, client, login):
    case = hotline_case()
    rate(client, case, rating="satisfied")
    html = login(world.grid_worker).get(reverse("appeals:case", args=[case.pk])).content.decode()
    assert "反映人（专属链接）" in html


def test_the_staff_case_page_prints_the_link_for_the_operator(world, hotline_case, report, login):
    case = hotline_case(closed=False)
    url = reverse("appeals:case", args=[case.pk])
    html = login(world.grid_worker).get(url).content.decode()
    assert 'id="tracking-link"' in html and f"/appeals/t/{case.tracking_token}/" in html
    assert "短信网关未配置" in html  # no gateway in the test settings: copy the link instead
    # a resident's own case: the reporter already has the link in the app
    own = report()
    html = login(world.grid_worker).get(reverse("appeals:case", args=[own.pk])).content.decode()
    assert 'id="tracking-link"' not in html and own.tracking_token not in html
    assert login(world.outsider).get(url).status_code == 404


def test_a_link_holder_is_the_reporter_of_its_own_case_only(world, hotline_case, report):
    from django.contrib.auth.models import AnonymousUser

    from dangjian.appeals.access import actor_kinds
    from dangjian.appeals.choices import Actor
    from dangjian.appeals.link_actions import LinkHolder

    mine, other = hotline_case(), hotline_case()
    resident_case = report()  # filed by a resident account: the link never stands in for it
    assert actor_kinds(LinkHolder(mine.pk), mine) == {Actor.REPORTER}
    assert actor_kinds(LinkHolder(mine.pk), other) == set()
    assert actor_kinds(LinkHolder(resident_case.pk), resident_case) == set()
    assert actor_kinds(AnonymousUser(), mine) == set()
