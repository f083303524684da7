"""有话想说 through the page: photos (EXIF stripped), refusals in Chinese, idempotency, the form."""

import io
import re
import uuid
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from dangjian.appeals.choices import Channel
from dangjian.appeals.models import Case, Category, Photo

LNG, LAT = 110.355, 22.705  # inside grid A1


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def jpeg_with_gps(name="gps.jpg", size=(64, 48)):
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0112] = 6  # Orientation: rotate 90° when shown
    exif[0x8825] = {1: "N", 2: (22.0, 42.0, 18.0), 3: "E", 4: (110.0, 21.0, 18.0)}  # GPS
    buf = io.BytesIO()
    Image.new("RGB", size, "red").save(buf, "JPEG", exif=exif.tobytes())
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/jpeg")


def png(name="p.png"):
    buf = io.BytesIO()
    Image.new("RGBA", (20, 20), (0, 128, 0, 128)).save(buf, "PNG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/png")


def leaf(enterprise=False):
    found = (
        Category.objects.filter(level=3, enterprise=enterprise, active=True).select_related("parent").first()
    )
    assert found is not None
    return found


def form_data(category, **overrides):
    data = {
        "cat1": category.parent.parent_id,
        "cat2": category.parent_id,
        "cat3": category.pk,
        "title": "路灯不亮",
        "description": "小区门口路灯坏了三天",
        "lng": LNG,
        "lat": LAT,
        "address": "东湖一号小区门口",
        "idempotency_key": uuid.uuid4().hex,
    }
    data.update(overrides)
    return data


def test_it_files_a_report_with_two_photos_and_strips_their_exif(world, login):
    client = login(world.resident)
    data = form_data(leaf(), photos=[jpeg_with_gps(), png()])
    response = client.post(reverse("appeals:report"), data)
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "appeals:submitted", args=[case.number]
    )
    assert case.channel == Channel.RESIDENT and case.reporter_user == world.resident
    assert case.reporter == world.resident_person and case.grid_id == world.grid_a1.pk
    assert case.contact_phone_masked == "138****1234"  # the account's phone by default
    stored = list(Photo.objects.filter(case=case).order_by("id"))
    assert [p.kind for p in stored] == ["report", "report"]
    jpeg = Image.open(stored[0].image.path)
    assert jpeg.format == "JPEG" and "exif" not in jpeg.info
    assert len(jpeg.getexif()) == 0 and not jpeg.getexif().get_ifd(0x8825)
    assert b"PhoneMaker" not in Path(stored[0].image.path).read_bytes()
    assert (stored[0].width, stored[0].height) == (48, 64)  # orientation applied
    assert Image.open(stored[1].image.path).format == "PNG"
    page = client.get(response["Location"])
    assert case.number in page.content.decode() and case.tracking_token in page.content.decode()


def test_it_refuses_a_file_that_is_not_an_image_in_chinese_and_writes_nothing(world, login, settings):
    client = login(world.resident)
    fake = SimpleUploadedFile("photo.jpg", b"%PDF-1.4 not an image", content_type="image/jpeg")
    response = client.post(reverse("appeals:report"), form_data(leaf(), photos=[png(), fake]))
    assert response.status_code == 400
    assert "“photo.jpg”不是有效的图片文件" in response.content.decode()
    assert Case.objects.count() == 0 and Photo.objects.count() == 0
    media = settings.MEDIA_ROOT
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_it_refuses_ten_photos(world, login):
    client = login(world.resident)
    response = client.post(
        reverse("appeals:report"), form_data(leaf(), photos=[png(f"{i}.png") for i in range(10)])
    )
    assert response.status_code == 400
    assert "最多上传 9 张照片" in response.content.decode()
    assert Case.objects.count() == 0 and Photo.objects.count() == 0


def test_a_double_post_with_the_same_key_makes_one_case(world, login):
    client = login(world.resident)
    data = form_data(leaf(), idempotency_key="same-key-1")
    first = client.post(reverse("appeals:report"), {**data, "photos": [png()]})
    again = client.post(reverse("appeals:report"), {**data, "photos": [png()]})
    assert first.status_code == again.status_code == 302 and first["Location"] == again["Location"]
    assert Case.objects.count() == 1 and Photo.objects.count() == 1


def test_the_idempotency_key_header_wins_over_the_form(world, login):
    client = login(world.resident)
    url = reverse("appeals:report")
    client.post(url, form_data(leaf(), idempotency_key="a"), headers={"Idempotency-Key": "retry-42"})
    client.post(url, form_data(leaf(), idempotency_key="b"), headers={"Idempotency-Key": "retry-42"})
    assert Case.objects.count() == 1


def test_keys_are_per_user_so_nobody_reaches_another_users_case(world, login, client):
    login(world.resident).post(reverse("appeals:report"), form_data(leaf(), idempotency_key="k"))
    client.force_login(world.member)
    response = client.post(reverse("appeals:report"), form_data(leaf(), idempotency_key="k"))
    assert Case.objects.count() == 2
    mine = Case.objects.get(reporter_user=world.member)
    assert response["Location"] == reverse("appeals:submitted", args=[mine.number])
    other = Case.objects.get(reporter_user=world.resident)
    assert client.get(reverse("appeals:submitted", args=[other.number])).status_code == 404


@pytest.mark.parametrize(
    ("overrides", "words"),
    [
        ({"lng": "", "lat": ""}, "请在地图上点选问题位置"),
        ({"cat3": ""}, "请继续选择下一级分类"),
        ({"title": ""}, "请填写标题"),
        ({"lng": 111.5, "lat": 23.5}, "不在本市范围内"),
        ({"contact_phone": "12345"}, "联系电话不正确"),
    ],
)
def test_bad_input_is_refused_in_chinese_and_changes_nothing(world, login, overrides, words):
    response = login(world.resident).post(reverse("appeals:report"), form_data(leaf(), **overrides))
    assert response.status_code == 400 and words in response.content.decode()
    assert Case.objects.count() == 0


def test_a_category_from_another_branch_is_refused(world, login):
    a = leaf()
    other = Category.objects.filter(level=3, enterprise=False).exclude(parent=a.parent).first()
    assert other is not None
    response = login(world.resident).post(reverse("appeals:report"), form_data(a, cat3=other.pk))
    assert response.status_code == 400 and "请选择有效的诉求分类" in response.content.decode()


def test_the_form_is_mobile_first_and_carries_a_fresh_key(world, login):
    client = login(world.member)
    html = client.get(reverse("appeals:report")).content.decode()
    assert 'name="viewport"' in html and 'enctype="multipart/form-data"' in html
    assert 'accept="image/jpeg,image/png,image/webp" multiple' in html
    assert "btn-lg w-100" in html and "col-12 col-sm-4" in html and 'inputmode="tel"' in html
    assert "使用我的位置" in html and "139****5678" in html and "匿名反映" in html
    key = re.search(r'name="idempotency_key" value="([0-9a-f]{32})"', html)
    assert key and key.group(1) not in client.get(reverse("appeals:report")).content.decode()


def test_it_needs_a_login(client):
    response = client.get(reverse("appeals:report"))
    assert response.status_code == 302 and "/accounts/login" in response["Location"]


def test_the_enterprise_channel_uses_its_own_categories(world, login):
    client = login(world.resident)
    html = client.get(reverse("appeals:report_enterprise")).content.decode()
    assert "服务企业马上办" in html and "企业服务" in html
    road = leaf()
    assert f'value="{road.parent.parent_id}"' not in html
    response = client.post(reverse("appeals:report_enterprise"), form_data(road))
    assert response.status_code == 400 and Case.objects.count() == 0
    ent = leaf(enterprise=True)
    data = form_data(ent, cat1=ent.parent.parent_id, cat2=ent.parent_id, cat3=ent.pk)
    assert client.post(reverse("appeals:report_enterprise"), data).status_code == 302
    assert Case.objects.get().channel == Channel.ENTERPRISE


def test_the_category_picker_loads_the_children(world, login):
    client = login(world.resident)
    road = leaf()
    top = road.parent.parent
    html = client.get(
        reverse("appeals:categories"), {"level": 2, "cat1": top.pk, "enterprise": 0}
    ).content.decode()
    assert road.parent.name in html and 'name="cat2"' in html and 'hx-swap-oob="innerHTML"' in html
    html = client.get(reverse("appeals:categories"), {"level": 3, "cat2": road.parent_id}).content.decode()
    assert road.name in html and 'name="cat3"' in html
    assert client.get(reverse("appeals:categories"), {"level": 9}).status_code == 400
