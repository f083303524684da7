"""取货码 of 爱心超市 orders: the owner and the community's staff (who check orders off) see
it; others who may see the order in their scope — departments, unit liaisons, leaders,
inspectors — see the order without the code."""

import pytest

from dangjian.accounts import actions as account_actions
from dangjian.points import actions
from dangjian.units.actions import create_unit

pytestmark = pytest.mark.django_db
API = "/api/v1/points"


@pytest.fixture
def order(world, community_worker):
    for source in (world.compound_a1, world.grid_a1):
        actions.award(rule="wish_fulfilled", person=world.member_person, source=source, acting_user=None)
    item = actions.create_item(
        shop=world.community_a, name="大米 5kg", cost=30, stock=2, acting_user=community_worker
    )
    return actions.redeem(person=world.member_person, item=item, acting_user=world.member)


def staff(world, phone, role, node, unit=None):
    user = account_actions.create_user(phone=phone, password="x-Pass-2026", name=role, acting_user=None)
    account_actions.assign_role(user=user, role=role, node=node, unit=unit, acting_user=None)
    return user


def listed(client):
    reply = client.get(f"{API}/orders")
    assert reply.status_code == 200
    return {o["id"]: o for o in reply.json()}


def test_the_owner_and_the_communitys_staff_see_the_code(world, login, order, community_worker):
    for user in (world.member, community_worker, world.street_officer, world.admin):
        rows = listed(login(user))
        assert order.pk in rows, user
        assert rows[order.pk]["pickup_code"] == order.pickup_code, user


def test_others_in_scope_see_the_order_without_the_code(world, login, order):
    unit = create_unit(name="桂塘电子厂", kind="private", node=world.community_a, acting_user=None)
    department = create_unit(name="北流市城管局", kind="department", node=world.county, acting_user=None)
    viewers = [
        staff(world, "13100000001", "department", world.county, department),
        staff(world, "13100000002", "unit_admin", world.community_a, unit),
        staff(world, "13100000003", "leader", world.county),
        staff(world, "13100000004", "inspector", world.street_a),
    ]
    for user in viewers:
        row = listed(login(user))[order.pk]
        assert row["pickup_code"] is None and row["status"] == "placed" and row["item"] == "大米 5kg", user


def test_residents_and_outsiders_do_not_see_the_order(world, login, order):
    for user in (world.resident, world.outsider):
        assert order.pk not in listed(login(user))
