"""处置 with 进度说明 and 现场照片 on the staff page: up to nine images per note, EXIF stripped,
all or nothing; shown on the staff case page and (public notes only) on the tracking page;
served only to those allowed."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dangjian.appeals import actions, evidence_actions
from dangjian.appeals.models import CaseNote, Photo
from dangjian.appeals.tests.images import has_exif, jpeg, not_an_image
from dangjian.core.models import AuditEvent


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def in_progress(world, report):
    gw = world.grid_worker
    case = report()
    case = actions.accept_case(case, acting_user=gw)
    case = actions.dispatch_case(case, to_node=world.grid_a1, acting_user=gw)
    return actions.acknowledge_case(case, acting_user=gw)


def post_progress(client, case, text="已到现场，正在更换灯泡", files=(), public=True, htmx=False):
    data = {"text": text, "photos": list(files)}
    if public:
        data["public"] = "1"
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    return client.post(reverse("appeals:case_action", args=[case.pk, "progress"]), data, **headers)


def body(response):
    return b"".join(response.streaming_content)


def photo_url(photo, token=None):
    url = reverse("appeals:photo", args=[photo.pk])
    return f"{url}?t={token}" if token else url


def test_the_handler_saves_a_note_with_photos_without_exif(world, report, login):
    case = in_progress(world, report)
    client = login(world.grid_worker)
    response = post_progress(client, case, files=[jpeg("a.jpg"), jpeg("b.jpg", colour="blue")], htmx=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert "已记录处置进展（2 张现场照片）" in html
    note = CaseNote.objects.get(case=case)
    shots = list(note.photos.order_by("id"))
    assert [p.kind for p in shots] == ["evidence", "evidence"] and all(p.case_id == case.pk for p in shots)
    assert f'data-note-photos="{note.pk}"' in html and photo_url(shots[0]) in html
    for p in shots:
        served = client.get(photo_url(p))
        assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
        assert not has_exif(body(served))
    assert AuditEvent.objects.filter(action="appeals.photo").count() == 2
    assert AuditEvent.objects.filter(action="appeals.progress").count() == 1
    # the staff case page shows them too
    page = client.get(reverse("appeals:case", args=[case.pk])).content.decode()
    assert "已到现场，正在更换灯泡" in page and photo_url(shots[1]) in page


def test_a_note_without_photos_still_works(world, report, login):
    case = in_progress(world, report)
    response = post_progress(login(world.grid_worker), case, htmx=True)
    assert "已记录处置进展" in response.content.decode()
    assert CaseNote.objects.filter(case=case).count() == 1 and not Photo.objects.exists()


def test_nine_photos_per_note_and_a_tenth_refuses_the_whole_note(world, report, login):
    case = in_progress(world, report)
    client = login(world.grid_worker)
    response = post_progress(client, case, files=[jpeg(f"{i}.jpg") for i in range(10)], htmx=True)
    assert response["X-Action-Failed"] == "progress"
    assert "最多上传 9 张照片" in response.content.decode()
    assert not CaseNote.objects.exists() and not Photo.objects.exists()
    # nine on each of two notes is fine: the limit is per note
    for text in ("第一次处置", "第二次处置"):
        post_progress(client, case, text=text, files=[jpeg(f"{i}.jpg") for i in range(9)])
    assert [n.photos.count() for n in CaseNote.objects.order_by("id")] == [9, 9]


def test_a_non_image_refuses_the_whole_note_in_chinese(world, report, login):
    case = in_progress(world, report)
    response = post_progress(
        login(world.grid_worker), case, files=[jpeg("ok.jpg"), not_an_image("fake.jpg")], htmx=True
    )
    assert "“fake.jpg”不是有效的图片文件" in response.content.decode()
    assert not CaseNote.objects.exists() and not Photo.objects.exists()
    assert not AuditEvent.objects.filter(action__in=["appeals.progress", "appeals.photo"]).exists()


def test_an_empty_text_refuses_the_photos_too(world, report, login):
    case = in_progress(world, report)
    response = post_progress(login(world.grid_worker), case, text="", files=[jpeg()], htmx=True)
    assert "请填写进展说明" in response.content.decode()
    assert not CaseNote.objects.exists() and not Photo.objects.exists()


def test_outside_the_scope_nothing_is_written(world, report, login):
    case = in_progress(world, report)
    for user in (world.outsider, world.resident, world.member):
        assert post_progress(login(user), case, files=[jpeg()]).status_code == 404
    assert not CaseNote.objects.exists() and not Photo.objects.exists()


def test_only_while_the_case_is_being_handled(world, report, login):
    case = actions.accept_case(report(), acting_user=world.grid_worker)
    response = post_progress(login(world.grid_worker), case, files=[jpeg()], htmx=True)
    assert "只有承办人可在处置中填写进展" in response.content.decode()
    assert not Photo.objects.exists()


@pytest.fixture
def two_notes(world, report):
    """A public note and an internal note, each with one photo."""
    case = in_progress(world, report)
    gw = world.grid_worker
    public = evidence_actions.add_progress_with_photos(case, text="公开进展", files=[jpeg()], acting_user=gw)
    internal = evidence_actions.add_progress_with_photos(
        case, text="内部记录", public=False, files=[jpeg()], acting_user=gw
    )
    return case, public.photos.get(), internal.photos.get()


def test_the_tracking_page_shows_the_public_notes_photos_only(two_notes, client):
    case, shown, hidden = two_notes
    html = client.get(reverse("appeals:track", args=[case.tracking_token])).content.decode()
    assert "公开进展" in html and photo_url(shown, case.tracking_token) in html
    assert "内部记录" not in html and f"/appeals/photo/{hidden.pk}/" not in html


def test_the_link_holder_gets_the_public_notes_photo_only(two_notes, client):
    case, shown, hidden = two_notes
    assert client.get(photo_url(shown, case.tracking_token)).status_code == 200
    assert client.get(photo_url(hidden, case.tracking_token)).status_code == 404
    assert client.get(photo_url(shown)).status_code == 404  # no token, no login
    assert client.get(photo_url(shown, "guessed")).status_code == 404


def test_the_reporter_sees_the_public_notes_photo_only(world, two_notes, login):
    _, shown, hidden = two_notes
    client = login(world.resident)
    assert client.get(photo_url(shown)).status_code == 200
    assert client.get(photo_url(hidden)).status_code == 404


def test_staff_in_scope_see_both_and_outsiders_neither(world, two_notes, login):
    _, shown, hidden = two_notes
    for user in (world.grid_worker, world.street_officer, world.admin):
        client = login(user)
        assert client.get(photo_url(shown)).status_code == 200
        assert client.get(photo_url(hidden)).status_code == 200
    for user in (world.outsider, world.member):
        client = login(user)
        assert client.get(photo_url(shown)).status_code == 404
        assert client.get(photo_url(hidden)).status_code == 404


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_query_counts_do_not_grow_with_notes_and_photos(
    world, report, login, django_assert_max_num_queries
):
    case = in_progress(world, report)
    gw = world.grid_worker
    evidence_actions.add_progress_with_photos(case, text="进展0", files=[jpeg()], acting_user=gw)
    staff, visitor = login(gw), Client()
    case_url = reverse("appeals:case", args=[case.pk])
    track_url = reverse("appeals:track", args=[case.tracking_token])
    _queries(staff, case_url)  # warm the per-process caches (session, categories …) first
    few = (_queries(staff, case_url), _queries(visitor, track_url))
    for i in range(1, 6):
        evidence_actions.add_progress_with_photos(
            case, text=f"进展{i}", files=[jpeg(), jpeg()], acting_user=gw, public=i % 2 == 0
        )
    many = (_queries(staff, case_url), _queries(visitor, track_url))
    assert many == few, (few, many)
    with django_assert_max_num_queries(16):
        staff.get(case_url)
    with django_assert_max_num_queries(4):
        visitor.get(track_url)
