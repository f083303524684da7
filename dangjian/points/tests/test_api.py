import pytest
from django.utils import timezone

from dangjian.points import actions
from dangjian.points.models import Movement, Order

pytestmark = pytest.mark.django_db
API = "/api/v1/points"


@pytest.fixture
def stocked(world, community_worker):
    for source in (world.compound_a1, world.grid_a1):
        actions.award(rule="wish_fulfilled", person=world.member_person, source=source, acting_user=None)
    return actions.create_item(
        shop=world.community_a, name="大米 5kg", cost=30, stock=2, acting_user=community_worker
    )


def test_it_shows_my_balances(world, login, stocked):
    r = login(world.member).get(f"{API}/balance")
    assert r.status_code == 200
    assert r.json()["honour"] == "40.00" and r.json()["timebank"] == "0.00"


def test_it_lists_only_my_movements(world, login, stocked):
    actions.award(rule="meeting", person=world.resident_person, source=world.compound_a1, acting_user=None)
    mine = login(world.member).get(f"{API}/movements").json()
    assert len(mine) == 2 and {m["person_id"] for m in mine} == {world.member_person.pk}
    theirs = login(world.resident).get(f"{API}/movements").json()
    assert len(theirs) == 1


def test_staff_see_movements_in_scope_only(world, login, stocked, django_assert_max_num_queries):
    client = login(world.street_officer)
    with django_assert_max_num_queries(8):
        assert len(client.get(f"{API}/movements").json()) == 2
    assert login(world.outsider).get(f"{API}/movements").json() == []
    r = login(world.outsider).get(f"{API}/balance?person_id={world.member_person.pk}")
    assert r.status_code == 404


def test_it_redeems_cancels_and_picks_up_through_the_api(world, login, stocked, community_worker):
    client = login(world.member)
    r = client.get(f"{API}/items")
    assert [i["name"] for i in r.json()] == ["大米 5kg"]
    r = client.post(f"{API}/orders", {"item_id": stocked.pk, "quantity": 1}, content_type="application/json")
    assert r.status_code == 201, r.content
    code = r.json()["pickup_code"]
    assert len(code) == 6
    r = client.post(f"{API}/orders", {"item_id": stocked.pk, "quantity": 1}, content_type="application/json")
    assert r.status_code == 422 and "余额不足" in str(r.json()["errors"])
    assert client.get(f"{API}/balance").json()["honour"] == "10.00"
    order_id = client.get(f"{API}/orders").json()[0]["id"]
    r = client.post(f"{API}/orders/{order_id}/cancel", {"reason": "改天"}, content_type="application/json")
    assert r.json()["status"] == "cancelled"
    r = client.post(f"{API}/orders/{order_id}/cancel", {}, content_type="application/json")
    assert r.status_code == 409
    assert client.get(f"{API}/balance").json()["honour"] == "40.00"
    # order again and pick up on an exchange day
    code = client.post(f"{API}/orders", {"item_id": stocked.pk}, content_type="application/json").json()[
        "pickup_code"
    ]
    staff = login(community_worker)
    r = staff.post(f"{API}/pickup", {"code": code}, content_type="application/json")
    assert r.status_code == 422 and "积分兑换日" in str(r.json())
    actions.add_exchange_day(shop=world.community_a, date=timezone.localdate(), acting_user=community_worker)
    r = staff.post(f"{API}/pickup", {"code": code}, content_type="application/json")
    assert r.status_code == 200 and r.json()["status"] == "picked_up"


def test_outsiders_cannot_touch_orders(world, login, stocked):
    order = actions.redeem(person=world.member_person, item=stocked, acting_user=world.member)
    r = login(world.outsider).post(f"{API}/orders/{order.pk}/cancel", {}, content_type="application/json")
    assert r.status_code == 404
    r = login(world.resident).post(f"{API}/orders/{order.pk}/cancel", {}, content_type="application/json")
    assert r.status_code == 404
    r = login(world.outsider).post(
        f"{API}/pickup", {"code": order.pickup_code}, content_type="application/json"
    )
    assert r.status_code == 422
    r = login(world.member).post(
        f"{API}/pickup", {"code": order.pickup_code}, content_type="application/json"
    )
    assert r.status_code == 404  # residents have no pickup desk
    assert Order.objects.get().status == "placed"


def test_staff_award_and_reverse_with_reasons(world, login):
    client = login(world.grid_worker)
    body = {"person_id": world.member_person.pk, "rule": "good_deed", "quantity": 1, "reason": "扶老人过马路"}
    r = client.post(f"{API}/awards", body, content_type="application/json")
    assert r.status_code == 201 and r.json()["amount"] == "10.00"
    assert r.json()["operator"] == "网格员小王"
    mid = r.json()["id"]
    r = client.post(f"{API}/movements/{mid}/reverse", {"reason": ""}, content_type="application/json")
    assert r.status_code == 422
    r = login(world.outsider).post(
        f"{API}/movements/{mid}/reverse", {"reason": "x"}, content_type="application/json"
    )
    assert r.status_code == 404
    client = login(world.grid_worker)
    r = client.post(f"{API}/movements/{mid}/reverse", {"reason": "重复录入"}, content_type="application/json")
    assert r.status_code == 201 and r.json()["reverses_id"] == mid
    assert Movement.objects.count() == 2


def test_residents_and_outsiders_cannot_award(world, login):
    body = {"person_id": world.member_person.pk, "rule": "good_deed", "quantity": 1, "reason": "x"}
    assert (
        login(world.resident).post(f"{API}/awards", body, content_type="application/json").status_code == 404
    )
    assert (
        login(world.outsider).post(f"{API}/awards", body, content_type="application/json").status_code == 404
    )
    body["rule"] = "nope"
    assert (
        login(world.grid_worker).post(f"{API}/awards", body, content_type="application/json").status_code
        == 422
    )
    assert Movement.objects.count() == 0


def test_rules_are_published(world, login):
    codes = [r["code"] for r in login(world.resident).get(f"{API}/rules").json()]
    assert {"service_hour", "wish_fulfilled", "meeting", "double_registration"} <= set(codes)
