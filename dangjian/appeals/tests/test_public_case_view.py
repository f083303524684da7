"""The public view of a case: any logged-in user; no reporter, phone, address, point or photos."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from dangjian.appeals import actions, photos


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def case(world, report):
    case = report(
        address="东湖一号小区3栋201门口",
        contact_phone="13800001234",
        contact_name="李秀英",
        lng=110.35517,
        lat=22.70523,
    )
    buf = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buf, "PNG")
    photos.attach_photos(case, [SimpleUploadedFile("a.png", buf.getvalue())], "report", world.resident)
    actions.accept_case(case, note="内部备注：请网格员核实", acting_user=world.grid_worker)
    return case


def test_another_user_sees_the_case_without_personal_data(world, case, login):
    html = login(world.member).get(reverse("appeals:public_case", args=[case.number])).content.decode()
    assert case.title in html and case.number in html and "桂塘第一网格" in html and "受理立案" in html
    for secret in (
        "李秀英",
        "13800001234",
        "138****1234",
        "3栋201",
        "110.35517",
        "22.70523",
        case.tracking_token,
    ):
        assert secret not in html
    assert "内部备注" not in html
    assert reverse("appeals:photo", args=[case.photos.get().pk]) not in html
    assert "关注此问题" in html


def test_the_reporter_sees_the_photos_and_a_link_to_the_private_page(world, case, login):
    html = login(world.resident).get(reverse("appeals:public_case", args=[case.number])).content.decode()
    assert reverse("appeals:photo", args=[case.photos.get().pk]) in html
    assert reverse("appeals:track", args=[case.tracking_token]) in html and "关注此问题" not in html


def test_staff_in_scope_see_the_photos_outsiders_do_not(world, case, login):
    photo_url = reverse("appeals:photo", args=[case.photos.get().pk])
    assert (
        photo_url
        in login(world.grid_worker).get(reverse("appeals:public_case", args=[case.number])).content.decode()
    )
    html = login(world.outsider).get(reverse("appeals:public_case", args=[case.number])).content.decode()
    assert case.title in html and photo_url not in html


def test_it_needs_a_login_and_a_real_number(world, case, client, login):
    assert client.get(reverse("appeals:public_case", args=[case.number])).status_code == 302
    assert (
        login(world.member).get(reverse("appeals:public_case", args=["BL-19990101-0001"])).status_code == 404
    )
