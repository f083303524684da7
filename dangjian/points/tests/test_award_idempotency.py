"""Manual awards are idempotent: ``POST /api/v1/points/awards`` honours an ``Idempotency-Key``
header and the desk form (``/points/desk/award/``) carries a generated key, so a retry or a
double submit pays once and gets the first award back.

Before the fix, 16 identical requests with one key created 16 movements.
"""

from __future__ import annotations

import pytest
from django.test import Client

from dangjian.conftest import RACE, race
from dangjian.points.models import Grant, Movement

API = "/api/v1/points"
TIMES = 16


def _body(world, **changes):
    return {
        "person_id": world.member_person.pk,
        "rule": "good_deed",
        "quantity": 1,
        "reason": "扶老人过马路",
    } | changes


def _api_award(client, world, key, **changes):
    return client.post(
        f"{API}/awards",
        _body(world, **changes),
        content_type="application/json",
        headers={"Idempotency-Key": key},
    )


def _form(world, key, **changes):
    return {
        "person": world.member_person.pk,
        "rule": "good_deed",
        "quantity": "1",
        "reason": "帮邻居修水管",
        "idempotency_key": key,
    } | changes


@pytest.mark.django_db
def test_it_pays_one_api_award_for_sixteen_requests_with_one_key(world, login):
    client = login(world.grid_worker)
    responses = [_api_award(client, world, "award-7f3a") for _ in range(TIMES)]
    assert [r.status_code for r in responses] == [201] + [200] * (TIMES - 1)
    assert all(r.json() == responses[0].json() for r in responses)
    assert Movement.objects.get().pk == responses[0].json()["id"]
    assert Grant.objects.count() == 1


@pytest.mark.django_db
def test_it_pays_one_desk_award_for_a_double_submit(world, login):
    client = login(world.grid_worker)
    pages = [client.post("/points/desk/award/", _form(world, "c0ffee"), follow=True) for _ in range(TIMES)]
    assert all("已为 陈建华 发放 10 积分" in p.content.decode() for p in pages)
    assert Movement.objects.count() == 1 and Grant.objects.count() == 1


@pytest.mark.django_db
def test_the_desk_gives_every_award_form_its_own_key(world, login):
    from dangjian.people import actions as people_actions

    people_actions.create_person(name="陈建国", home=world.compound_a1, acting_user=None)
    body = login(world.grid_worker).get("/points/desk/?q=陈建").content.decode()
    import re

    keys = re.findall(r'name="idempotency_key" value="([0-9a-f]{32})"', body)
    assert len(keys) == 2 and keys[0] != keys[1]


@pytest.mark.django_db
def test_the_desk_refuses_a_form_without_a_key(world, login):
    r = login(world.grid_worker).post("/points/desk/award/", _form(world, ""), follow=True)
    assert "页面已过期，请刷新后重新提交" in r.content.decode()
    assert not Movement.objects.exists()


@pytest.mark.django_db
def test_keys_are_per_operator(world, login):
    assert _api_award(login(world.grid_worker), world, "same").status_code == 201
    r = _api_award(login(world.street_officer), world, "same")
    assert r.status_code == 201 and r.json()["operator"] == "陵城街道干部"
    assert Movement.objects.count() == 2


@pytest.mark.django_db
def test_a_key_reused_for_another_award_is_refused(world, login):
    client = login(world.grid_worker)
    assert _api_award(client, world, "k1").status_code == 201
    for changes in ({"quantity": 2}, {"reason": "另一件好事"}, {"rule": "post_duty"}):
        r = _api_award(client, world, "k1", **changes)
        assert r.status_code == 409 and "幂等键已用于另一笔奖励" in r.json()["detail"]
    r = client.post("/points/desk/award/", _form(world, "k2"), follow=True)
    r = client.post("/points/desk/award/", _form(world, "k2", quantity="3"), follow=True)
    assert "该表单已提交过，请刷新页面后重新填写" in r.content.decode()
    assert Movement.objects.count() == 2


@pytest.mark.django_db
def test_a_refused_award_keeps_its_key_free(world, login):
    client = login(world.grid_worker)
    body = {"rule": "double_registration"}
    assert _api_award(client, world, "dr", **body).status_code == 201
    r = _api_award(client, world, "dr2", **body)
    assert r.status_code == 422 and "上限" in str(r.json()["errors"])
    assert _api_award(client, world, "dr2").status_code == 201  # the key was not spent
    assert Grant.objects.count() == 2


@pytest.mark.django_db
def test_it_refuses_a_bad_key(world, login):
    client = login(world.grid_worker)
    assert _api_award(client, world, "k" * 65).status_code == 422
    assert not Movement.objects.exists()


def _parallel_clients(world) -> list[Client]:
    clients = [Client() for _ in range(TIMES)]
    for c in clients:
        c.force_login(world.grid_worker)
    return clients


@RACE
def test_parallel_api_requests_with_one_key_pay_once(race_db) -> None:
    from dangjian.conftest import build_world

    world = build_world()
    clients = _parallel_clients(world)
    responses = race(TIMES, lambda i: _api_award(clients[i], world, "parallel-1"))
    assert sorted(r.status_code for r in responses) == [200] * (TIMES - 1) + [201], responses
    assert all(r.json() == responses[0].json() for r in responses)
    assert Movement.objects.count() == 1 and Grant.objects.count() == 1


@RACE
def test_parallel_desk_submits_with_one_key_pay_once(race_db) -> None:
    from dangjian.conftest import build_world

    world = build_world()
    clients = _parallel_clients(world)
    pages = race(
        TIMES, lambda i: clients[i].post("/points/desk/award/", _form(world, "parallel-2"), follow=True)
    )
    assert all("已为 陈建华 发放 10 积分" in p.content.decode() for p in pages), pages
    assert Movement.objects.count() == 1 and Grant.objects.count() == 1
