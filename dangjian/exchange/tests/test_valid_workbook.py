"""A valid workbook with every sheet imports, each record placed where it belongs."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dangjian.core.models import AuditEvent
from dangjian.exchange.importers import import_workbook
from dangjian.exchange.models import ImportJob
from dangjian.exchange.tests.helpers import credit_code, id_number, square, workbook
from dangjian.party.models import Organization, PartyMember
from dangjian.people.models import Person, Resident
from dangjian.territory.models import Node
from dangjian.units.models import Unit
from dangjian.venues.models import ServicePosition

SCHOOL = credit_code("12450981MB1234567")
ZHANG = id_number("45098119780701003")
WANG = id_number("45098119560312002")
ZHAO = id_number("45098119600101004")


def valid_book(w) -> bytes:
    new_grid = w.community_a.code + "009"
    return workbook(
        {
            "territory": [
                {"层级": "网格", "名称": "桂塘第三网格", "上级编码": w.community_a.code, "户数": 300},
                {
                    "层级": "网格",
                    "名称": "桂塘第四网格",
                    "上级编码": w.community_a.code,
                    "编码": new_grid,
                    "网格类型": "党建网格",
                    "边界GeoJSON": square(110.37, 22.70),
                },
                {"层级": "小区", "名称": "幸福家园", "上级编码": new_grid, "户数": 200},
            ],
            "units": [
                {
                    "单位名称": "北流市第一中学",
                    "单位类型": "学校",
                    "统一社会信用代码": SCHOOL,
                    "所在区域编码": w.grid_a1.code,
                    "联系电话": "0775-6212345",
                    "职工人数": 120,
                }
            ],
            "organizations": [
                {
                    "组织名称": "桂塘第四网格党支部",
                    "组织类别": "党支部",
                    "上级党组织": "桂塘社区党委",
                    "所在区域编码": new_grid,
                    "大党委": "否",
                },
                {
                    "组织名称": "北流一中党总支",
                    "组织类别": "党总支",
                    "所在区域编码": w.grid_a1.code,
                    "所在单位信用代码": SCHOOL,
                },
            ],
            "residents": [
                {
                    "姓名": "王芳",
                    "身份证号": WANG,
                    "手机号": "13812345678",
                    "住址": "东湖一号小区3栋201",
                    "所在户/小区编码": w.compound_a1.code,
                    "人口类型": "户籍",
                    "户主": "是",
                    "关爱标签": "老年人、空巢老人",
                },
                {"姓名": "张伟", "身份证号": ZHANG, "所在户/小区编码": new_grid, "人口类型": "常住人口"},
            ],
            "members": [
                {
                    "姓名": "张伟",
                    "身份证号": ZHANG,
                    "手机号": "13912345678",
                    "居住地编码": new_grid,
                    "所在党组织": "桂塘第四网格党支部",
                    "党员状态": "正式",
                    "党员类别": "在职",
                    "入党日期": datetime.datetime(2005, 7, 1),
                    "工作单位信用代码": SCHOOL,
                },
                {
                    "姓名": "赵敏",
                    "身份证号": ZHAO,
                    "居住地编码": w.compound_a1.code,
                    "所在党组织": "东湖一号小区党支部",
                    "党员状态": "预备党员",
                    "党员类别": "离退休党员",
                    "入党日期": "2024/3/15",
                },
            ],
            "positions": [
                {
                    "阵地名称": "桂塘第四网格党群服务站",
                    "类型": "党群服务中心",
                    "层级": "小区",
                    "所在区域编码": new_grid,
                    "面积": 120,
                    "功能室": "党员活动室、调解室",
                    "开放时间": "周一至周五 9:00-17:00",
                }
            ],
        }
    )


def test_it_imports_every_sheet_in_dependency_order(world):
    w = world
    outcome = import_workbook(io.BytesIO(valid_book(w)), acting_user=w.street_officer)
    assert outcome.problems == []
    assert outcome.ok
    assert outcome.counts == {"区域": 3, "单位": 1, "党组织": 2, "居民": 2, "党员": 2, "服务阵地": 1}

    grid4 = Node.objects.get(code=w.community_a.code + "009")
    assert (grid4.parent, grid4.street, grid4.community, grid4.grid_type) == (
        w.community_a,
        w.street_a,
        w.community_a,
        "party",
    )
    assert grid4.boundary is not None
    # Blank codes are allocated after every explicit one, so they never collide.
    grid3 = Node.objects.get(name="桂塘第三网格")
    assert grid3.code == w.community_a.code + "010"
    compound = Node.objects.get(name="幸福家园")
    assert (compound.parent, compound.code, compound.grid) == (grid4, grid4.code + "001", grid4)

    school = Unit.objects.get(credit_code=SCHOOL)
    assert (school.kind, school.node, school.street, school.employees) == (
        "school",
        w.grid_a1,
        w.street_a,
        120,
    )

    branch = Organization.objects.get(name="桂塘第四网格党支部")
    assert branch.parent == Organization.objects.get(name="桂塘社区党委")
    assert (branch.node, branch.grid, branch.kind) == (grid4, grid4, "branch")
    assert Organization.objects.get(name="北流一中党总支").unit == school

    zhang = Person.objects.get(name="张伟")  # one person for both sheets
    assert zhang.resident.household == grid4
    assert zhang.party_member.organization == branch
    assert zhang.party_member.work_unit == school
    assert zhang.party_member.joined_on == datetime.date(2005, 7, 1)
    assert zhang.party_member.grid == grid4
    assert zhang.id_number_masked.endswith(ZHANG[-4:]) and zhang.id_number_enc

    wang = Resident.objects.get(person__name="王芳")
    assert (wang.is_head, wang.tags, wang.residence_type) == (True, ["elderly", "empty_nest"], "registered")
    assert wang.compound == w.compound_a1
    zhao = PartyMember.objects.get(person__name="赵敏")
    assert (zhao.status, zhao.category, zhao.organization) == ("probationary", "retired", w.branch_a1)

    station = ServicePosition.objects.get(name="桂塘第四网格党群服务站")
    assert (station.level, station.node, station.floor_area) == ("compound", grid4, Decimal("120.00"))
    assert station.functions == ["党员活动室", "调解室"]

    # Written through the actions: each record has its audit row, by the importing user.
    assert AuditEvent.objects.filter(actor=w.street_officer, action="party.member.create").count() == 2


def test_it_imports_a_small_upload_in_the_request_and_shows_the_summary(world, login):
    w = world
    client = login(w.street_officer)
    upload = SimpleUploadedFile("台账.xlsx", valid_book(w))
    response = client.post(reverse("exchange:import"), {"file": upload})
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("exchange:job", args=[job.pk])
    assert (job.status, job.user, job.ran_in_background, job.total_rows) == (
        "done",
        w.street_officer,
        False,
        11,
    )
    assert job.summary["党员"] == 2
    assert job.file.name.startswith("imports/")
    page = client.get(response["Location"])
    html = page.content.decode()
    assert "导入成功" in html and "共写入 <strong>11</strong> 条记录" in html
    assert 'hx-trigger="every 1s"' not in html  # finished: no more polling
    assert Person.objects.filter(name="张伟").exists()


def test_it_refuses_the_same_workbook_twice(world):
    w = world
    assert import_workbook(io.BytesIO(valid_book(w)), acting_user=w.admin).ok
    counts = (Node.objects.count(), Unit.objects.count(), Person.objects.count())
    again = import_workbook(io.BytesIO(valid_book(w)), acting_user=w.admin)
    assert not again.ok
    reasons = {(p.sheet, p.row, p.reason) for p in again.problems}
    assert ("区域", 2, f"上级「{w.community_a.name}」下已有同名区域「桂塘第三网格」") in reasons
    assert ("单位", 2, "该统一社会信用代码已登记") in reasons
    assert ("党员", 2, "此人已有党员档案") in reasons
    assert ("居民", 2, "该身份证号已登记为居民") in reasons
    assert (Node.objects.count(), Unit.objects.count(), Person.objects.count()) == counts
