"""Every write of the service app: 双报到, posts and claims, rotas, teams, the five steps of
volunteer service, service records (纪实) and the review of formalism flags.

Each action takes keyword-only arguments and an explicit acting user (``None`` for system
writes such as the demo), runs in one transaction, re-checks scope inside it, writes an
audit row and defers side effects with ``transaction.on_commit``. Bad input raises a
``ValidationError`` with a Chinese message before anything is written.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from dangjian.core import audit, crypto
from dangjian.core.access import ScopeError, can, ensure_in_scope
from dangjian.service import guards, workflow
from dangjian.service.choices import (
    LIVE_REGISTRATION,
    ActivityEvent,
    ActivityStep,
    ClaimStatus,
    FlagKind,
    FlagStatus,
    PostKind,
    RecordStatus,
    RegistrationStatus,
    Shift,
    TeamKind,
)
from dangjian.service.models import (
    ActivityTask,
    ActivityTransition,
    Document,
    DutyShift,
    Flag,
    MemberRegistration,
    Post,
    PostClaim,
    RecordPhoto,
    ServiceRecord,
    TeamMembership,
    UnitRegistration,
    VolunteerActivity,
    VolunteerTeam,
)
from dangjian.service.selectors import unit_ids

MAX_RECORD_HOURS = Decimal("24")
MAX_SLOTS = 200
MAX_ROTA_DAYS = 92


# --- helpers ---------------------------------------------------------------------------


def _system(user: Any) -> bool:
    return user is None


def _is_self(user: Any, person_id: int | None) -> bool:
    return bool(user is not None and person_id and getattr(user, "person_id", None) == person_id)


def _require_community(node: Any) -> None:
    if node is None or node.level != "community":
        raise ValidationError({"community": "请选择报到的社区"})


def _require_staff(user: Any, action: str, obj: Any) -> None:
    """Staff of the tree over ``obj`` (re-checked inside the transaction)."""
    ensure_in_scope(user, action, obj)


def _reason(reason: str, what: str) -> str:
    text = (reason or "").strip()
    if not text:
        raise ValidationError({"reason": f"{what}须填写原因"})
    if len(text) > 200:
        raise ValidationError({"reason": "原因不能超过200字"})
    return text


def _clean_list(values: Sequence[str] | None, field: str, max_items: int = 20) -> list[str]:
    items = [str(v).strip() for v in (values or []) if str(v).strip()]
    if len(items) > max_items:
        raise ValidationError({field: f"最多填写{max_items}项"})
    if any(len(v) > 40 for v in items):
        raise ValidationError({field: "每项不超过40字"})
    return list(dict.fromkeys(items))


def _swap(model: Any, obj: Any, old: str, new: str, **changes: Any) -> None:
    """Compare-and-swap the status; 0 rows means someone else changed it first."""
    won = model.objects.filter(pk=obj.pk, status=old).update(status=new, **changes)
    if not won:
        raise ValidationError({"status": "该记录已被他人处理，请刷新后重试"})
    obj.refresh_from_db()


# --- 双报到: members -------------------------------------------------------------------


@transaction.atomic
def register_member(
    *, member: Any, community: Any, skills: Sequence[str] = (), note: str = "", acting_user: Any
) -> MemberRegistration:
    """An in-service member reports to the community where they live (在职党员到居住地社区报到)."""
    _require_community(community)
    if not (
        _system(acting_user) or _is_self(acting_user, member.person_id) or can(acting_user, "add", community)
    ):
        raise ScopeError("只能为本人报到")
    home_community = member.person.community_id
    if home_community and home_community != community.pk:
        raise ValidationError({"community": "党员须到居住地所在社区报到"})
    if MemberRegistration.objects.filter(member=member, status__in=LIVE_REGISTRATION).exists():
        raise ValidationError({"community": "您已有一条报到记录（待确认或已报到），如需更换请先结束原报到"})
    reg = MemberRegistration(
        member=member, node=community, skills=_clean_list(skills, "skills"), note=(note or "").strip()[:200]
    )
    reg.place(community)
    try:
        with transaction.atomic():
            reg.save()
    except IntegrityError:
        raise ValidationError({"community": "您已有一条报到记录（待确认或已报到）"}) from None
    audit.record(acting_user, "service.member.register", reg)
    _notify_community(reg, "党员报到待确认", f"{member.person.name} 申请到本社区报到")
    return reg


@transaction.atomic
def confirm_member_registration(*, registration: MemberRegistration, acting_user: Any) -> MemberRegistration:
    reg = MemberRegistration.objects.select_for_update().get(pk=registration.pk)
    _require_staff(acting_user, "change", reg)
    before = audit.snapshot(reg)
    _swap(
        MemberRegistration,
        reg,
        RegistrationStatus.PENDING,
        RegistrationStatus.CONFIRMED,
        decided_by=acting_user,
        decided_at=timezone.now(),
    )
    audit.record(acting_user, "service.member.confirm", reg, before=before)
    _notify_person(reg.member.person, "报到已确认", f"您已到{reg.node.name}报到", key=f"svc-mreg-{reg.pk}")
    return reg


@transaction.atomic
def reject_member_registration(
    *, registration: MemberRegistration, reason: str, acting_user: Any
) -> MemberRegistration:
    text = _reason(reason, "退回报到")
    reg = MemberRegistration.objects.select_for_update().get(pk=registration.pk)
    _require_staff(acting_user, "change", reg)
    before = audit.snapshot(reg)
    _swap(
        MemberRegistration,
        reg,
        RegistrationStatus.PENDING,
        RegistrationStatus.REJECTED,
        decided_by=acting_user,
        decided_at=timezone.now(),
        reason=text,
    )
    audit.record(acting_user, "service.member.reject", reg, before=before)
    _notify_person(reg.member.person, "报到被退回", text, key=f"svc-mreg-{reg.pk}")
    return reg


@transaction.atomic
def end_member_registration(
    *, registration: MemberRegistration, reason: str, acting_user: Any
) -> MemberRegistration:
    """End a confirmed (or withdraw a pending) registration: by the member or the community.

    The member's active post claims there end with it.
    """
    text = _reason(reason, "结束报到")
    reg = MemberRegistration.objects.select_for_update().get(pk=registration.pk)
    if not (_system(acting_user) or _is_self(acting_user, reg.member.person_id)):
        _require_staff(acting_user, "change", reg)
    if reg.status not in LIVE_REGISTRATION:
        raise ValidationError({"status": "该报到已结束或已退回"})
    before = audit.snapshot(reg)
    _swap(MemberRegistration, reg, reg.status, RegistrationStatus.ENDED, ended_at=timezone.now(), reason=text)
    for claim in PostClaim.objects.filter(
        member=reg.member, status=ClaimStatus.ACTIVE, post__community_id=reg.node_id
    ):
        _release(claim, acting_user)
    audit.record(acting_user, "service.member.end", reg, before=before)
    return reg


# --- 双报到: units ---------------------------------------------------------------------


def _may_act_for_unit(user: Any, unit: Any, community: Any) -> bool:
    return _system(user) or unit.pk in unit_ids(user) or can(user, "add", community)


@transaction.atomic
def register_unit(
    *,
    unit: Any,
    community: Any,
    contact_name: str,
    contact_phone: str,
    agreement: str = "",
    signed_on: date | None = None,
    resources: Sequence[str] = (),
    acting_user: Any,
) -> UnitRegistration:
    """A unit reports to the community where it stands (单位到驻地社区报到)."""
    _require_community(community)
    if not _may_act_for_unit(acting_user, unit, community):
        raise ScopeError("只能为本单位报到")
    if unit.community_id and unit.community_id != community.pk:
        raise ValidationError({"community": "单位须到驻地所在社区报到"})
    errors: dict[str, str] = {}
    name = (contact_name or "").strip()
    if not name or len(name) > 50:
        errors["contact_name"] = "请填写联系人姓名（50字以内）"
    phone = crypto.normalise_phone(contact_phone or "")
    if not (crypto.is_valid_phone(phone) or crypto.LANDLINE_RE.match(phone)):
        errors["contact_phone"] = "联系电话格式不正确"
    if len(agreement or "") > 5000:
        errors["agreement"] = "共建协议不超过5000字"
    if errors:
        raise ValidationError(errors)
    if UnitRegistration.objects.filter(unit=unit, node=community, status__in=LIVE_REGISTRATION).exists():
        raise ValidationError({"community": "本单位已向该社区报到（待确认或已报到）"})
    sealed = crypto.seal("phone", phone)
    reg = UnitRegistration(
        unit=unit,
        node=community,
        contact_name=name,
        contact_phone_enc=sealed.enc,
        contact_phone_hash=sealed.hash,
        contact_phone_masked=sealed.masked,
        agreement=(agreement or "").strip(),
        signed_on=signed_on,
        resources=_clean_list(resources, "resources"),
        applied_by=acting_user if getattr(acting_user, "pk", None) else None,
    )
    reg.place(community)
    try:
        with transaction.atomic():
            reg.save()
    except IntegrityError:
        raise ValidationError({"community": "本单位已向该社区报到（待确认或已报到）"}) from None
    audit.record(acting_user, "service.unit.register", reg)
    _notify_community(reg, "单位报到待确认", f"{unit.name} 申请到本社区报到")
    return reg


def _decide_unit(reg_pk: int, new: str, acting_user: Any, reason: str = "") -> UnitRegistration:
    reg = UnitRegistration.objects.select_for_update().get(pk=reg_pk)
    _require_staff(acting_user, "change", reg)
    before = audit.snapshot(reg)
    _swap(
        UnitRegistration,
        reg,
        RegistrationStatus.PENDING,
        new,
        decided_by=acting_user,
        decided_at=timezone.now(),
        reason=reason,
    )
    verb = "confirm" if new == RegistrationStatus.CONFIRMED else "reject"
    audit.record(acting_user, f"service.unit.{verb}", reg, before=before)
    return reg


@transaction.atomic
def confirm_unit_registration(*, registration: UnitRegistration, acting_user: Any) -> UnitRegistration:
    return _decide_unit(registration.pk, RegistrationStatus.CONFIRMED, acting_user)


@transaction.atomic
def reject_unit_registration(
    *, registration: UnitRegistration, reason: str, acting_user: Any
) -> UnitRegistration:
    return _decide_unit(
        registration.pk, RegistrationStatus.REJECTED, acting_user, _reason(reason, "退回报到")
    )


@transaction.atomic
def end_unit_registration(
    *, registration: UnitRegistration, reason: str, acting_user: Any
) -> UnitRegistration:
    text = _reason(reason, "结束报到")
    reg = UnitRegistration.objects.select_for_update().get(pk=registration.pk)
    if not (_system(acting_user) or reg.unit_id in unit_ids(acting_user)):
        _require_staff(acting_user, "change", reg)
    if reg.status not in LIVE_REGISTRATION:
        raise ValidationError({"status": "该报到已结束或已退回"})
    before = audit.snapshot(reg)
    _swap(UnitRegistration, reg, reg.status, RegistrationStatus.ENDED, ended_at=timezone.now(), reason=text)
    audit.record(acting_user, "service.unit.end", reg, before=before)
    return reg


MAX_DOC_BYTES = 10 * 1024 * 1024
DOC_EXTENSIONS = ("pdf", "doc", "docx", "xls", "xlsx", "jpg", "jpeg", "png")


@transaction.atomic
def add_document(
    *, registration: UnitRegistration, title: str, upload: Any = None, acting_user: Any
) -> Document:
    """文件清单: attach an agreement, letter or plan to a unit's registration."""
    reg = UnitRegistration.objects.select_for_update().get(pk=registration.pk)
    if not (_system(acting_user) or reg.unit_id in unit_ids(acting_user)):
        _require_staff(acting_user, "change", reg)
    text = (title or "").strip()
    if not text or len(text) > 120:
        raise ValidationError({"title": "请填写文件名称（120字以内）"})
    doc = Document(
        registration=reg, title=text, uploaded_by=acting_user if getattr(acting_user, "pk", None) else None
    )
    if upload is not None:
        ext = (getattr(upload, "name", "") or "").rsplit(".", 1)[-1].lower()
        if ext not in DOC_EXTENSIONS:
            raise ValidationError({"file": "只接受 PDF、Word、Excel 或图片文件"})
        if upload.size > MAX_DOC_BYTES:
            raise ValidationError({"file": "文件不能超过10 MB"})
        doc.file.save(f"{uuid.uuid4().hex}.{ext}", upload, save=False)
    doc.save()
    audit.record(acting_user, "service.document.add", doc)
    return doc


# --- posts, claims and rotas -----------------------------------------------------------


@transaction.atomic
def create_post(
    *,
    node: Any,
    kind: str,
    title: str = "",
    slots: int = 1,
    skills: Sequence[str] = (),
    description: str = "",
    acting_user: Any,
) -> Post:
    """Open a post of the catalogue in a community (or one of its compounds/buildings)."""
    errors: dict[str, str] = {}
    if kind not in PostKind.values:
        errors["kind"] = "岗位类别不正确"
    if node is None or node.level not in ("community", "grid", "compound", "building"):
        errors["node"] = "岗位须设在社区、网格、小区或楼栋"
    if not isinstance(slots, int) or not 1 <= slots <= MAX_SLOTS:
        errors["slots"] = f"名额须在1到{MAX_SLOTS}之间"
    if len(title or "") > 80:
        errors["title"] = "岗位名称不超过80字"
    if errors:
        raise ValidationError(errors)
    post = Post(
        node=node,
        kind=kind,
        title=(title or "").strip() or PostKind(kind).label,
        slots=slots,
        skills=_clean_list(skills, "skills"),
        description=(description or "").strip()[:2000],
        created_by=acting_user if getattr(acting_user, "pk", None) else None,
    )
    post.place(node)
    if not post.community_id:
        raise ValidationError({"node": "岗位须设在某个社区之内"})
    post.save()
    _require_staff(acting_user, "add", post)
    audit.record(acting_user, "service.post.create", post)
    return post


@transaction.atomic
def change_post_slots(*, post: Post, slots: int, acting_user: Any) -> Post:
    post = Post.objects.select_for_update().get(pk=post.pk)
    _require_staff(acting_user, "change", post)
    if not isinstance(slots, int) or not 1 <= slots <= MAX_SLOTS:
        raise ValidationError({"slots": f"名额须在1到{MAX_SLOTS}之间"})
    if slots < post.taken:
        raise ValidationError({"slots": f"已有{post.taken}人在岗，名额不能少于在岗人数"})
    before = audit.snapshot(post)
    Post.objects.filter(pk=post.pk).update(slots=slots)
    post.refresh_from_db()
    audit.record(acting_user, "service.post.slots", post, before=before)
    return post


@transaction.atomic
def claim_post(*, post: Post, member: Any, acting_user: Any) -> PostClaim:
    """A member claims a post (认岗). Never more claims than slots, even when racing.

    The seat is taken by one conditional ``UPDATE … SET taken = taken + 1 WHERE taken <
    slots``: of two members racing for the last slot exactly one row is updated.
    """
    if not (_system(acting_user) or _is_self(acting_user, member.person_id)):
        post_in_scope = Post.objects.restrict(acting_user, "change").filter(pk=post.pk).exists()
        if not post_in_scope:
            raise ScopeError("只能本人认领岗位")
    post = Post.objects.get(pk=post.pk)
    if not post.active:
        raise ValidationError({"post": "该岗位已停止认领"})
    if not MemberRegistration.objects.filter(
        member=member, node=post.community, status=RegistrationStatus.CONFIRMED
    ).exists():
        raise ValidationError({"post": "须先到该社区报到并经社区确认，才能认领岗位"})
    if PostClaim.objects.filter(post=post, member=member, status=ClaimStatus.ACTIVE).exists():
        raise ValidationError({"post": "您已认领该岗位"})
    won = Post.objects.filter(pk=post.pk, taken__lt=F("slots")).update(taken=F("taken") + 1)
    if not won:
        raise ValidationError({"post": "该岗位名额已满"})
    try:
        with transaction.atomic():
            claim = PostClaim.objects.create(post=post, member=member)
    except IntegrityError:
        raise ValidationError({"post": "您已认领该岗位"}) from None
    audit.record(acting_user, "service.post.claim", claim)
    return claim


def _release(claim: PostClaim, acting_user: Any) -> None:
    won = PostClaim.objects.filter(pk=claim.pk, status=ClaimStatus.ACTIVE).update(
        status=ClaimStatus.RELEASED, released_at=timezone.now()
    )
    if won:
        Post.objects.filter(pk=claim.post_id).update(taken=F("taken") - 1)
        DutyShift.objects.filter(
            post_id=claim.post_id, member_id=claim.member_id, day__gte=timezone.localdate()
        ).delete()
        claim.refresh_from_db()
        audit.record(acting_user, "service.post.release", claim)


@transaction.atomic
def release_claim(*, claim: PostClaim, acting_user: Any) -> PostClaim:
    """Leave a post (退岗): by the member or community staff; future rota turns go with it."""
    if not (_system(acting_user) or _is_self(acting_user, claim.member.person_id)):
        _require_staff(acting_user, "change", claim.post)
    if claim.status != ClaimStatus.ACTIVE:
        raise ValidationError({"claim": "已退岗"})
    _release(claim, acting_user)
    return claim


@transaction.atomic
def generate_rota(
    *,
    post: Post,
    start: date,
    days: int,
    shifts: Sequence[str] = (Shift.DAY,),
    every: int = 1,
    acting_user: Any,
) -> list[DutyShift]:
    """Rotation generator (红管家轮流值班): the post's members take turns, round robin.

    Turns already in the period are replaced; members are ordered by claim time so a
    newcomer joins the end of the queue.
    """
    post = Post.objects.select_for_update().get(pk=post.pk)
    _require_staff(acting_user, "change", post)
    errors: dict[str, str] = {}
    if not 1 <= days <= MAX_ROTA_DAYS:
        errors["days"] = f"排班天数须在1到{MAX_ROTA_DAYS}之间"
    if not 1 <= every <= 7:
        errors["every"] = "间隔天数须在1到7之间"
    if not shifts or any(s not in Shift.values for s in shifts):
        errors["shifts"] = "请选择班次"
    members = list(
        PostClaim.objects.filter(post=post, status=ClaimStatus.ACTIVE)
        .order_by("claimed_at", "id")
        .values_list("member_id", flat=True)
    )
    if not members:
        errors["post"] = "该岗位还没有人认领，无法排班"
    if errors:
        raise ValidationError(errors)
    end = start + timedelta(days=days)
    DutyShift.objects.filter(post=post, day__gte=start, day__lt=end).delete()
    turns: list[DutyShift] = []
    i = 0
    for offset in range(0, days, every):
        day = start + timedelta(days=offset)
        for shift in dict.fromkeys(shifts):
            turns.append(DutyShift(post=post, member_id=members[i % len(members)], day=day, shift=shift))
            i += 1
    DutyShift.objects.bulk_create(turns)
    audit.record(
        acting_user,
        "service.rota.generate",
        post,
        after={"start": start.isoformat(), "days": days, "shifts": list(shifts), "turns": len(turns)},
    )
    return turns


# --- volunteer teams -------------------------------------------------------------------


@transaction.atomic
def create_team(
    *,
    node: Any,
    name: str,
    kind: str,
    badge: str = "",
    leader: Any = None,
    unit: Any = None,
    description: str = "",
    acting_user: Any,
) -> VolunteerTeam:
    errors: dict[str, str] = {}
    text = (name or "").strip()
    if not text or len(text) > 80:
        errors["name"] = "请填写队名（80字以内）"
    if kind not in TeamKind.values:
        errors["kind"] = "服务队类型不正确"
    if badge not in ("red_hat", "red_vest", ""):
        errors["badge"] = "标识不正确"
    if errors:
        raise ValidationError(errors)
    team = VolunteerTeam(
        node=node, name=text, kind=kind, badge=badge, leader=leader, unit=unit, description=description[:200]
    )
    team.place(node)
    if not team.community_id:
        raise ValidationError({"node": "服务队须属于某个社区"})
    team.save()
    _require_staff(acting_user, "add", team)
    if leader is not None:
        TeamMembership.objects.create(team=team, person=leader)
    audit.record(acting_user, "service.team.create", team)
    return team


@transaction.atomic
def join_team(*, team: VolunteerTeam, person: Any, acting_user: Any) -> TeamMembership:
    """A person joins a team: themselves, or added by the team leader or community staff."""
    if not (
        _system(acting_user) or _is_self(acting_user, person.pk) or _is_self(acting_user, team.leader_id)
    ):
        _require_staff(acting_user, "change", team)
    membership, created = TeamMembership.objects.get_or_create(team=team, person=person)
    if not created and membership.active:
        raise ValidationError({"person": f"{person.name} 已是队员"})
    if not created:
        membership.active = True
        membership.save(update_fields=["active"])
    audit.record(acting_user, "service.team.join", team, after={"person": person.pk})
    return membership


@transaction.atomic
def leave_team(*, team: VolunteerTeam, person: Any, acting_user: Any) -> None:
    if not (
        _system(acting_user) or _is_self(acting_user, person.pk) or _is_self(acting_user, team.leader_id)
    ):
        _require_staff(acting_user, "change", team)
    if team.leader_id == person.pk:
        raise ValidationError({"person": "队长不能退出，请先更换队长"})
    won = TeamMembership.objects.filter(team=team, person=person, active=True).update(active=False)
    if not won:
        raise ValidationError({"person": "不是该队队员"})
    audit.record(acting_user, "service.team.leave", team, after={"person": person.pk})


# --- the five steps of volunteer service ------------------------------------------------


@transaction.atomic
def collect_activity(
    *,
    node: Any,
    title: str,
    category: str,
    demand: str = "",
    starts_at: datetime | None = None,
    acting_user: Any,
) -> VolunteerActivity:
    """Step 1, 服务收集: a demand gathered by the community becomes an activity."""
    from dangjian.service.choices import ActivityCategory

    errors: dict[str, str] = {}
    text = (title or "").strip()
    if not text or len(text) > 120:
        errors["title"] = "请填写服务内容（120字以内）"
    if category not in ActivityCategory.values:
        errors["category"] = "请选择服务类别"
    if errors:
        raise ValidationError(errors)
    act = VolunteerActivity(
        node=node,
        title=text,
        category=category,
        demand=(demand or "").strip()[:2000],
        starts_at=starts_at,
        created_by=acting_user if getattr(acting_user, "pk", None) else None,
    )
    act.place(node)
    if not act.community_id:
        raise ValidationError({"node": "服务地点须在某个社区之内"})
    act.save()
    _require_staff(acting_user, "add", act)
    ActivityTransition.objects.create(
        activity=act,
        actor=acting_user if getattr(acting_user, "pk", None) else None,
        event="collect",
        from_state="",
        to_state=ActivityStep.COLLECTED,
    )
    audit.record(acting_user, "service.activity.collect", act)
    return act


def activity_actor_kinds(user: Any, activity: VolunteerActivity) -> set[str]:
    kinds: set[str] = set()
    if _system(user) or can(user, "change", activity):
        kinds.add("organiser")
    if activity.team is not None and _is_self(user, activity.team.leader_id):
        kinds.add("leader")
    return kinds


@transaction.atomic
def fire_activity(
    *,
    activity: VolunteerActivity,
    event: str,
    acting_user: Any,
    note: str = "",
    team: VolunteerTeam | None = None,
    tasks: Sequence[tuple[str, Any]] = (),
    people_served: int | None = None,
) -> VolunteerActivity:
    """Move an activity one step (分配 needs ``team``; 分解 needs ``tasks``: (title, person))."""
    act = VolunteerActivity.objects.select_for_update(of=("self",)).select_related("team").get(pk=activity.pk)
    if event not in ActivityEvent.values:
        raise ValidationError({"event": "操作不正确"})
    try:
        target = workflow.check(act.status, event, activity_actor_kinds(acting_user, act))
    except workflow.TransitionError as exc:
        raise ValidationError({"event": str(exc)}) from None
    text = (note or "").strip()
    if event in workflow.NEEDS_NOTE and not text:
        raise ValidationError({"note": f"“{ActivityEvent(event).label}”须填写说明"})
    changes: dict[str, Any] = {}
    if event == ActivityEvent.ASSIGN:
        if team is None or team.community_id != act.community_id:
            raise ValidationError({"team": "请选择本社区的服务队"})
        changes["team"] = team
    if event == ActivityEvent.REASSIGN:
        changes["team"] = None
        ActivityTask.objects.filter(activity=act).delete()
    if event == ActivityEvent.DECOMPOSE:
        clean = [(str(t).strip(), p) for t, p in tasks if str(t).strip()]
        if not clean:
            raise ValidationError({"tasks": "请至少分解出一项任务"})
        if any(len(t) > 120 for t, _ in clean):
            raise ValidationError({"tasks": "每项任务不超过120字"})
        members = set(
            TeamMembership.objects.filter(team_id=act.team_id, active=True).values_list(
                "person_id", flat=True
            )
        )
        if any(p is not None and p.pk not in members for _, p in clean):
            raise ValidationError({"tasks": "任务只能分给本队队员"})
        ActivityTask.objects.bulk_create(ActivityTask(activity=act, title=t, assignee=p) for t, p in clean)
    if event == ActivityEvent.FEED_BACK:
        changes["feedback"] = text[:2000]
        if people_served is not None:
            if people_served < 0 or people_served > 100000:
                raise ValidationError({"people_served": "服务人数不正确"})
            changes["people_served"] = people_served
        ActivityTask.objects.filter(activity=act).update(done=True)
    before = audit.snapshot(act)
    old = act.status
    _swap(VolunteerActivity, act, old, target, **changes)
    ActivityTransition.objects.create(
        activity=act,
        actor=acting_user if getattr(acting_user, "pk", None) else None,
        event=event,
        from_state=old,
        to_state=target,
        note=text[:300],
    )
    audit.record(acting_user, f"service.activity.{event}", act, before=before)
    return act


# --- service records (纪实) -------------------------------------------------------------


def _hours_between(start: datetime, end: datetime) -> Decimal:
    return (Decimal((end - start).total_seconds()) / Decimal(3600)).quantize(Decimal("0.1"), ROUND_HALF_UP)


@transaction.atomic
def record_service(
    *,
    person: Any,
    node: Any,
    title: str,
    started_at: datetime,
    ended_at: datetime,
    hours: Decimal | None = None,
    place_text: str = "",
    photos: Sequence[Any] = (),
    post: Post | None = None,
    activity: VolunteerActivity | None = None,
    need_ref: str = "",
    acting_user: Any,
) -> ServiceRecord:
    """Record one service (纪实): by the person who served, or by community staff for them.

    Photos are checked and re-encoded without EXIF (``appeals.photos``), hashed, and the
    formalism guards run on the new record; their flags wait in the review queue.
    """
    from dangjian.appeals.photos import Prepared, prepare_images

    errors: dict[str, Any] = {}
    text = (title or "").strip()
    if not text or len(text) > 120:
        errors["title"] = "请填写服务内容（120字以内）"
    if started_at is None or ended_at is None:
        errors["started_at"] = "请填写开始和结束时间"
    elif ended_at <= started_at:
        errors["ended_at"] = "结束时间须晚于开始时间"
    elif ended_at > timezone.now() + timedelta(minutes=5):
        errors["ended_at"] = "不能记录尚未结束的服务"
    elif ended_at - started_at > timedelta(hours=24):
        errors["ended_at"] = "单次服务不超过24小时"
    if node is None:
        errors["node"] = "请选择服务社区"
    if not errors:
        span = _hours_between(started_at, ended_at)
        if hours is None:
            hours = span
        elif not Decimal("0") < Decimal(hours) <= span:
            errors["hours"] = f"服务时长须大于0且不超过起止时间（{span}小时）"
        if hours is not None and Decimal(hours) <= 0:
            errors["hours"] = "服务时长须大于0"
    ready: list[Prepared] = []
    try:
        ready = [p for p in photos if isinstance(p, Prepared)]
        ready += prepare_images([p for p in photos if not isinstance(p, Prepared)], already=len(ready))
    except ValidationError as exc:
        errors["photos"] = exc.message_dict.get("photos", exc.messages)
    if errors:
        raise ValidationError(errors)
    assert hours is not None
    member = getattr(person, "party_member", None) if hasattr(person, "party_member") else None
    record = ServiceRecord(
        person=person,
        member=member,
        unit_id=member.work_unit_id if member else None,
        branch_id=member.organization_id if member else None,
        post=post,
        activity=activity,
        need_ref=(need_ref or "")[:40],
        title=text,
        place_text=(place_text or "").strip()[:120],
        node=node,
        started_at=started_at,
        ended_at=ended_at,
        hours=Decimal(hours).quantize(Decimal("0.1"), ROUND_HALF_UP),
        created_by=acting_user if getattr(acting_user, "pk", None) else None,
    )
    record.place(node)
    if not record.community_id:
        raise ValidationError({"node": "服务地点须在某个社区之内"})
    record.save()
    if not (_system(acting_user) or _is_self(acting_user, person.pk)):
        _require_staff(acting_user, "add", record)
    stored: list[RecordPhoto] = []
    try:
        for p in ready:
            from io import BytesIO

            from PIL import Image

            with Image.open(BytesIO(p.content)) as im:
                h = guards.dhash(im)
            photo = RecordPhoto(record=record, dhash=h, width=p.width, height=p.height)
            photo.image.save(f"{uuid.uuid4().hex}.{p.ext}", ContentFile(p.content), save=False)
            photo.save()
            stored.append(photo)
    except Exception:
        for photo in stored:
            photo.image.delete(save=False)
        raise
    audit.record(acting_user, "service.record.create", record)
    run_guards(record)
    _notify_community(record, "服务纪实待核实", f"{person.name}：{text}")
    return record


@transaction.atomic
def verify_record(*, record: ServiceRecord, acting_user: Any) -> ServiceRecord:
    """The community verifies a record; points and time-bank hours are paid once."""
    rec = ServiceRecord.objects.select_for_update().get(pk=record.pk)
    _require_staff(acting_user, "change", rec)
    if rec.status != RecordStatus.SUBMITTED:
        raise ValidationError({"status": "该纪实不在待核实状态"})
    before = audit.snapshot(rec)
    _swap(
        ServiceRecord,
        rec,
        RecordStatus.SUBMITTED,
        RecordStatus.VERIFIED,
        verified_by=acting_user,
        verified_at=timezone.now(),
        return_reason="",
    )
    _pay(rec, acting_user)
    audit.record(acting_user, "service.record.verify", rec, before=before)
    _notify_person(rec.person, "服务纪实已核实", f"{rec.title}（{rec.hours}小时）", key=f"svc-rec-{rec.pk}")
    return rec


def _pay(rec: ServiceRecord, acting_user: Any) -> None:
    """Pay the record's points and time-bank hours through ``points`` (keyed on the record,
    so paying twice pays once). A refusal of the ledger (budget used up, yearly cap) does not
    undo the verification: the reason is kept on the record and :func:`retry_reward` pays
    later."""
    error = ""
    try:
        with transaction.atomic():
            paid = _award(rec, acting_user)
    except ValidationError as exc:
        paid, error = False, "；".join(exc.messages)[:200]
    if not paid and not error:
        error = "积分模块未启用"
    ServiceRecord.objects.filter(pk=rec.pk).update(rewarded=paid, reward_error=error)
    rec.rewarded, rec.reward_error = paid, error


def _award(record: ServiceRecord, acting_user: Any) -> bool:
    try:
        from dangjian.points import actions as points_actions
    except ImportError:
        return False
    award = getattr(points_actions, "award", None)
    earn_hours = getattr(points_actions, "earn_hours", None)
    if award is None or earn_hours is None:
        return False
    award(
        rule="service_hour",
        person=record.person,
        source=record,
        quantity=record.hours,
        acting_user=acting_user,
    )
    earn_hours(person=record.person, source=record, hours=record.hours, acting_user=acting_user)
    return True


@transaction.atomic
def retry_reward(*, record: ServiceRecord, acting_user: Any) -> ServiceRecord:
    """Pay a verified record whose points were refused before (e.g. once a budget is set)."""
    rec = ServiceRecord.objects.select_for_update().get(pk=record.pk)
    _require_staff(acting_user, "change", rec)
    if rec.status != RecordStatus.VERIFIED:
        raise ValidationError({"status": "只能为已核实的纪实补记积分"})
    if rec.rewarded:
        return rec
    _pay(rec, acting_user)
    audit.record(acting_user, "service.record.reward", rec)
    return rec


@transaction.atomic
def return_record(*, record: ServiceRecord, reason: str, acting_user: Any) -> ServiceRecord:
    text = _reason(reason, "退回纪实")
    rec = ServiceRecord.objects.select_for_update().get(pk=record.pk)
    _require_staff(acting_user, "change", rec)
    before = audit.snapshot(rec)
    if rec.status != RecordStatus.SUBMITTED:
        raise ValidationError({"status": "该纪实不在待核实状态"})
    _swap(ServiceRecord, rec, RecordStatus.SUBMITTED, RecordStatus.RETURNED, return_reason=text)
    audit.record(acting_user, "service.record.return", rec, before=before)
    _notify_person(rec.person, "服务纪实被退回", text, key=f"svc-rec-{rec.pk}")
    return rec


@transaction.atomic
def rate_record(*, record: ServiceRecord, rating: int, note: str = "", acting_user: Any) -> ServiceRecord:
    """评价清单: the community rates a verified service (1–5 stars) on behalf of those served."""
    rec = ServiceRecord.objects.select_for_update().get(pk=record.pk)
    _require_staff(acting_user, "change", rec)
    if rec.status != RecordStatus.VERIFIED:
        raise ValidationError({"rating": "只能评价已核实的服务"})
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        raise ValidationError({"rating": "评价须为1到5星"})
    before = audit.snapshot(rec)
    ServiceRecord.objects.filter(pk=rec.pk).update(rating=rating, rating_note=(note or "").strip()[:200])
    rec.refresh_from_db()
    audit.record(acting_user, "service.record.rate", rec, before=before)
    return rec


# --- guards against formalism -----------------------------------------------------------


def _span(r: Any) -> guards.Span:
    return guards.Span(r.pk, timezone.localtime(r.started_at), timezone.localtime(r.ended_at), r.hours)


def _flag(
    kind: str, key: str, record: ServiceRecord, reason: str, other: ServiceRecord | None = None
) -> Flag | None:
    flag = Flag(
        kind=kind, key=key[:80], record=record, other=other, person_id=record.person_id, reason=reason[:300]
    )
    flag.place(record)
    try:
        with transaction.atomic():
            flag.save()
    except IntegrityError:
        return None  # already flagged
    audit.record(None, "service.flag.raise", flag)
    return flag


def run_guards(record: ServiceRecord) -> list[Flag]:
    """Check a new record against the person's others and every stored photo."""
    flags: list[Flag] = []
    live = ServiceRecord.objects.exclude(status=RecordStatus.RETURNED).exclude(pk=record.pk)
    # (3) overlapping service times for one person
    mine = live.filter(
        person_id=record.person_id, started_at__lt=record.ended_at, ended_at__gt=record.started_at
    )
    for other in guards.overlapping(_span(record), [_span(r) for r in mine]):
        o = next(r for r in mine if r.pk == other.id)
        f = _flag(
            FlagKind.OVERLAP,
            f"overlap:{min(record.pk, o.pk)}:{max(record.pk, o.pk)}",
            record,
            f"与纪实“{o.title}”（{timezone.localtime(o.started_at):%m-%d %H:%M}起）时间重叠",
            o,
        )
        if f:
            flags.append(f)
    # (2) month-end burst of hours for one person
    local = timezone.localtime(record.started_at)
    month_start = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    month_end = (month_start + timedelta(days=32)).replace(day=1)
    month = list(
        live.filter(person_id=record.person_id, started_at__gte=month_start, started_at__lt=month_end)
    )
    burst = guards.month_end_burst([_span(r) for r in [*month, record]])
    if burst and guards.is_month_end(local.date()):
        tail, total = burst
        f = _flag(
            FlagKind.MONTH_END_BURST,
            f"burst:{record.person_id}:{local:%Y%m}",
            record,
            f"{local:%Y年%m月}最后{guards.BURST_DAYS}天记时{tail}小时，占当月{total}小时的"
            f"{int(tail * 100 / total)}%",
        )
        if f:
            flags.append(f)
    # (1) the same photo reused across records
    new_hashes = list(RecordPhoto.objects.filter(record=record).values_list("dhash", flat=True))
    if new_hashes:
        seen: set[int] = set()
        for other_id, h in (
            RecordPhoto.objects.exclude(record=record).values_list("record_id", "dhash").iterator()
        ):
            if other_id in seen:
                continue
            if any(guards.same_photo(h, mine_h) for mine_h in new_hashes):
                seen.add(other_id)
                o = ServiceRecord.objects.get(pk=other_id)
                f = _flag(
                    FlagKind.PHOTO_REUSE,
                    f"photo:{min(record.pk, other_id)}:{max(record.pk, other_id)}",
                    record,
                    f"照片与{o.person.name}的纪实“{o.title}”中的照片相同或高度相似",
                    o,
                )
                if f:
                    flags.append(f)
    return flags


@transaction.atomic
def review_flag(*, flag: Flag, confirm: bool, note: str = "", acting_user: Any) -> Flag:
    """A reviewer confirms the problem (the record is returned if still pending) or clears it."""
    f = Flag.objects.select_for_update().get(pk=flag.pk)
    _require_staff(acting_user, "change", f)
    text = (note or "").strip()
    if confirm and not text:
        raise ValidationError({"note": "确认存在问题须填写复核意见"})
    before = audit.snapshot(f)
    new = FlagStatus.CONFIRMED if confirm else FlagStatus.CLEARED
    won = Flag.objects.filter(pk=f.pk, status=FlagStatus.OPEN).update(
        status=new, reviewed_by=acting_user, reviewed_at=timezone.now(), review_note=text[:200]
    )
    if not won:
        raise ValidationError({"status": "该预警已复核"})
    f.refresh_from_db()
    audit.record(acting_user, "service.flag.confirm" if confirm else "service.flag.clear", f, before=before)
    if confirm and f.record.status == RecordStatus.SUBMITTED:
        return_record(record=f.record, reason=f"预警复核：{text}", acting_user=acting_user)
    return f


# --- notifications (after commit) --------------------------------------------------------


def _notify_person(person: Any, title: str, body: str, *, key: str) -> None:
    person_id = person.pk

    def send() -> None:
        from dangjian.accounts.models import User
        from dangjian.notifications.actions import notify

        users = list(User.objects.filter(person_id=person_id, is_active=True))
        if users:
            notify(
                users=users,
                kind="service.person",
                title=title,
                body=body,
                url="/service/",
                dedupe_key=f"{key}-{title}",
            )

    transaction.on_commit(send, robust=True)


def _notify_community(obj: Any, title: str, body: str) -> None:
    community_id = obj.community_id
    key = f"svc-{obj._meta.model_name}-{obj.pk}"

    def send() -> None:
        from dangjian.accounts.models import User
        from dangjian.notifications.actions import notify

        users = list(
            User.objects.filter(
                assignments__role="community_worker",
                assignments__node_id=community_id,
                assignments__active=True,
            ).distinct()
        )
        if users:
            notify(
                users=users,
                kind="service.community",
                title=title,
                body=body,
                url="/service/queue/",
                dedupe_key=key,
            )

    transaction.on_commit(send, robust=True)
