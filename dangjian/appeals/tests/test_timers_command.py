"""``manage.py timers --once`` runs the timers and says what it did; the task runs them in the worker."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from dangjian.appeals import actions
from dangjian.appeals.choices import Status
from dangjian.appeals.models import Case


def _late_case(world, report):
    case = actions.accept_case(report(), acting_user=world.grid_worker)
    case = actions.dispatch_case(case, to_user=world.grid_worker, acting_user=world.grid_worker)
    Case.objects.filter(pk=case.pk).update(ack_due=timezone.now() - dt.timedelta(hours=2))
    return case


def test_it_prints_what_one_pass_did(world, report):
    case = _late_case(world, report)
    out = StringIO()
    call_command("timers", "--once", stdout=out)
    text = out.getvalue()
    assert f"签收超时自动上报：1 件（{case.number}）" in text
    assert "到期提醒：发出 0 条" in text and "部门报到超时升级：0 项" in text
    case.refresh_from_db()
    assert case.status == Status.ACCEPTED

    out = StringIO()
    call_command("timers", "--once", stdout=out)
    assert "签收超时自动上报：0 件" in out.getvalue()


def test_the_task_runs_the_timers(world, report, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    from dangjian.appeals.tasks import run_timers

    case = _late_case(world, report)
    result = run_timers.enqueue()
    assert result.return_value is not None and result.return_value["escalated"] == [case.number]
    case.refresh_from_db()
    assert case.status == Status.ACCEPTED


def test_it_refuses_a_zero_interval(db):
    with pytest.raises(CommandError, match="至少为 1 秒"):
        call_command("timers", "--interval", "0")
