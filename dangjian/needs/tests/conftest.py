"""Helpers for needs tests: a community worker of 桂塘社区, a unit with its liaison, and a
published need of the resident, all made through the real actions."""

from __future__ import annotations

from typing import Any

import pytest

from dangjian.accounts import actions as account_actions
from dangjian.conftest import PASSWORD
from dangjian.needs import actions


@pytest.fixture
def community_worker(world: Any) -> Any:
    u = account_actions.create_user(
        phone="13000000011", password=PASSWORD, name="桂塘社区小林", acting_user=None
    )
    account_actions.assign_role(user=u, role="community_worker", node=world.community_a, acting_user=None)
    return u


@pytest.fixture
def unit(world: Any) -> Any:
    from dangjian.units import actions as unit_actions

    return unit_actions.create_unit(name="北流市供电局", kind="soe", node=world.community_a, acting_user=None)


@pytest.fixture
def unit_liaison(world: Any, unit: Any) -> Any:
    u = account_actions.create_user(
        phone="13000000012", password=PASSWORD, name="供电局联络员", acting_user=None
    )
    account_actions.assign_role(
        user=u, role="unit_admin", node=world.community_a, unit=unit, acting_user=None
    )
    return u


def post_wish(world: Any, title: str = "想要一个新书包", **kw: Any) -> Any:
    return actions.submit_need(
        kind=kw.pop("kind", "wish"),
        title=title,
        beneficiary=kw.pop("beneficiary", world.resident_person),
        acting_user=kw.pop("acting_user", world.resident),
        **kw,
    )


def published_wish(world: Any, title: str = "想要一个新书包", **kw: Any) -> Any:
    need = post_wish(world, title, **kw)
    return actions.publish_need(need, acting_user=world.street_officer)
