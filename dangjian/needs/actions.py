"""Every write to needs: 群众点单 through 评价.

Each state change goes through :func:`_transition`: it checks the workflow table for the
actor, swaps the status with a compare-and-swap (0 rows → someone else won), records a
``NeedTransition`` row and an audit row; notifications go out after the commit.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from dangjian.core import audit, bounds
from dangjian.core.access import ScopeError, ensure_in_scope
from dangjian.needs import events, fairness, workflow
from dangjian.needs.access import actor_kinds, member_may_claim, unit_assignments
from dangjian.needs.choices import CLAIM_LOAD_STATES, SKILL_LABELS, Actor, ClaimerKind, Event, Kind, Status
from dangjian.needs.models import Need, NeedPhoto, NeedTransition

MAX_TITLE = 80
MAX_TEXT = 2000
MAX_COST = Decimal("1000000")
OWNER_EVENTS = frozenset({Event.WITHDRAW, Event.CONFIRM, Event.RETURN, Event.RATE})


# --- the transition primitive ---------------------------------------------------------


def _transition(
    need: Need, event: str, *, acting_user: Any, note: str = "", kinds: set[str] | None = None, **changes: Any
) -> Need:
    kinds = actor_kinds(acting_user, need) if kinds is None else kinds
    target = workflow.check(need.status, event, kinds)
    note = (note or "").strip()
    if event in workflow.NEEDS_REASON and not note:
        raise ValidationError({"note": f"“{Event(event).label}”须填写原因"})
    on_behalf = event in OWNER_EVENTS and Actor.RESIDENT not in kinds and Actor.PROXY in kinds
    before = audit.snapshot(need)
    won = Need.objects.filter(pk=need.pk, status=need.status).update(
        status=target, updated_at=timezone.now(), **changes
    )
    if not won:
        raise workflow.TransitionError("该心愿已被他人处理，请刷新后重试")
    from_state = need.status
    need.refresh_from_db()
    NeedTransition.objects.create(
        need=need,
        actor=acting_user if getattr(acting_user, "pk", None) else None,
        event=event,
        from_state=from_state,
        to_state=target,
        on_behalf=on_behalf,
        note=note,
    )
    audit.record(acting_user, f"needs.{event}" + (".on_behalf" if on_behalf else ""), need, before=before)
    pk = need.pk
    transaction.on_commit(lambda: events.need_changed(pk, event), robust=True)
    return need


def _lock(need: Need) -> Need:
    return Need.objects.select_for_update().get(pk=need.pk)


# --- 群众点单 -----------------------------------------------------------------------------


def _clean_skills(skills: Sequence[str] | None) -> list[str]:
    out = []
    for s in skills or []:
        if s not in SKILL_LABELS:
            raise ValidationError({"skills": f"服务类别“{s}”不存在"})
        if s not in out:
            out.append(s)
    return out


def _clean_cost(value: Any, field: str = "estimated_cost") -> Decimal:
    # bounds.parse_decimal refuses NaN and Infinity (a NaN passed quantize, then broke "<").
    amount = bounds.parse_decimal(value if value not in (None, "") else 0, lo=-MAX_COST, hi=MAX_COST * 10)
    if amount is None:
        raise ValidationError({field: "金额应为数字"})
    amount = amount.quantize(Decimal("0.01"))
    if amount < 0 or amount >= MAX_COST:
        raise ValidationError({field: "金额应在 0 到 100 万元之间"})
    return amount


def validate_need(*, kind: str, title: str, description: str, people_served: int) -> dict[str, str]:
    errors: dict[str, str] = {}
    if kind not in Kind.values:
        errors["kind"] = "类型不正确"
    title = (title or "").strip()
    if not title:
        errors["title"] = "请写下您的心愿或需求"
    elif len(title) > MAX_TITLE:
        errors["title"] = f"心愿不超过 {MAX_TITLE} 字"
    if len(description or "") > MAX_TEXT:
        errors["description"] = f"说明不超过 {MAX_TEXT} 字"
    if not 1 <= int(people_served or 0) <= 100000:
        errors["people_served"] = "受益人数应在 1 到 100000 之间"
    return errors


@transaction.atomic
def submit_need(
    *,
    kind: str,
    title: str,
    description: str = "",
    beneficiary: Any = None,
    node: Any = None,
    skills: Sequence[str] | None = None,
    estimated_cost: Any = 0,
    people_served: int = 1,
    elderly: bool = False,
    disabled: bool = False,
    photos: Sequence[Any] = (),
    acting_user: Any,
) -> Need:
    """A resident posts a need for themself, or staff post one for a resident (logged as
    acting for them) or a public need for a community."""
    from dangjian.appeals.photos import prepare_images

    errors = validate_need(kind=kind, title=title, description=description, people_served=people_served)
    clean_skills = _clean_skills(skills)
    cost = _clean_cost(estimated_cost)
    if beneficiary is None and kind != Kind.PUBLIC:
        errors["beneficiary"] = "请选择许愿群众"
    if beneficiary is None and node is None:
        errors["node"] = "公共需求须选择所在社区"
    if errors:
        raise ValidationError(errors)
    prepared = prepare_images(list(photos)) if photos else []
    own = bool(
        acting_user is not None and beneficiary is not None and acting_user.person_id == beneficiary.pk
    )
    today = timezone.localdate()
    need = Need(
        kind=kind,
        title=title.strip(),
        description=(description or "").strip(),
        skills=clean_skills,
        estimated_cost=cost,
        beneficiary=beneficiary,
        posted_by=acting_user if getattr(acting_user, "pk", None) else None,
        on_behalf=not own and beneficiary is not None,
        people_served=int(people_served),
    )
    if beneficiary is not None:
        need.place(beneficiary.home or beneficiary)
        resident = getattr(beneficiary, "resident", None) if hasattr(beneficiary, "resident") else None
        need.elderly = bool(elderly) or fairness.is_elderly(beneficiary.birth_date, today)
        need.disabled = bool(disabled) or fairness.has_disability_tag(resident.tags if resident else None)
    else:
        need.place(node)
        need.elderly, need.disabled = bool(elderly), bool(disabled)
    if need.community_id is None:
        raise ValidationError({"node": "须落在某个社区内（许愿人未登记住址）"})
    need.save()
    need.number = f"XY-{today:%Y%m%d}-{need.pk:05d}"
    need.save(update_fields=["number"])
    if not own and acting_user is not None:
        # Acting for someone else: only staff of that grid/community (re-checked in this transaction).
        kinds = actor_kinds(acting_user, need)
        if not kinds & {Actor.PROXY, Actor.REVIEWER}:
            raise ScopeError("超出您的管辖范围，操作未执行")
        ensure_in_scope(acting_user, "add", need)
    NeedTransition.objects.create(
        need=need,
        actor=need.posted_by,
        event="submit",
        from_state="",
        to_state=Status.SUBMITTED,
        on_behalf=need.on_behalf,
        note="代群众点单" if need.on_behalf else "",
    )
    audit.record(acting_user, "needs.submit" + (".on_behalf" if need.on_behalf else ""), need)
    _store_photos(need, prepared, "request", acting_user)
    pk = need.pk
    transaction.on_commit(lambda: events.need_changed(pk, "submit"), robust=True)
    return need


def _store_photos(need: Need, prepared: Sequence[Any], kind: str, acting_user: Any) -> list[NeedPhoto]:
    stored: list[NeedPhoto] = []
    try:
        for p in prepared:
            photo = NeedPhoto(
                need=need,
                kind=kind,
                width=p.width,
                height=p.height,
                uploaded_by=acting_user if getattr(acting_user, "pk", None) else None,
            )
            photo.image.save(f"{uuid.uuid4().hex}.{p.ext}", ContentFile(p.content), save=False)
            photo.save()
            stored.append(photo)
            audit.record(acting_user, "needs.photo", photo)
    except Exception:
        for photo in stored:
            photo.image.delete(save=False)
        raise
    return stored


# --- 社区审核 -----------------------------------------------------------------------------


@transaction.atomic
def publish_need(need: Need, *, acting_user: Any, note: str = "") -> Need:
    need = _lock(need)
    return _transition(need, Event.PUBLISH, acting_user=acting_user, note=note, published_at=timezone.now())


@transaction.atomic
def reject_need(need: Need, *, reason: str, acting_user: Any) -> Need:
    need = _lock(need)
    return _transition(
        need, Event.REJECT, acting_user=acting_user, note=reason, closure_reason=reason.strip()[:300]
    )


@transaction.atomic
def withdraw_need(need: Need, *, reason: str, acting_user: Any) -> Need:
    need = _lock(need)
    return _transition(
        need, Event.WITHDRAW, acting_user=acting_user, note=reason, closure_reason=reason.strip()[:300]
    )


@transaction.atomic
def cancel_need(need: Need, *, reason: str, acting_user: Any) -> Need:
    need = _lock(need)
    return _transition(
        need, Event.CANCEL, acting_user=acting_user, note=reason, closure_reason=reason.strip()[:300]
    )


# --- 支部下单 -----------------------------------------------------------------------------


@transaction.atomic
def order_need(
    need: Need, *, branch: Any, directed_member: Any = None, acting_user: Any, note: str = ""
) -> Need:
    """A party branch takes the need up (支部下单), optionally directing it to one member."""
    need = _lock(need)
    if branch is None:
        raise ValidationError({"branch": "请选择下单的党组织"})
    if branch.street_id != need.street_id:
        raise ValidationError({"branch": "只能由本街道的党组织下单"})
    if directed_member is not None and not member_may_claim(directed_member, need):
        raise ValidationError({"directed_member": "定向的党员不在本社区/街道报到"})
    text = note or (f"定向：{directed_member.person.name}" if directed_member is not None else "")
    return _transition(
        need,
        Event.ORDER,
        acting_user=acting_user,
        note=text,
        branch=branch,
        directed_member=directed_member,
    )


# --- 党员接单 -----------------------------------------------------------------------------


def open_claims_of_member(member: Any) -> int:
    return Need.objects.filter(claimed_member=member, status__in=CLAIM_LOAD_STATES).count()


def open_claims_of_unit(unit: Any) -> int:
    return Need.objects.filter(claimed_unit=unit, status__in=CLAIM_LOAD_STATES).count()


def _check_member_cap(member: Any) -> None:
    from dangjian.party.models import PartyMember

    # Lock the member row: two claims by the same person at once queue here.
    PartyMember.objects.select_for_update().filter(pk=member.pk).first()
    cap = fairness.max_open_claims()
    if open_claims_of_member(member) >= cap:
        raise ValidationError(
            {"claimer": f"{member.person.name}手上已有 {cap} 件未完成的心愿，请先完成后再接单"}
        )


def _check_unit_cap(unit: Any) -> None:
    from dangjian.units.models import Unit

    Unit.objects.select_for_update().filter(pk=unit.pk).first()
    cap = fairness.max_open_claims_unit()
    if open_claims_of_unit(unit) >= cap:
        raise ValidationError({"claimer": f"{unit.name}已有 {cap} 件未完成的心愿，请先完成后再接单"})


@transaction.atomic
def claim_need(need: Need, *, acting_user: Any, unit: Any = None, note: str = "") -> Need:
    """A free claim off the wall (党员接单): by the acting member, or for ``unit`` by its liaison."""
    need = _lock(need)
    kinds = actor_kinds(acting_user, need)
    if unit is not None:
        if not any(a.unit_id == unit.pk for a in unit_assignments(acting_user, need)):
            raise workflow.TransitionError("您不是该单位的联络员，不能代表该单位接单")
        workflow.check(need.status, Event.CLAIM, kinds)
        _check_unit_cap(unit)
        fields: dict[str, Any] = {
            "claimer_kind": ClaimerKind.UNIT,
            "claimed_unit": unit,
            "claimer_name": unit.name,
        }
    else:
        from dangjian.needs.access import member_of

        member = member_of(acting_user)
        if member is None:
            raise workflow.TransitionError("只有党员（或单位联络员代表单位）可以接单")
        workflow.check(need.status, Event.CLAIM, kinds)
        _check_member_cap(member)
        fields = {
            "claimer_kind": ClaimerKind.MEMBER,
            "claimed_member": member,
            "claimer_name": member.person.name,
            "branch": need.branch or member.organization,
        }
    return _transition(
        need,
        Event.CLAIM,
        acting_user=acting_user,
        kinds=kinds,
        note=note,
        claimed_by=acting_user,
        claimed_at=timezone.now(),
        assigned=False,
        **fields,
    )


@transaction.atomic
def assign_need(
    need: Need,
    *,
    acting_user: Any,
    member: Any = None,
    unit: Any = None,
    team_name: str = "",
    claimer_kind: str = "",
    note: str = "",
) -> Need:
    """The branch or the community assigns the need (指派接单) to a member, a unit, or a
    volunteer team / social organisation named by them."""
    need = _lock(need)
    workflow.check(need.status, Event.ASSIGN, actor_kinds(acting_user, need))
    fields: dict[str, Any]
    if member is not None:
        if not member_may_claim(member, need):
            raise ValidationError({"member": f"{member.person.name}不在本社区/街道报到，不能指派"})
        _check_member_cap(member)
        user = getattr(member.person, "user", None) if hasattr(member.person, "user") else None
        fields = {
            "claimer_kind": ClaimerKind.MEMBER,
            "claimed_member": member,
            "claimer_name": member.person.name,
            "claimed_by": user,
            "branch": need.branch or member.organization,
        }
    elif unit is not None:
        if unit.street_id != need.street_id:
            raise ValidationError({"unit": "只能指派本街道的驻区单位"})
        _check_unit_cap(unit)
        fields = {"claimer_kind": ClaimerKind.UNIT, "claimed_unit": unit, "claimer_name": unit.name}
    else:
        team_name = (team_name or "").strip()
        if claimer_kind not in (ClaimerKind.TEAM, ClaimerKind.SOCIAL) or not team_name:
            raise ValidationError({"member": "请选择接单的党员、单位，或填写志愿服务队/社会组织名称"})
        fields = {"claimer_kind": claimer_kind, "claimer_name": team_name[:120], "claimed_by": acting_user}
    return _transition(
        need,
        Event.ASSIGN,
        acting_user=acting_user,
        note=note or f"指派给{fields['claimer_name']}",
        claimed_at=timezone.now(),
        assigned=True,
        **fields,
    )


@transaction.atomic
def release_need(need: Need, *, reason: str, acting_user: Any) -> Need:
    """The claimer gives the need back (退单); it returns to the wall."""
    need = _lock(need)
    return _transition(
        need,
        Event.RELEASE,
        acting_user=acting_user,
        note=reason,
        claimer_kind="",
        claimed_member=None,
        claimed_unit=None,
        claimer_name="",
        claimed_by=None,
        claimed_at=None,
        assigned=False,
        directed_member=None,
    )


# --- 机关买单 -----------------------------------------------------------------------------


@transaction.atomic
def fund_need(need: Need, *, unit: Any, amount: Any, acting_user: Any, note: str = "") -> Need:
    """A unit pays for the need (机关买单); the amount is recorded (added to earlier funding)."""
    need = _lock(need)
    if unit is None:
        raise ValidationError({"unit": "请选择买单单位"})
    amount_d = _clean_cost(amount, "amount")
    if amount_d <= 0:
        raise ValidationError({"amount": "买单金额须大于 0"})
    kinds = actor_kinds(acting_user, need)
    if Actor.REVIEWER not in kinds and not any(
        a.unit_id == unit.pk for a in unit_assignments(acting_user, need)
    ):
        raise workflow.TransitionError("您不能代表该单位买单")
    if unit.street_id != need.street_id and Actor.REVIEWER not in kinds:
        raise ValidationError({"unit": "只能由本街道的单位买单"})
    if need.funder_unit_id and need.funder_unit_id != unit.pk:
        raise ValidationError({"unit": f"该心愿已由{need.funder_unit}买单"})
    return _transition(
        need,
        Event.FUND,
        acting_user=acting_user,
        kinds=kinds,
        note=note or f"{unit.name}买单 {amount_d} 元",
        funder_unit=unit,
        funded_amount=need.funded_amount + amount_d,
        funded_at=timezone.now(),
    )


# --- 完成、确认、评价 ----------------------------------------------------------------------


@transaction.atomic
def fulfil_need(need: Need, *, evidence: str, photos: Sequence[Any] = (), acting_user: Any) -> Need:
    """The claimer reports it done, with evidence (text, and photos checked and EXIF-stripped)."""
    from dangjian.appeals.photos import prepare_images

    need = _lock(need)
    evidence = (evidence or "").strip()
    if not evidence:
        raise ValidationError({"evidence": "请说明完成情况"})
    if len(evidence) > MAX_TEXT:
        raise ValidationError({"evidence": f"完成情况不超过 {MAX_TEXT} 字"})
    already = NeedPhoto.objects.filter(need=need, kind="evidence").count()
    prepared = prepare_images(list(photos), already=already) if photos else []
    need = _transition(
        need,
        Event.FULFIL,
        acting_user=acting_user,
        note=evidence,
        evidence=evidence,
        fulfilled_at=timezone.now(),
    )
    _store_photos(need, prepared, "evidence", acting_user)
    return need


@transaction.atomic
def return_need(need: Need, *, reason: str, acting_user: Any) -> Need:
    """Not done yet: back to the claimer."""
    need = _lock(need)
    return _transition(need, Event.RETURN, acting_user=acting_user, note=reason, fulfilled_at=None)


@transaction.atomic
def confirm_need(need: Need, *, acting_user: Any, note: str = "") -> Need:
    """The resident (or the grid worker for them, logged) confirms; the member earns points."""
    need = _lock(need)
    need = _transition(need, Event.CONFIRM, acting_user=acting_user, note=note, confirmed_at=timezone.now())
    if need.claimed_member_id:
        _award_points(need, acting_user)
    return need


def _award_points(need: Need, acting_user: Any) -> None:
    """圆梦微心愿 points for the member (paid once per need by the ledger's unique key). A
    refusal by the ledger (budget used up, yearly cap) does not undo the resident's
    confirmation: it is written on the timeline for the community to settle by hand."""
    from dangjian.points.actions import award

    assert need.claimed_member is not None
    try:
        with transaction.atomic():
            award(
                rule="wish_fulfilled", person=need.claimed_member.person, source=need, acting_user=acting_user
            )
    except ValidationError as exc:
        text = "；".join(exc.messages)
        NeedTransition.objects.create(
            need=need,
            actor=acting_user if getattr(acting_user, "pk", None) else None,
            event="points",
            from_state=need.status,
            to_state=need.status,
            note=f"积分未发放：{text}",
        )
        audit.record(acting_user, "needs.points_refused", need, after={"reason": text})


@transaction.atomic
def rate_need(need: Need, *, rating: int, comment: str = "", acting_user: Any) -> Need:
    need = _lock(need)
    try:
        stars = int(rating)
    except (TypeError, ValueError):
        raise ValidationError({"rating": "请选择 1 到 5 星"}) from None
    if not 1 <= stars <= 5:
        raise ValidationError({"rating": "请选择 1 到 5 星"})
    comment = (comment or "").strip()
    if len(comment) > 300:
        raise ValidationError({"rating_comment": "评价意见不超过 300 字"})
    return _transition(
        need, Event.RATE, acting_user=acting_user, note=comment, rating=stars, rating_comment=comment
    )


def fire_event(
    need: Need,
    *,
    event: str,
    acting_user: Any,
    note: str = "",
    branch: Any = None,
    member: Any = None,
    unit: Any = None,
    team_name: str = "",
    claimer_kind: str = "",
    amount: Any = None,
    evidence: str = "",
    rating: Any = None,
    photos: Sequence[Any] = (),
) -> Need:
    """One event by name, with its parameters (the need page and the API both call this)."""
    if event == Event.PUBLISH:
        return publish_need(need, acting_user=acting_user, note=note)
    if event == Event.REJECT:
        return reject_need(need, reason=note, acting_user=acting_user)
    if event == Event.WITHDRAW:
        return withdraw_need(need, reason=note, acting_user=acting_user)
    if event == Event.CANCEL:
        return cancel_need(need, reason=note, acting_user=acting_user)
    if event == Event.ORDER:
        return order_need(need, branch=branch, directed_member=member, acting_user=acting_user, note=note)
    if event == Event.CLAIM:
        return claim_need(need, acting_user=acting_user, unit=unit, note=note)
    if event == Event.ASSIGN:
        return assign_need(
            need,
            acting_user=acting_user,
            member=member,
            unit=unit,
            team_name=team_name,
            claimer_kind=claimer_kind,
            note=note,
        )
    if event == Event.RELEASE:
        return release_need(need, reason=note, acting_user=acting_user)
    if event == Event.FUND:
        return fund_need(need, unit=unit, amount=amount, acting_user=acting_user, note=note)
    if event == Event.FULFIL:
        return fulfil_need(need, evidence=evidence or note, photos=photos, acting_user=acting_user)
    if event == Event.RETURN:
        return return_need(need, reason=note, acting_user=acting_user)
    if event == Event.CONFIRM:
        return confirm_need(need, acting_user=acting_user, note=note)
    if event == Event.RATE:
        return rate_need(need, rating=rating, comment=note, acting_user=acting_user)
    raise ValidationError({"event": f"不支持的操作：{event}"})
