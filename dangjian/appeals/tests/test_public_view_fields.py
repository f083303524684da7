"""What Open311 (``GET requests``, ``requests/{id}``, the updates) and the web's public case
page publish, field by field, for each kind of case: an ordinary resident report, an
anonymous one, a 12345 hotline work order and an enterprise case (``appeals.public_view``)."""

import pytest
from django.urls import reverse

from dangjian.appeals import actions
from dangjian.appeals.models import Category
from dangjian.appeals.open311.serializers import w3c
from dangjian.appeals.public_view import PRIVATE_NOTE
from dangjian.notifications.models import Notification

PHONE, ID_NUMBER, NAME = "13800001234", "450981198001011236", "李秀英"
TEXT = f"东湖一号小区3栋201门口路灯坏了，请联系{PHONE}，身份证{ID_NUMBER}，我是{NAME}"
# the case's own address is removed whole where it is quoted
SCRUBBED = "（门牌已隐去）门口路灯坏了，请联系（电话已隐去），身份证（证件号已隐去），我是（已隐去）"
SECRETS = (PHONE, ID_NUMBER, NAME, "3栋201", "110.35517", "22.70523")


@pytest.fixture
def kinds(world, report):
    common = {"lng": 110.35517, "lat": 22.70523, "address": "东湖一号小区3栋201", "contact_name": NAME}
    ordinary = report(title=f"路灯不亮 {PHONE}", description=TEXT, contact_phone=PHONE, **common)
    ordinary = actions.accept_case(ordinary, acting_user=world.grid_worker)
    anonymous = report(title="匿名：3栋201门口", description=TEXT, anonymous=True, **common)
    hotline = report(
        channel="hotline",
        title="热线：路灯",
        description=TEXT,
        reporter=None,
        acting_user=world.grid_worker,
        contact_phone=PHONE,
        **common,
    )
    enterprise_category = Category.objects.filter(level=3, enterprise=True, active=True).first()
    enterprise = report(
        channel="enterprise", category=enterprise_category, title="企业：用电", description=TEXT, **common
    )
    return {"ordinary": ordinary, "anonymous": anonymous, "hotline": hotline, "enterprise": enterprise}


def rows(client, **params):
    reply = client.get("/open311/v2/requests.json", params)
    assert reply.status_code == 200
    return {r["service_request_id"]: r for r in reply.json()}


def test_it_publishes_an_ordinary_case_field_by_field(world, kinds, client):
    case = kinds["ordinary"]
    row = rows(client)[case.number]
    assert row == {
        "service_request_id": case.number,
        "status": "open",
        "status_notes": "已立案待派遣",
        "service_name": case.category.name,
        "service_code": case.category.code,
        "description": SCRUBBED,
        "agency_responsible": world.grid_a1.name,
        "service_notice": "",
        "requested_datetime": w3c(case.created_at),
        "updated_datetime": w3c(case.updated_at),
        "expected_datetime": w3c(case.resolve_due),
        "address": "",
        "address_id": "",
        "zipcode": "",
        "lat": 22.7055,
        "long": 110.3555,
        "media_url": "",
    }
    assert client.get(f"/open311/v2/requests/{case.number}.json").json() == [row]
    xml = client.get(f"/open311/v2/requests/{case.number}.xml").content.decode()
    assert "<address />" in xml and "<lat>22.7055</lat>" in xml
    for secret in SECRETS:
        assert secret not in xml


def test_a_closure_reason_is_published_scrubbed(world, report, client):
    case = actions.reject_case(report(), reason=f"已转交物业，联系{PHONE}", acting_user=world.grid_worker)
    [row] = client.get(f"/open311/v2/requests/{case.number}.json").json()
    assert row["status"] == "closed" and row["status_notes"] == "不予受理：已转交物业，联系（电话已隐去）"


@pytest.mark.parametrize("kind", ["anonymous", "hotline"])
def test_a_private_case_publishes_only_category_status_and_coarse_point(world, kinds, client, kind):
    case = kinds[kind]
    expected = {
        "service_request_id": case.number,
        "status": "open",
        "status_notes": "待受理",
        "service_name": case.category.name,
        "service_code": case.category.code,
        "description": "",
        "agency_responsible": "",
        "service_notice": "",
        "requested_datetime": None,
        "updated_datetime": None,
        "expected_datetime": None,
        "address": "",
        "address_id": "",
        "zipcode": "",
        "lat": 22.7055,
        "long": 110.3555,
        "media_url": "",
    }
    assert rows(client)[case.number] == expected
    assert client.get(f"/open311/v2/requests/{case.number}.json").json() == [expected]
    # its history (with dates) is not public either
    assert client.get(f"/open311/v2/requests/{case.number}/updates.json").json() == []
    updates = client.get("/open311/v2/servicerequestupdates.json").json()
    assert {u["service_request_id"] for u in updates} == {kinds["ordinary"].number}


def test_an_enterprise_case_is_not_in_open311(world, kinds, client):
    number = kinds["enterprise"].number
    assert number not in rows(client)
    assert client.get(f"/open311/v2/requests/{number}.json").status_code == 404
    assert client.get(f"/open311/v2/requests/{number}/updates.json").status_code == 404


def page(client, case):
    reply = client.get(reverse("appeals:public_case", args=[case.number]))
    assert reply.status_code == 200
    return reply.content.decode()


def test_the_web_page_shows_an_ordinary_case_scrubbed(world, kinds, login):
    case = kinds["ordinary"]
    html = page(login(world.member), case)
    assert SCRUBBED in html and "路灯不亮 （电话已隐去）" in html
    assert case.category.name in html and "已立案待派遣" in html and world.grid_a1.name in html
    assert "受理立案" in html  # the timeline
    assert world.compound_a1.name + "<" not in html  # the area is the grid, not the compound
    for secret in SECRETS:
        assert secret not in html


@pytest.mark.parametrize("kind", ["anonymous", "hotline"])
def test_the_web_page_shows_a_private_case_as_category_and_status(world, kinds, login, kind):
    case = kinds[kind]
    html = page(login(world.member), case)
    assert PRIVATE_NOTE in html and case.category.name in html and "待受理" in html
    assert case.title not in html and "路灯坏了" not in html and "提交诉求" not in html
    for secret in SECRETS:
        assert secret not in html


def test_the_nearby_list_shows_public_titles_and_no_enterprise_case(world, kinds, login):
    client = login(world.member)
    near = {"lng": 110.35517, "lat": 22.70523}
    html = client.get(
        reverse("appeals:nearby"), {**near, "category": kinds["ordinary"].category_id}
    ).content.decode()
    assert kinds["ordinary"].number in html and kinds["anonymous"].number in html
    assert "路灯不亮 （电话已隐去）" in html and "匿名：" not in html and PHONE not in html
    html = client.get(
        reverse("appeals:nearby"), {**near, "category": kinds["enterprise"].category_id}
    ).content.decode()
    assert kinds["enterprise"].number not in html


def test_my_followed_cases_show_their_public_titles(world, kinds, login):
    for kind in ("ordinary", "anonymous"):
        actions.follow_case(kinds[kind], acting_user=world.member)
    html = login(world.member).get(reverse("appeals:mine")).content.decode()
    assert kinds["ordinary"].number in html and kinds["anonymous"].number in html
    assert "路灯不亮 （电话已隐去）" in html and "匿名：" not in html and PHONE not in html


def test_a_follower_is_notified_with_the_public_title(world, report, django_capture_on_commit_callbacks):
    gw = world.grid_worker
    with django_capture_on_commit_callbacks(execute=True):
        case = report(title=f"路灯不亮 {PHONE}", contact_phone=PHONE)
        actions.follow_case(case, acting_user=world.member)
        case = actions.accept_case(case, acting_user=gw)
        case = actions.dispatch_case(case, to_user=gw, acting_user=gw)
        case = actions.acknowledge_case(case, acting_user=gw)
        case = actions.feedback_case(case, result="路灯已更换", acting_user=gw)
        actions.verify_case(case, passed=True, acting_user=world.street_officer)
    to_follower = Notification.objects.get(kind="appeal.verify_pass", user=world.member)
    assert to_follower.body == f"{case.number}：路灯不亮 （电话已隐去）"
    to_reporter = Notification.objects.get(kind="appeal.verify_pass", user=world.resident)
    assert PHONE in to_reporter.body  # the reporter's own words, to the reporter
