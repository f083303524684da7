import pytest
from django.utils import timezone

from dangjian.points import actions
from dangjian.points.models import Movement, Order

pytestmark = pytest.mark.django_db


@pytest.fixture
def stocked(world, community_worker):
    for source in (world.compound_a1, world.grid_a1):
        actions.award(rule="wish_fulfilled", person=world.member_person, source=source, acting_user=None)
    actions.earn_hours(person=world.member_person, hours=3, source=world.compound_a1, acting_user=None)
    return actions.create_item(
        shop=world.community_a, name="大米 5kg", cost=30, stock=2, acting_user=community_worker
    )


def test_my_points_page_shows_balances_and_movements(world, login, stocked, django_assert_max_num_queries):
    client = login(world.member)
    with django_assert_max_num_queries(14):
        r = client.get("/points/")
    body = r.content.decode()
    assert r.status_code == 200 and "圆梦微心愿" in body and "40" in body
    r = client.get("/points/timebank/")
    assert "志愿服务存入时长" in r.content.decode()
    assert "圆梦微心愿" not in r.content.decode()


def test_the_shop_redeems_shows_the_code_and_cancels(world, login, stocked):
    client = login(world.member)
    assert "大米 5kg" in client.get("/points/shop/").content.decode()
    r = client.post(f"/points/shop/{stocked.pk}/redeem/", {"quantity": "1"}, follow=True)
    order = Order.objects.get()
    assert f"取货码 {order.pickup_code}" in r.content.decode()
    r = client.post(f"/points/shop/{stocked.pk}/redeem/", {"quantity": "1"}, follow=True)
    assert "兑换未成功：余额不足" in r.content.decode()
    assert Order.objects.count() == 1
    r = client.post(f"/points/orders/{order.pk}/cancel/", follow=True)
    assert "积分已退回" in r.content.decode()


def test_a_resident_cannot_cancel_anothers_order(world, login, stocked):
    order = actions.redeem(person=world.member_person, item=stocked, acting_user=world.member)
    assert login(world.resident).post(f"/points/orders/{order.pk}/cancel/").status_code == 404
    assert Order.objects.get().status == "placed"


def test_statement_page_print_and_xlsx(world, login, stocked):
    client = login(world.member)
    month = timezone.localdate().strftime("%Y-%m")
    r = client.get(f"/points/statement/?month={month}")
    assert r.status_code == 200 and "期末" in r.content.decode()
    r = client.get(f"/points/statement/?month={month}&print=1")
    assert "@page { size: A4" in r.content.decode() and "font-size: 20pt" in r.content.decode()
    r = client.get(f"/points/statement.xlsx?month={month}")
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")
    from io import BytesIO

    from openpyxl import load_workbook

    ws = load_workbook(BytesIO(r.content)).active
    assert ws is not None
    reasons = [row[2] for row in ws.iter_rows(values_only=True)]
    assert "圆梦微心愿" in reasons
    # staff print for a resident in scope; outsiders get 404
    assert (
        login(world.grid_worker).get(f"/points/statement/?person={world.member_person.pk}").status_code == 200
    )
    assert login(world.outsider).get(f"/points/statement/?person={world.member_person.pk}").status_code == 404


def test_rules_page_publishes_rules_and_budget(world, login, stocked):
    r = login(world.member).get("/points/rules/")
    body = r.content.decode()
    assert "志愿服务时长" in body and "10 分/小时" in body and "桂塘社区" in body and "200000" in body


def test_staff_desk_awards_and_reverses(world, login):
    client = login(world.grid_worker)
    r = client.get("/points/desk/?q=陈建华")
    assert "陈建华" in r.content.decode()
    r = client.post(
        "/points/desk/award/",
        {
            "person": world.member_person.pk,
            "rule": "good_deed",
            "quantity": "1",
            "reason": "帮邻居修水管",
            "idempotency_key": "k1",
        },
        follow=True,
    )
    assert "已为 陈建华 发放 10 积分" in r.content.decode()
    m = Movement.objects.get()
    r = client.post(f"/points/desk/{m.pk}/reverse/", {"reason": ""}, follow=True)
    assert "未冲正：请填写冲正事由" in r.content.decode()
    r = client.post(f"/points/desk/{m.pk}/reverse/", {"reason": "录错人"}, follow=True)
    assert "已冲正" in r.content.decode()
    assert Movement.objects.count() == 2


def test_staff_pages_are_closed_to_residents_and_outsiders(world, login):
    for url in ("/points/desk/", "/points/counter/", "/points/figures/"):
        assert login(world.resident).get(url).status_code == 404
    r = login(world.outsider).post(
        "/points/desk/award/", {"person": world.member_person.pk, "rule": "good_deed", "reason": "x"}
    )
    assert r.status_code == 404


def test_counter_checks_off_a_code_on_an_exchange_day(world, login, stocked, community_worker):
    order = actions.redeem(person=world.member_person, item=stocked, acting_user=world.member)
    client = login(community_worker)
    r = client.get(f"/points/counter/?code={order.pickup_code}")
    assert "确认交付" in r.content.decode() and "今天不是积分兑换日" in r.content.decode()
    r = client.post(
        "/points/counter/days/",
        {"community": world.community_a.pk, "date": str(timezone.localdate())},
        follow=True,
    )
    assert "已添加积分兑换日" in r.content.decode()
    r = client.post(f"/points/counter/{order.pk}/pickup/", {"community": world.community_a.pk}, follow=True)
    assert "已核销" in r.content.decode()
    assert Order.objects.get().status == "picked_up"
    r = client.post(
        "/points/counter/items/",
        {"community": world.community_a.pk, "name": "", "cost": "x", "stock": "1"},
        follow=True,
    )
    assert "积分和库存应为整数" in r.content.decode()


def test_figures_page(world, login, stocked):
    r = login(world.street_officer).get("/points/figures/")
    assert r.status_code == 200 and "桂塘社区" in r.content.decode()
