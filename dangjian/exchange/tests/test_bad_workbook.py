"""A workbook with many problems reports every one of them and writes nothing."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dangjian.core.models import AuditEvent
from dangjian.exchange.importers import import_workbook
from dangjian.exchange.models import ImportJob
from dangjian.exchange.tests.helpers import id_number, workbook
from dangjian.party.models import Organization, PartyMember
from dangjian.people.models import Person, Resident
from dangjian.territory.models import Node
from dangjian.units.models import Unit
from dangjian.venues.models import ServicePosition


def counts() -> tuple[int, ...]:
    return tuple(
        m.objects.count() for m in (Node, Unit, Organization, Person, Resident, PartyMember, ServicePosition)
    )


def bad_book(w) -> bytes:
    good_id = id_number("45098119900101005")
    return workbook(
        {
            "territory": [
                {"层级": "网格", "名称": "无主网格", "上级编码": "450981009001"},  # unknown parent
                {"层级": "网格", "名称": "桂塘第五网格", "上级编码": w.community_a.code},  # fine alone
                {"层级": "网格", "名称": "桂塘第五网格", "上级编码": w.community_a.code},  # duplicate row
                {"层级": "网格", "名称": "城南新网格", "上级编码": w.community_b.code},  # street B
                {"层级": "片区", "名称": "某片区", "上级编码": w.community_a.code, "户数": "很多"},
            ],
            "units": [{"单位名称": "缺类型的单位", "所在区域编码": w.grid_a1.code}],
            "members": [
                {
                    "姓名": "错号党员",
                    "身份证号": "450981198001011234",  # wrong check digit
                    "居住地编码": w.compound_a1.code,
                    "所在党组织": "东湖一号小区党支部",
                    "党员状态": "正式",
                    "党员类别": "在职",
                },
                {
                    "姓名": "错类党员",
                    "身份证号": good_id,
                    "居住地编码": w.compound_a1.code,
                    "所在党组织": "东湖一号小区党支部",
                    "党员状态": "正式",
                    "党员类别": "在岗",  # not a category
                    "入党日期": "2005-13-01",
                },
                {
                    "姓名": "重复党员",
                    "身份证号": good_id,  # same person twice in one sheet
                    "居住地编码": w.compound_a1.code,
                    "所在党组织": "不存在的党支部",
                    "党员状态": "正式",
                    "党员类别": "在职",
                },
            ],
            "residents": [
                {
                    "姓名": "错号居民",
                    "身份证号": id_number("45098119850505006"),
                    "手机号": "12345",
                    "所在户/小区编码": w.compound_b1.code,
                }
            ],
        },
        drop={"units": ["单位类型"]},
    )


def test_it_reports_every_problem_with_its_place_and_writes_nothing(world):
    w = world
    before = counts()
    audit_before = AuditEvent.objects.count()
    outcome = import_workbook(io.BytesIO(bad_book(w)), acting_user=w.street_officer)
    assert not outcome.ok
    found = {(p.sheet, p.row, p.column): p.reason for p in outcome.problems}
    assert found == {
        ("区域", 2, "C 上级编码"): "上级编码 450981009001 不存在或不在您的管辖范围内",
        ("区域", 4, "B 名称"): "与第 3 行重复：同一上级下已有同名区域",
        ("区域", 5, "C 上级编码"): f"上级编码 {w.community_b.code} 不存在或不在您的管辖范围内",
        (
            "区域",
            6,
            "A 层级",
        ): "「片区」不是有效的层级，可选：市、县(市、区)、街道(镇)、社区、网格、小区、楼栋、户",
        ("区域", 6, "F 户数"): "「很多」不是非负整数",
        ("单位", 1, "单位类型"): "缺少必填列「单位类型」",
        ("党员", 2, "B 身份证号"): "身份证号码不正确（18 位，末位校验码不符）",
        (
            "党员",
            3,
            "G 党员类别",
        ): "「在岗」不是有效的党员类别，可选：在职党员、离退休党员、流动党员、口袋党员",
        ("党员", 3, "H 入党日期"): "日期不存在",
        ("党员", 4, "E 所在党组织"): "党组织「不存在的党支部」不存在或不在您的管辖范围内",
        ("党员", 4, "B 身份证号"): "身份证号与第 3 行重复",
        ("居民", 2, "C 手机号"): "手机号码不正确（应为 11 位，以 1 开头）",
        ("居民", 2, "E 所在户/小区编码"): f"区域编码 {w.compound_b1.code} 不存在或不在您的管辖范围内",
    }
    # Sheets come in dependency order, rows in file order.
    assert [p.sheet for p in outcome.problems][:5] == ["区域"] * 5
    assert counts() == before
    assert AuditEvent.objects.count() == audit_before


def test_it_shows_the_problem_table_on_the_job_page(world, login):
    w = world
    before = counts()
    client = login(w.street_officer)
    response = client.post(
        reverse("exchange:import"), {"file": SimpleUploadedFile("坏文件.xlsx", bad_book(w))}, follow=True
    )
    job = ImportJob.objects.get()
    assert job.status == "failed" and len(job.errors) == 13
    html = response.content.decode()
    assert "没有导入任何数据" in html
    assert "G 党员类别" in html and "「在岗」不是有效的党员类别" in html
    assert counts() == before


def test_it_reports_an_unreadable_file(world, login):
    client = login(world.street_officer)
    response = client.post(
        reverse("exchange:import"), {"file": SimpleUploadedFile("假的.xlsx", b"not a zip")}, follow=True
    )
    assert "文件无法读取" in response.content.decode()
    assert ImportJob.objects.get().status == "failed"


def test_it_rejects_other_file_types_before_storing_them(world, login):
    client = login(world.street_officer)
    response = client.post(reverse("exchange:import"), {"file": SimpleUploadedFile("旧格式.xls", b"x")})
    assert response.status_code == 400
    assert "只支持 .xlsx 格式" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_it_reports_a_workbook_without_known_sheets(world):
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.title = "名单"  # type: ignore[union-attr]
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    outcome = import_workbook(buf, acting_user=world.admin)
    assert [p.reason for p in outcome.problems][0].startswith("没有可导入的工作表")
