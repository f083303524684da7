"""The demo appeals of 北流市: a realistic spread of states, back-dated, counters equal a recount."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from dangjian.accounts.models import User
from dangjian.appeals import stats
from dangjian.appeals.models import Case, StreetTaskItem, Transition, WhistleTask
from dangjian.core import crypto
from dangjian.demo import beiliu
from dangjian.demo.tests.conftest import SMALL
from dangjian.territory import geo
from dangjian.territory.models import Node


@pytest.fixture(scope="module")
def city(django_db_setup: Any, django_db_blocker: Any) -> Any:
    """One build for the whole module, rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        geo.invalidate()
        demo = beiliu.build(residents=SMALL)
        geo.invalidate()
        yield demo
        transaction.set_rollback(True)


def _user(phone: str) -> User:
    return User.objects.get(phone_hash=crypto.lookup_hash("phone", phone))


def test_it_spreads_the_cases_over_the_states(city, db):
    counts = Counter(Case.objects.filter(county=city.county).values_list("status", flat=True))
    total = sum(counts.values())
    assert 580 <= total <= 620
    share = {k: v / total for k, v in counts.items()}
    assert 0.06 <= share["submitted"] <= 0.10
    assert 0.07 <= share.get("accepted", 0) + share.get("dispatched", 0) <= 0.16
    assert 0.09 <= share["in_progress"] <= 0.16
    assert 0.03 <= share["handled"] <= 0.08
    assert 1 <= counts["whistled"] <= 8
    assert share["rated"] + share["closed"] >= 0.5
    assert counts["rejected"] and counts["duplicate"] and counts["not_ours"]
    rated = Case.objects.filter(county=city.county).exclude(rating="")
    good = rated.filter(rating__in=["satisfied", "basic"]).count()
    assert 0.85 <= good / rated.count() <= 0.96
    assert Case.objects.filter(reopen_count=1).exists()
    assert Case.objects.filter(rework_count=1).exists()
    assert Case.objects.filter(merged_into__isnull=False).exists()
    assert Case.objects.filter(status="in_progress", claimed_by_member__isnull=False).exists()
    assert set(Case.objects.values_list("channel", flat=True)) == {
        "resident",
        "patrol",
        "enterprise",
        "hotline",
    }


def test_it_keeps_the_counters_equal_to_a_recount(city, db):
    assert stats.stored() == stats.recount()
    assert (
        stats.rates_for(
            city.county.pk, timezone.localdate() - timedelta(days=200), timezone.localdate()
        ).counts["received"]
        == Case.objects.count()
    )


def test_it_backdates_over_six_months_in_order(city, db):
    today = timezone.localdate()
    days = list(Case.objects.values_list("received_on", flat=True))
    assert min(days) >= today - timedelta(days=185)
    assert min(days) <= today - timedelta(days=150)
    months = {(d.year, d.month) for d in days}
    assert len(months) >= 6
    now = timezone.now()
    last = None
    for t in Transition.objects.order_by("case_id", "id"):
        assert t.at <= now
        if last is not None and last.case_id == t.case_id:
            assert t.at >= last.at, t.case_id
        last = t
    for case in Case.objects.exclude(closed_at=None):
        assert case.received_on <= timezone.localdate(case.closed_at)
        assert case.closed_on_time == (case.closed_at <= case.resolve_due)
    late = Case.objects.filter(closed_on_time=False).count()
    closed = Case.objects.exclude(closed_at=None).count()
    assert 0 < late < closed * 0.3
    acked = Case.objects.exclude(ack_on_time=None)
    assert acked.filter(ack_on_time=True).count() > acked.count() * 0.7


def test_it_gives_the_demo_accounts_cases(city, db):
    resident = _user("18807750011")
    mine = Case.objects.filter(reporter=resident.person)
    assert mine.count() >= 5
    assert mine.filter(status="closed", rating="").exists()  # awaiting the resident's rating
    assert mine.filter(status="rated").exists()
    dept = _user("18807750007")
    unit_id = dept.assignments.get().unit_id
    assert Case.objects.filter(assignee_unit_id=unit_id).count() >= 20
    assert WhistleTask.objects.filter(department_id=unit_id).exists()
    grid = _user("18807750006")
    assert Case.objects.filter(assignee_user=grid).exists()


def test_it_runs_the_whistles_with_two_departments(city, db):
    tasks = WhistleTask.objects.all()
    per_whistle = Counter(tasks.values_list("whistle_id", flat=True))
    assert per_whistle and set(per_whistle.values()) == {2}
    assert tasks.filter(status="done").count() > tasks.count() / 2
    now = timezone.now()
    overdue = tasks.filter(status="convened", report_due__lt=now)
    assert overdue.count() == 1
    assert tasks.exclude(street_score=None).exists()


def test_it_places_every_case_in_a_grid_or_a_triage_queue(city, db):
    county = city.county
    for case in Case.objects.filter(county=county):
        if case.located:
            assert case.grid_id is not None
            assert geo.locate_id(case.lng, case.lat) == case.grid_id
        else:
            assert case.street_id is not None and case.grid_id is None
    assert Case.objects.filter(located=False).exists()
    assert not Case.objects.exclude(county=county).exists()


def test_it_seeds_the_street_task_lists(city, db):
    for street in Node.objects.filter(parent=city.county, level="street"):
        assert StreetTaskItem.objects.filter(street=street).count() == 40
