"""Large files go to the worker (the tasks API); the page polls the job with htmx."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dangjian.exchange import actions
from dangjian.exchange.importers import Importer
from dangjian.exchange.models import ImportJob
from dangjian.exchange.tasks import run_import
from dangjian.exchange.tests.helpers import workbook
from dangjian.territory.models import Node
from dangjian.units.models import Unit


def book(w) -> bytes:
    return workbook(
        {
            "territory": [
                {"层级": "网格", "名称": f"桂塘第{i}网格", "上级编码": w.community_a.code}
                for i in range(3, 8)
            ],
            "units": [{"单位名称": "桂塘超市", "单位类型": "非公企业", "所在区域编码": w.grid_a1.code}],
        }
    )


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.IMPORT_SYNC_MAX_ROWS = 5  # a 6-row file counts as large


def test_it_hands_a_large_file_to_the_task_and_imports_it(world, login, immediate_tasks):
    client = login(world.street_officer)
    response = client.post(
        reverse("exchange:import"), {"file": SimpleUploadedFile("大文件.xlsx", book(world))}
    )
    job = ImportJob.objects.get()
    assert response["Location"] == reverse("exchange:job", args=[job.pk])
    assert job.ran_in_background
    assert (job.status, job.total_rows, job.processed_rows) == ("done", 6, 6)
    assert job.summary == {"区域": 5, "单位": 1}
    assert Unit.objects.filter(name="桂塘超市", street=world.street_a).exists()


def test_it_runs_a_job_only_once(world, immediate_tasks):
    job = actions.create_import_job(
        upload=SimpleUploadedFile("a.xlsx", book(world)), original_name="a.xlsx", acting_user=world.admin
    )
    assert run_import.enqueue(job_id=job.pk).return_value == "done"
    nodes = Node.objects.count()
    assert run_import.enqueue(job_id=job.pk).return_value == "done"  # a retried task changes nothing
    assert Node.objects.count() == nodes


def test_it_polls_a_running_job_every_second(world, login):
    job = actions.create_import_job(
        upload=SimpleUploadedFile("a.xlsx", book(world)),
        original_name="a.xlsx",
        acting_user=world.street_officer,
    )
    ImportJob.objects.filter(pk=job.pk).update(status="validating", total_rows=6, processed_rows=3)
    client = login(world.street_officer)
    partial = client.get(reverse("exchange:job", args=[job.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 1s"' in partial
    assert "<html" not in partial
    assert 'aria-valuenow="50"' in partial and "3 / 6 行" in partial
    page = client.get(reverse("exchange:job", args=[job.pk])).content.decode()
    assert "<html" in page and 'hx-get="/exchange/jobs/' in page


def test_it_rolls_everything_back_when_a_write_fails_anyway(world, monkeypatch):
    from django.core.exceptions import ValidationError

    from dangjian.units import actions as unit_actions

    def broken(**kwargs):
        raise ValidationError({"name": "数据库里刚刚出现了同名单位"})

    monkeypatch.setattr(unit_actions, "create_unit", broken)
    nodes = Node.objects.count()
    from dangjian.exchange.importers import read_book

    importer = Importer(world.street_officer)
    assert importer.validate(read_book(io.BytesIO(book(world)))) == []
    from dangjian.exchange.importers import ImportFailed

    with pytest.raises(ImportFailed) as exc:
        importer.write()
    assert [p.as_dict() for p in exc.value.problems] == [
        {
            "sheet": "单位",
            "row": 2,
            "column": "",
            "reason": "写入失败，已全部撤销：数据库里刚刚出现了同名单位",
        }
    ]
    assert Node.objects.count() == nodes  # the five grids written before it are gone too
