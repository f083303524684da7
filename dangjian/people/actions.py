"""Every write to people and their roles. Personal data is sealed here (encrypted, indexed,
masked) and never stored in plain text."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from dangjian.core import audit, crypto
from dangjian.core.access import ensure_in_scope
from dangjian.people.choices import LegalKind
from dangjian.people.models import CommunityWorker, GridWorker, Leader, LegalOfficer, Person, Resident
from dangjian.territory.models import Node


def validate_person_fields(*, name: str, id_number: str = "", phone: str = "") -> dict[str, str]:
    errors: dict[str, str] = {}
    if not (name or "").strip():
        errors["name"] = "姓名不能为空"
    idn = crypto.normalise_id_number(id_number)
    if idn and not crypto.is_valid_id_number(idn):
        errors["id_number"] = "身份证号码不正确（18 位，末位校验码不符）"
    ph = crypto.normalise_phone(phone)
    if ph and not crypto.is_valid_phone(ph):
        errors["phone"] = "手机号码不正确（应为 11 位，以 1 开头）"
    return errors


def birth_from_id(idn: str) -> tuple[date | None, str]:
    try:
        born = date(int(idn[6:10]), int(idn[10:12]), int(idn[12:14]))
    except (ValueError, IndexError):
        return None, ""
    return born, ("M" if int(idn[16]) % 2 else "F")


def seal_person(
    person: Person, *, id_number: str | None = None, phone: str | None = None, address: str | None = None
) -> None:
    if id_number is not None:
        s = crypto.seal("id_number", id_number)
        person.id_number_enc, person.id_number_hash, person.id_number_masked = s.enc, s.hash, s.masked
        if s.enc:
            born, gender = birth_from_id(crypto.normalise_id_number(id_number))
            person.birth_date = person.birth_date or born
            person.gender = person.gender or gender
    if phone is not None:
        s = crypto.seal("phone", phone)
        person.phone_enc, person.phone_hash, person.phone_masked = s.enc, s.hash, s.masked
    if address is not None:
        s = crypto.seal("address", address)
        person.address_enc, person.address_masked = s.enc, s.masked


@transaction.atomic
def create_person(
    *,
    name: str,
    home: Node | None,
    id_number: str = "",
    phone: str = "",
    address: str = "",
    gender: str = "",
    birth_date: date | None = None,
    acting_user: Any,
) -> Person:
    errors = validate_person_fields(name=name, id_number=id_number, phone=phone)
    if id_number and not errors.get("id_number"):
        if Person.objects.filter(id_number_hash=crypto.lookup_hash("id_number", id_number)).exists():
            errors["id_number"] = "该身份证号已登记"
    if errors:
        raise ValidationError(errors)
    if home is not None:
        ensure_in_scope(acting_user, "add", home)
    person = Person(name=name.strip(), home=home, gender=gender, birth_date=birth_date)
    person.place(home)
    seal_person(person, id_number=id_number, phone=phone, address=address)
    person.save()
    audit.record(acting_user, "people.person.create", person)
    return person


@transaction.atomic
def update_person(
    person: Person,
    *,
    acting_user: Any,
    name: str | None = None,
    phone: str | None = None,
    address: str | None = None,
    home: Node | None = None,
) -> Person:
    person = Person.objects.select_for_update().get(pk=person.pk)
    ensure_in_scope(acting_user, "change", person)
    errors = validate_person_fields(name=name if name is not None else person.name, phone=phone or "")
    if errors:
        raise ValidationError(errors)
    before = audit.snapshot(person)
    if name is not None:
        person.name = name.strip()
    if home is not None:
        ensure_in_scope(acting_user, "add", home)
        person.home = home
        person.place(home)
    seal_person(person, phone=phone, address=address)
    person.save()
    ensure_in_scope(acting_user, "change", person)  # still ours after the move
    audit.record(acting_user, "people.person.update", person, before=before)
    return person


@transaction.atomic
def register_resident(
    *,
    person: Person,
    household: Node,
    residence_type: str = "registered",
    is_head: bool = False,
    tags: list[str] | None = None,
    acting_user: Any,
) -> Resident:
    ensure_in_scope(acting_user, "add", household)
    if household.level not in ("household", "building", "compound", "grid"):
        raise ValidationError({"household": "居民应登记到户、楼栋或小区"})
    resident = Resident(
        person=person, household=household, residence_type=residence_type, is_head=is_head, tags=tags or []
    )
    resident.place(household)
    resident.save()
    audit.record(acting_user, "people.resident.create", resident)
    return resident


@transaction.atomic
def assign_grid_worker(
    *,
    person: Person,
    grid: Node,
    role: str = "worker",
    full_time: bool = True,
    since: date | None = None,
    acting_user: Any,
) -> GridWorker:
    if grid.level != "grid":
        raise ValidationError({"grid": "网格员须配备到网格"})
    ensure_in_scope(acting_user, "add", grid)
    worker = GridWorker(person=person, grid_node=grid, role=role, full_time=full_time, since=since)
    worker.place(grid)
    worker.save()
    audit.record(acting_user, "people.grid_worker.assign", worker)
    return worker


@transaction.atomic
def hire_community_worker(
    *,
    person: Person,
    community: Node,
    post: str,
    level: int = 1,
    position_title: str = "",
    since: date | None = None,
    acting_user: Any,
) -> CommunityWorker:
    if community.level != "community":
        raise ValidationError({"community": "社区工作者须属于社区"})
    if not 1 <= int(level) <= 6:
        raise ValidationError({"level": "岗位级别为 1–6 级（三岗十八级）"})
    ensure_in_scope(acting_user, "add", community)
    worker = CommunityWorker(
        person=person,
        community_node=community,
        post=post,
        level=level,
        position_title=position_title,
        since=since,
    )
    worker.place(community)
    worker.save()
    audit.record(acting_user, "people.community_worker.hire", worker)
    return worker


@transaction.atomic
def link_leader(*, person: Person, title: str, community: Node, acting_user: Any) -> Leader:
    """A city/county leader takes a community as their contact point (001: 每季度至少 1 次)."""
    if community.level != "community":
        raise ValidationError({"community": "联系点须是社区"})
    if not (title or "").strip():
        raise ValidationError({"title": "职务不能为空"})
    ensure_in_scope(acting_user, "add", community)
    leader = Leader(person=person, title=title.strip(), linked_community=community)
    leader.place(community)
    leader.save()
    audit.record(acting_user, "people.leader.link", leader)
    return leader


@transaction.atomic
def assign_legal_officer(
    *, person: Person, kind: str, employer: str, serving: Node, acting_user: Any
) -> LegalOfficer:
    """三官一律进社区: a judge, police officer, prosecutor or lawyer serves a community or grid."""
    if kind not in LegalKind.values:
        raise ValidationError({"kind": "类别应为：" + "、".join(LegalKind.labels)})
    if serving.level not in ("street", "community", "grid"):
        raise ValidationError({"serving": "服务对象应为街道、社区或网格"})
    if not (employer or "").strip():
        raise ValidationError({"employer": "所在单位不能为空"})
    ensure_in_scope(acting_user, "add", serving)
    officer = LegalOfficer(person=person, kind=kind, employer=employer.strip(), serving_node=serving)
    officer.place(serving)
    officer.save()
    audit.record(acting_user, "people.legal_officer.assign", officer)
    return officer
