"""Personas shared by every app's tests.

A small city (城市 → 北流市 → 街道A/街道B → 社区 → 网格A1/B1 …) built through the real
actions, and one user per persona: city admin, street officer of street A, grid worker of
grid A1, an officer of street B (the outsider), a resident of A1 and a party member of A1.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection

from dangjian.accounts import actions as account_actions
from dangjian.party import actions as party_actions
from dangjian.people import actions as people_actions
from dangjian.territory import actions as territory_actions

PASSWORD = "Dangjian#2026"


def square(lng: float, lat: float, size: float = 0.01) -> dict:
    return {
        "type": "Polygon",
        "coordinates": [
            [[lng, lat], [lng + size, lat], [lng + size, lat + size], [lng, lat + size], [lng, lat]]
        ],
    }


@dataclass
class World:
    city: Any
    county: Any
    street_a: Any
    street_b: Any
    community_a: Any
    community_b: Any
    grid_a1: Any
    grid_a2: Any
    grid_b1: Any
    compound_a1: Any
    compound_b1: Any
    branch_a1: Any
    branch_b1: Any
    admin: Any
    street_officer: Any
    grid_worker: Any
    outsider: Any
    resident: Any
    member: Any
    resident_person: Any
    member_person: Any
    other_person: Any


def build_world() -> World:
    T = territory_actions
    city = T.create_node(parent=None, level="city", name="玉林市", code="450900", acting_user=None)
    county = T.create_node(parent=city, level="county", name="北流市", code="450981", acting_user=None)
    street_a = T.create_node(parent=county, level="street", name="陵城街道", acting_user=None)
    street_b = T.create_node(parent=county, level="street", name="城南街道", acting_user=None)
    community_a = T.create_node(parent=street_a, level="community", name="桂塘社区", acting_user=None)
    community_b = T.create_node(parent=street_b, level="community", name="城南社区", acting_user=None)
    grid_a1 = T.create_node(
        parent=community_a,
        level="grid",
        name="桂塘第一网格",
        boundary=square(110.35, 22.70),
        acting_user=None,
    )
    grid_a2 = T.create_node(
        parent=community_a,
        level="grid",
        name="桂塘第二网格",
        boundary=square(110.36, 22.70),
        acting_user=None,
    )
    grid_b1 = T.create_node(
        parent=community_b,
        level="grid",
        name="城南第一网格",
        boundary=square(110.35, 22.72),
        acting_user=None,
    )
    compound_a1 = T.create_node(
        parent=grid_a1, level="compound", name="东湖一号小区", households=600, acting_user=None
    )
    compound_b1 = T.create_node(
        parent=grid_b1, level="compound", name="滨江华府小区", households=1200, acting_user=None
    )
    P = party_actions
    committee_a = P.create_organization(
        name="桂塘社区党委", kind="committee", node=community_a, acting_user=None
    )
    branch_a1 = P.create_organization(
        name="东湖一号小区党支部", kind="branch", node=compound_a1, parent=committee_a, acting_user=None
    )
    committee_b = P.create_organization(
        name="城南社区党委", kind="committee", node=community_b, acting_user=None
    )
    branch_b1 = P.create_organization(
        name="滨江华府小区党支部", kind="branch", node=compound_b1, parent=committee_b, acting_user=None
    )
    H = people_actions
    resident_person = H.create_person(
        name="李秀英",
        home=compound_a1,
        id_number="450981198001011236",
        phone="13800001234",
        address="东湖一号小区3栋201",
        acting_user=None,
    )
    H.register_resident(person=resident_person, household=compound_a1, acting_user=None)
    member_person = H.create_person(name="陈建华", home=compound_a1, phone="13900005678", acting_user=None)
    H.register_resident(person=member_person, household=compound_a1, acting_user=None)
    P.register_member(person=member_person, organization=branch_a1, category="in_service", acting_user=None)
    other_person = H.create_person(name="黄丽", home=compound_b1, phone="13700009999", acting_user=None)
    H.register_resident(person=other_person, household=compound_b1, acting_user=None)
    other_member = H.create_person(name="周强", home=compound_b1, acting_user=None)
    P.register_member(person=other_member, organization=branch_b1, category="retired", acting_user=None)

    A = account_actions

    def user(phone: str, name: str, role: str | None, node: Any, person: Any = None) -> Any:
        u = A.create_user(phone=phone, password=PASSWORD, name=name, person=person, acting_user=None)
        if role:
            A.assign_role(user=u, role=role, node=node, acting_user=None)
        return u

    admin = user("13000000001", "组织部管理员", "city_admin", city)
    street_officer = user("13000000002", "陵城街道干部", "street_officer", street_a)
    gw_person = H.create_person(name="网格员小王", home=compound_a1, acting_user=None)
    grid_worker = user("13000000003", "网格员小王", "grid_worker", grid_a1, gw_person)
    H.assign_grid_worker(person=gw_person, grid=grid_a1, acting_user=None)
    outsider = user("13000000004", "城南街道干部", "street_officer", street_b)
    resident = user("13800001234", "李秀英", None, None, resident_person)
    member = user("13900005678", "陈建华", None, None, member_person)
    return World(
        city=city,
        county=county,
        street_a=street_a,
        street_b=street_b,
        community_a=community_a,
        community_b=community_b,
        grid_a1=grid_a1,
        grid_a2=grid_a2,
        grid_b1=grid_b1,
        compound_a1=compound_a1,
        compound_b1=compound_b1,
        branch_a1=branch_a1,
        branch_b1=branch_b1,
        admin=admin,
        street_officer=street_officer,
        grid_worker=grid_worker,
        outsider=outsider,
        resident=resident,
        member=member,
        resident_person=resident_person,
        member_person=member_person,
        other_person=other_person,
    )


@pytest.fixture
def world(db: Any) -> World:
    return build_world()


@pytest.fixture
def login(client: Any) -> Any:
    """``login(user)`` logs the test client in as that persona and returns the client."""

    def _login(user: Any) -> Any:
        client.force_login(user)
        return client

    return _login


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    # PBKDF2's deliberate slowness is for production; tests only need a real hasher.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_process_caches() -> Any:
    # Rolled-back test rows send no signals: never let a cached calendar or grid index from
    # one test leak into the next.
    from django.core.cache import cache

    from dangjian.accounts.api import forget_tokens
    from dangjian.appeals import categories
    from dangjian.core import workcal
    from dangjian.intel import classify
    from dangjian.territory import geo

    caches = (
        workcal.clear_cache,
        geo.invalidate,
        geo.forget_nodes,
        categories.forget,
        classify.forget,
        forget_tokens,
        cache.clear,  # the request-rate counters of one test never limit the next
    )
    for forget in caches:
        forget()
    yield
    for forget in caches:
        forget()


# --- races on PostgreSQL: real threads, each with its own connection and transactions ---

RACE = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def race(n: int, work: Callable[[int], Any]) -> list[Any]:
    barrier = threading.Barrier(n)
    outcomes: list[Any] = [None] * n

    def run(i: int) -> None:
        try:
            barrier.wait()
            outcomes[i] = work(i)
        except Exception as exc:  # noqa: BLE001 - the outcome is what the test checks
            outcomes[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


def needs_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises all writers behind one lock; the race needs PostgreSQL")
