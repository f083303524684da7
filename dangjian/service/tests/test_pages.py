from datetime import timedelta
from typing import Any

from openpyxl import load_workbook

from dangjian.service import actions
from dangjian.service.models import MemberRegistration, ServiceRecord
from dangjian.service.tests.conftest import ago, picture


def test_member_registers_on_the_page_and_sees_five_lists(world: Any, svc: Any, login: Any) -> None:
    c = login(world.member)
    page = c.get("/service/").content.decode()
    assert "我要报到" in page and "桂塘社区" in page
    r = c.post("/service/register/", {"community": world.community_a.pk, "skills": "法律咨询，文艺"})
    assert r.status_code == 302
    reg = MemberRegistration.objects.get()
    assert reg.skills == ["法律咨询", "文艺"]
    page = c.get("/service/").content.decode()
    for heading in ("文件清单", "报到清单", "需求清单", "服务清单", "评价清单", "待社区确认"):
        assert heading in page


def test_queue_confirms_and_verifies(world: Any, svc: Any, login: Any, record: Any) -> None:
    reg = actions.register_member(member=svc.member, community=world.community_a, acting_user=world.member)
    rec = record(photos=[picture(2)])
    c = login(svc.worker)
    assert world.member_person.name in c.get("/service/queue/").content.decode()
    c.post(f"/service/queue/member/{reg.pk}/", {"op": "confirm"})
    page = c.get("/service/queue/?tab=records").content.decode()
    assert rec.title in page
    photo = rec.photos.get()
    assert c.get(f"/service/photos/{photo.pk}/").status_code == 200
    c.post(f"/service/queue/record/{rec.pk}/", {"op": "return", "reason": ""})
    assert ServiceRecord.objects.get().status == "submitted"  # no reason, nothing changed
    c.post(f"/service/queue/record/{rec.pk}/", {"op": "verify"})
    reg.refresh_from_db()
    assert reg.status == "confirmed" and ServiceRecord.objects.get().status == "verified"


def test_outsiders_get_404(world: Any, svc: Any, login: Any, record: Any) -> None:
    reg = actions.register_member(member=svc.member, community=world.community_a, acting_user=world.member)
    rec = record(photos=[picture(2)])
    c = login(svc.worker_b)
    assert world.member_person.name not in c.get("/service/queue/").content.decode()
    assert c.post(f"/service/queue/member/{reg.pk}/", {"op": "confirm"}).status_code == 404
    assert c.get(f"/service/photos/{rec.photos.get().pk}/").status_code == 404
    assert login(world.resident).get("/service/queue/").status_code == 404
    assert login(world.resident).get(f"/service/units/{svc.unit.pk}/").status_code == 404


def test_record_page_posts_a_service(world: Any, svc: Any, login: Any) -> None:
    c = login(world.member)
    start = ago(days=1)
    r = c.post(
        "/service/records/new/",
        {
            "node": world.community_a.pk,
            "title": "文明劝导",
            "started_at": (start.astimezone()).strftime("%Y-%m-%dT%H:%M"),
            "ended_at": (start.astimezone() + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "photos": [picture(5)],
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    assert ServiceRecord.objects.get().title == "文明劝导"
    r = c.post("/service/records/new/", {"node": world.community_a.pk, "title": ""})
    assert "未保存" in r.content.decode() and ServiceRecord.objects.count() == 1


def test_posts_rota_report_figures_teams_render(world: Any, registered: Any, login: Any, record: Any) -> None:
    post = actions.create_post(
        node=world.compound_a1, kind="building_head", slots=2, acting_user=registered.worker
    )
    c = login(registered.colleague_user)
    assert "红管家 楼栋长" in c.get("/service/posts/").content.decode()
    c.post(f"/service/posts/{post.pk}/claim/")
    c = login(registered.worker)
    c.post(
        f"/service/posts/{post.pk}/rota/generate/", {"start": "2030-03-01", "days": "7", "shifts": ["day"]}
    )
    page = c.get(f"/service/posts/{post.pk}/rota/?month=2030-03").content.decode()
    assert page.count("覃志刚") >= 7
    rec = record(person=registered.colleague.person, acting_user=registered.colleague_user, start=ago(days=1))
    actions.verify_record(record=rec, acting_user=registered.worker)
    month = ago(days=1).strftime("%Y-%m")
    c = login(registered.unit_admin)
    page = c.get(f"/service/report/?unit={registered.unit.pk}&month={month}").content.decode()
    assert "覃志刚" in page and "帮独居老人打扫卫生" in page
    xlsx = c.get(f"/service/report/?unit={registered.unit.pk}&month={month}&export=xlsx")
    import io

    ws = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    assert ws is not None and ws["A3"].value == "覃志刚" and ws["E3"].value == 2.0
    assert "评价清单" in c.get(f"/service/units/{registered.unit.pk}/").content.decode()
    c = login(world.street_officer)
    page = c.get(f"/service/figures/?month={month}").content.decode()
    assert "报到率" in page and "北流市财政局" in page
    c = login(registered.worker)
    c.post(
        "/service/teams/",
        {"name": "桂塘红马甲", "kind": "party_volunteer", "badge": "red_vest", "node": world.community_a.pk},
    )
    assert "桂塘红马甲" in c.get("/service/teams/").content.decode()
