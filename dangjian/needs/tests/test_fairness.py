"""Priority score, the per-person load cap and the unclaimed alert."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from dangjian.needs import actions, fairness, selectors, timers
from dangjian.needs.models import Need
from dangjian.needs.tests.conftest import published_wish
from dangjian.notifications.models import Notification


def test_priority_rises_with_age_elderly_and_disabled_first(world):
    now = timezone.now()
    young = published_wish(world, title="新心愿")
    old = published_wish(world, title="等了很久")
    Need.objects.filter(pk=old.pk).update(published_at=now - dt.timedelta(days=20))
    frail = published_wish(world, title="老人残疾人", elderly=True, disabled=True)
    old.refresh_from_db()
    assert fairness.priority(young, now).score == 0
    assert fairness.priority(frail, now).score == 30
    assert fairness.priority(old, now).score == 20
    assert "老年人 +15" in fairness.priority(frail, now).parts
    order = [n.title for n, _ in selectors.queue(world.street_officer)]
    assert order[:3] == ["老人残疾人", "等了很久", "新心愿"]


def test_elderly_is_derived_from_the_birth_date(world):
    from dangjian.people.models import Person

    Person.objects.filter(pk=world.resident_person.pk).update(birth_date=dt.date(1950, 1, 1))
    world.resident_person.refresh_from_db()
    need = published_wish(world)
    assert need.elderly


def test_the_load_cap_stops_the_same_few_from_being_exhausted(world, settings):
    settings.NEEDS_MAX_OPEN_CLAIMS = 2
    a, b, c = (published_wish(world, title=f"心愿{i}") for i in range(3))
    actions.claim_need(a, acting_user=world.member)
    actions.claim_need(b, acting_user=world.member)
    with pytest.raises(ValidationError, match="已有 2 件未完成"):
        actions.claim_need(c, acting_user=world.member)
    c.refresh_from_db()
    assert c.status == "published" and c.claimed_member is None
    with pytest.raises(ValidationError):  # assignment by staff respects the cap too
        actions.assign_need(c, member=world.member_person.party_member, acting_user=world.street_officer)
    a.refresh_from_db()
    actions.release_need(a, reason="没空", acting_user=world.member)
    assert actions.claim_need(c, acting_user=world.member).status == "claimed"


def test_fulfilled_counts_until_confirmed(world, settings):
    settings.NEEDS_MAX_OPEN_CLAIMS = 1
    a, b = published_wish(world, title="甲"), published_wish(world, title="乙")
    a = actions.claim_need(a, acting_user=world.member)
    a = actions.fulfil_need(a, evidence="完成", acting_user=world.member)
    with pytest.raises(ValidationError):
        actions.claim_need(b, acting_user=world.member)
    actions.confirm_need(a, acting_user=world.resident)
    assert actions.claim_need(b, acting_user=world.member).status == "claimed"


def test_unclaimed_needs_alert_staff_once_per_period(world, community_worker, settings):
    settings.NEEDS_UNCLAIMED_DAYS = 3
    need = published_wish(world)
    fresh = published_wish(world, title="刚上墙")
    now = timezone.now()
    Need.objects.filter(pk=need.pk).update(published_at=now - dt.timedelta(days=4))
    report = timers.run(now)
    assert report.alerted == [need.number]
    assert fresh.number not in report.alerted
    got = Notification.objects.filter(kind="needs.unclaimed")
    assert {n.user_id for n in got} == {community_worker.pk, world.street_officer.pk}
    assert timers.run(now).alerted == []  # idempotent
    assert timers.run(now + dt.timedelta(days=3)).alerted == [
        need.number,
        fresh.number,
    ]  # next period, and the newer one
    actions.claim_need(need, acting_user=world.member)
    assert timers.run(now + dt.timedelta(days=9)).alerted == [fresh.number]  # the claimed one no more
