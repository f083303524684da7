import json
from datetime import timedelta
from typing import Any

from dangjian.service import actions
from dangjian.service.models import MemberRegistration, Post, ServiceRecord
from dangjian.service.tests.conftest import ago

API = "/api/v1/service"


def post(client: Any, url: str, body: dict | None = None) -> Any:
    return client.post(f"{API}{url}", data=json.dumps(body or {}), content_type="application/json")


def test_register_confirm_claim_record_verify_through_the_api(world: Any, svc: Any, login: Any) -> None:
    c = login(world.member)
    r = post(c, "/registrations", {"community_id": world.community_a.pk, "skills": ["法律咨询"]})
    assert r.status_code == 201, r.content
    reg_id = r.json()["id"]
    c = login(svc.worker)
    assert post(c, f"/registrations/{reg_id}/confirm").json()["status"] == "confirmed"
    r = post(c, "/posts", {"node_id": world.community_a.pk, "kind": "legal", "slots": 1})
    assert r.status_code == 201
    post_id = r.json()["id"]
    c = login(world.member)
    assert [p["id"] for p in c.get(f"{API}/posts").json()] == [post_id]
    assert post(c, f"/posts/{post_id}/claim").status_code == 201
    assert post(c, f"/posts/{post_id}/claim").status_code == 422
    start = ago(days=2)
    r = post(
        c,
        "/records",
        {
            "community_id": world.community_a.pk,
            "title": "法律咨询",
            "started_at": start.isoformat(),
            "ended_at": (start + timedelta(hours=3)).isoformat(),
        },
    )
    assert r.status_code == 201, r.content
    rec_id = r.json()["id"]
    assert [x["id"] for x in c.get(f"{API}/records").json()] == [rec_id]
    assert post(c, f"/records/{rec_id}/verify").status_code == 404  # a member verifies nothing
    c = login(svc.worker)
    assert post(c, f"/records/{rec_id}/verify").json()["status"] == "verified"


def test_bad_input_answers_422_in_chinese_and_changes_nothing(world: Any, svc: Any, login: Any) -> None:
    c = login(world.member)
    r = post(c, "/registrations", {"community_id": world.community_b.pk})
    assert r.status_code == 422 and "居住地" in r.json()["errors"]["community"][0]
    c = login(svc.worker)
    reg = actions.register_member(member=svc.member, community=world.community_a, acting_user=world.member)
    r = post(c, f"/registrations/{reg.pk}/reject", {"reason": ""})
    assert r.status_code == 422
    assert MemberRegistration.objects.get().status == "pending"


def test_scoping_inside_and_outside(world: Any, svc: Any, login: Any, record: Any) -> None:
    reg = actions.register_member(member=svc.member, community=world.community_a, acting_user=world.member)
    rec = record()
    for who, sees in (
        (svc.worker, True),
        (world.street_officer, True),
        (world.admin, True),
        (world.member, True),
        (svc.worker_b, False),
        (world.outsider, False),
        (world.resident, False),
        (svc.unit_admin, False),  # the member works for no unit
    ):
        c = login(who)
        assert (reg.pk in [x["id"] for x in c.get(f"{API}/registrations").json()]) is sees, who
        assert (rec.pk in [x["id"] for x in c.get(f"{API}/records").json()]) is sees, who
        assert (c.get(f"{API}/records/{rec.pk}").status_code == 200) is sees, who
    for who in (svc.worker_b, world.outsider):
        assert post(login(who), f"/registrations/{reg.pk}/confirm").status_code == 404
    assert MemberRegistration.objects.get().status == "pending"


def test_a_unit_liaison_sees_its_own_units_records(
    world: Any, registered: Any, login: Any, record: Any
) -> None:
    mine = record(person=registered.colleague.person, acting_user=registered.colleague_user)
    other = record(start=ago(days=6))
    c = login(registered.unit_admin)
    ids = [x["id"] for x in c.get(f"{API}/records").json()]
    assert mine.pk in ids and other.pk not in ids
    assert post(c, f"/records/{mine.pk}/verify").status_code == 404  # liaisons read, communities verify
    assert ServiceRecord.objects.get(pk=mine.pk).status == "submitted"


def test_unit_registration_and_figures(world: Any, svc: Any, login: Any) -> None:
    c = login(svc.unit_admin)
    r = post(
        c,
        "/unit-registrations",
        {
            "unit_id": svc.unit.pk,
            "community_id": world.community_a.pk,
            "contact_name": "刘敏",
            "contact_phone": "13977001234",
        },
    )
    assert r.status_code == 201 and r.json()["contact_phone"] == "139****1234"
    reg_id = r.json()["id"]
    assert post(login(svc.worker_b), f"/unit-registrations/{reg_id}/confirm").status_code == 404
    assert post(login(svc.worker), f"/unit-registrations/{reg_id}/confirm").json()["status"] == "confirmed"
    rows = login(world.admin).get(f"{API}/figures/registration-rate?by=branch").json()
    assert {"name": "东湖一号小区党支部", "total": 2, "registered": 0}.items() <= rows[0].items()
    assert login(world.admin).get(f"{API}/figures/hours?by=nonsense").status_code == 422


def test_post_lists_stay_in_scope(world: Any, registered: Any, login: Any) -> None:
    p = actions.create_post(node=world.community_a, kind="arts", acting_user=registered.worker)
    assert [x["id"] for x in login(world.resident).get(f"{API}/posts").json()] == []
    assert [x["id"] for x in login(registered.worker_b).get(f"{API}/posts").json()] == []
    assert post(login(world.resident), f"/posts/{p.pk}/claim").status_code == 404
    assert Post.objects.get().taken == 0
