"""How a new case is written: one statement on PostgreSQL (``actions._write_new_case``), the
same statements in order on SQLite — the rows must be exactly what the ORM would write."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django_tasks_db.models import DBTaskResult

from dangjian.appeals import actions, stats
from dangjian.appeals.models import Case, Category, Transition
from dangjian.conftest import RACE, needs_postgresql, race
from dangjian.core.models import AuditEvent


def test_the_case_row_holds_what_the_returned_case_says(world, report):
    case = report(contact_phone="13800001234", address="东湖一号 3 栋")
    stored = Case.objects.get(pk=case.pk)
    for field in Case._meta.concrete_fields:
        assert getattr(stored, field.attname) == getattr(case, field.attname), field.name
    assert case.number and case.created_at and not case._state.adding


def test_the_audit_row_and_the_transition_name_the_case_and_its_number(world, report):
    case = report()
    event = AuditEvent.objects.get(action="appeals.submit", object_id=str(case.pk))
    assert event.after is not None
    assert event.object_repr == str(case) and event.model == "appeals.case"
    assert event.after["number"] == case.number and event.after["id"] == case.pk
    assert event.actor == world.resident and "contact_phone_enc" not in event.after
    step = Transition.objects.get(case=case)
    assert (step.event, step.from_state, step.to_state, step.actor) == (
        "submit",
        "",
        "submitted",
        world.resident,
    )


def test_the_dispatch_task_is_written_with_the_case(world, report):
    case = report()
    task = DBTaskResult.objects.get()
    assert task.args_kwargs == {"args": [case.pk], "kwargs": {}}
    assert task.task_path == "dangjian.dispatch.tasks.decide_case_task"


def test_a_retry_takes_no_number_so_the_day_has_no_gap(world, report):
    first = report(idempotency_key="same-key")
    assert report(idempotency_key="same-key").pk == first.pk
    second = report()
    assert int(second.number.rsplit("-", 1)[1]) == int(first.number.rsplit("-", 1)[1]) + 1
    assert Case.objects.count() == 2 and DBTaskResult.objects.count() == 2


@RACE
def test_parallel_intakes_in_autocommit_number_and_count_every_case_once() -> None:
    """Real threads, real connections, no surrounding transaction: the one-statement path."""
    needs_postgresql()
    from dangjian.conftest import build_world

    world = build_world()
    category = Category.objects.filter(level=3, enterprise=False, active=True).order_by("code").first()
    keys = ["retried"] * 4 + [f"own-{i}" for i in range(4)]

    def submit(i: int) -> Any:
        assert not connection.in_atomic_block
        return actions.submit_case(
            channel="resident",
            category=category,
            title="路灯不亮",
            description=f"并发提交 {i}",
            lng=110.355,
            lat=22.705,
            idempotency_key=keys[i],
            reporter=world.resident_person,
            acting_user=world.resident,
        ).case.pk

    outcomes = race(len(keys), submit)
    assert all(isinstance(o, int) for o in outcomes), outcomes
    assert len(set(outcomes[:4])) == 1 and len(set(outcomes)) == 5
    numbers = sorted(int(n.rsplit("-", 1)[1]) for n in Case.objects.values_list("number", flat=True))
    assert numbers == [1, 2, 3, 4, 5]
    assert Transition.objects.filter(event="submit").count() == 5
    assert AuditEvent.objects.filter(action="appeals.submit").count() == 5
    assert sorted(t.args_kwargs["args"][0] for t in DBTaskResult.objects.all()) == sorted(set(outcomes))
    assert stats.stored() == stats.recount()
