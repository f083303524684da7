"""Who may import, and where: only into one's own part of the tree."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dangjian.exchange import actions
from dangjian.exchange.importers import import_workbook
from dangjian.exchange.models import ImportJob
from dangjian.exchange.tests.helpers import workbook
from dangjian.territory.models import Node
from dangjian.units.models import Unit


def street_a_book(w) -> bytes:
    return workbook(
        {
            "territory": [{"层级": "网格", "名称": "桂塘第九网格", "上级编码": w.community_a.code}],
            "units": [{"单位名称": "桂塘超市", "单位类型": "非公企业", "所在区域编码": w.grid_a1.code}],
        }
    )


def test_it_refuses_an_outsider_importing_into_street_a(world, login):
    w = world
    nodes, units = Node.objects.count(), Unit.objects.count()
    client = login(w.outsider)
    client.post(reverse("exchange:import"), {"file": SimpleUploadedFile("a.xlsx", street_a_book(w))})
    job = ImportJob.objects.get(user=w.outsider)
    assert job.status == "failed"
    assert [(e["sheet"], e["row"], e["column"]) for e in job.errors] == [
        ("区域", 2, "C 上级编码"),
        ("单位", 2, "D 所在区域编码"),
    ]
    assert all("不在您的管辖范围内" in e["reason"] for e in job.errors)
    assert (Node.objects.count(), Unit.objects.count()) == (nodes, units)


def test_it_lets_the_street_officer_import_the_same_file(world):
    outcome = import_workbook(io.BytesIO(street_a_book(world)), acting_user=world.street_officer)
    assert outcome.ok, outcome.problems
    assert Unit.objects.get(name="桂塘超市").street == world.street_a


def test_it_limits_a_grid_worker_to_the_grid(world):
    w = world
    outcome = import_workbook(io.BytesIO(street_a_book(w)), acting_user=w.grid_worker)
    # A new grid under the community is above grid A1; a unit in grid A1 is fine.
    assert [(p.sheet, p.row) for p in outcome.problems] == [("区域", 2)]


def test_it_keeps_new_cities_to_platform_admins(world):
    book = workbook({"territory": [{"层级": "市", "名称": "梧州市", "编码": "450400"}]})
    outcome = import_workbook(io.BytesIO(book), acting_user=world.street_officer)
    assert [p.reason for p in outcome.problems] == ["只有平台管理员可以新增市级节点"]
    assert import_workbook(io.BytesIO(book), acting_user=None).ok  # the system (CLI) may


@pytest.mark.parametrize("persona", ["resident", "member"])
def test_it_hides_the_import_pages_from_non_staff(world, login, persona):
    client = login(getattr(world, persona))
    assert client.get(reverse("exchange:import")).status_code == 404
    assert client.get(reverse("exchange:template", args=["members"])).status_code == 404
    response = client.post(
        reverse("exchange:import"), {"file": SimpleUploadedFile("a.xlsx", street_a_book(world))}
    )
    assert response.status_code == 404
    assert not ImportJob.objects.exists()


def test_it_sends_anonymous_users_to_log_in(client, world):
    response = client.get(reverse("exchange:import"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_it_shows_a_job_only_to_the_user_who_started_it(world, login):
    w = world
    job = actions.create_import_job(
        upload=SimpleUploadedFile("a.xlsx", street_a_book(w)),
        original_name="a.xlsx",
        acting_user=w.street_officer,
    )
    assert login(w.street_officer).get(reverse("exchange:job", args=[job.pk])).status_code == 200
    assert login(w.outsider).get(reverse("exchange:job", args=[job.pk])).status_code == 404
    assert login(w.admin).get(reverse("exchange:job", args=[job.pk + 100])).status_code == 404


def test_it_lists_recent_jobs_with_a_fixed_number_of_queries(world, login, django_assert_max_num_queries):
    w = world
    for i in range(12):
        actions.create_import_job(
            upload=SimpleUploadedFile(f"{i}.xlsx", street_a_book(w)),
            original_name=f"{i}.xlsx",
            acting_user=w.street_officer,
        )
    client = login(w.street_officer)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("exchange:import"))
    html = response.content.decode()
    assert html.count('href="/exchange/jobs/') == 10
    assert "下载导入模板" in html and "导入模板" in html
