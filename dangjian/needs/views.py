"""Pages of 为民红绳 / 微心愿: the wall, 我要许愿, my needs, the staff queue, one need with its
timeline and recommendations, the campaign batch assignment and the 工委清单."""

from __future__ import annotations

import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dangjian.appeals import photos as photo_checks
from dangjian.core import bounds
from dangjian.core.access import ScopeError
from dangjian.core.listing import require_staff
from dangjian.core.pages import page
from dangjian.intel import matching
from dangjian.needs import actions, fairness, selectors, workflow
from dangjian.needs.access import member_of, unit_assignments
from dangjian.needs.choices import SKILL_LABELS, STATUS_BADGE, Actor, ClaimerKind, Event, Kind, Skill, Status
from dangjian.needs.models import Need, NeedPhoto
from dangjian.territory.models import Node


def _errors(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [str(m) for errs in exc.error_dict.values() for e in errs for m in e.messages]
    return [str(m) for m in exc.messages]


def _communities_in_scope(user: Any) -> list[Node]:
    return list(Node.objects.restrict(user, "view").filter(level="community").order_by("name")[:300])


# --- 心愿墙 --------------------------------------------------------------------------------


@page("needs:wall")
@require_GET
def wall(request: HttpRequest, community: int | None = None) -> HttpResponse:
    user: Any = request.user
    if community is None:
        home = user.person.community_id if user.person_id else None
        if home:
            return redirect("needs:wall_of", community=home)
        scoped = _communities_in_scope(user)
        if len(scoped) == 1:
            return redirect("needs:wall_of", community=scoped[0].pk)
        return render(
            request,
            "needs/wall_pick.html",
            {"communities": scoped or Node.objects.filter(level="community").order_by("name")[:300]},
        )
    node = Node.objects.filter(pk=community, level="community").select_related("street").first()
    if node is None:
        raise Http404("社区不存在")
    data = selectors.wall(node)
    member = member_of(user)
    return render(
        request,
        "needs/wall.html",
        {
            "community": node,
            **data,
            "is_member": member is not None,
            "badge": STATUS_BADGE,
            "mask": selectors.mask_name,
        },
    )


# --- 我要许愿 ------------------------------------------------------------------------------


def _proxy_residents(user: Any) -> list[Any]:
    from dangjian.people.models import Person

    if not user.scope_assignments():
        return []
    return list(Person.objects.restrict(user, "add").filter(resident__isnull=False).order_by("name")[:300])


@page("needs:new")
@require_http_methods(["GET", "POST"])
def new(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    residents = _proxy_residents(user)
    communities = _communities_in_scope(user) if residents else []
    if not user.person_id and not residents:
        messages.error(request, "您的账号未关联居民档案，请联系社区或网格员代为登记心愿")
        return redirect("needs:mine")
    values: dict[str, Any] = {"kind": Kind.WISH, "people_served": 1}
    errors: list[str] = []
    if request.method == "POST":
        values = {k: v for k, v in request.POST.items()}
        values["skills"] = request.POST.getlist("skills")
        beneficiary = None
        node = None
        who = request.POST.get("for", "self")
        if who == "self":
            beneficiary = user.person if user.person_id else None
        elif who == "public":
            node = next((c for c in communities if str(c.pk) == request.POST.get("community")), None)
        else:
            beneficiary = next((p for p in residents if str(p.pk) == request.POST.get("beneficiary")), None)
            if beneficiary is None:
                errors.append("请选择代为许愿的群众")
        if not errors:
            try:
                need = actions.submit_need(
                    kind=request.POST.get("kind", ""),
                    title=request.POST.get("title", ""),
                    description=request.POST.get("description", ""),
                    beneficiary=beneficiary,
                    node=node,
                    skills=values["skills"],
                    estimated_cost=request.POST.get("estimated_cost") or 0,
                    people_served=bounds.parse_count(request.POST.get("people_served") or 1) or 0,
                    elderly=bool(request.POST.get("elderly")),
                    disabled=bool(request.POST.get("disabled")),
                    photos=request.FILES.getlist("photos"),
                    acting_user=user,
                )
            except ValidationError as exc:
                errors = _errors(exc)
            except (ValueError, TypeError):
                errors = ["受益人数应为整数"]
            except ScopeError as exc:
                errors = [str(exc)]
            else:
                messages.success(request, f"心愿已提交（{need.number}），社区审核后将上心愿墙")
                return redirect("needs:detail", pk=need.pk)
    return render(
        request,
        "needs/new.html",
        {
            "values": values,
            "errors": errors,
            "kinds": Kind.choices,
            "skills": Skill.choices,
            "residents": residents,
            "communities": communities,
            "max_photos": photo_checks.MAX_PHOTOS,
        },
    )


# --- 我的心愿 ------------------------------------------------------------------------------


@page("needs:mine")
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    show = request.GET.get("show", "")
    if show not in selectors.MINE_FILTERS:
        show = ""
    data = selectors.my_needs(request.user, show)
    return render(
        request,
        "needs/mine.html",
        {
            **data,
            "badge": STATUS_BADGE,
            "cap": fairness.max_open_claims(),
            "show": show,
            "show_label": selectors.MINE_FILTERS[show][0] if show else "",
        },
    )


# --- staff queue ---------------------------------------------------------------------------


@page("needs:queue")
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status and status not in Status.values:
        status = ""
    community = bounds.parse_id(request.GET.get("community"))
    rows = selectors.queue(request.user, status=status, community=community)
    return render(
        request,
        "needs/queue.html",
        {
            "rows": rows,
            "status": status,
            "statuses": Status.choices,
            "community": community,
            "communities": _communities_in_scope(request.user),
            "badge": STATUS_BADGE,
            "formula": "优先分 = 等待天数 + 15（60岁以上老人）+ 15（残疾人）+ 5（家庭帮扶）",
        },
    )


# --- one need ------------------------------------------------------------------------------


def _recommendations(need: Need) -> list[matching.Recommendation]:
    if need.status not in (Status.PUBLISHED, Status.ORDERED) or not need.community_id:
        return []
    return matching.recommend(
        selectors.need_item(need), selectors.candidates_for([need.community_id]), limit=5
    )


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    need, kinds, staff = selectors.access_need(user, pk)
    events = workflow.events_for(need.status, kinds)
    branches: list[Any] = []
    members: list[Any] = []
    units: list[Any] = []
    if staff or Actor.BRANCH in kinds or Actor.REVIEWER in kinds:
        from dangjian.party.models import Organization, PartyMember
        from dangjian.units.models import Unit

        branches = list(Organization.objects.filter(street_id=need.street_id).order_by("name")[:100])
        members = list(
            PartyMember.objects.filter(person__community_id=need.community_id).select_related("person")[:200]
        )
        units = list(Unit.objects.filter(street_id=need.street_id).order_by("name")[:100])
    own_units = [a.unit for a in unit_assignments(user, need)]
    show_private = staff or Actor.RESIDENT in kinds or Actor.HANDLER in kinds
    return render(
        request,
        "needs/detail.html",
        {
            "need": need,
            "kinds": kinds,
            "staff": staff,
            "events": events,
            "event_labels": dict(Event.choices),
            "priority": fairness.priority(need, timezone.now()),
            "timeline": need.transitions.select_related("actor").all(),
            "photos": list(need.photos.all()),
            "recommendations": _recommendations(need) if staff or Actor.BRANCH in kinds else [],
            "branches": branches,
            "members": members,
            "units": units or own_units,
            "own_units": own_units,
            "badge": STATUS_BADGE,
            "show_private": show_private,
            "masked_name": selectors.mask_name(need.beneficiary.name) if need.beneficiary else "公共需求",
            "skill_labels": [SKILL_LABELS.get(s, s) for s in need.skills or []],
            "claimer_kinds": [(ClaimerKind.TEAM, "志愿服务队"), (ClaimerKind.SOCIAL, "社会组织")],
            "stars": range(1, 6),
        },
    )


def _pick(model: Any, raw: str | None, **filters: Any) -> Any:
    pk = bounds.parse_id(raw)
    return model.objects.filter(pk=pk, **filters).first() if pk else None


@login_required
@require_POST
def act(request: HttpRequest, pk: int) -> HttpResponse:
    """Fire one event on a need from its page."""
    from dangjian.party.models import Organization, PartyMember
    from dangjian.units.models import Unit

    user: Any = request.user
    need, _, _ = selectors.access_need(user, pk)
    event = request.POST.get("event", "")
    target_kind, _, ident = request.POST.get("target", "").partition(":")
    unit_raw = ident if target_kind == "unit" else request.POST.get("unit")
    member_raw = ident if target_kind == "member" else request.POST.get("member")
    try:
        actions.fire_event(
            need,
            event=event,
            acting_user=user,
            note=request.POST.get("note", ""),
            branch=_pick(Organization, request.POST.get("branch")),
            member=_pick(PartyMember, member_raw),
            unit=_pick(Unit, unit_raw),
            team_name=request.POST.get("team_name", ""),
            claimer_kind=request.POST.get("claimer_kind", ""),
            amount=request.POST.get("amount"),
            evidence=request.POST.get("evidence", ""),
            rating=request.POST.get("rating") or 0,
            photos=request.FILES.getlist("photos"),
        )
    except ValidationError as exc:
        for m in _errors(exc):
            messages.error(request, m)
    except (workflow.TransitionError, ScopeError) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"已{Event(event).label}" if event in Event.values else "已办理")
    return redirect("needs:detail", pk=pk)


@login_required
@require_GET
def photo(request: HttpRequest, pk: int) -> FileResponse:
    found = NeedPhoto.objects.filter(pk=pk).first()
    if found is None:
        raise Http404("未找到图片")
    selectors.access_need(request.user, found.need_id)
    try:
        handle = found.image.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404("图片文件缺失") from exc
    ext = found.image.name.rsplit(".", 1)[-1].lower()
    response = FileResponse(
        handle, content_type=photo_checks.CONTENT_TYPES.get(ext, "application/octet-stream")
    )
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- 集中认领（批量匹配） --------------------------------------------------------------------


@page("needs:campaign")
@require_http_methods(["GET", "POST"])
def campaign(request: HttpRequest) -> HttpResponse:
    """Campaign mode (e.g. 春节前 500 个微心愿): the min-cost assignment of every waiting need
    in the chosen communities, previewed, then applied through ``assign_need`` one by one."""
    user: Any = request.user
    communities = _communities_in_scope(user)
    raw_ids = request.POST.getlist("community") or request.GET.getlist("community")
    chosen_ids = [pk for pk in map(bounds.parse_id, raw_ids) if pk is not None]
    chosen_ids = [c.pk for c in communities if c.pk in chosen_ids]
    ctx: dict[str, Any] = {"communities": communities, "chosen": chosen_ids, "plan": None}
    if request.method == "POST" and request.POST.get("apply"):
        from dangjian.party.models import PartyMember
        from dangjian.units.models import Unit

        done, failed = 0, []
        for pair in request.POST.getlist("pair"):
            need_id, _, target = pair.partition("=")
            kind, _, ident = target.partition(":")
            need = selectors.staff_needs(user).filter(pk=bounds.parse_id(need_id) or 0).first()
            if need is None:
                continue
            try:
                with transaction.atomic():
                    if kind == "member":
                        actions.assign_need(
                            need,
                            acting_user=user,
                            member=_pick(PartyMember, ident),
                            note="集中认领（批量匹配）",
                        )
                    elif kind == "unit":
                        actions.assign_need(
                            need, acting_user=user, unit=_pick(Unit, ident), note="集中认领（批量匹配）"
                        )
                    else:
                        from dangjian.service.models import VolunteerTeam

                        team = _pick(VolunteerTeam, ident)
                        actions.assign_need(
                            need,
                            acting_user=user,
                            team_name=team.name if team else "",
                            claimer_kind=ClaimerKind.TEAM,
                            note="集中认领（批量匹配）",
                        )
                done += 1
            except (ValidationError, workflow.TransitionError, ScopeError) as exc:
                failed.append(
                    f"{need.number}：{'；'.join(_errors(exc)) if isinstance(exc, ValidationError) else exc}"
                )
        messages.success(request, f"已指派 {done} 件心愿")
        for f in failed[:20]:
            messages.error(request, f)
        return redirect(reverse("needs:campaign") + "?" + "&".join(f"community={c}" for c in chosen_ids))
    if chosen_ids:
        needs = list(
            selectors.staff_needs(user)
            .filter(
                community_id__in=chosen_ids,
                status__in=[Status.PUBLISHED, Status.ORDERED],
                directed_member__isnull=True,
            )
            .select_related("beneficiary__home")
            .order_by("created_at")[:2000]
        )
        items = selectors.need_items(needs)
        cands = selectors.candidates_for(chosen_ids)
        result = matching.batch_assign(items, cands, k=10)
        by_cand = {c.id: c for c in cands}
        by_need: dict[Any, Need] = {n.pk: n for n in needs}
        rows = [(by_need[nid], by_cand[cid]) for nid, cid in result.pairs.items()]
        ctx["plan"] = {
            "rows": rows,
            "unassigned": [by_need[n] for n in result.unassigned],
            "total": round(result.total_cost, 1),
            "needs": len(needs),
            "candidates": len(cands),
        }
    return render(request, "needs/campaign.html", ctx)


# --- 工委清单 ------------------------------------------------------------------------------


def _period(request: HttpRequest) -> tuple[int, int]:
    year, quarter = selectors.current_quarter()
    raw = request.GET.get("q", "")
    if raw:
        try:
            y, q = raw.upper().split("Q")
            if 2000 <= int(y) <= 2100 and 1 <= int(q) <= 4:
                year, quarter = int(y), int(q)
        except ValueError:
            pass
    return year, quarter


@page("needs:ledger")
@require_GET
def ledger(request: HttpRequest) -> HttpResponse:
    year, quarter = _period(request)
    needs = list(
        selectors.ledger_queryset(request.user, year, quarter).select_related("claimed_member__person")
    )
    per, total = selectors.ledger_figures(needs)
    this_year, this_q = selectors.current_quarter()
    quarters = [
        (f"{y}Q{q}", f"{y}年第{q}季度")
        for y in range(this_year, this_year - 2, -1)
        for q in range(4, 0, -1)
        if (y, q) <= (this_year, this_q)
    ]
    return render(
        request,
        "needs/ledger.html",
        {
            "needs": needs[:500],
            "count": len(needs),
            "per": per,
            "total": total,
            "period": f"{year}Q{quarter}",
            "period_label": f"{year}年第{quarter}季度",
            "quarters": quarters,
            "badge": STATUS_BADGE,
        },
    )


@login_required
@require_GET
def ledger_export(request: HttpRequest) -> FileResponse:
    from dangjian.core import xlsx

    require_staff(request.user)
    year, quarter = _period(request)
    needs = list(
        selectors.ledger_queryset(request.user, year, quarter).select_related("claimed_member__person")
    )
    per, total = selectors.ledger_figures(needs)
    wb = xlsx.workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "工委清单"
    xlsx.append(
        ws,
        [
            "编号",
            "街道",
            "社区",
            "类型",
            "心愿/需求",
            "群众点单",
            "支部下单",
            "党员接单",
            "机关买单",
            "买单金额(元)",
            "状态",
            "受益人数",
            "评价",
        ],
    )
    for n in needs:
        xlsx.append(
            ws,
            [
                n.number,
                n.street.name if n.street else "",
                n.community.name if n.community else "",
                n.get_kind_display(),
                n.title,
                timezone.localtime(n.created_at).strftime("%Y-%m-%d"),
                n.branch.name if n.branch else "",
                n.claimer_name,
                n.funder_unit.name if n.funder_unit else "",
                float(n.funded_amount),
                n.get_status_display(),
                n.people_served,
                n.rating or "",
            ],
        )
    fs = wb.create_sheet("分社区统计")
    fs.append(
        [
            "社区",
            "红绳(点单)",
            "已认领",
            "认领率(%)",
            "已实现心愿",
            "服务群众(人)",
            "买单件数",
            "买单金额(元)",
        ]
    )
    for f in [*per, total]:
        fs.append(
            [
                f.name,
                f.tied,
                f.claimed,
                f.claim_rate,
                f.fulfilled,
                f.people_served,
                f.funded_count,
                float(f.funded),
            ]
        )
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    return FileResponse(out, as_attachment=True, filename=f"工委清单_{year}Q{quarter}.xlsx")
