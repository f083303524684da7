"""Photos are served only through the view: staff in scope, the reporter, the link holder."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from dangjian.accounts import actions as account_actions
from dangjian.appeals import photos


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def photo(world, report):
    buf = io.BytesIO()
    Image.new("RGB", (30, 20), "blue").save(buf, "JPEG")
    case = report()
    upload = SimpleUploadedFile("a.jpg", buf.getvalue(), content_type="image/jpeg")
    return photos.attach_photos(case, [upload], "report", world.resident)[0]


def url(photo, token=None):
    u = reverse("appeals:photo", args=[photo.pk])
    return f"{u}?t={token}" if token else u


def body(response):
    return b"".join(response.streaming_content)


def test_the_reporter_sees_it(world, photo, login):
    response = login(world.resident).get(url(photo))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert Image.open(io.BytesIO(body(response))).size == (30, 20)
    assert response["X-Content-Type-Options"] == "nosniff" and "private" in response["Cache-Control"]


def test_the_link_holder_sees_it_without_logging_in(photo, client):
    assert client.get(url(photo, photo.case.tracking_token)).status_code == 200


def test_staff_in_scope_see_it(world, photo, login):
    assert login(world.grid_worker).get(url(photo)).status_code == 200
    assert login(world.street_officer).get(url(photo)).status_code == 200


def test_an_officer_of_another_street_gets_404(world, photo, login):
    assert login(world.outsider).get(url(photo)).status_code == 404


def test_another_resident_gets_404(world, photo, login):
    other = account_actions.create_user(
        phone="13700009999", password="Other#2026x", name="黄丽", person=world.other_person, acting_user=None
    )
    assert login(other).get(url(photo)).status_code == 404
    assert login(world.member).get(url(photo)).status_code == 404


def test_nobody_without_the_right_token_sees_it(photo, client):
    assert client.get(url(photo)).status_code == 404
    assert client.get(url(photo, "guessed-token")).status_code == 404
    assert client.get(reverse("appeals:photo", args=[photo.pk + 999])).status_code == 404


def test_media_files_are_not_served_directly(photo, client, settings):
    assert client.get(settings.MEDIA_URL + photo.image.name).status_code == 404
