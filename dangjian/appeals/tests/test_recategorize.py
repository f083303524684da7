"""调整分类: a dispatcher corrects the category of an open case; the counters follow."""

import pytest
from django.core.exceptions import ValidationError

from dangjian.appeals import actions, stats, workflow
from dangjian.appeals.models import CaseNote, Category
from dangjian.core.models import AuditEvent


def other_top_leaf(case):
    return (
        Category.objects.filter(level=3, active=True, enterprise=False)
        .exclude(code__startswith=case.top_category.code + ".")
        .order_by("code")
        .first()
    )


def test_it_moves_the_case_and_its_counters_to_the_new_category(world, report):
    case = actions.accept_case(report(), acting_user=world.grid_worker)
    old_top, new = case.top_category, other_top_leaf(case)
    case = actions.recategorize_case(case, category=new, acting_user=world.grid_worker, note="模型建议")
    case.refresh_from_db()
    assert case.category == new and case.top_category.code == new.code.split(".")[0]
    assert stats.stored() == stats.recount()
    today = case.received_on
    assert stats.rates_for(world.city.pk, today, today, category_id=old_top.pk).counts["accepted"] == 0
    assert (
        stats.rates_for(world.city.pk, today, today, category_id=case.top_category_id).counts["accepted"] == 1
    )
    assert stats.rates_for(world.city.pk, today, today).counts["received"] == 1  # all categories: unchanged
    note = CaseNote.objects.get(case=case)
    assert not note.public and new.name in note.text and "模型建议" in note.text
    assert AuditEvent.objects.filter(action="appeals.recategorize", object_id=str(case.pk)).exists()


def test_only_dispatchers_of_the_case_may_and_only_while_open(world, report):
    case = report()
    new = other_top_leaf(case)
    for user in (world.outsider, world.resident, world.member):
        with pytest.raises(workflow.TransitionError):
            actions.recategorize_case(case, category=new, acting_user=user)
    enterprise = Category.objects.filter(enterprise=True, level__gt=1).first()
    assert enterprise is not None
    with pytest.raises(ValidationError):
        actions.recategorize_case(case, category=enterprise, acting_user=world.grid_worker)
    actions.close_case(case, event="close_not_ours", reason="非本级职责", acting_user=world.grid_worker)
    with pytest.raises(workflow.TransitionError):
        actions.recategorize_case(case, category=new, acting_user=world.grid_worker)
    assert stats.stored() == stats.recount()
