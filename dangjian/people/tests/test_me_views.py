"""``people:me``: one's own record and roles; staff without a person record get 404."""

from __future__ import annotations

from django.urls import reverse

URL = "people:me"


def test_it_shows_a_residents_own_record_masked(world, login):
    response = login(world.resident).get(reverse(URL))
    assert response.status_code == 200
    assert response.context["person"] == world.resident_person
    assert response.context["roles"].labels == ["居民"]
    body = response.content.decode()
    assert "138****1234" in body and "13800001234" not in body
    assert reverse("people:reveal", args=[world.resident_person.pk]) in body


def test_it_shows_a_members_roles(world, login):
    response = login(world.member).get(reverse(URL))
    assert response.context["roles"].labels == ["居民", "党员"]
    assert "东湖一号小区党支部" in response.content.decode()


def test_it_shows_a_grid_workers_own_post(world, login):
    response = login(world.grid_worker).get(reverse(URL))
    assert response.context["roles"].labels == ["网格员"]


def test_it_is_404_for_staff_without_a_person_record(world, login):
    assert login(world.street_officer).get(reverse(URL)).status_code == 404
    assert login(world.admin).get(reverse(URL)).status_code == 404
