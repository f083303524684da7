"""12345 工单导入 page: upload, validate everything first (sheet/row/column/reason in Chinese),
all or nothing, scoped to the uploader's territory, large files through the worker with
progress, a downloadable template."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from dangjian.appeals import hotline
from dangjian.appeals.choices import Channel, Status
from dangjian.appeals.models import Case
from dangjian.appeals.tests.test_hotline_import import HEADER, good_rows, xlsx
from dangjian.core.models import AuditEvent
from dangjian.exchange.models import ImportJob


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def upload(client, rows, name="12345工单.xlsx", header=HEADER):
    return client.post(
        reverse("appeals:hotline_import"), {"file": SimpleUploadedFile(name, xlsx(rows, header).getvalue())}
    )


def test_staff_see_the_page_and_download_the_template(world, login):
    client = login(world.street_officer)
    html = client.get(reverse("appeals:hotline_import")).content.decode()
    assert "12345 工单导入" in html and reverse("appeals:hotline_template") in html
    response = client.get(reverse("appeals:hotline_template"))
    assert response.status_code == 200 and "12345" in response["Content-Disposition"]
    ws = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert [c.value for c in ws[1]] == HEADER and ws.max_row == 2


def test_it_is_in_the_menu_for_staff_only(world, login):
    url = reverse("appeals:hotline_import")
    assert url in login(world.street_officer).get(reverse("appeals:queue")).content.decode()
    assert url not in login(world.resident).get(reverse("appeals:mine")).content.decode()


def test_residents_and_anonymous_visitors_get_nothing(world, login):
    for path in (reverse("appeals:hotline_import"), reverse("appeals:hotline_template")):
        assert Client().get(path).status_code == 302  # to the login page
        assert login(world.resident).get(path).status_code == 404
    assert login(world.resident).post(reverse("appeals:hotline_import")).status_code == 404


def test_a_good_file_creates_the_cases_filed_by_the_system(world, road, login):
    client = login(world.street_officer)
    response = upload(client, good_rows(road))
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "appeals:hotline_job", args=[job.pk]
    )
    assert (job.status, job.total_rows, job.kinds, job.summary) == ("done", 2, ["hotline"], {"新建诉求": 2})
    cases = list(Case.objects.order_by("id"))
    assert [c.channel for c in cases] == [Channel.HOTLINE] * 2 and all(
        c.status == Status.SUBMITTED for c in cases
    )
    # the caller, not the operator, is the reporter: the operator is in the audit trail
    assert all(c.reporter_user_id is None for c in cases)
    imports = AuditEvent.objects.filter(action="appeals.hotline_import")
    assert imports.count() == 2 and {e.actor_id for e in imports} == {world.street_officer.pk}
    html = client.get(response["Location"]).content.decode()
    assert "导入成功" in html and 'id="created-count">2<' in html and "channel=hotline" in html
    # the same file again creates nothing twice
    upload(client, good_rows(road))
    second = ImportJob.objects.latest("id")
    assert second.summary == {"新建诉求": 0} and Case.objects.count() == 2
    assert (
        "2</strong> 条此前已导入"
        in client.get(reverse("appeals:hotline_job", args=[second.pk])).content.decode()
    )


def test_one_bad_row_and_nothing_is_written_with_every_problem_listed(world, road, login):
    rows = good_rows(road)
    rows[1][7] = "不存在的分类"
    rows[1][3] = "12345"
    rows.append(["GX-0003", "明天上午", "", "", "", None, None, road.code, "", "很急"])
    client = login(world.street_officer)
    response = upload(client, rows)
    job = ImportJob.objects.get()
    assert job.status == "failed" and not Case.objects.exists()
    problems = {(p["sheet"], p["row"], p["column"]) for p in job.errors}
    assert problems == {
        ("Sheet", 3, "诉求类别"),
        ("Sheet", 3, "联系电话"),
        ("Sheet", 4, "来电时间"),
        ("Sheet", 4, "诉求内容"),
        ("Sheet", 4, "紧急程度"),
        ("Sheet", 4, "诉求地址"),
    }
    html = client.get(response["Location"]).content.decode()
    assert "没有导入任何数据" in html and "未找到诉求类别“不存在的分类”" in html
    assert "联系电话不正确，须为 11 位手机号码" in html and "紧急程度只能填写 一般 / 紧急 / 特急" in html
    assert not AuditEvent.objects.filter(action="appeals.hotline_import").exists()


def test_rows_outside_the_uploaders_territory_are_refused(world, road, login):
    # the outsider is an officer of another street; both rows lie in 陵城街道
    response = upload(login(world.outsider), good_rows(road))
    job = ImportJob.objects.get()
    assert job.status == "failed" and not Case.objects.exists()
    reasons = [p["reason"] for p in job.errors]
    assert reasons == ["该位置超出您的管辖范围"] * 2
    assert response.status_code == 302


def test_a_wrong_file_is_refused_in_chinese(world, login):
    client = login(world.street_officer)
    response = client.post(
        reverse("appeals:hotline_import"), {"file": SimpleUploadedFile("工单.xls", b"\xd0\xcf\x11\xe0old")}
    )
    assert response.status_code == 400 and "只支持 .xlsx 格式" in response.content.decode()
    response = client.post(reverse("appeals:hotline_import"), {})
    assert response.status_code == 400 and "请选择要导入的 .xlsx 文件" in response.content.decode()
    upload(client, [["GX-1", "", "", "", "", None, None, "x", "y", ""]], header=["甲", "乙", "丙"])
    job = ImportJob.objects.get()
    assert job.status == "failed" and "未找到表头" in job.errors[0]["reason"]
    assert not Case.objects.exists()


def test_a_large_file_goes_through_the_worker(world, road, login, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.IMPORT_SYNC_MAX_ROWS = 2
    rows = good_rows(road) + [
        [f"GX-01{i}", "", "", "", "", 110.355, 22.705, road.code, f"第{i}处井盖缺失", ""] for i in range(3)
    ]
    upload(login(world.street_officer), rows)
    job = ImportJob.objects.get()
    assert job.ran_in_background and (job.status, job.total_rows, job.processed_rows) == ("done", 5, 5)
    assert Case.objects.filter(channel=Channel.HOTLINE).count() == 5


def test_a_queued_job_shows_its_progress_and_polls(world, road, login, settings):
    settings.IMPORT_SYNC_MAX_ROWS = 1  # the database task backend: queued until a worker runs it
    client = login(world.street_officer)
    response = upload(client, good_rows(road))
    job = ImportJob.objects.get()
    assert job.status == "queued" and job.ran_in_background
    html = client.get(response["Location"]).content.decode()
    assert "已进入后台队列" in html and 'hx-trigger="every 1s"' in html
    partial = client.get(response["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert partial.startswith('<div id="job-status"') and "<html" not in partial
    # the worker's run, then the page shows the outcome and stops polling
    from dangjian.appeals.hotline_jobs import run_hotline_job

    assert run_hotline_job(job.pk).status == "done"
    assert run_hotline_job(job.pk).status == "done" and Case.objects.count() == 2  # runs once
    html = client.get(response["Location"]).content.decode()
    assert "导入成功" in html and "every 1s" not in html


def test_another_users_job_is_404(world, road, login):
    upload(login(world.street_officer), good_rows(road))
    job = ImportJob.objects.get()
    assert login(world.outsider).get(reverse("appeals:hotline_job", args=[job.pk])).status_code == 404
    assert login(world.admin).get(reverse("appeals:hotline_job", args=[job.pk])).status_code == 404


def test_the_pages_query_counts_are_pinned(world, road, login, django_assert_max_num_queries):
    client = login(world.street_officer)
    for _ in range(3):
        upload(client, good_rows(road))
    job = ImportJob.objects.earliest("id")
    with django_assert_max_num_queries(8):
        assert client.get(reverse("appeals:hotline_import")).status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get(reverse("appeals:hotline_job", args=[job.pk])).status_code == 200


def test_problems_name_the_sheet(world, road):
    rows = good_rows(road)
    rows[0][8] = ""
    result = hotline.import_hotline(xlsx(rows), acting_user=world.street_officer)
    assert [str(p) for p in result.problems] == ["工作表“Sheet”第 2 行「诉求内容」：请填写诉求内容"]
