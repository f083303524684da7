"""反馈评价 through the page: the link holder or the logged-in reporter rates a closed case."""

from django.urls import reverse

from dangjian.appeals import actions
from dangjian.appeals.choices import Status
from dangjian.appeals.models import Case


def closed(world, report):
    gw = world.grid_worker
    case = report()
    case = actions.accept_case(case, acting_user=gw)
    case = actions.dispatch_case(case, to_node=world.grid_a1, acting_user=gw)
    case = actions.acknowledge_case(case, acting_user=gw)
    case = actions.feedback_case(case, result="已更换灯泡", acting_user=gw)
    return actions.verify_case(case, passed=True, acting_user=world.street_officer)


def test_the_link_holder_rates_without_logging_in(world, report, client):
    case = closed(world, report)
    url = reverse("appeals:track", args=[case.tracking_token])
    html = client.get(url).content.decode()
    assert "办理结果评价" in html and "基本满意" in html and "已更换灯泡" in html
    response = client.post(
        reverse("appeals:rate", args=[case.tracking_token]), {"rating": "basic", "comment": "还行"}
    )
    assert response.status_code == 302 and response["Location"] == url
    case.refresh_from_db()
    assert case.status == Status.RATED and case.rating == "basic" and case.rating_comment == "还行"
    assert case.transitions.get(event="rate").actor == world.resident  # acted as the reporter's account
    html = client.get(url).content.decode()
    assert "您的评价：基本满意" in html and "办理结果评价" not in html


def test_unsatisfied_reopens_one_level_up(world, report, login):
    case = closed(world, report)
    client = login(world.resident)
    client.post(reverse("appeals:rate", args=[case.tracking_token]), {"rating": "unsatisfied"})
    case.refresh_from_db()
    assert case.rating == "unsatisfied" and case.reopen_count == 1 and case.tier == "community"


def test_a_bad_choice_is_refused_in_chinese(world, report, client):
    case = closed(world, report)
    response = client.post(
        reverse("appeals:rate", args=[case.tracking_token]), {"rating": "great"}, follow=True
    )
    assert "请选择 满意 / 基本满意 / 不满意" in response.content.decode()
    assert Case.objects.get(pk=case.pk).status == Status.CLOSED


def test_there_is_no_form_before_the_case_is_closed(world, report, client):
    case = report()
    assert (
        "办理结果评价"
        not in client.get(reverse("appeals:track", args=[case.tracking_token])).content.decode()
    )
    response = client.post(
        reverse("appeals:rate", args=[case.tracking_token]), {"rating": "satisfied"}, follow=True
    )
    assert Case.objects.get(pk=case.pk).status == Status.SUBMITTED
    assert response.status_code == 200 and "您的评价" not in response.content.decode()


def test_without_a_reporter_account_only_a_logged_in_reporter_rates(world, report, client, login):
    case = closed(world, report)
    Case.objects.filter(pk=case.pk).update(reporter_user=None)  # e.g. a hotline case of a resident
    url = reverse("appeals:track", args=[case.tracking_token])
    assert "办理结果评价" not in client.get(url).content.decode()
    assert (
        client.post(reverse("appeals:rate", args=[case.tracking_token]), {"rating": "satisfied"}).status_code
        == 404
    )
    assert "办理结果评价" not in login(world.member).get(url).content.decode()
    client.force_login(world.resident)  # the reporter (person) logged in
    assert "办理结果评价" in client.get(url).content.decode()
    client.post(reverse("appeals:rate", args=[case.tracking_token]), {"rating": "satisfied"})
    assert Case.objects.get(pk=case.pk).rating == "satisfied"


def test_a_wrong_token_cannot_rate(world, report, client):
    case = closed(world, report)
    assert client.post(reverse("appeals:rate", args=["wrong"]), {"rating": "satisfied"}).status_code == 404
    assert Case.objects.get(pk=case.pk).status == Status.CLOSED
