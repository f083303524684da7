"""The inbox and preferences pages: one's own notifications only, mark read, the badge."""

from __future__ import annotations

from django.urls import reverse

from dangjian.notifications import actions
from dangjian.notifications.models import Notification, Preference


def make(world):
    mine = [
        actions.notify(
            users=[world.grid_worker], kind="appeal.dispatched", title=f"派单{i}", url=f"/appeals/{i}/"
        )[0]
        for i in range(3)
    ]
    other = actions.notify(users=[world.outsider], kind="appeal.dispatched", title="城南的秘密诉求")[0]
    actions.mark_read(world.grid_worker, [mine[0].pk])
    return mine, other


def test_it_lists_only_my_notifications_unread_first(world, login, django_assert_max_num_queries):
    mine, _other = make(world)
    client = login(world.grid_worker)
    with django_assert_max_num_queries(7):
        response = client.get(reverse("notifications:inbox"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "城南的秘密诉求" not in html
    assert html.index("派单2") < html.index("派单1") < html.index("派单0")  # read one last
    page = response.context["page"]
    assert [n.title for n in page.object_list] == ["派单2", "派单1", "派单0"]
    unread = client.get(reverse("notifications:inbox") + "?show=unread")
    assert [n.title for n in unread.context["page"].object_list] == ["派单2", "派单1"]


def test_it_shows_an_empty_state(world, login):
    response = login(world.resident).get(reverse("notifications:inbox"))
    assert "暂无消息" in response.content.decode()


def test_it_marks_one_read_with_htmx_and_updates_the_badge(world, login):
    mine, other = make(world)
    client = login(world.grid_worker)
    response = client.post(reverse("notifications:mark_read", args=[mine[2].pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="notification-{mine[2].pk}"' in html
    assert 'hx-swap-oob="true"' in html and 'data-unread="1"' in html
    assert Notification.objects.get(pk=mine[2].pk).read_at is not None


def test_it_answers_404_for_someone_elses_notification(world, login):
    _mine, other = make(world)
    client = login(world.grid_worker)
    assert client.post(reverse("notifications:mark_read", args=[other.pk])).status_code == 404
    assert client.get(reverse("notifications:open", args=[other.pk])).status_code == 404
    assert Notification.objects.get(pk=other.pk).read_at is None


def test_it_opens_a_notification_marking_it_read(world, login):
    mine, _ = make(world)
    response = login(world.grid_worker).get(reverse("notifications:open", args=[mine[1].pk]))
    assert response.status_code == 302 and response["Location"] == "/appeals/1/"
    assert Notification.objects.get(pk=mine[1].pk).read_at is not None


def test_it_marks_all_read(world, login):
    _mine, other = make(world)
    client = login(world.grid_worker)
    response = client.post(reverse("notifications:mark_all_read"), HTTP_HX_REQUEST="true")
    assert response["HX-Refresh"] == "true"
    assert not Notification.objects.filter(user=world.grid_worker, read_at__isnull=True).exists()
    assert Notification.objects.get(pk=other.pk).read_at is None


def test_it_shows_the_unread_badge_in_the_navbar(world, login):
    make(world)
    html = login(world.grid_worker).get(reverse("notifications:preferences")).content.decode()
    assert 'id="unread-badge"' in html and 'data-unread="2"' in html
    html = login(world.resident).get(reverse("notifications:inbox")).content.decode()
    assert 'id="unread-badge"' in html and "data-unread" not in html


def test_it_needs_a_login(client):
    response = client.get(reverse("notifications:inbox"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_it_saves_preferences_from_the_page(world, login, settings):
    settings.NOTIFICATION_CHANNELS = ["file", "email"]
    client = login(world.member)
    page = client.get(reverse("notifications:preferences"))
    assert page.status_code == 200 and "每日汇总" in page.content.decode()
    bad = client.post(
        reverse("notifications:preferences"),
        {"mode": "digest", "digest_hour": "9", "channels": ["email"], "email": "坏邮箱"},
    )
    assert bad.status_code == 200 and "电子邮箱格式不正确" in bad.content.decode()
    assert not Preference.objects.filter(user=world.member).exists()
    ok = client.post(
        reverse("notifications:preferences"),
        {"mode": "digest", "digest_hour": "9", "channels": ["email"], "email": "m@example.cn"},
    )
    assert ok.status_code == 302
    pref = Preference.objects.get(user=world.member)
    assert (pref.mode, pref.digest_hour, pref.channels, pref.email) == (
        "digest",
        9,
        ["email"],
        "m@example.cn",
    )
