"""`dangjian demo` leaves 双报到 to the worker; pages say 演示数据生成中… until it is done."""

from __future__ import annotations

from django_tasks_db.models import DBTaskResult

from dangjian.demo import beiliu, context_processors
from dangjian.demo.tasks import build_demo_service, demo_building
from dangjian.service.models import MemberRegistration, ServiceRecord
from dangjian.territory import geo


def test_it_queues_the_service_build_and_shows_the_banner_until_done(
    db, rf, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(context_processors, "_done", False)
    geo.invalidate()
    with django_capture_on_commit_callbacks(execute=True):
        city = beiliu.build(residents=600, cases=10, service="worker")
    geo.invalidate()
    assert not MemberRegistration.objects.exists()
    queued = DBTaskResult.objects.get(task_path=build_demo_service.module_path)
    assert queued.args_kwargs["args"] == [city.county.pk]
    assert demo_building()
    assert context_processors.demo_status(rf.get("/")) == {"demo_building": True}

    build_demo_service.call(city.county.pk)
    DBTaskResult.objects.filter(pk=queued.pk).update(status="SUCCESSFUL")  # as the worker marks it

    assert MemberRegistration.objects.filter(county=city.county).exists()
    assert ServiceRecord.objects.filter(county=city.county).exists()
    assert not demo_building()
    assert context_processors.demo_status(rf.get("/")) == {"demo_building": False}
    assert context_processors.demo_status(rf.get("/")) == {}  # and never asks again


def test_it_shows_no_banner_without_a_demo_build(db, client, monkeypatch):
    monkeypatch.setattr(context_processors, "_done", False)
    page = client.get("/accounts/login/")
    assert "演示数据生成中" not in page.content.decode()
