"""Every write to appeals: intake, the loop, whistles, merging.

Each transition goes through :func:`_transition`: it checks the workflow table for the
actor, swaps the status with a compare-and-swap (0 rows → someone else won), records a
``Transition`` row and an audit row, and keeps the ``CaseStat`` counters in the same
transaction.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from dangjian.appeals import categories, events, signals, stats, workflow
from dangjian.appeals.access import DISPATCHING_ROLES, actor_kinds
from dangjian.appeals.choices import (
    OPEN_STATES,
    PRIORITY_FACTOR,
    TIER_ORDER,
    Actor,
    Channel,
    Event,
    Priority,
    Rating,
    Status,
    TaskStatus,
    Tier,
)
from dangjian.appeals.models import (
    Case,
    CaseNote,
    CaseSequence,
    Category,
    Follower,
    Transition,
    Whistle,
    WhistleTask,
)
from dangjian.core import audit, crypto, rawsql, workcal
from dangjian.core.models import AuditEvent
from dangjian.territory import geo
from dangjian.territory.models import Node

MAX_TITLE = 120
MAX_TEXT = 5000


# --- numbering and deadlines -----------------------------------------------------------


def number_statement(day: Any) -> tuple[str, list[Any]]:
    """Readable, gap-free per day: BL-20261121-0001 (prefix from CASE_NUMBER_PREFIX).

    One upsert takes the day's next number (creating the day's row with 1) and RETURNs it
    as ``number``; the row stays locked until the transaction ends, so numbers are never
    skipped or shared (a failed intake gives its number back)."""
    prefix = getattr(settings, "CASE_NUMBER_PREFIX", "BL")
    table = CaseSequence._meta.db_table
    digits = "lpad(last::text, 4, '0')" if connection.vendor == "postgresql" else "printf('%%04d', last)"
    sql = (  # table name from the model
        f"INSERT INTO {table} (prefix, day, last) VALUES (%s, %s, 1) "  # noqa: S608
        f"ON CONFLICT (prefix, day) DO UPDATE SET last = {table}.last + 1 "
        f"RETURNING %s || CASE WHEN last < 10000 THEN {digits} ELSE CAST(last AS TEXT) END AS number"
    )
    return sql, [prefix, day, f"{prefix}-{day:%Y%m%d}-"]


def response_due(case: Case, start: datetime) -> datetime:
    hours = max(1, math.ceil(case.category.response_hours * PRIORITY_FACTOR[Priority(case.priority)]))
    return workcal.add_working_hours(start, hours)


def resolve_due(case: Case, start: datetime) -> datetime:
    days = max(1, math.ceil(case.category.resolve_days * PRIORITY_FACTOR[Priority(case.priority)]))
    return workcal.add_working_days(start, days)


# --- the transition primitive ---------------------------------------------------------


def _transition(case: Case, event: str, *, acting_user: Any, note: str = "", **changes: Any) -> Case:
    kinds = actor_kinds(acting_user, case)
    target = workflow.check(case.status, event, kinds)
    if event in workflow.NEEDS_REASON and not (note or "").strip():
        raise ValidationError({"note": f"“{Event(event).label}”须填写原因"})
    before = audit.snapshot(case)
    won = Case.objects.filter(pk=case.pk, status=case.status).update(
        status=target, updated_at=timezone.now(), **changes
    )
    if not won:
        raise workflow.TransitionError("该诉求已被他人处理，请刷新后重试")
    from_state = case.status
    case.refresh_from_db()
    row = Transition.objects.create(
        case=case,
        actor=acting_user if getattr(acting_user, "pk", None) else None,
        event=event,
        from_state=from_state,
        to_state=target,
        tier=case.tier,
        note=(note or "").strip(),
    )
    audit.record(acting_user, f"appeals.{event}", case, before=before)
    transaction.on_commit(lambda: events.case_changed(case.pk, event, row.pk), robust=True)
    return case


def _lock(case: Case) -> Case:
    return Case.objects.select_for_update().select_related("category", "handling_node").get(pk=case.pk)


# --- intake ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Submitted:
    case: Case
    created: bool  # False when the idempotency key had been seen: the earlier case is returned


def validate_submission(
    *,
    channel: str,
    category: Category | None,
    title: str,
    description: str,
    lng: float | None,
    lat: float | None,
    node: Node | None,
    idempotency_key: str,
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if channel not in Channel.values:
        errors["channel"] = "渠道不正确"
    if category is None or not category.active:
        errors["category"] = "请选择有效的诉求分类"
    elif category.enterprise != (channel == Channel.ENTERPRISE):
        errors["category"] = (
            "企业诉求请选择“服务企业马上办”的分类"
            if channel == Channel.ENTERPRISE
            else "该分类仅用于企业诉求"
        )
    if not (title or "").strip():
        errors["title"] = "请填写标题"
    elif len(title) > MAX_TITLE:
        errors["title"] = f"标题不超过 {MAX_TITLE} 字"
    if not (description or "").strip():
        errors["description"] = "请描述问题"
    elif len(description) > MAX_TEXT:
        errors["description"] = f"内容不超过 {MAX_TEXT} 字"
    if (lng is None) != (lat is None):
        errors["location"] = "经纬度须同时提供"
    elif lng is None and node is None:
        errors["location"] = "请在地图上选点，或由工作人员指定所在区域"
    if not idempotency_key or len(idempotency_key) > 80:
        errors["idempotency_key"] = "缺少幂等键（Idempotency-Key），或超过 80 个字符"
    return errors


def _placement(lng: float | None, lat: float | None, node: Node | None) -> tuple[Node, str, bool]:
    """The node a case is placed at, its tier, and whether it was located to a grid."""
    if lng is not None and lat is not None:
        where = geo.place_point(lng, lat)
        if where.grid_id:
            return geo.placement_node(where.grid_id), Tier.GRID, True
        if where.street_id:
            return geo.placement_node(where.street_id), Tier.STREET, False
        if where.county_id:
            return geo.placement_node(where.county_id), Tier.COUNTY, False
        raise ValidationError(
            {"location": "该位置不在本市范围内，无法受理。请确认选点，或拨打当地 12345 热线。"}
        )
    assert node is not None
    tier = {"grid": Tier.GRID, "compound": Tier.GRID, "community": Tier.COMMUNITY, "street": Tier.STREET}.get(
        node.level, Tier.COUNTY
    )
    if node.level == "compound" and node.parent is not None:
        node = node.parent
    return node, tier, node.level == "grid"


def may_set_priority(user: Any) -> bool:
    """Whether ``user`` may give a case a priority above 一般: the staff who triage and
    dispatch cases (city, street, community and grid staff), not residents, enterprises'
    liaisons or departments."""
    if getattr(user, "is_superuser", False):
        return True
    if not getattr(user, "is_authenticated", False) or getattr(user, "link_case_id", None) is not None:
        return False
    return any(a.role in DISPATCHING_ROLES for a in user.active_assignments())


def submit_case(
    *,
    channel: str,
    category: Category | None,
    title: str,
    description: str,
    idempotency_key: str,
    lng: float | None = None,
    lat: float | None = None,
    address: str = "",
    node: Node | None = None,
    priority: str = Priority.NORMAL,
    reporter: Any = None,
    anonymous: bool = False,
    contact_name: str = "",
    contact_phone: str = "",
    acting_user: Any,
) -> Submitted:
    """群众反映 / 信息收集: take a report. Safe to retry with the same idempotency key.

    A retry is recognised by the key's unique index when the case is written (no look-up
    before every intake), or, if its input no longer validates, before raising the error."""
    errors = validate_submission(
        channel=channel,
        category=category,
        title=title,
        description=description,
        lng=lng,
        lat=lat,
        node=node,
        idempotency_key=idempotency_key,
    )
    phone = crypto.normalise_phone(contact_phone)
    if phone and not crypto.is_valid_phone(phone):
        errors["contact_phone"] = "联系电话不正确"
    if priority not in Priority.values:
        errors["priority"] = "紧急程度不正确"
    elif priority != Priority.NORMAL and acting_user is not None and not may_set_priority(acting_user):
        # A resident's (or an enterprise's) report gets the ordinary priority, its deadlines
        # the category's; the staff who triage it raise it (set_priority).
        errors["priority"] = "紧急程度由受理的工作人员确定，提交时不能设置"
    if errors:
        earlier = Case.objects.filter(idempotency_key=idempotency_key).first() if idempotency_key else None
        if earlier is not None:
            return Submitted(_same_sender(earlier, acting_user), False)
        raise ValidationError(errors)
    assert category is not None
    # PostgreSQL writes the case as one statement, atomic by itself; a savepoint is needed
    # only inside a caller's transaction, so that a retry's key conflict does not abort it.
    one_statement = connection.vendor == "postgresql" and not connection.in_atomic_block
    try:
        with nullcontext() if one_statement else transaction.atomic():
            case = _create_case(
                channel=channel,
                category=category,
                title=title,
                description=description,
                idempotency_key=idempotency_key,
                lng=lng,
                lat=lat,
                address=address,
                node=node,
                priority=priority,
                reporter=reporter,
                anonymous=anonymous,
                contact_name=contact_name,
                phone=phone,
                acting_user=acting_user,
            )
    except IntegrityError:
        # A concurrent retry with the same key won the race: return its case.
        existing = Case.objects.filter(idempotency_key=idempotency_key).first()
        if existing is None:
            raise
        return Submitted(_same_sender(existing, acting_user), False)
    return Submitted(case, True)


class IdempotencyConflict(Exception):
    """The idempotency key was already used by another sender (API: 409)."""


def _same_sender(existing: Case, acting_user: Any) -> Case:
    """A retry gets its own earlier case back; a key someone else used reveals nothing."""
    sender = acting_user.pk if getattr(acting_user, "pk", None) else None
    if existing.reporter_user_id != sender:
        raise IdempotencyConflict("该幂等键已被其他提交使用，请更换后重试")
    return existing


def _create_case(
    *,
    channel: str,
    category: Category,
    title: str,
    description: str,
    idempotency_key: str,
    lng: float | None,
    lat: float | None,
    address: str,
    node: Node | None,
    priority: str,
    reporter: Any,
    anonymous: bool,
    contact_name: str,
    phone: str,
    acting_user: Any,
) -> Case:
    place, tier, located = _placement(lng, lat, node)
    now = timezone.now()
    today = timezone.localdate(now)
    top = categories.top_of(category)
    case = Case(
        channel=channel,
        category=category,
        top_category=top,
        priority=priority,
        title=title.strip(),
        description=description.strip(),
        reporter=reporter,
        reporter_user=acting_user if getattr(acting_user, "pk", None) else None,
        anonymous=anonymous,
        contact_name=contact_name.strip(),
        lng=lng,
        lat=lat,
        address=address.strip(),
        located=located,
        tier=tier,
        handling_node=place,
        idempotency_key=idempotency_key,
        received_on=today,
    )
    if phone:
        case.contact_phone_enc, case.contact_phone_masked = crypto.encrypt(phone), crypto.mask_phone(phone)
    case.place(place)
    _write_new_case(case, acting_user)
    return case


def _write_new_case(case: Case, acting_user: Any) -> None:
    """Write a new case with everything that comes with it — its number, the 提交 transition,
    the audit row, the received counters and what ``case_submitted`` listeners add — as ONE
    statement on PostgreSQL (data-modifying CTEs: one round trip, atomic by itself, the
    shared rows — the day's number and the city's counters — locked only for that statement
    and its commit), and as the same statements in order on SQLite. See bench/appeals_intake.py."""
    number_sql, number_params = number_statement(case.received_on)
    if connection.vendor == "postgresql":
        case.pk = _reserve_case_id()
        number = "(SELECT number FROM n)"  # what the first statement RETURNs
        first = rawsql.insert(case, exprs={"number": number})
        rows, after = _with_case(case, acting_user)
        statements = [first]
        for row in rows:
            if isinstance(row, AuditEvent):
                # Built while the number is still "": its repr (str(case)) and snapshot get
                # the number the statement takes.
                exprs = {
                    "object_repr": f"{number} || %s",
                    "after": f"jsonb_set(%s, '{{number}}', to_jsonb({number}))",
                }
                statements.append(rawsql.insert(row, exprs=exprs))
            else:
                statements.append(rawsql.insert(row))
        statements += stats.received_statements(case)
        sql, params = rawsql.as_one_statement(
            ("n", (number_sql, number_params)), statements, f"SELECT {number}"
        )
        case.number = rawsql.prepared(sql, params)[0][0]
    else:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(number_sql, number_params)
            case.number = cursor.fetchone()[0]
            cursor.execute(*rawsql.insert(case))
            case.pk = cursor.lastrowid
            rows, after = _with_case(case, acting_user)
            for row in rows:
                cursor.execute(*rawsql.insert(row))
            for statement in stats.received_statements(case):
                cursor.execute(*statement)
    case._state.adding = False
    for callback in after:
        callback()


def _with_case(case: Case, acting_user: Any) -> tuple[list[Any], list[Callable[[], Any]]]:
    """The rows written with a new case (its id set, the case's own statement built), and
    the callbacks ``case_submitted`` listeners ask for after the write."""
    rows: list[Any] = [
        Transition(
            case=case,
            actor=case.reporter_user,
            event="submit",
            from_state="",
            to_state=Status.SUBMITTED,
            tier=case.tier,
            note=Channel(case.channel).label,
        ),
        audit.event(acting_user, "appeals.submit", case),
    ]
    after: list[Callable[[], Any]] = []
    for _receiver, response in signals.case_submitted.send(Case, case_id=case.pk, case=case):
        if callable(response):
            after.append(response)
        elif response:
            rows.extend(response)
    return rows, after


def _reserve_case_id() -> int:
    """PostgreSQL: the next id of the case table's identity sequence, taken before the write
    so every row of the intake's one statement can name it (a failed intake leaves a gap in
    the ids, as any rolled-back insert does; numbers have none)."""
    return int(
        rawsql.prepared("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [Case._meta.db_table])[0][0]
    )


# --- 受理、派遣、签收、处置、核查、评价 --------------------------------------------------------


@transaction.atomic
def accept_case(case: Case, *, acting_user: Any, note: str = "") -> Case:
    case = _lock(case)
    now = timezone.now()
    first = case.accepted_at is None
    case = _transition(
        case,
        Event.ACCEPT,
        acting_user=acting_user,
        note=note,
        accepted_at=case.accepted_at or now,
        resolve_due=case.resolve_due or resolve_due(case, now),
    )
    if first:
        stats.bump(case, accepted=1)
    return case


@transaction.atomic
def set_priority(case: Case, *, priority: str, acting_user: Any) -> Case:
    """调整紧急程度: the staff dispatching the case at its current level change its priority.
    The 办结时限 already running is recomputed from the acceptance with the new factor; the
    签收时限 of a dispatch already made stays (the next dispatch uses the new priority)."""
    if priority not in Priority.values:
        raise ValidationError({"priority": "紧急程度不正确"})
    case = _lock(case)
    if Actor.DISPATCHER not in actor_kinds(acting_user, case):
        raise workflow.TransitionError("只有当前层级的受理派遣人员可以调整紧急程度")
    if case.status not in OPEN_STATES:
        raise workflow.TransitionError("该诉求已办结或关闭，不能调整紧急程度")
    if priority == case.priority:
        return case
    before = audit.snapshot(case)
    case.priority = priority
    changes: dict[str, Any] = {"priority": priority}
    if case.resolve_due is not None and case.accepted_at is not None:
        changes["resolve_due"] = resolve_due(case, case.accepted_at)
    Case.objects.filter(pk=case.pk).update(updated_at=timezone.now(), **changes)
    case.refresh_from_db()
    audit.record(acting_user, "appeals.set_priority", case, before=before)
    return case


@transaction.atomic
def reject_case(case: Case, *, reason: str, acting_user: Any) -> Case:
    case = _lock(case)
    return _transition(
        case, Event.REJECT, acting_user=acting_user, note=reason, closure_reason=reason.strip()
    )


def _tier_node(case: Case, tier: str) -> Node:
    node_id = getattr(case, f"{tier}_id")  # the case's own ancestor at that level
    if node_id is None:
        raise ValidationError({"tier": f"该诉求没有对应的{Tier(tier).label}"})
    return Node.objects.get(pk=node_id)


@transaction.atomic
def dispatch_case(
    case: Case,
    *,
    acting_user: Any,
    to_node: Node | None = None,
    to_unit: Any = None,
    to_user: Any = None,
    note: str = "",
) -> Case:
    """派遣 to a grid, community or street (``to_node``), a department (``to_unit``), or a person."""
    case = _lock(case)
    if to_node is None and to_unit is None and to_user is None:
        raise ValidationError({"to": "请选择派遣对象"})
    if (
        to_node is not None
        and getattr(to_node, f"{to_node.level}_id", None)
        and to_node.level in ("grid", "community", "street")
    ):
        if getattr(case, f"{to_node.level}_id") != to_node.pk:
            raise ValidationError({"to": "只能派遣到诉求所在的网格、社区或街道"})
    now = timezone.now()
    changes: dict[str, Any] = {
        "assignee_unit": to_unit,
        "assignee_user": to_user,
        "ack_due": response_due(case, now),
        "dispatched_at": case.dispatched_at or now,
    }
    if to_node is not None:
        changes["handling_node"] = to_node
        changes["tier"] = {"grid": Tier.GRID, "community": Tier.COMMUNITY, "street": Tier.STREET}.get(
            to_node.level, case.tier
        )
    first = case.dispatched_at is None
    case = _transition(case, Event.DISPATCH, acting_user=acting_user, note=note, **changes)
    if first:
        stats.bump(case, dispatched=1)
    return case


@transaction.atomic
def publish_case(case: Case, *, acting_user: Any, note: str = "") -> Case:
    """Publish for units and party members to claim (主动认领)."""
    case = _lock(case)
    return _transition(case, Event.PUBLISH, acting_user=acting_user, note=note)


@transaction.atomic
def claim_case(case: Case, *, acting_user: Any, note: str = "") -> Case:
    case = _lock(case)
    now = timezone.now()
    member = getattr(getattr(acting_user, "person", None), "party_member", None)
    unit_ids = [a.unit_id for a in acting_user.active_assignments() if a.unit_id]
    first = case.dispatched_at is None
    case = _transition(
        case,
        Event.CLAIM,
        acting_user=acting_user,
        note=note,
        assignee_user=acting_user,
        assignee_unit_id=unit_ids[0] if unit_ids else None,
        claimed_by_member=member,
        dispatched_at=case.dispatched_at or now,
        acknowledged_at=now,
        ack_on_time=True if first else case.ack_on_time,
    )
    if first:
        stats.bump(case, dispatched=1, ack_on_time=1)
    return case


@transaction.atomic
def acknowledge_case(case: Case, *, acting_user: Any, note: str = "") -> Case:
    """签收: the handler takes the case; on time if before the response deadline."""
    case = _lock(case)
    now = timezone.now()
    first_ack = case.ack_on_time is None
    on_time = case.ack_due is None or now <= case.ack_due
    case = _transition(
        case,
        Event.ACKNOWLEDGE,
        acting_user=acting_user,
        note=note,
        acknowledged_at=now,
        assignee_user=case.assignee_user or acting_user,
        ack_on_time=on_time if first_ack else case.ack_on_time,
    )
    if first_ack and on_time:
        stats.bump(case, ack_on_time=1)
    return case


@transaction.atomic
def send_back_case(case: Case, *, reason: str, acting_user: Any) -> Case:
    case = _lock(case)
    return _transition(
        case, Event.SEND_BACK, acting_user=acting_user, note=reason, assignee_user=None, assignee_unit=None
    )


def _upper(tier: str) -> str:
    i = TIER_ORDER.index(Tier(tier))
    return TIER_ORDER[min(i + 1, len(TIER_ORDER) - 1)]


@transaction.atomic
def escalate_case(case: Case, *, reason: str, acting_user: Any) -> Case:
    """上报: hand the case one level up (grid → community → street → county)."""
    case = _lock(case)
    up = _upper(case.tier)
    node = _tier_node(case, up)
    return _transition(
        case,
        Event.ESCALATE,
        acting_user=acting_user,
        note=reason,
        tier=up,
        handling_node=node,
        assignee_user=None,
        assignee_unit=None,
    )


@transaction.atomic
def add_progress(case: Case, *, text: str, acting_user: Any, public: bool = True) -> CaseNote:
    case = _lock(case)
    from dangjian.appeals.choices import Actor

    if case.status not in (Status.IN_PROGRESS, Status.WHISTLED) or not (
        actor_kinds(acting_user, case) & {Actor.HANDLER, Actor.STREET, Actor.DISPATCHER}
    ):
        raise workflow.TransitionError("只有承办人可在处置中填写进展")
    if not (text or "").strip():
        raise ValidationError({"text": "请填写进展说明"})
    note = CaseNote.objects.create(case=case, author=acting_user, text=text.strip(), public=public)
    audit.record(acting_user, "appeals.progress", note)
    return note


@transaction.atomic
def feedback_case(case: Case, *, result: str, acting_user: Any) -> Case:
    """处置反馈: the handler (or, after a whistle, the street) reports the result."""
    case = _lock(case)
    if not (result or "").strip():
        raise ValidationError({"result": "请填写处置结果"})
    first = case.handled_at is None
    case = _transition(case, Event.FEEDBACK, acting_user=acting_user, note=result, handled_at=timezone.now())
    if first:
        stats.bump(case, handled=1)
    return case


@transaction.atomic
def verify_case(case: Case, *, passed: bool, acting_user: Any, note: str = "") -> Case:
    """核查: pass (办结) or return for rework (返工)."""
    case = _lock(case)
    now = timezone.now()
    if not passed:
        first_rework = case.rework_count == 0
        case = _transition(
            case, Event.VERIFY_RETURN, acting_user=acting_user, note=note, rework_count=case.rework_count + 1
        )
        if first_rework:
            stats.bump(case, reworked=1)
        return case
    first_close = case.closed_at is None
    on_time = case.resolve_due is None or now <= case.resolve_due
    case = _transition(
        case,
        Event.VERIFY_PASS,
        acting_user=acting_user,
        note=note,
        closed_at=case.closed_at or now,
        closed_on_time=on_time if first_close else case.closed_on_time,
    )
    if first_close:
        stats.bump(case, closed=1, closed_on_time=int(on_time))
    return case


_RATING_COUNTER = {Rating.SATISFIED: "satisfied", Rating.BASIC: "basic", Rating.UNSATISFIED: "unsatisfied"}


@transaction.atomic
def rate_case(case: Case, *, rating: str, comment: str = "", acting_user: Any) -> Case:
    """评价. 不满意 reopens the case once, one level up."""
    if rating not in Rating.values:
        raise ValidationError({"rating": "请选择 满意 / 基本满意 / 不满意"})
    case = _lock(case)
    previous = case.rating
    case = _transition(
        case,
        Event.RATE,
        acting_user=acting_user,
        note=comment,
        rating=rating,
        rating_comment=comment.strip()[:300],
        rated_at=timezone.now(),
    )
    deltas = {_RATING_COUNTER[Rating(rating)]: 1}
    if previous:
        deltas[_RATING_COUNTER[Rating(previous)]] = deltas.get(_RATING_COUNTER[Rating(previous)], 0) - 1
    else:
        deltas["rated"] = 1
    stats.bump(case, **deltas)
    if rating == Rating.UNSATISFIED and case.reopen_count == 0:
        up = _upper(case.tier)
        case = _transition(
            case,
            Event.REOPEN,
            acting_user=None,
            note="反映人不满意，提级重办",
            tier=up,
            handling_node=_tier_node(case, up),
            assignee_user=None,
            assignee_unit=None,
            reopen_count=case.reopen_count + 1,
        )
    return case


@transaction.atomic
def close_case(
    case: Case, *, event: str, reason: str, acting_user: Any, merged_into: Case | None = None
) -> Case:
    """Closures that need a reason: duplicate (optionally merged), not ours, cancelled."""
    if event not in (Event.CLOSE_DUPLICATE, Event.CLOSE_NOT_OURS, Event.CANCEL):
        raise ValidationError({"event": "不支持的关闭方式"})
    case = _lock(case)
    return _transition(
        case,
        event,
        acting_user=acting_user,
        note=reason,
        closure_reason=(reason or "").strip(),
        merged_into=merged_into,
    )


@transaction.atomic
def recategorize_case(case: Case, *, category: Category, acting_user: Any, note: str = "") -> Case:
    """调整分类: a dispatcher confirms or corrects the category of an open case (e.g. taking
    the smart dispatch's suggestion). The counters move from the old top-level category's
    rows to the new one's in the same transaction; deadlines already set stay as they are.
    An internal note and an audit row record the change."""
    case = _lock(case)
    if acting_user is not None and Actor.DISPATCHER not in actor_kinds(acting_user, case):
        raise workflow.TransitionError("只有受理、派遣人员可以调整分类")
    if case.status not in OPEN_STATES:
        raise workflow.TransitionError(f"诉求当前为“{case.get_status_display()}”，不能再调整分类")
    if not category.active:
        raise ValidationError({"category": "请选择有效的诉求分类"})
    if category.enterprise != (case.channel == Channel.ENTERPRISE):
        raise ValidationError({"category": "企业诉求与群众诉求的分类不能互换"})
    if category.pk == case.category_id:
        return case
    before, old = audit.snapshot(case), case.category
    top = categories.top_of(category)
    if top.pk != case.top_category_id:
        stats.move_category(case, to_top_id=top.pk)
    Case.objects.filter(pk=case.pk).update(category=category, top_category=top, updated_at=timezone.now())
    case.category, case.top_category = category, top
    text = f"诉求分类由“{old.name}”调整为“{category.name}”" + (f"：{note.strip()}" if note.strip() else "")
    CaseNote.objects.create(
        case=case, author=acting_user if getattr(acting_user, "pk", None) else None, text=text, public=False
    )
    audit.record(acting_user, "appeals.recategorize", case, before=before)
    return case


@transaction.atomic
def merge_cases(duplicate: Case, *, into: Case, acting_user: Any) -> Case:
    """Merge a duplicate into the main case; its reporter follows the main case and gets the outcome."""
    if duplicate.pk == into.pk:
        raise ValidationError({"into": "不能并入自身"})
    if into.merged_into_id:
        raise ValidationError({"into": "目标诉求本身已被合并"})
    case = close_case(
        duplicate,
        event=Event.CLOSE_DUPLICATE,
        reason=f"与 {into.number} 为同一问题，已合并办理",
        acting_user=acting_user,
        merged_into=into,
    )
    if case.reporter_user_id:
        Follower.objects.get_or_create(
            case=into,
            user_id=case.reporter_user_id,
            defaults={"person_id": case.reporter_id, "via_merge": case},
        )
    Case.objects.filter(merged_into=case).update(merged_into=into)  # chains collapse onto the main case
    return case


@transaction.atomic
def follow_case(case: Case, *, acting_user: Any) -> Follower:
    """A resident follows an open case instead of filing a duplicate."""
    if case.status not in OPEN_STATES:
        raise workflow.TransitionError("该诉求已办结或关闭，无法关注")
    follower, created = Follower.objects.get_or_create(
        case=case, user=acting_user, defaults={"person_id": acting_user.person_id}
    )
    if created:
        audit.record(acting_user, "appeals.follow", follower)
    return follower


# --- 街道吹哨、部门报到 ----------------------------------------------------------------------


@dataclass(frozen=True)
class Summons:
    department: Any
    duty: str
    owner: Any = None


REPORT_IN_HOURS = 2  # working hours to report in after a whistle
TASK_DAYS = 3  # working days to finish a department task


@transaction.atomic
def whistle_case(case: Case, *, summons: list[Summons], reason: str, acting_user: Any) -> Whistle:
    """吹哨: the street convenes departments, each with its own task, owner and deadlines."""
    case = _lock(case)
    if not summons:
        raise ValidationError({"departments": "请至少选择一个报到部门"})
    if not (reason or "").strip():
        raise ValidationError({"reason": "请填写吹哨事由"})
    if case.street_id is None:
        raise ValidationError({"case": "该诉求不在任何街道范围内"})
    now = timezone.now()
    street = Node.objects.get(pk=case.street_id)
    case = _transition(
        case, Event.WHISTLE, acting_user=acting_user, note=reason, tier=Tier.STREET, handling_node=street
    )
    whistle = Whistle.objects.create(
        case=case,
        street=street,
        convened_by=acting_user if getattr(acting_user, "pk", None) else None,
        reason=reason.strip(),
    )
    for s in summons:
        if not (s.duty or "").strip():
            raise ValidationError({"duty": f"请填写{s.department}的任务"})
        WhistleTask.objects.create(
            whistle=whistle,
            department=s.department,
            owner=s.owner,
            duty=s.duty.strip(),
            report_due=workcal.add_working_hours(now, REPORT_IN_HOURS),
            due=workcal.add_working_days(now, TASK_DAYS),
        )
    audit.record(acting_user, "appeals.whistle", whistle)
    return whistle


def _is_department_user(user: Any, task: WhistleTask) -> bool:
    return user is not None and (
        task.owner_id == user.pk or any(a.unit_id == task.department_id for a in user.active_assignments())
    )


@transaction.atomic
def report_in(task: WhistleTask, *, acting_user: Any, note: str = "") -> WhistleTask:
    """报到: the department checks in on the whistle."""
    task = WhistleTask.objects.select_for_update().get(pk=task.pk)
    if not _is_department_user(acting_user, task):
        raise workflow.TransitionError("只有被召集部门的人员可以报到")
    if task.status != TaskStatus.CONVENED:
        raise workflow.TransitionError("该部门已报到")
    before = audit.snapshot(task)
    task.status, task.reported_at = TaskStatus.REPORTED, timezone.now()
    task.owner = task.owner or acting_user
    task.save(update_fields=["status", "reported_at", "owner"])
    audit.record(acting_user, "appeals.report_in", task, before=before)
    return task


@transaction.atomic
def complete_task(task: WhistleTask, *, result: str, acting_user: Any) -> WhistleTask:
    task = WhistleTask.objects.select_for_update().get(pk=task.pk)
    if not _is_department_user(acting_user, task):
        raise workflow.TransitionError("只有被召集部门的人员可以反馈")
    if task.status != TaskStatus.REPORTED:
        raise workflow.TransitionError("请先报到，再反馈处置结果")
    if not (result or "").strip():
        raise ValidationError({"result": "请填写处置结果"})
    before = audit.snapshot(task)
    task.status, task.done_at, task.result = TaskStatus.DONE, timezone.now(), result.strip()
    task.save(update_fields=["status", "done_at", "result"])
    audit.record(acting_user, "appeals.task_done", task, before=before)
    return task


@transaction.atomic
def record_minutes(whistle: Whistle, *, minutes: str, acting_user: Any) -> Whistle:
    from dangjian.appeals.choices import Actor

    if Actor.STREET not in actor_kinds(acting_user, whistle.case):
        raise workflow.TransitionError("只有街道可以填写会商纪要")
    before = audit.snapshot(whistle)
    whistle.minutes = (minutes or "").strip()
    whistle.save(update_fields=["minutes"])
    audit.record(acting_user, "appeals.minutes", whistle, before=before)
    return whistle


@transaction.atomic
def rate_department(task: WhistleTask, *, score: int, comment: str = "", acting_user: Any) -> WhistleTask:
    """街长制: the street rates each department's response (feeds the department ranking)."""
    from dangjian.appeals.choices import Actor

    if Actor.STREET not in actor_kinds(acting_user, task.whistle.case):
        raise workflow.TransitionError("只有街道可以评价部门")
    if not 1 <= int(score) <= 5:
        raise ValidationError({"score": "评分为 1–5 分"})
    before = audit.snapshot(task)
    task.street_score, task.street_comment = int(score), comment.strip()[:200]
    task.save(update_fields=["street_score", "street_comment"])
    audit.record(acting_user, "appeals.rate_department", task, before=before)
    return task


@transaction.atomic
def close_whistle(case: Case, *, result: str, acting_user: Any) -> Case:
    """The street gathers the departments' results and feeds back (→ 核查)."""
    whistle = case.whistles.filter(closed_at__isnull=True).order_by("-id").first()
    if whistle is None:
        raise workflow.TransitionError("该诉求没有进行中的吹哨")
    pending = [
        t.department.name for t in whistle.tasks.select_related("department") if t.status != TaskStatus.DONE
    ]
    if pending:
        raise ValidationError({"tasks": "以下部门尚未完成：" + "、".join(pending)})
    case = feedback_case(case, result=result, acting_user=acting_user)
    Whistle.objects.filter(pk=whistle.pk).update(closed_at=timezone.now())
    return case
