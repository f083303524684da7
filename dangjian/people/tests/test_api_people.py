"""People API: persons (masked), residents, grid and community workers, new persons and the
logged reveal — inside and outside scope."""

import json

import pytest

from dangjian.accounts import actions as account_actions
from dangjian.core.models import AuditEvent, RevealLog
from dangjian.people import actions
from dangjian.people.models import Person


def bearer(user) -> dict[str, str]:
    _, raw = account_actions.issue_token(user=user, name="测试", acting_user=user)
    return {"Authorization": f"Bearer {raw}"}


def names(r) -> set[str]:
    return {row["name"] if "name" in row else row["person"]["name"] for row in r.json()["items"]}


@pytest.fixture
def community_worker(world):
    p = actions.create_person(name="社工小林", home=world.compound_a1, phone="13600001111", acting_user=None)
    return actions.hire_community_worker(
        person=p, community=world.community_a, post="deputy", level=3, acting_user=None
    )


def test_it_lists_persons_in_scope_masked(world, client):
    r = client.get("/api/v1/people/persons", headers=bearer(world.street_officer))
    assert names(r) == {"李秀英", "陈建华", "网格员小王"}
    li = next(row for row in r.json()["items"] if row["name"] == "李秀英")
    assert li["phone_masked"] == "138****1234"
    assert li["id_number_masked"] == "4509**********1236"
    assert li["address_masked"] == "东湖一号小区****"
    assert li["home"]["name"] == "东湖一号小区"
    text = json.dumps(r.json())
    assert "13800001234" not in text and "450981198001011236" not in text
    assert "_enc" not in text and "_hash" not in text
    assert names(client.get("/api/v1/people/persons", headers=bearer(world.outsider))) == {"黄丽", "周强"}


def test_a_resident_sees_only_themselves(world, login):
    assert names(login(world.resident).get("/api/v1/people/persons")) == {"李秀英"}


def test_it_finds_a_person_by_phone_or_id_number(world, login):
    c = login(world.street_officer)
    assert names(c.get("/api/v1/people/persons?phone=138-0000-1234")) == {"李秀英"}
    assert names(c.get("/api/v1/people/persons?id_number=450981198001011236")) == {"李秀英"}
    assert names(c.get("/api/v1/people/persons?q=陈")) == {"陈建华"}
    assert login(world.outsider).get("/api/v1/people/persons?phone=13800001234").json()["count"] == 0


def test_it_shows_a_person_in_scope_and_404_outside(world, login):
    r = login(world.grid_worker).get(f"/api/v1/people/persons/{world.member_person.pk}")
    assert r.status_code == 200
    assert r.json()["is_party_member"] is True and r.json()["is_resident"] is True
    gw = world.grid_worker.person
    assert [
        g["name"] for g in login(world.admin).get(f"/api/v1/people/persons/{gw.pk}").json()["grid_posts"]
    ] == ["桂塘第一网格"]
    r = login(world.outsider).get(f"/api/v1/people/persons/{world.resident_person.pk}")
    assert r.status_code == 404 and r.json() == {"detail": "未找到或无权访问"}


def test_it_lists_residents_workers_in_scope(world, login, community_worker):
    c = login(world.street_officer)
    residents = c.get("/api/v1/people/residents").json()["items"]
    assert {r["person"]["name"] for r in residents} == {"李秀英", "陈建华"}
    assert residents[0]["residence_type_label"] == "户籍人口"
    [gw] = c.get("/api/v1/people/grid-workers").json()["items"]
    assert gw["grid"]["name"] == "桂塘第一网格" and gw["role_label"] == "网格员"
    [cw] = c.get("/api/v1/people/community-workers").json()["items"]
    assert cw["community"]["name"] == "桂塘社区" and cw["grade"] == 9 and cw["post_label"] == "副职"
    assert cw["person"]["phone_masked"] == "136****1111"
    o = login(world.outsider)
    assert {r["person"]["name"] for r in o.get("/api/v1/people/residents").json()["items"]} == {"黄丽"}
    assert o.get("/api/v1/people/grid-workers").json()["count"] == 0
    assert o.get("/api/v1/people/community-workers").json()["count"] == 0
    assert o.get(f"/api/v1/people/residents?under={world.grid_a1.pk}").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/people/persons",
        "/api/v1/people/residents",
        "/api/v1/people/grid-workers",
        "/api/v1/people/community-workers",
    ],
)
def test_it_pins_query_counts_of_lists(world, login, django_assert_max_num_queries, url):
    for i in range(20):
        p = actions.create_person(name=f"居民{i}", home=world.compound_a1, acting_user=None)
        actions.register_resident(person=p, household=world.compound_a1, acting_user=None)
        actions.assign_grid_worker(person=p, grid=world.grid_a2, acting_user=None)
        actions.hire_community_worker(person=p, community=world.community_a, post="staff", acting_user=None)
    c = login(world.street_officer)
    with django_assert_max_num_queries(6):
        r = c.get(url)
    assert r.json()["count"] >= 20


def test_it_creates_a_person_in_scope(world, client):
    r = client.post(
        "/api/v1/people/persons",
        {
            "name": "王五",
            "home": world.compound_a1.pk,
            "phone": "13512345678",
            "id_number": "450981199002020016",
        },
        content_type="application/json",
        headers=bearer(world.grid_worker),
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["phone_masked"] == "135****5678" and body["gender"] == "M"
    person = Person.objects.get(pk=body["id"])
    assert person.grid_id == world.grid_a1.pk
    assert "13512345678" not in person.phone_enc
    assert AuditEvent.objects.filter(
        action="people.person.create", actor=world.grid_worker, object_id=str(person.pk)
    ).exists()


@pytest.mark.parametrize(
    ("payload", "errors"),
    [
        ({"name": " "}, {"name": ["姓名不能为空"]}),
        (
            {"name": "王五", "id_number": "450981199002020018"},
            {"id_number": ["身份证号码不正确（18 位，末位校验码不符）"]},
        ),
        ({"name": "王五", "phone": "12345"}, {"phone": ["手机号码不正确（应为 11 位，以 1 开头）"]}),
        ({"name": "王五", "id_number": "450981198001011236"}, {"id_number": ["该身份证号已登记"]}),
        ({"name": "王五", "gender": "X"}, {"gender": ["取值不在可选范围内"]}),
        ({}, {"name": ["此项为必填项"]}),
    ],
)
def test_it_answers_422_in_chinese_and_writes_nothing(world, login, payload, errors):
    before = (Person.objects.count(), AuditEvent.objects.count())
    r = login(world.street_officer).post(
        "/api/v1/people/persons", {"home": world.compound_a1.pk, **payload}, content_type="application/json"
    )
    assert r.status_code == 422
    assert r.json()["errors"] == errors
    assert (Person.objects.count(), AuditEvent.objects.count()) == before


def test_it_answers_404_for_a_home_outside_scope(world, login):
    before = Person.objects.count()
    r = login(world.outsider).post(
        "/api/v1/people/persons",
        {"name": "越界", "home": world.compound_a1.pk},
        content_type="application/json",
    )
    assert r.status_code == 404
    assert Person.objects.count() == before


@pytest.mark.parametrize(
    ("field", "value"),
    [("phone", "13800001234"), ("id_number", "450981198001011236"), ("address", "东湖一号小区3栋201")],
)
def test_it_reveals_a_value_and_logs_it(world, client, field, value):
    r = client.post(
        f"/api/v1/people/persons/{world.resident_person.pk}/reveal",
        {"field": field, "reason": "上门走访核对"},
        content_type="application/json",
        headers=bearer(world.grid_worker),
    )
    assert r.status_code == 200
    assert r.json() == {"field": field, "value": value}
    log = RevealLog.objects.get()
    assert (log.actor, log.field, log.object_id, log.reason) == (
        world.grid_worker,
        field,
        str(world.resident_person.pk),
        "上门走访核对",
    )


def test_it_answers_404_to_a_reveal_outside_scope_and_logs_nothing(world, login):
    r = login(world.outsider).post(
        f"/api/v1/people/persons/{world.resident_person.pk}/reveal",
        {"field": "phone"},
        content_type="application/json",
    )
    assert r.status_code == 404
    assert not RevealLog.objects.exists()


def test_it_refuses_an_unknown_reveal_field(world, login):
    r = login(world.admin).post(
        f"/api/v1/people/persons/{world.resident_person.pk}/reveal",
        {"field": "phone_enc"},
        content_type="application/json",
    )
    assert r.status_code == 422
    assert r.json()["errors"] == {"field": ["取值不在可选范围内"]}
    assert not RevealLog.objects.exists()
