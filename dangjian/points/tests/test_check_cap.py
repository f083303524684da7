"""``dangjian points check`` (and the daily check task) reports anyone over a rule's yearly cap.

The over-cap ledger is built through the real actions, as the race before the fix left it:
two 双报到 awards (50 points each, cap 50) for one person in one year — the cap is raised
for the second award and put back.
"""

from __future__ import annotations

import logging

import pytest
from django.core.management import CommandError, call_command

from dangjian.points import actions, selectors
from dangjian.points.models import Rule

pytestmark = pytest.mark.django_db


def _award_twice(world):
    first = actions.award(
        rule="double_registration", person=world.member_person, source=world.compound_a1, acting_user=None
    )
    Rule.objects.filter(code="double_registration").update(max_per_year=100)
    second = actions.award(
        rule="double_registration", person=world.member_person, source=world.grid_a1, acting_user=None
    )
    Rule.objects.filter(code="double_registration").update(max_per_year=50)
    return first, second


def test_it_passes_a_person_at_the_cap(world, capsys):
    actions.award(
        rule="double_registration", person=world.member_person, source=world.compound_a1, acting_user=None
    )
    call_command("points", "check")
    assert "无人超过规则年度上限" in capsys.readouterr().out


def test_it_fails_with_the_person_rule_and_year_over_the_cap(world, capsys):
    from django.utils import timezone

    _award_twice(world)
    check = selectors.check_ledger()
    assert check.problems == [
        f"人员 #{world.member_person.pk}：{timezone.localdate().year}年“双报到”合计 100 分，超过每人每年上限 50 分"
    ]
    with pytest.raises(CommandError, match="1 个问题"):
        call_command("points", "check")
    assert f"人员 #{world.member_person.pk}" in capsys.readouterr().err


def test_it_counts_reversals_against_the_cap(world):
    _first, second = _award_twice(world)
    actions.reverse(movement=second, reason="重复报到", acting_user=world.street_officer)
    assert selectors.check_ledger().ok


def test_it_leaves_other_people_and_uncapped_rules_alone(world):
    _award_twice(world)
    for source in (world.compound_a1, world.grid_a1, world.grid_a2):  # 好人好事 has no cap
        actions.award(rule="good_deed", person=world.member_person, source=source, acting_user=None)
    actions.award(
        rule="double_registration", person=world.resident_person, source=world.compound_a1, acting_user=None
    )
    assert [row["person"] for row in selectors.over_cap()] == [world.member_person.pk]


def test_the_daily_task_logs_the_problem(world, settings, caplog):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    from dangjian.points.tasks import check_ledger

    _award_twice(world)
    with caplog.at_level(logging.ERROR, logger="dangjian.points.tasks"):
        result = check_ledger.enqueue()
    assert result.return_value is not None and result.return_value["ok"] is False
    assert any("超过每人每年上限" in r.getMessage() for r in caplog.records)
