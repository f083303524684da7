import pytest

from dangjian.accounts import actions
from dangjian.conftest import PASSWORD
from dangjian.core.models import AuditEvent


@pytest.fixture
def staff_user(world):
    user = actions.create_user(phone="13100000001", password=PASSWORD, name="后台员工", acting_user=None)
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


@pytest.fixture
def superuser(db):
    from dangjian.accounts.models import User

    return User.objects.create_superuser("13100000009", PASSWORD)


def test_it_refuses_a_staff_user_who_is_not_superuser(login, staff_user):
    r = login(staff_user).get("/admin/")
    assert r.status_code == 302
    assert "/admin/login/" in r["Location"]


def test_it_refuses_a_city_admin_role_without_superuser(login, world):
    r = login(world.admin).get("/admin/territory/node/")
    assert r.status_code == 302


@pytest.mark.parametrize(
    "url",
    [
        "/admin/",
        "/admin/accounts/user/",
        "/admin/territory/node/",
        "/admin/party/organization/",
        "/admin/party/partymember/",
        "/admin/people/person/",
        "/admin/people/resident/",
        "/admin/people/gridworker/",
        "/admin/units/unit/",
        "/admin/venues/serviceposition/",
        "/admin/core/auditevent/",
        "/admin/core/reveallog/",
    ],
)
def test_it_admits_a_superuser(login, world, superuser, url):
    r = login(superuser).get(url)
    assert r.status_code == 200
    body = r.content.decode()
    assert "智慧党建平台管理后台" in body
    assert "_enc" not in body and "phone_hash" not in body


def test_it_shows_masked_phones_only(login, world, superuser):
    body = login(superuser).get("/admin/people/person/").content.decode()
    assert "138****1234" in body
    assert "13800001234" not in body


def test_it_finds_a_person_by_phone_through_the_blind_index(login, world, superuser):
    body = login(superuser).get("/admin/people/person/?q=13800001234").content.decode()
    assert "李秀英" in body and "陈建华" not in body


def test_it_keeps_the_audit_trail_read_only(login, world, superuser):
    event = AuditEvent.objects.first()
    assert event is not None
    client = login(superuser)
    assert client.get("/admin/core/auditevent/add/").status_code == 403
    r = client.post(f"/admin/core/auditevent/{event.pk}/delete/", {"post": "yes"})
    assert r.status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_it_audits_admin_changes(login, world, superuser):
    client = login(superuser)
    node = world.compound_a1
    r = client.post(
        f"/admin/territory/node/{node.pk}/change/",
        {
            "level": node.level,
            "name": "东湖一号小区（更名）",
            "code": node.code,
            "parent": node.parent_id,
            "grid_type": "",
            "boundary": "null",
            "households": 610,
            "note": "",
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    node.refresh_from_db()
    assert node.name == "东湖一号小区（更名）"
    event = AuditEvent.objects.filter(action="admin.territory.node.change").get()
    assert event.actor == superuser
    assert event.before is not None
    assert event.before["name"] == "东湖一号小区"
