"""Revealing a masked value: plain value swapped in, logged, refused outside the scope."""

from __future__ import annotations

from django.urls import reverse

from dangjian.core.models import RevealLog


def url(person):
    return reverse("people:reveal", args=[person.pk])


def test_it_reveals_and_logs(world, login):
    c = login(world.street_officer)
    response = c.post(url(world.resident_person), {"field": "id_number"})
    assert response.status_code == 200
    assert "450981198001011236" in response.content.decode()
    log = RevealLog.objects.get()
    assert (log.actor, log.model, log.object_id, log.field) == (
        world.street_officer,
        "people.person",
        str(world.resident_person.pk),
        "id_number",
    )
    assert "东湖一号小区3栋201" in c.post(url(world.resident_person), {"field": "address"}).content.decode()
    assert RevealLog.objects.count() == 2


def test_it_refuses_outside_the_scope_without_logging(world, login):
    assert login(world.outsider).post(url(world.resident_person), {"field": "phone"}).status_code == 404
    assert login(world.resident).post(url(world.other_person), {"field": "phone"}).status_code == 404
    assert not RevealLog.objects.exists()


def test_it_refuses_view_only_roles(world, login):
    from dangjian.accounts import actions as account_actions

    leader = account_actions.create_user(
        phone="13000000009", password="x" * 12, name="领导", acting_user=None
    )
    account_actions.assign_role(user=leader, role="leader", node=world.county, acting_user=None)
    assert login(leader).post(url(world.resident_person), {"field": "phone"}).status_code == 404
    assert not RevealLog.objects.exists()


def test_it_rejects_unknown_fields_and_get(world, login):
    c = login(world.street_officer)
    response = c.post(url(world.resident_person), {"field": "phone_enc"})
    assert response.status_code == 400
    assert "不支持查看该字段" in response.content.decode()
    assert c.get(url(world.resident_person), {"field": "phone"}).status_code == 405
    assert not RevealLog.objects.exists()


def test_it_lets_a_resident_reveal_their_own_data_logged(world, login):
    response = login(world.resident).post(url(world.resident_person), {"field": "phone"})
    assert "13800001234" in response.content.decode()
    assert RevealLog.objects.get().actor == world.resident
