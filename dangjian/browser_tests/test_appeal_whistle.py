"""街道吹哨、部门报到 on a desktop: the street officer convenes two departments from the case
page, each department's liaison reports in and reports its task done (each in its own
browser), and the street records the consultation and feeds the result back."""

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from dangjian.accounts import actions as account_actions
from dangjian.appeals import actions
from dangjian.appeals.choices import Status, TaskStatus, Tier
from dangjian.appeals.models import Category, Transition, Whistle
from dangjian.units.actions import create_unit

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1366, "height": 860}
PHONE = {"width": 390, "height": 844}
DEPT_PASSWORD = "Dept#2026x"


@pytest.fixture
def departments(world):
    """Two stationed departments (城管, 环卫) of 北流市, each with a liaison account."""
    out = {}
    for i, name in enumerate(["城市管理局", "环境卫生管理站"], start=1):
        unit = create_unit(name=f"北流市{name}", kind="department", node=world.county, acting_user=None)
        user = account_actions.create_user(
            phone=f"1350000000{i}", password=DEPT_PASSWORD, name=f"{name}联络员", acting_user=None
        )
        account_actions.assign_role(
            user=user, role="department", node=world.county, unit=unit, acting_user=None
        )
        out[name] = (unit, user)
    return out


@pytest.fixture
def street_case(world, appeal_categories):
    """A case of grid A1 that the grid and the community could not solve: at the street now."""
    category = Category.objects.filter(level=3, enterprise=False, active=True).order_by("code").first()
    case = actions.submit_case(
        channel="resident",
        category=category,
        title="小区门口占道违建",
        description="东湖一号小区门口有人搭建铁皮棚占用人行道，还堆了建筑垃圾",
        lng=110.355,
        lat=22.705,
        idempotency_key="browser-whistle-1",
        reporter=world.resident_person,
        acting_user=world.resident,
    ).case
    case = actions.accept_case(case, acting_user=world.grid_worker)
    case = actions.escalate_case(case, reason="网格无法解决，需多部门", acting_user=world.grid_worker)
    case = actions.escalate_case(case, reason="社区上报街道", acting_user=world.street_officer)
    assert case.tier == Tier.STREET and case.status == Status.ACCEPTED
    return case


def new_page(browser: Browser, errors: list[str], *, phone: bool = False) -> Page:
    """A page in a fresh browser context (its own cookies): another person at another desk,
    or out in the street with a phone."""
    ctx = browser.new_context(
        viewport=PHONE if phone else DESKTOP,  # type: ignore[arg-type]
        device_scale_factor=2 if phone else 1,
        is_mobile=phone,
        has_touch=phone,
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
    )
    ctx.set_default_timeout(15_000)
    page = ctx.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc.stack or exc)))
    return page


def act(page: Page, event: str, fields: dict[str, str]) -> None:
    """Open one action of the accordion on the case page, fill it and confirm (htmx)."""
    item = page.locator(f"#action-panel [data-event='{event}']")
    item.locator(".accordion-button").click()
    form = item.locator("form")
    expect(form).to_be_visible()
    for name, value in fields.items():
        form.locator(f"[name='{name}']").fill(value)
    form.get_by_role("button", name="确定").click()


def test_it_whistles_and_two_departments_report_in(
    page, browser, live_server, world, departments, street_case, sign_in, snap
):
    case = street_case
    case_url = f"{live_server.url}/appeals/staff/case/{case.pk}/"
    (cg, _), (hw, _) = departments["城市管理局"], departments["环境卫生管理站"]
    page.set_viewport_size(DESKTOP)

    # The street officer blows the whistle from the case page.
    sign_in(page, "13000000002")
    page.goto(case_url)
    expect(page.locator("h1")).to_contain_text("小区门口占道违建")
    expect(page.locator("#case-work")).to_contain_text("街道")
    item = page.locator("#action-panel [data-event='whistle']")
    item.locator(".accordion-button").click()
    form = item.locator("form")
    expect(form).to_be_visible()
    form.get_by_label("北流市城市管理局").check()
    form.locator(f"[name='duty_{cg.pk}']").fill("拆除占道铁皮棚")
    form.get_by_label("北流市环境卫生管理站").check()
    form.locator(f"[name='duty_{hw.pk}']").fill("清运建筑垃圾")
    form.locator("[name='reason']").fill("占道违建涉及城管、环卫，需联合处置")
    snap(page, "whistle_form")
    form.get_by_role("button", name="确定").click()
    expect(page.locator("#case-work [data-flash='ok']")).to_contain_text("已吹哨，召集 2 个部门报到")
    panel = page.locator("#whistle-panel")
    expect(panel).to_contain_text("占道违建涉及城管、环卫，需联合处置")
    expect(panel).to_contain_text("会商中")
    expect(panel.locator("[data-task]")).to_have_count(2)
    expect(panel.locator("[data-task]").filter(has_text="待报到")).to_have_count(2)
    expect(page.locator("#case-work")).to_contain_text("吹哨会商中")
    snap(page, "whistled")

    whistle = Whistle.objects.get(case=case)
    tasks = {t.department_id: t for t in whistle.tasks.all()}
    assert {t.duty for t in tasks.values()} == {"拆除占道铁皮棚", "清运建筑垃圾"}
    assert all(t.status == TaskStatus.CONVENED for t in tasks.values())

    # Each department, in its own browser: find the case in 吹哨报到, report in, report done.
    # 城管 works at a desktop, 环卫's liaison on a phone at the site.
    for unit, phone, result, on_phone in (
        (cg, "13500000001", "铁皮棚已拆除，人行道恢复通行", False),
        (hw, "13500000002", "建筑垃圾已清运 3 车", True),
    ):
        errors: list[str] = []
        dept = new_page(browser, errors, phone=on_phone)
        try:
            sign_in(dept, phone, DEPT_PASSWORD)
            dept.goto(f"{live_server.url}/appeals/staff/")
            dept.locator("[data-tab='whistle']").click()
            expect(dept).to_have_url(re.compile(r"tab=whistle"))
            expect(dept.locator("[data-count='whistle']")).to_have_text("1")
            dept.locator(f"a[href='/appeals/staff/case/{case.pk}/']:visible").first.click()
            expect(dept).to_have_url(case_url)
            mine = dept.locator(f"#whistle-panel [data-task='{tasks[unit.pk].pk}']")
            expect(mine).to_contain_text("待报到")
            # Only its own task offers 报到.
            expect(dept.locator("#whistle-panel").get_by_role("button", name="报到")).to_have_count(1)
            snap(dept, f"dept{unit.pk}_convened")
            mine.get_by_role("button", name="报到").click()
            expect(dept.locator("#case-work [data-flash='ok']")).to_contain_text("已报到")
            mine = dept.locator(f"#whistle-panel [data-task='{tasks[unit.pk].pk}']")
            expect(mine).to_contain_text("已报到处置中")
            mine.locator("[name='result']").fill(result)
            mine.get_by_role("button", name="反馈完成").click()
            expect(dept.locator("#case-work [data-flash='ok']")).to_contain_text("已反馈完成")
            mine = dept.locator(f"#whistle-panel [data-task='{tasks[unit.pk].pk}']")
            expect(mine).to_contain_text("已完成")
            expect(mine).to_contain_text(result)
            snap(dept, f"dept{unit.pk}_done")
            if on_phone:  # nothing sticks out sideways on the phone
                assert dept.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
            assert errors == []
        finally:
            dept.context.close()

    for t in whistle.tasks.all():
        assert t.status == TaskStatus.DONE and t.reported_at is not None and t.result

    # Back to the street officer: the consultation record, then the summary feedback.
    page.reload()
    panel = page.locator("#whistle-panel")
    expect(panel.locator("[data-task]").filter(has_text="已完成")).to_have_count(2)
    expect(panel).to_contain_text("铁皮棚已拆除，人行道恢复通行")
    expect(panel).to_contain_text("建筑垃圾已清运 3 车")
    panel.locator("[name='minutes']").fill("5月20日城管、环卫到场会商：城管拆棚，环卫清运，当日完成")
    panel.get_by_role("button", name="保存纪要").click()
    expect(page.locator("#case-work [data-flash='ok']")).to_contain_text("已保存会商纪要")
    expect(page.locator("#whistle-panel [name='minutes']")).to_have_value(
        "5月20日城管、环卫到场会商：城管拆棚，环卫清运，当日完成"
    )
    snap(page, "minutes")
    feedback = page.locator("#action-panel [data-event='feedback']")
    expect(feedback.locator(".accordion-button")).to_have_text("汇总反馈（各部门已完成）")
    act(page, "feedback", {"result": "违建已拆除、垃圾已清运，人行道恢复通行"})
    expect(page.locator("#case-work [data-flash='ok']")).to_contain_text("已汇总各部门结果并反馈")
    expect(page.locator("#case-work")).to_contain_text("已反馈待核查")
    expect(page.locator("#whistle-panel")).to_contain_text("已汇总")
    expect(page.locator("#timeline")).to_contain_text("吹哨")
    snap(page, "handled")

    case.refresh_from_db()
    whistle.refresh_from_db()
    assert case.status == Status.HANDLED
    assert whistle.closed_at is not None and "城管拆棚" in whistle.minutes
    assert sorted(t.status for t in whistle.tasks.all()) == [TaskStatus.DONE, TaskStatus.DONE]
    assert {t.department_id: t.result for t in whistle.tasks.all()} == {
        cg.pk: "铁皮棚已拆除，人行道恢复通行",
        hw.pk: "建筑垃圾已清运 3 车",
    }
    assert list(Transition.objects.filter(case=case).values_list("event", flat=True))[-2:] == [
        "whistle",
        "feedback",
    ]
    assert page.js_errors == []
