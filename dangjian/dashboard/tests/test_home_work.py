"""Issue 11: work-first home pages. For every persona, each count on the home page equals
the number of rows on the page it links to (the link is followed), and the home page costs
a fixed number of queries whatever the amount of data."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import resolve
from django.utils import timezone

from dangjian.accounts import actions as account_actions
from dangjian.appeals import actions as A
from dangjian.appeals import selectors as appeals_selectors
from dangjian.appeals.actions import Summons
from dangjian.appeals.choices import Status
from dangjian.appeals.models import Case, Category
from dangjian.core import workcal
from dangjian.needs import actions as needs_actions
from dangjian.notifications import actions as notify_actions
from dangjian.party.models import PartyMember
from dangjian.service import actions as service_actions
from dangjian.units.actions import create_unit

_keys = itertools.count(1)


@dataclass
class Staff:
    community_worker: Any
    street_chief: Any
    leader: Any
    department: Any
    unit: Any
    other_department: Any
    other_unit: Any


@pytest.fixture
def staff(world: Any) -> Staff:
    def user(phone: str, name: str, role: str, node: Any, unit: Any = None) -> Any:
        u = account_actions.create_user(phone=phone, password="Home#2026x", name=name, acting_user=None)
        account_actions.assign_role(user=u, role=role, node=node, unit=unit, acting_user=None)
        return u

    cg = create_unit(name="北流市城市管理局", kind="department", node=world.county, acting_user=None)
    hw = create_unit(name="北流市环境卫生管理站", kind="department", node=world.county, acting_user=None)
    return Staff(
        community_worker=user("13000000011", "桂塘社区小林", "community_worker", world.community_a),
        street_chief=user("13000000012", "陵城街长", "street_chief", world.street_a),
        leader=user("13000000013", "北流市领导", "leader", world.county),
        department=user("13000000014", "城管局联络员", "department", world.county, cg),
        unit=cg,
        other_department=user("13000000015", "环卫站联络员", "department", world.county, hw),
        other_unit=hw,
    )


def _report(world: Any, title: str, *, who: str = "resident") -> Case:
    category = Category.objects.filter(level=3, enterprise=False).order_by("code").first()
    person, user = (
        (world.resident_person, world.resident) if who == "resident" else (world.member_person, world.member)
    )
    return A.submit_case(
        channel="resident",
        category=category,
        title=title,
        description=f"{title}，请尽快处理",
        lng=110.355,
        lat=22.705,
        idempotency_key=f"home-{next(_keys)}",
        reporter=person,
        acting_user=user,
    ).case


def busy(world: Any, staff: Staff, n: int = 1) -> None:
    """A working city: cases at every step, a whistle, wishes, a 双报到, messages.
    ``n`` repeats the cases so a test can grow the data."""
    gw, so = world.grid_worker, world.street_officer
    for i in range(n):
        _report(world, f"路灯不亮{i}")  # 待受理
        A.accept_case(_report(world, f"井盖缺失{i}"), acting_user=gw)  # 待派遣
        dispatched = A.dispatch_case(
            A.accept_case(_report(world, f"垃圾堆放{i}"), acting_user=gw), to_unit=staff.unit, acting_user=gw
        )  # 待签收 for the department
        Case.objects.filter(pk=dispatched.pk).update(ack_due=timezone.now() - dt.timedelta(days=3))  # 超期
        working = A.dispatch_case(
            A.accept_case(_report(world, f"占道经营{i}", who="member"), acting_user=gw),
            to_unit=staff.unit,
            acting_user=gw,
        )
        A.acknowledge_case(working, acting_user=staff.department)  # 处置中
        handled = A.dispatch_case(
            A.accept_case(_report(world, f"噪音扰民{i}"), acting_user=gw), to_unit=staff.unit, acting_user=gw
        )
        handled = A.acknowledge_case(handled, acting_user=staff.department)
        A.feedback_case(handled, result="已处理", acting_user=staff.department)  # 待核查
        closed = A.dispatch_case(
            A.accept_case(_report(world, f"树枝折断{i}"), acting_user=gw), to_unit=staff.unit, acting_user=gw
        )
        closed = A.acknowledge_case(closed, acting_user=staff.department)
        closed = A.feedback_case(closed, result="已修剪", acting_user=staff.department)
        A.verify_case(closed, passed=True, acting_user=gw)  # 已办结待评价
        escalated = A.accept_case(_report(world, f"违章搭建{i}"), acting_user=gw)
        escalated = A.escalate_case(escalated, reason="需多部门", acting_user=gw)
        escalated = A.escalate_case(escalated, reason="社区上报街道", acting_user=so)
        whistle = A.whistle_case(
            escalated,
            summons=[Summons(staff.unit, "拆除违建"), Summons(staff.other_unit, "清运垃圾")],
            reason="占道违建",
            acting_user=so,
        )
        A.report_in(whistle.tasks.get(department=staff.unit), acting_user=staff.department)
        needs_actions.submit_need(
            kind="wish",
            title=f"想要一台收音机{i}",
            beneficiary=world.resident_person,
            acting_user=world.resident,
        )
    member = PartyMember.objects.get(person=world.member_person)
    if not member.registrations.exists():
        service_actions.register_member(member=member, community=world.community_a, acting_user=world.member)
    notify_actions.notify(users=[world.resident, world.member], kind="test.home", title="社区通知：周六义诊")


PERSONAS = [
    "resident",
    "member",
    "grid_worker",
    "community_worker",
    "street_officer",
    "street_chief",
    "department",
    "leader",
    "admin",
]


def persona(world: Any, staff: Staff, name: str) -> Any:
    return getattr(world, name, None) or getattr(staff, name)


def todos_of(response: Any) -> list[Any]:
    ctx = response.context
    out: list[Any] = []
    for key in ("todos", "community_todos", "alerts"):
        if key in ctx:
            out += list(ctx[key] or [])
    if "work" in ctx:
        out += list(ctx["work"].todos)
    return out


def rows_behind(client: Any, url: str) -> int:
    """The number of rows the linked page lists (the same page a person would see)."""
    r = client.get(url)
    assert r.status_code == 200, url
    name = resolve(urlsplit(url).path).view_name
    params = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
    if name == "appeals:queue":
        return r.context["page_obj"].paginator.count
    if name == "appeals:mine":
        return len(r.context["own"])
    if name == "needs:mine":
        return len(r.context["posted"])
    if name == "needs:queue":
        return len(r.context["rows"])
    if name == "service:queue":
        return len(r.context[params["tab"]])
    if name == "notifications:inbox":
        return r.context["page"].paginator.count
    raise AssertionError(f"no row counter for {name}")


@pytest.mark.parametrize("name", PERSONAS)
def test_it_counts_what_the_linked_page_lists(login, world, staff, name):
    busy(world, staff)
    client = login(persona(world, staff, name))
    r = client.get("/")
    assert r.status_code == 200
    body = r.content.decode()
    todos = todos_of(r)
    assert todos, "every home page shows some work"
    for t in todos:
        assert rows_behind(client, t.url) == t.count, (name, t.label)
        # What the page shows is that count, linked to that list.
        link = t.url.replace("&", "&amp;")
        assert re.search(rf'href="{re.escape(link)}" data-todo="{t.key}" data-count="{t.count}"', body), t.key


def counts(response: Any) -> dict[str, int]:
    return {t.key: t.count for t in todos_of(response)}


def test_the_counts_are_the_work_of_each_role(login, world, staff):
    busy(world, staff)
    get = lambda who: counts(login(persona(world, staff, who)).get("/"))  # noqa: E731
    resident = get("resident")
    assert resident["appeals:rate"] == 1  # 树枝折断 waits for a rating
    assert resident["appeals:open"] == 5  # 路灯, 井盖, 垃圾, 噪音, 违建 (占道 is the member's)
    assert resident["needs:open"] == 1 and resident["needs:answer"] == 0
    assert resident["notifications:unread"] >= 1
    assert get("member")["appeals:open"] == 1
    gw = get("grid_worker")
    assert gw["appeals:submitted"] == 1 and gw["appeals:handled"] == 1 and gw["appeals:overdue"] == 1
    # Wishes and registrations are reviewed by the community, not the grid.
    assert "needs:submitted" not in gw and "service:members" not in gw and "service:records" in gw
    cw = get("community_worker")
    assert cw["needs:submitted"] == 1 and cw["service:members"] == 1 and cw["appeals:accepted"] == 1
    dept = get("department")
    assert dept["appeals:dispatched"] == 1 and dept["appeals:in_progress"] == 1
    assert dept["appeals:whistle"] == 1 and dept["appeals:overdue"] == 1
    street = get("street_officer")
    assert street["appeals:whistle"] == 1
    assert get("leader")["appeals:overdue"] == 1
    # The outsider's street has none of it.
    assert set(get("street_officer").values()) != {0}
    outsider = counts(login(world.outsider).get("/"))
    assert set(outsider.values()) == {0}


def test_the_street_sees_its_whistles_and_the_departments_report_ins(login, world, staff):
    busy(world, staff)
    r = login(staff.street_chief).get("/")
    w = r.context["whistles"]
    assert (w.convened, w.reported, w.done) == (1, 1, 0)
    body = r.content.decode()
    assert "北流市城市管理局 · 已报到处置中" in body and "北流市环境卫生管理站 · 待报到" in body
    assert "违章搭建0" in body
    assert login(world.outsider).get("/").context["whistles"].recent == []


def test_the_member_sees_their_registration_and_hours(login, world, staff):
    busy(world, staff)
    r = login(world.member).get("/")
    work = r.context["work"]
    assert work.registration.status == "pending" and work.service_hours == 0
    body = r.content.decode()
    assert 'data-registration="pending"' in body and "待社区确认" in body
    assert "积分余额" in body
    assert "service_hours" not in login(world.resident).get("/").content.decode()
    assert login(world.resident).get("/").context["work"].registration is None


def test_the_leader_sees_the_five_rates_the_trend_and_rankings(login, world, staff):
    busy(world, staff)
    r = login(staff.leader).get("/")
    assert "dashboard/home_leader.html" in [t.name for t in r.templates]
    lead = r.context["lead"]
    assert lead.root == world.county
    assert [c.label for c in lead.cells] == ["响应率", "解决率", "满意率", "按期办结率", "返工率"]
    resolution = next(c for c in lead.cells if c.key == "resolution")
    # 7 cases received, 6 accepted (all but 路灯), 1 closed (树枝折断).
    assert (resolution.numerator, resolution.denominator) == (1, 6)
    assert lead.received == 7
    assert len(lead.trend["days"]) == 30 and lead.trend["received"][-1] == 7
    assert [row.node.name for row in lead.children] == ["陵城街道", "城南街道"]
    assert [row.node.name for row in lead.best] == ["桂塘社区"]
    body = r.content.decode()
    assert 'id="trend-chart"' in body and "echarts.min.js" in body
    assert "16.7<small>%</small>" in body  # 解决率 1 / 6


# --- queries: a fixed number per home page -----------------------------------------------------

QUERY_PINS = {  # measured with busy(): session and user, then the page's own reads
    "resident": 9,
    "member": 11,
    "grid_worker": 12,
    "community_worker": 17,
    "street_officer": 17,
    "street_chief": 17,
    "department": 11,
    "leader": 13,
    "admin": 13,
}


def home_queries(client: Any) -> int:
    client.get("/")  # warm the session and the per-process caches
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/").status_code == 200
    return len(ctx)


@pytest.mark.parametrize("name", PERSONAS)
def test_it_costs_a_fixed_number_of_queries(login, world, staff, name, django_assert_max_num_queries):
    from dangjian.territory import actions as T

    user = persona(world, staff, name)
    client = login(user)
    busy(world, staff)
    small = home_queries(client)
    busy(world, staff, n=3)
    for i in range(3):  # more streets and communities for the rankings
        street = T.create_node(parent=world.county, level="street", name=f"新街道{i}", acting_user=None)
        T.create_node(parent=street, level="community", name=f"新社区{i}", acting_user=None)
    assert home_queries(client) == small
    with django_assert_max_num_queries(QUERY_PINS[name]):
        client.get("/")


# --- the 即将超期 tab ---------------------------------------------------------------------------


def test_due_soon_holds_the_cases_whose_deadline_is_close_but_not_past(world, staff):
    gw = world.grid_worker
    now = workcal.next_office_moment(timezone.now())
    cases = [
        A.dispatch_case(A.accept_case(_report(world, t), acting_user=gw), to_unit=staff.unit, acting_user=gw)
        for t in ("一小时后签收", "三小时后签收", "已超期")
    ]
    soon, later, late = cases
    Case.objects.filter(pk=soon.pk).update(ack_due=workcal.add_working_hours(now, 1))
    Case.objects.filter(pk=later.pk).update(ack_due=workcal.add_working_hours(now, 3))
    Case.objects.filter(pk=late.pk).update(ack_due=now - dt.timedelta(minutes=5))
    working = A.acknowledge_case(
        A.dispatch_case(
            A.accept_case(_report(world, "明天办结"), acting_user=gw), to_unit=staff.unit, acting_user=gw
        ),
        acting_user=staff.department,
    )
    Case.objects.filter(pk=working.pk).update(resolve_due=workcal.add_working_hours(now, 4))
    for c in (soon, later, late):  # their resolve deadlines are days away
        Case.objects.filter(pk=c.pk).update(resolve_due=workcal.add_working_days(now, 5))
    due_soon = set(Case.objects.filter(appeals_selectors.due_soon_q(now)).values_list("title", flat=True))
    assert due_soon == {"一小时后签收", "明天办结"}
    # The countdown agrees: each is a warning, none overdue.
    for case in Case.objects.filter(title__in=due_soon):
        cd = appeals_selectors.countdown(case, now)
        assert cd is not None and cd.warning and not cd.overdue
    assert Case.objects.filter(appeals_selectors.overdue_q(now)).filter(title="已超期").exists()
    assert Case.objects.get(title="已超期").status == Status.DISPATCHED


def test_the_nearest_deadlines_come_first_within_scope(login, world, staff):
    busy(world, staff)
    urgent = login(staff.department).get("/").context["urgent"]
    case, countdown = urgent[0]
    assert case.title == "垃圾堆放0" and countdown.overdue  # its 签收 ran out three days ago
    assert all(c.status not in ("closed", "rated") for c, _ in urgent)
    street = login(world.street_officer).get("/")
    assert street.context["area"][0] == world.street_a
    assert "陵城街道 · 近30天五项指标" in street.content.decode()
    assert login(world.outsider).get("/").context["urgent"] == []


def test_an_inspector_of_a_street_ranks_its_communities_once(login, world, staff):
    busy(world, staff)
    inspector = account_actions.create_user(
        phone="13000000016", password="Home#2026x", name="党建特派员", acting_user=None
    )
    account_actions.assign_role(user=inspector, role="inspector", node=world.street_a, acting_user=None)
    r = login(inspector).get("/")
    lead = r.context["lead"]
    assert lead.root == world.street_a and lead.child_label == "社区"
    assert [row.node.name for row in lead.children] == ["桂塘社区"]
    assert lead.best == [] and "社区解决率" not in r.content.decode()
    assert "城南" not in r.content.decode()


def test_a_unit_liaison_sees_its_queue_and_its_registration(
    login, world, staff, django_assert_max_num_queries
):
    busy(world, staff)
    hospital = create_unit(name="北流市人民医院", kind="hospital", node=world.community_a, acting_user=None)
    liaison = account_actions.create_user(
        phone="13000000017", password="Home#2026x", name="医院联络员", acting_user=None
    )
    account_actions.assign_role(
        user=liaison, role="unit_admin", node=world.community_a, unit=hospital, acting_user=None
    )
    client = login(liaison)
    body = client.get("/").content.decode()
    assert 'data-unit-registration="none"' in body and "尚未报到" in body
    service_actions.register_unit(
        unit=hospital,
        community=world.community_a,
        contact_name="王医生",
        contact_phone="13800138000",
        acting_user=liaison,
    )
    r = client.get("/")
    assert 'data-unit-registration="pending"' in r.content.decode()
    for t in todos_of(r):
        assert rows_behind(client, t.url) == t.count, t.label
    client.get("/")
    with django_assert_max_num_queries(12):
        client.get("/")
