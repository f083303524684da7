"""The pages, for the personas, inside and outside their scope."""

from __future__ import annotations

import io

from django.urls import reverse
from openpyxl import load_workbook

from dangjian.needs import actions
from dangjian.needs.models import Need
from dangjian.needs.tests.conftest import published_wish


def test_a_resident_posts_a_wish_from_the_form(world, login):
    client = login(world.resident)
    assert client.get(reverse("needs:new")).status_code == 200
    r = client.post(
        reverse("needs:new"), {"for": "self", "kind": "wish", "title": "想要一台收音机", "people_served": "1"}
    )
    need = Need.objects.get(title="想要一台收音机")
    assert r.status_code == 302 and r["Location"] == reverse("needs:detail", args=[need.pk])
    page = client.get(reverse("needs:mine")).content.decode()
    assert "想要一台收音机" in page and "待审核" in page


def test_bad_form_input_shows_chinese_errors_and_saves_nothing(world, login):
    client = login(world.resident)
    r = client.post(reverse("needs:new"), {"for": "self", "kind": "wish", "title": "", "people_served": "1"})
    assert r.status_code == 200 and "请写下您的心愿或需求" in r.content.decode()
    assert not Need.objects.exists()


def test_the_wall_hides_personal_data(world, login):
    published_wish(world, title="想要一个书包")
    page = login(world.member).get(reverse("needs:wall_of", args=[world.community_a.pk])).content.decode()
    assert "想要一个书包" in page and "我来接单" in page
    assert "李秀英" not in page and "13800001234" not in page


def test_staff_pages(world, login, community_worker):
    need = published_wish(world)
    client = login(world.street_officer)
    page = client.get(reverse("needs:queue")).content.decode()
    assert need.title in page and "优先分" in page
    detail = client.get(reverse("needs:detail", args=[need.pk])).content.decode()
    assert "推荐接单人" in detail and "陈建华" in detail and "同一网格" in detail
    r = client.post(reverse("needs:act", args=[need.pk]), {"event": "order", "branch": world.branch_a1.pk})
    assert r.status_code == 302
    need.refresh_from_db()
    assert need.status == "ordered"
    plan = client.get(reverse("needs:campaign"), {"community": world.community_a.pk}).content.decode()
    assert "匹配方案" in plan and "陈建华" in plan
    r = client.post(
        reverse("needs:campaign"),
        {
            "community": world.community_a.pk,
            "apply": "1",
            "pair": f"{need.pk}=member:{world.member_person.party_member.pk}",
        },
    )
    need.refresh_from_db()
    assert need.status == "claimed" and need.assigned
    ledger = client.get(reverse("needs:ledger")).content.decode()
    assert "工委清单" in ledger and need.number in ledger
    xlsx = client.get(reverse("needs:ledger_export"))
    wb = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)))
    assert wb["工委清单"]["A2"].value == need.number
    assert wb["分社区统计"]["A2"].value == "桂塘社区"


def test_outsiders_and_residents_are_kept_out(world, login):
    need = published_wish(world)
    client = login(world.outsider)
    assert client.get(reverse("needs:detail", args=[need.pk])).status_code == 404
    assert need.title not in client.get(reverse("needs:queue")).content.decode()
    r = client.post(reverse("needs:act", args=[need.pk]), {"event": "cancel", "note": "x"})
    assert r.status_code == 404
    client = login(world.resident)
    assert client.get(reverse("needs:queue")).status_code == 404
    assert client.get(reverse("needs:ledger")).status_code == 404


def test_the_page_shows_an_error_for_a_refused_event(world, login):
    need = published_wish(world)
    actions.claim_need(need, acting_user=world.member)
    client = login(world.member)
    r = client.post(reverse("needs:act", args=[need.pk]), {"event": "fulfil", "evidence": ""}, follow=True)
    assert "请说明完成情况" in r.content.decode()
