"""Enterprise cases (服务企业马上办) at /appeals/c/<number>/: only the submitting enterprise's
liaisons and staff in scope may read or follow them; everyone else gets the 404 of a
missing case (numbers are sequential per day, so they are easy to guess)."""

import pytest
from django.urls import reverse

from dangjian.accounts import actions as account_actions
from dangjian.appeals.models import Category, Follower
from dangjian.units.actions import create_unit


def liaison(world, unit, phone):
    user = account_actions.create_user(
        phone=phone, password="Unit#2026x", name=f"联络员{phone[-2:]}", acting_user=None
    )
    account_actions.assign_role(
        user=user, role="unit_admin", node=world.community_a, unit=unit, acting_user=None
    )
    return user


@pytest.fixture
def enterprise(world, report):
    unit = create_unit(name="桂塘电子厂", kind="private", node=world.community_a, acting_user=None)
    other_unit = create_unit(name="城南食品厂", kind="private", node=world.community_a, acting_user=None)
    filer, colleague, stranger = (
        liaison(world, unit, "13600000001"),
        liaison(world, unit, "13600000002"),
        liaison(world, other_unit, "13600000003"),
    )
    category = Category.objects.filter(level=3, enterprise=True, active=True).first()
    case = report(
        channel="enterprise",
        category=category,
        title="厂区用电增容",
        description="申请增容",
        reporter=None,
        acting_user=filer,
    )
    return {"case": case, "filer": filer, "colleague": colleague, "stranger": stranger}


def status(client, case):
    return client.get(reverse("appeals:public_case", args=[case.number])).status_code


def test_the_enterprise_and_staff_in_scope_read_it(world, enterprise, login):
    case = enterprise["case"]
    for user in (
        enterprise["filer"],
        enterprise["colleague"],
        world.grid_worker,
        world.street_officer,
        world.admin,
    ):
        assert status(login(user), case) == 200, user


def test_everyone_else_gets_the_404_of_a_missing_case(world, enterprise, login, client):
    case = enterprise["case"]
    missing = reverse("appeals:public_case", args=["BL-20000101-0001"])
    for user in (world.resident, world.member, world.outsider, enterprise["stranger"]):
        c = login(user)
        assert status(c, case) == 404, user
        assert c.get(missing).status_code == 404
        assert c.post(reverse("appeals:follow", args=[case.number])).status_code == 404
    assert not Follower.objects.filter(case=case).exists()


def test_an_ordinary_case_stays_readable_by_any_logged_in_user(world, report, login):
    case = report()
    for user in (world.member, world.outsider):
        assert status(login(user), case) == 200
