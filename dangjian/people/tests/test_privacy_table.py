"""The least-privilege table (``accounts.privacy``), cell by cell: for one persona of every
role and every register, the list page, the API and the xlsx export show exactly the rows
of the cell's scope, only the cell's fields, and nothing (404) under a closed cell.

The city is built once for the module inside a transaction that is rolled back at the end;
each test runs in its own savepoint on top of it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from openpyxl import load_workbook

from dangjian.accounts import privacy
from dangjian.accounts.roles import Role

PAGES = {
    privacy.RESIDENTS: ("people:resident_list", "people:resident_export"),
    privacy.MEMBERS: ("party:member_list", "party:member_export"),
    privacy.GRID_WORKERS: ("people:grid_worker_list", "people:grid_worker_export"),
    privacy.COMMUNITY_WORKERS: ("people:community_worker_list", "people:community_worker_export"),
    privacy.UNITS: ("units:unit_list", "units:unit_export"),
}
API = {
    privacy.RESIDENTS: "/api/v1/people/residents",
    privacy.MEMBERS: "/api/v1/party/members",
    privacy.GRID_WORKERS: "/api/v1/people/grid-workers",
    privacy.COMMUNITY_WORKERS: "/api/v1/people/community-workers",
    privacy.UNITS: "/api/v1/units",
}
# One column and one API field per register that a basic cell must not see.
NOT_BASIC_HEADER = {
    privacy.RESIDENTS: "出生日期",
    privacy.MEMBERS: "入党日期",
    privacy.GRID_WORKERS: "上岗日期",
    privacy.COMMUNITY_WORKERS: "月基本报酬(元)",
    privacy.UNITS: "统一社会信用代码",
}
NOT_BASIC_FIELD = {
    privacy.RESIDENTS: "residence_type",
    privacy.MEMBERS: "status",
    privacy.GRID_WORKERS: "role",
    privacy.COMMUNITY_WORKERS: "post",
    privacy.UNITS: "employees",
}
FIRST_HEADER = {privacy.UNITS: "单位名称"}

A_RESIDENTS = {"李秀英", "陈建华"}
A_MEMBERS = {"陈建华", "刘医生", "赵护士"}
ALL: dict[str, set[str] | None] = {
    privacy.RESIDENTS: {"李秀英", "陈建华", "黄丽"},
    privacy.MEMBERS: A_MEMBERS | {"周强"},
    privacy.GRID_WORKERS: {"网格员小王", "网格员小黄"},
    privacy.COMMUNITY_WORKERS: {"社工小林", "社工小郑"},
    privacy.UNITS: {"北流市城市管理局", "北流市人民医院", "城南超市"},
}
STREET_A: dict[str, set[str] | None] = {
    privacy.RESIDENTS: A_RESIDENTS,
    privacy.MEMBERS: A_MEMBERS,
    privacy.GRID_WORKERS: {"网格员小王"},
    privacy.COMMUNITY_WORKERS: {"社工小林"},
    privacy.UNITS: {"北流市人民医院"},
}
# The rows each persona reads per register (None: the register is closed to it). Written
# out by hand from the world below, not derived from the code under test.
EXPECTED: dict[Any, dict[str, set[str] | None]] = {
    Role.CITY_ADMIN: ALL,
    Role.LEADER: {**ALL, privacy.RESIDENTS: None},
    Role.STREET_OFFICER: STREET_A,
    Role.STREET_CHIEF: STREET_A,
    Role.COMMUNITY_WORKER: STREET_A,
    Role.GRID_WORKER: {**STREET_A, privacy.COMMUNITY_WORKERS: set()},  # 社工 sit at the community
    # Linked: the reporters of its cases, wherever they live (黄丽 lives in the other street).
    Role.DEPARTMENT: {
        privacy.RESIDENTS: {"李秀英", "黄丽"},
        privacy.MEMBERS: None,
        privacy.GRID_WORKERS: None,
        privacy.COMMUNITY_WORKERS: None,
        privacy.UNITS: {"北流市城市管理局"},
    },
    Role.INSPECTOR: {**STREET_A, privacy.RESIDENTS: None},
    # Linked: its own unit, and of its members only the one who did 双报到.
    Role.UNIT_ADMIN: {
        privacy.RESIDENTS: None,
        privacy.MEMBERS: {"刘医生"},
        privacy.GRID_WORKERS: None,
        privacy.COMMUNITY_WORKERS: None,
        privacy.UNITS: {"北流市人民医院"},
    },
    Role.MEMBER: dict.fromkeys(privacy.REGISTERS),
    Role.RESIDENT: dict.fromkeys(privacy.REGISTERS),
}
# What the API still returns under a closed cell: one's own record, in full.
OWN = {
    (Role.MEMBER, privacy.RESIDENTS): {"陈建华"},
    (Role.MEMBER, privacy.MEMBERS): {"陈建华"},
    (Role.RESIDENT, privacy.RESIDENTS): {"李秀英"},
}


@dataclass
class City:
    world: Any
    users: dict[Any, Any]
    people: dict[str, Any]


def _build() -> City:
    from dangjian.accounts import actions as account_actions
    from dangjian.appeals import actions as appeal_actions
    from dangjian.appeals.actions import Summons
    from dangjian.appeals.models import Category
    from dangjian.conftest import PASSWORD, build_world
    from dangjian.party import actions as party_actions
    from dangjian.people import actions as people_actions
    from dangjian.service import actions as service_actions
    from dangjian.units.actions import create_unit

    w = build_world()
    H, P, A = people_actions, party_actions, account_actions

    def user(phone: str, name: str, role: str, node: Any, unit: Any = None) -> Any:
        u = A.create_user(phone=phone, password=PASSWORD, name=name, acting_user=None)
        A.assign_role(user=u, role=role, node=node, unit=unit, acting_user=None)
        return u

    cg = create_unit(name="北流市城市管理局", kind="department", node=w.county, acting_user=None)
    hospital = create_unit(
        name="北流市人民医院",
        kind="hospital",
        node=w.grid_a1,
        acting_user=None,
    )
    create_unit(name="城南超市", kind="private", node=w.community_b, employees=12, acting_user=None)
    # The doctor lives in the other street: a grid worker of A1 knows them only as a member
    # of a branch of A1 (basic), not as someone living in the grid (residents, full).
    doctor = H.create_person(name="刘医生", home=w.compound_b1, phone="13600001111", acting_user=None)
    nurse = H.create_person(name="赵护士", home=w.compound_a1, acting_user=None)
    doctor_m = P.register_member(
        person=doctor, organization=w.branch_a1, category="in_service", work_unit=hospital, acting_user=None
    )
    P.register_member(
        person=nurse, organization=w.branch_a1, category="in_service", work_unit=hospital, acting_user=None
    )
    service_actions.register_member(member=doctor_m, community=w.community_b, acting_user=None)
    H.assign_grid_worker(
        person=H.create_person(name="网格员小黄", home=w.compound_b1, acting_user=None),
        grid=w.grid_b1,
        acting_user=None,
    )
    for name, community in (("社工小林", w.community_a), ("社工小郑", w.community_b)):
        person = H.create_person(name=name, home=w.compound_a1, acting_user=None)
        H.hire_community_worker(person=person, community=community, post="staff", level=2, acting_user=None)

    users = {
        Role.CITY_ADMIN: w.admin,
        Role.LEADER: user("13000000021", "市领导", "leader", w.county),
        Role.STREET_OFFICER: w.street_officer,
        Role.STREET_CHIEF: user("13000000022", "陵城街长", "street_chief", w.street_a),
        Role.COMMUNITY_WORKER: user("13000000023", "桂塘社工", "community_worker", w.community_a),
        Role.GRID_WORKER: w.grid_worker,
        Role.DEPARTMENT: user("13000000024", "城管局联络员", "department", w.county, cg),
        Role.INSPECTOR: user("13000000025", "党建特派员", "inspector", w.street_a),
        Role.UNIT_ADMIN: user("13000000026", "医院联络员", "unit_admin", w.community_a, hospital),
        Role.MEMBER: w.member,
        Role.RESIDENT: w.resident,
    }

    # 城管局's work: a case of 李秀英 dispatched to it, and a whistle on 黄丽's case in
    # the other street. A case of 陈建华 handled by the grid links nobody.
    road = Category.objects.filter(level=3, enterprise=False).order_by("code").first()
    assert road is not None

    def case(key: str, reporter: Any, by: Any, lat: float) -> Any:
        return appeal_actions.submit_case(
            channel="resident",
            category=road,
            title="路灯不亮",
            description="小区门口路灯坏了三天",
            lng=110.355,
            lat=lat,
            idempotency_key=f"privacy-{key}",
            reporter=reporter,
            acting_user=by,
        ).case

    so, outsider = w.street_officer, w.outsider
    assigned = appeal_actions.accept_case(case("a", w.resident_person, w.resident, 22.705), acting_user=so)
    appeal_actions.dispatch_case(assigned, to_unit=cg, acting_user=so)
    whistled = appeal_actions.accept_case(case("b", w.other_person, None, 22.725), acting_user=outsider)
    appeal_actions.whistle_case(whistled, summons=[Summons(cg, "拆除")], reason="占道", acting_user=outsider)
    appeal_actions.accept_case(case("c", w.member_person, w.member, 22.705), acting_user=so)
    return City(world=w, users=users, people={"doctor": doctor, "nurse": nurse})


@pytest.fixture(scope="module")
def city(django_db_setup: Any, django_db_blocker: Any) -> Any:
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
                yield _build()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


CASES = [(role, register) for role in EXPECTED for register in privacy.REGISTERS]


def _names(rows: list[Any], register: str) -> set[str]:
    return {r["name"] if register in (privacy.MEMBERS, privacy.UNITS) else r["person"]["name"] for r in rows}


@pytest.mark.parametrize(("role", "register"), CASES)
def test_it_obeys_the_cell_on_the_page_the_api_and_the_export(city, db, client, role, register):
    expected = EXPECTED[role][register]
    cell = privacy.register_access(city.users[role], register)
    assert cell.open == (expected is not None)
    client.force_login(city.users[role])
    list_url, export_url = (reverse(name) for name in PAGES[register])

    # The page: 404 when closed; otherwise the cell's rows and columns.
    page = client.get(list_url)
    if expected is None:
        assert page.status_code == 404
    else:
        assert page.status_code == 200
        rows = page.context["rows"]
        assert {row.cells[0][1] for row in rows} == expected
        headers = page.context["headers"]
        assert headers[0] == FIRST_HEADER.get(register, "姓名")
        assert (NOT_BASIC_HEADER[register] in headers) == (cell.fields == privacy.FULL)
        spec = page.context["spec"]
        if cell.fields == privacy.BASIC:
            assert all(f.basic for f in spec.search_fields) and all(f.basic for f in spec.filters)
        assert ("导出 Excel" in page.content.decode()) == cell.export

    # The API: the cell's rows (one's own record when closed), basic fields only under basic.
    api = client.get(API[register])
    assert api.status_code == 200
    items = api.json()["items"]
    assert _names(items, register) == (expected if expected is not None else OWN.get((role, register), set()))
    for item in items:
        person_id = item["person_id"] if register == privacy.MEMBERS else (item.get("person") or {}).get("id")
        own = person_id is not None and person_id == city.users[role].person_id
        hidden = cell.fields == privacy.BASIC and not own
        assert (item[NOT_BASIC_FIELD[register]] is None) == hidden, item

    # The export: only for a cell that may export, with the page's columns and rows.
    export = client.get(export_url)
    if expected is None:
        assert export.status_code == 404
    elif not cell.export:
        assert export.status_code == 403
    else:
        assert export.status_code == 200
        sheet = load_workbook(io.BytesIO(b"".join(export.streaming_content))).worksheets[0]
        values = list(sheet.iter_rows(values_only=True))
        assert list(values[0]) == page.context["headers"]
        assert {r[0] for r in values[1:]} == expected


def test_the_readme_prints_the_table():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[3] / "README.md").read_text(encoding="utf-8")
    assert privacy.markdown_table() in readme


def test_every_linked_cell_has_its_rows():
    for role, cells in privacy.PERSONAL_DATA.items():
        for register, cell in cells.items():
            if cell.scope == privacy.LINKED:
                assert privacy.linked_provider(role, register) is not None, (role, register)


def test_a_department_reads_only_the_basic_fields_of_its_reporters(city, db, client):
    w = city.world
    client.force_login(city.users[Role.DEPARTMENT])
    page = client.get(reverse("people:person_detail", args=[w.other_person.pk]))
    assert page.status_code == 200 and page.context["basic"]
    body = page.content.decode()
    assert "137****9999" in body and "出生日期" not in body and "身份证号" not in body
    assert client.get(reverse("people:person_detail", args=[w.member_person.pk])).status_code == 404
    reveal = reverse("people:reveal", args=[w.other_person.pk])
    assert client.post(reveal, {"field": "phone"}).status_code == 404
    api = client.get(f"/api/v1/people/persons/{w.other_person.pk}").json()
    assert api["name"] == "黄丽" and api["id_number_masked"] is None and api["address_masked"] is None
    assert {p["name"] for p in client.get("/api/v1/people/persons").json()["items"]} == {"李秀英", "黄丽"}
    assert (
        client.post(
            f"/api/v1/people/persons/{w.other_person.pk}/reveal",
            {"field": "phone"},
            content_type="application/json",
        ).status_code
        == 404
    )


def test_a_grid_worker_reveals_residents_but_not_members_read_basic(city, db, client):
    w = city.world
    client.force_login(city.users[Role.GRID_WORKER])
    doctor = city.people["doctor"]  # a party member of grid A1, not a registered resident
    page = client.get(reverse("people:person_detail", args=[doctor.pk]))
    assert page.status_code == 200 and page.context["basic"] and page.context["reveal_url"] == ""
    assert client.post(reverse("people:reveal", args=[doctor.pk]), {"field": "phone"}).status_code == 404
    page = client.get(reverse("people:person_detail", args=[w.resident_person.pk]))
    assert not page.context["basic"] and page.context["reveal_url"]
    assert (
        client.post(reverse("people:reveal", args=[w.resident_person.pk]), {"field": "phone"}).status_code
        == 200
    )
    persons = {p["name"]: p for p in client.get("/api/v1/people/persons").json()["items"]}
    assert persons["刘医生"]["address_masked"] is None and persons["李秀英"]["address_masked"] is not None


def test_a_unit_liaison_reads_only_its_registered_members(city, db, client):
    client.force_login(city.users[Role.UNIT_ADMIN])
    doctor, nurse = city.people["doctor"], city.people["nurse"]
    assert client.get(reverse("people:person_detail", args=[doctor.pk])).context["basic"]
    assert client.get(reverse("people:person_detail", args=[nurse.pk])).status_code == 404
    member_pk = doctor.party_member.pk
    page = client.get(reverse("party:member_detail", args=[member_pk]))
    assert page.status_code == 200 and "入党日期" not in page.content.decode()
    assert client.get(reverse("party:member_detail", args=[nurse.party_member.pk])).status_code == 404


def test_everyone_reads_their_own_record_in_full(city, db, client):
    w = city.world
    client.force_login(w.member)
    page = client.get(reverse("people:me"))
    assert page.status_code == 200 and not page.context["basic"] and page.context["reveal_url"]
    assert "出生日期" in page.content.decode()


def test_the_console_export_obeys_the_cell(city, db, tmp_path):
    out = tmp_path / "residents.xlsx"
    with pytest.raises(CommandError, match="无权导出"):
        call_command("export_xlsx", "residents", "--as", "13000000024", "-o", str(out))
    with pytest.raises(CommandError, match="无权导出"):
        call_command("export_xlsx", "members", "--as", "13000000003", "-o", str(out))
    call_command("export_xlsx", "residents", "--as", "13000000002", "-o", str(out), stdout=io.StringIO())
    rows = list(load_workbook(out).worksheets[0].iter_rows(values_only=True))
    assert {r[0] for r in rows[1:]} == A_RESIDENTS and "出生日期" in rows[0]
