"""The tracking link by SMS to a reporter without an account: the operator's button on the
case page, and automatically for every new 12345 work order with a phone. Sent through the
notifications' SMS gateway channel to a real local HTTP server, by the worker task."""
# ruff: noqa: F811 - the http_server fixture is imported

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dangjian.appeals import hotline_jobs
from dangjian.appeals.channel_tasks import send_link_sms
from dangjian.appeals.tests.test_hotline_import import good_rows, xlsx
from dangjian.appeals.tests.test_link_rating import hotline_case  # noqa: F401
from dangjian.core.models import AuditEvent
from dangjian.notifications.tests.conftest import http_server  # noqa: F401


@pytest.fixture
def gateway(settings, http_server):
    settings.SMS_GATEWAY_URL = http_server.url + "/sms/send"
    settings.SMS_GATEWAY_TOKEN = "gw-secret"
    settings.SITE_URL = "https://dj.example.cn"
    settings.NOTIFICATION_CHANNELS = ["sms"]
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    return http_server


def send(client, case):
    return client.post(reverse("appeals:case_send_link", args=[case.pk]), follow=True)


def test_the_operator_sends_the_link_by_sms(
    world, hotline_case, login, gateway, settings, django_capture_on_commit_callbacks
):
    case = hotline_case()
    client = login(world.grid_worker)
    page = client.get(reverse("appeals:case", args=[case.pk])).content.decode()
    assert "短信发送至 138****5678" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = send(client, case)
    assert "已发送短信至 138****5678" in response.content.decode()
    (req,) = gateway.requests
    assert req.headers["Authorization"] == "Bearer gw-secret"
    assert req.body == {
        "phone": "13812345678",
        "content": f"【{settings.PLATFORM_NAME}】您反映的问题（{case.number}）已办结，请点击链接评价 "
        f"https://dj.example.cn/appeals/t/{case.tracking_token}/",
    }
    event = AuditEvent.objects.get(action="appeals.send_link_sms")
    assert event.actor == world.grid_worker and "13812345678" not in str(event.after)


def test_without_a_gateway_it_says_so_and_sends_nothing(world, hotline_case, login, http_server, settings):
    settings.SMS_GATEWAY_URL = ""
    case = hotline_case()
    response = send(login(world.grid_worker), case)
    assert "短信网关未配置" in response.content.decode()
    assert not http_server.requests and not AuditEvent.objects.filter(action="appeals.send_link_sms").exists()


def test_without_a_phone_it_says_so(world, hotline_case, login, gateway):
    case = hotline_case()
    type(case).objects.filter(pk=case.pk).update(contact_phone_enc="", contact_phone_masked="")
    response = send(login(world.grid_worker), case)
    assert "该诉求没有联系电话，无法发送短信" in response.content.decode()
    assert not gateway.requests


def test_outside_the_scope_it_is_404(world, hotline_case, login, gateway):
    case = hotline_case()
    for user in (world.outsider, world.resident):
        assert send(login(user), case).status_code == 404
    assert not gateway.requests and not AuditEvent.objects.filter(action="appeals.send_link_sms").exists()


def test_a_failing_gateway_is_reported_by_the_task(world, hotline_case, gateway):
    gateway.status = 500
    case = hotline_case()
    assert send_link_sms.call(case.pk).startswith("failed: ")


def test_each_new_hotline_order_with_a_phone_gets_its_link(
    world, road, gateway, django_capture_on_commit_callbacks
):
    upload = SimpleUploadedFile("12345.xlsx", xlsx(good_rows(road)).getvalue())
    with django_capture_on_commit_callbacks(execute=True):
        job = hotline_jobs.start_hotline_import(
            upload=upload, original_name="12345.xlsx", acting_user=world.street_officer
        )
    assert job.status == "done"
    # GX-0001 has a phone, GX-0002 none
    (req,) = gateway.requests
    assert req.body["phone"] == "13812345678" and "已受理，点击链接查看办理进度" in req.body["content"]
