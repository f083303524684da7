"""Pages of 双报到 and volunteer service: 我要报到 with the member's five lists, the unit's
five lists and registration, the community queue (confirmations, verification, flags),
posts and claiming, the rota calendar, recording a service, 回单位反馈 (page + xlsx),
figures and teams. Function views; every write calls an action."""

from __future__ import annotations

import calendar as pycal
import io
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from dangjian.core import bounds, periods, xlsx
from dangjian.core.access import ScopeError
from dangjian.core.pages import page
from dangjian.core.xlsx import Table
from dangjian.party.models import PartyMember
from dangjian.service import actions, figures, selectors
from dangjian.service.choices import (
    ActivityCategory,
    ClaimStatus,
    PostKind,
    RecordStatus,
    RegistrationStatus,
    Shift,
    TeamKind,
)
from dangjian.service.models import (
    DutyShift,
    Flag,
    MemberRegistration,
    Post,
    PostClaim,
    ServiceRecord,
    UnitRegistration,
    VolunteerActivity,
    VolunteerTeam,
)
from dangjian.territory.models import Node


def _errors(request: HttpRequest, exc: ValidationError | ScopeError) -> None:
    if isinstance(exc, ScopeError):
        messages.error(request, str(exc))
        return
    text = "；".join(m for msgs in getattr(exc, "message_dict", {"": exc.messages}).values() for m in msgs)
    messages.error(request, f"未保存：{text}")


def _back(request: HttpRequest, fallback: str) -> HttpResponse:
    return redirect(request.POST.get("next") or fallback)


def _int(value: Any) -> int:
    """An id or number from a form; 0 (matches nothing) when missing, not a number or out of range."""
    return bounds.parse_int(value, lo=0) or 0


def _month(request: HttpRequest) -> date:
    return bounds.parse_month(request.GET.get("month")) or timezone.localdate().replace(day=1)


def _needs_of(*, member: Any = None, unit: Any = None) -> list[Any]:
    """需求清单: needs claimed by the member or unit, if the needs app offers them."""
    try:
        from dangjian.needs.models import Need
    except ImportError:
        return []
    qs = Need.objects.all()
    if member is not None and hasattr(Need, "claimed_member"):
        return list(qs.filter(claimed_member=member).order_by("-id")[:50])
    if unit is not None and hasattr(Need, "claimed_unit"):
        return list(qs.filter(claimed_unit=unit).order_by("-id")[:50])
    return []


# --- member ----------------------------------------------------------------------------------


@page("service:mine")
def mine(request: HttpRequest) -> HttpResponse:
    """我要报到 and the member's five lists (五个清单)."""
    member = selectors.member_of(request.user)
    ctx: dict[str, Any] = {"member": member}
    if member is not None:
        regs = list(MemberRegistration.objects.filter(member=member).select_related("node"))
        live = next(
            (r for r in regs if r.status in (RegistrationStatus.PENDING, RegistrationStatus.CONFIRMED)), None
        )
        records = list(
            ServiceRecord.objects.filter(person_id=member.person_id).select_related("community")[:100]
        )
        ctx.update(
            registrations=regs,
            live=live,
            home=member.person.community,
            claims=list(
                PostClaim.objects.filter(member=member, status=ClaimStatus.ACTIVE).select_related(
                    "post", "post__node"
                )
            ),
            shifts=list(
                DutyShift.objects.filter(member=member, day__gte=timezone.localdate()).select_related("post")[
                    :10
                ]
            ),
            needs=_needs_of(member=member),
            records=records,
            rated=[r for r in records if r.rating],
            hours=sum((r.hours for r in records if r.status == RecordStatus.VERIFIED), Decimal("0")),
        )
    return render(request, "service/mine.html", ctx)


@login_required
@require_POST
def register(request: HttpRequest) -> HttpResponse:
    member = selectors.member_of(request.user)
    if member is None:
        raise Http404
    community = Node.objects.filter(pk=_int(request.POST.get("community")), level="community").first()
    skills = [s for s in request.POST.get("skills", "").replace("，", ",").split(",") if s.strip()]
    try:
        actions.register_member(
            member=member,
            community=community,
            skills=skills,
            note=request.POST.get("note", ""),
            acting_user=request.user,
        )
        messages.success(request, "报到申请已提交，等待社区确认")
    except (ValidationError, ScopeError) as exc:
        _errors(request, exc)
    return redirect("service:mine")


@login_required
@require_POST
def end_registration(request: HttpRequest, pk: int) -> HttpResponse:
    reg = selectors.get_visible(MemberRegistration, request.user, pk=pk)
    try:
        actions.end_member_registration(
            registration=reg, reason=request.POST.get("reason", ""), acting_user=request.user
        )
        messages.success(request, "报到已结束")
    except (ValidationError, ScopeError) as exc:
        _errors(request, exc)
    return _back(request, "/service/")


# --- posts and rota ----------------------------------------------------------------------


@page("service:posts")
def posts(request: HttpRequest) -> HttpResponse:
    from dangjian.service.api import posts_for

    items = posts_for(request.user)
    member = selectors.member_of(request.user)
    mine_ids = set(
        PostClaim.objects.filter(member=member, status=ClaimStatus.ACTIVE).values_list("post_id", flat=True)
        if member
        else []
    )
    communities = Node.objects.restrict(request.user, "add").filter(level__in=("community", "compound"))[:200]
    return render(
        request,
        "service/posts.html",
        {
            "posts": items,
            "mine_ids": mine_ids,
            "member": member,
            "kinds": PostKind.choices,
            "nodes": communities if selectors.is_staff(request.user) else [],
        },
    )


@login_required
@require_POST
def post_new(request: HttpRequest) -> HttpResponse:
    node = Node.objects.restrict(request.user, "add").filter(pk=_int(request.POST.get("node"))).first()
    try:
        actions.create_post(
            node=node,
            kind=request.POST.get("kind", ""),
            title=request.POST.get("title", ""),
            slots=_int(request.POST.get("slots")) or 0,
            skills=[s for s in request.POST.get("skills", "").replace("，", ",").split(",") if s.strip()],
            acting_user=request.user,
        )
        messages.success(request, "岗位已设立")
    except (ValidationError, ScopeError) as exc:
        _errors(request, exc)
    return redirect("service:posts")


@login_required
@require_POST
def claim(request: HttpRequest, pk: int) -> HttpResponse:
    from dangjian.service.api import posts_for

    post = next((p for p in posts_for(request.user) if p.pk == pk), None)
    member = selectors.member_of(request.user)
    if post is None or member is None:
        raise Http404
    try:
        actions.claim_post(post=post, member=member, acting_user=request.user)
        messages.success(request, f"已认领“{post.title}”")
    except (ValidationError, ScopeError) as exc:
        _errors(request, exc)
    return redirect("service:posts")


@login_required
@require_POST
def release(request: HttpRequest, pk: int) -> HttpResponse:
    claim_obj = selectors.get_visible(PostClaim, request.user, pk=pk)
    try:
        actions.release_claim(claim=claim_obj, acting_user=request.user)
        messages.success(request, "已退岗")
    except (ValidationError, ScopeError) as exc:
        _errors(request, exc)
    return _back(request, "/service/posts/")


@login_required
def rota(request: HttpRequest, pk: int) -> HttpResponse:
    """Duty rota calendar of a post: month view (``?view=week`` for one week)."""
    post = selectors.get_visible(Post, request.user, pk=pk)
    month = _month(request)
    week = request.GET.get("view") == "week"
    if week:
        start = timezone.localdate() - timedelta(days=timezone.localdate().weekday())
        days = [start + timedelta(days=i) for i in range(7)]
        weeks = [days]
    else:
        weeks = pycal.Calendar().monthdatescalendar(month.year, month.month)
        days = [d for w in weeks for d in w]
    turns: dict[date, list[DutyShift]] = {}
    for t in DutyShift.objects.filter(post=post, day__gte=days[0], day__lte=days[-1]).select_related(
        "member__person"
    ):
        turns.setdefault(t.day, []).append(t)
    grid = [[(d, turns.get(d, [])) for d in w] for w in weeks]
    prev_m = (month - timedelta(days=1)).replace(day=1)
    next_m = (month + timedelta(days=32)).replace(day=1)
    return render(
        request,
        "service/rota.html",
        {
            "post": post,
            "grid": grid,
            "month": month,
            "week": week,
            "prev": prev_m,
            "next": next_m,
            "today": timezone.localdate(),
            "shifts": Shift.choices,
            "members": PostClaim.objects.filter(post=post, status=ClaimStatus.ACTIVE).select_related(
                "member__person"
            ),
            "can_edit": selectors.is_staff(request.user),
        },
    )


@login_required
@require_POST
def rota_generate(request: HttpRequest, pk: int) -> HttpResponse:
    post = selectors.get_visible(Post, request.user, pk=pk)
    try:
        start = bounds.parse_day(request.POST.get("start"))
        if start is None:
            raise ValueError
    except ValueError:
        messages.error(request, "未保存：请填写开始日期")
        return redirect("service:rota", pk=pk)
    try:
        turns = actions.generate_rota(
            post=post,
            start=start,
            days=_int(request.POST.get("days")) or 0,
            shifts=request.POST.getlist("shifts"),
            every=_int(request.POST.get("every")) or 1,
            acting_user=request.user,
        )
        messages.success(request, f"已排班 {len(turns)} 班次")
    except (ValidationError, ScopeError) as exc:
        _errors(request, exc)
    return redirect(f"/service/posts/{pk}/rota/?month={start:%Y-%m}")


# --- records ----------------------------------------------------------------------------


def _parse_dt(value: str) -> datetime | None:
    moment = bounds.parse_moment(value)
    return timezone.make_aware(moment) if moment is not None else None


@login_required
def record_new(request: HttpRequest) -> HttpResponse:
    """Record a service (纪实), with evidence photos."""
    user: Any = request.user
    member = selectors.member_of(request.user)
    reg = selectors.live_registration(member) if member else None
    if request.method == "POST":
        node = Node.objects.filter(pk=_int(request.POST.get("node"))).first()
        raw_hours = request.POST.get("hours", "").strip()
        hours = bounds.parse_decimal(raw_hours, lo=Decimal(0), hi=bounds.QUANTITY_MAX) if raw_hours else None
        if raw_hours and hours is None:
            hours = Decimal("-1")  # refused by record_service with its message
        if not user.person_id:
            raise Http404
        try:
            actions.record_service(
                person=user.person,
                node=node,
                title=request.POST.get("title", ""),
                place_text=request.POST.get("place_text", ""),
                started_at=_parse_dt(request.POST.get("started_at", "")),  # type: ignore[arg-type]
                ended_at=_parse_dt(request.POST.get("ended_at", "")),  # type: ignore[arg-type]
                hours=hours,
                photos=request.FILES.getlist("photos"),
                post=Post.objects.filter(pk=_int(request.POST.get("post"))).first(),
                acting_user=request.user,
            )
            messages.success(request, "服务纪实已提交，等待社区核实")
            return redirect("service:mine")
        except (ValidationError, ScopeError) as exc:
            _errors(request, exc)
    claims = (
        PostClaim.objects.filter(member=member, status=ClaimStatus.ACTIVE).select_related("post")
        if member
        else []
    )
    return render(request, "service/record_new.html", {"reg": reg, "claims": claims, "form": request.POST})


# --- community queue ------------------------------------------------------------------------


@page("service:queue")
def queue(request: HttpRequest) -> HttpResponse:
    """社区确认与核实: pending registrations, records to verify and open flags."""
    u = request.user
    tabs = selectors.queue_sets(u)
    return render(
        request,
        "service/queue.html",
        {
            "members": tabs["members"].select_related("member__person", "member__work_unit", "node")[:100],
            "units": tabs["units"].select_related("unit", "node")[:100],
            "records": tabs["records"]
            .select_related("person", "community")
            .prefetch_related("photos", "flags")[:100],
            "flags": tabs["flags"].select_related("record", "other", "person")[:100],
            "unpaid": ServiceRecord.objects.restrict(u, "change")
            .filter(status=RecordStatus.VERIFIED, rewarded=False)
            .select_related("person")[:50],
            "tab": request.GET.get("tab", "members"),
        },
    )


@login_required
@require_POST
def decide(request: HttpRequest, what: str, pk: int) -> HttpResponse:
    """One button of the queue: confirm/reject a registration, verify/return/rate a record,
    confirm/clear a flag, retry a reward."""
    u = request.user
    reason = request.POST.get("reason", "")
    op = request.POST.get("op", "")
    try:
        if what == "member":
            reg = selectors.get_visible(MemberRegistration, u, pk=pk)
            if op == "confirm":
                actions.confirm_member_registration(registration=reg, acting_user=u)
            else:
                actions.reject_member_registration(registration=reg, reason=reason, acting_user=u)
        elif what == "unit":
            ureg = selectors.get_visible(UnitRegistration, u, pk=pk)
            if op == "confirm":
                actions.confirm_unit_registration(registration=ureg, acting_user=u)
            elif op == "end":
                actions.end_unit_registration(registration=ureg, reason=reason, acting_user=u)
            else:
                actions.reject_unit_registration(registration=ureg, reason=reason, acting_user=u)
        elif what == "record":
            rec = selectors.get_visible(ServiceRecord, u, pk=pk)
            if op == "verify":
                actions.verify_record(record=rec, acting_user=u)
            elif op == "rate":
                actions.rate_record(
                    record=rec, rating=_int(request.POST.get("rating")) or 0, note=reason, acting_user=u
                )
            elif op == "reward":
                actions.retry_reward(record=rec, acting_user=u)
            else:
                actions.return_record(record=rec, reason=reason, acting_user=u)
        elif what == "flag":
            flag = selectors.get_visible(Flag, u, pk=pk)
            actions.review_flag(flag=flag, confirm=op == "confirm", note=reason, acting_user=u)
        else:
            raise Http404
        messages.success(request, "已处理")
    except (ValidationError, ScopeError) as exc:
        _errors(request, exc)
    return _back(request, "/service/queue/")


@login_required
def photo(request: HttpRequest, pk: int) -> FileResponse:
    from dangjian.service.models import RecordPhoto

    p = RecordPhoto.objects.select_related("record").filter(pk=pk).first()
    if p is None or not selectors.visible(ServiceRecord, request.user).filter(pk=p.record_id).exists():
        raise Http404
    ext = p.image.name.rsplit(".", 1)[-1].lower()
    ctype = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}.get(
        ext, "application/octet-stream"
    )
    return FileResponse(p.image.open("rb"), content_type=ctype)


# --- units ----------------------------------------------------------------------------------


@login_required
def unit_page(request: HttpRequest, pk: int) -> HttpResponse:
    """A unit's five lists (五个清单) and its registration with the community it stands in."""
    from dangjian.units.models import Unit

    unit = Unit.objects.filter(pk=pk).select_related("community").first()
    if unit is None or not (
        pk in selectors.unit_ids(request.user) or Unit.objects.restrict(request.user).filter(pk=pk).exists()
    ):
        raise Http404
    if request.method == "POST":
        try:
            if request.POST.get("op") == "document":
                reg = selectors.get_visible(
                    UnitRegistration, request.user, pk=_int(request.POST.get("registration"))
                )
                actions.add_document(
                    registration=reg,
                    title=request.POST.get("title", ""),
                    upload=request.FILES.get("file"),
                    acting_user=request.user,
                )
            else:
                actions.register_unit(
                    unit=unit,
                    community=unit.community,
                    contact_name=request.POST.get("contact_name", ""),
                    contact_phone=request.POST.get("contact_phone", ""),
                    agreement=request.POST.get("agreement", ""),
                    resources=[
                        s
                        for s in request.POST.get("resources", "").replace("，", ",").split(",")
                        if s.strip()
                    ],
                    acting_user=request.user,
                )
            messages.success(request, "已提交")
            return redirect("service:unit", pk=pk)
        except (ValidationError, ScopeError) as exc:
            _errors(request, exc)
    regs = list(
        UnitRegistration.objects.filter(unit=unit).select_related("node").prefetch_related("documents")
    )
    members = PartyMember.objects.filter(work_unit=unit).select_related("person")
    member_regs = MemberRegistration.objects.filter(member__work_unit=unit).select_related(
        "member__person", "node"
    )
    records = list(ServiceRecord.objects.filter(unit=unit).select_related("person", "community")[:100])
    overall = figures.overall_rate(members)
    return render(
        request,
        "service/unit.html",
        {
            "unit": unit,
            "regs": regs,
            "live": next((r for r in regs if r.status in ("pending", "confirmed")), None),
            "member_regs": member_regs,
            "overall": overall,
            "needs": _needs_of(unit=unit),
            "records": records,
            "rated": [r for r in records if r.rating],
            "form": request.POST,
        },
    )


# --- 回单位反馈 ---------------------------------------------------------------------------------


@page("service:report")
def report(request: HttpRequest) -> HttpResponse | FileResponse:
    """回单位反馈: the month's services of a unit's (or branch's) members, page and xlsx."""
    from dangjian.party.models import Organization
    from dangjian.units.models import Unit

    month = _month(request)
    units = Unit.objects.restrict(request.user) | Unit.objects.filter(pk__in=selectors.unit_ids(request.user))
    unit = units.filter(pk=_int(request.GET.get("unit"))).first() if request.GET.get("unit") else None
    branch = (
        Organization.objects.restrict(request.user).filter(pk=_int(request.GET.get("branch"))).first()
        if request.GET.get("branch")
        else None
    )
    if unit is None and branch is None:
        mine_units = selectors.unit_ids(request.user)
        unit = Unit.objects.filter(pk__in=mine_units).first() if mine_units else None
    lines = figures.unit_report(unit=unit, branch=branch, month=month) if (unit or branch) else []
    owner = unit or branch
    title = f"{owner.name if owner is not None else ''} {month:%Y年%m月} 党员进社区服务反馈"
    if request.GET.get("export") == "xlsx" and lines:
        return _report_xlsx(title, lines)
    return render(
        request,
        "service/report.html",
        {
            "units": units.distinct().order_by("name")[:300],
            "unit": unit,
            "branch": branch,
            "month": month,
            "lines": lines,
            "title": title,
            "total_hours": sum((line.hours for line in lines), Decimal("0")),
            "registered": sum(
                1 for line in lines if line.registration and line.registration.status == "confirmed"
            ),
        },
    )


def _report_xlsx(title: str, lines: list[figures.ReportLine]) -> FileResponse:
    from openpyxl.styles import Font

    from dangjian.core import xlsx

    wb = xlsx.workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "回单位反馈"
    xlsx.append(ws, [title])
    ws["A1"].font = Font(bold=True, size=13)
    xlsx.append(ws, ["姓名", "报到社区", "报到状态", "服务次数", "服务时长(小时)", "服务内容", "评价"])
    for c in ws[2]:
        c.font = Font(bold=True)
    for line in lines:
        reg = line.registration
        xlsx.append(
            ws,
            [
                line.member.person.name,
                reg.node.name if reg else "未报到",
                reg.get_status_display() if reg else "未报到",
                len(line.records),
                float(line.hours),
                "；".join(f"{timezone.localtime(r.started_at):%m-%d} {r.title}" for r in line.records),
                "；".join(f"{r.rating}星" for r in line.records if r.rating),
            ],
        )
    for col, width in zip("ABCDEFG", (10, 16, 10, 10, 14, 60, 14), strict=True):
        ws.column_dimensions[col].width = width
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    return FileResponse(buf, as_attachment=True, filename=f"{title.strip()}.xlsx")


# --- figures and teams --------------------------------------------------------------------------


FIGURES_TOP = 10  # groups in each chart and list before 展开全部
FIGURES_BY = {"unit": "按单位", "branch": "按支部", "community": "按社区"}


@page("service:figures")
def figures_page(request: HttpRequest) -> HttpResponse | FileResponse:
    """双报到统计 for one grouping at a time (单位 by default): the 报到率 of today and the
    verified service hours of a period (近30天 by default; an older ``?month=`` link still
    gives that month), each as a chart of the first ten groups and a list folded after ten,
    and ``?export=xlsx`` for the same tables."""
    by = request.GET.get("by") or ""
    if by not in FIGURES_BY:
        by = "unit"
    month = bounds.parse_month(request.GET.get("month"))
    if month and not request.GET.get("range"):
        period = periods.month_period(month)
    else:
        period = periods.parse_period(request.GET)
    members = PartyMember.objects.restrict(request.user)
    overall = figures.overall_rate(members)
    rates = sorted(figures.registration_rates(members, by), key=lambda r: (-r.total, r.name))
    start, end = period.moments()
    hours = figures.service_hours(selectors.visible(ServiceRecord, request.user), by, start, end)
    label = FIGURES_BY[by]
    if request.GET.get("export") == "xlsx":
        what = figures.GROUPS[by][-1]
        tables: list[Table] = [
            (
                f"报到率{label}",
                [what, "在职党员", "已报到", "报到率(%)"],
                [[r.name, r.total, r.registered, r.rate] for r in rates]
                + [["合计", overall.total, overall.registered, overall.rate]],
            ),
            (
                f"服务时长{label}",
                [what, "服务人数", "服务次数", "服务时长(小时)"],
                [[r.name, r.people, r.records, r.hours] for r in hours],
            ),
        ]
        return xlsx.tables_response(
            tables, f"双报到统计{label}_{period.start:%Y%m%d}-{period.end:%Y%m%d}.xlsx"
        )
    top_rates, top_hours = rates[:FIGURES_TOP], hours[:FIGURES_TOP]
    chart = {
        "rates": {
            "names": [r.name for r in top_rates],
            "values": [None if r.rate is None else float(r.rate) for r in top_rates],
        },
        "hours": {"names": [r.name for r in top_hours], "values": [float(r.hours) for r in top_hours]},
    }
    return render(
        request,
        "service/figures.html",
        {
            "period": period,
            "presets": periods.PRESETS,
            "preset_links": {
                k: "?" + urlencode({"by": by, "range": k}) for k in periods.PRESETS if k != "custom"
            },
            "period_hidden": [("by", by)],
            "by": by,
            "by_links": {
                k: (v, "?" + urlencode({"by": k, **period.params()})) for k, v in FIGURES_BY.items()
            },
            "label": label,
            "what": figures.GROUPS[by][-1],
            "export_qs": urlencode({"by": by, **period.params(), "export": "xlsx"}),
            "overall": overall,
            "rates": rates,
            "hours": hours,
            "hours_total": sum((r.hours for r in hours), Decimal("0")),
            "top": FIGURES_TOP,
            "rates_more": max(len(rates) - FIGURES_TOP, 0),
            "hours_more": max(len(hours) - FIGURES_TOP, 0),
            "chart": chart,
        },
    )


@page("service:teams")
def teams(request: HttpRequest) -> HttpResponse:
    u: Any = request.user
    if request.method == "POST":
        node = Node.objects.restrict(u, "add").filter(pk=_int(request.POST.get("node"))).first()
        try:
            if request.POST.get("op") == "activity":
                actions.collect_activity(
                    node=node,
                    title=request.POST.get("title", ""),
                    category=request.POST.get("category", ""),
                    demand=request.POST.get("demand", ""),
                    acting_user=u,
                )
            else:
                actions.create_team(
                    node=node,
                    name=request.POST.get("name", ""),
                    kind=request.POST.get("kind", ""),
                    badge=request.POST.get("badge", ""),
                    leader=u.person if request.POST.get("lead_myself") and u.person_id else None,
                    acting_user=u,
                )
            messages.success(request, "已保存")
            return redirect("service:teams")
        except (ValidationError, ScopeError) as exc:
            _errors(request, exc)
    team_qs = (
        selectors.visible(VolunteerTeam, u)
        .select_related("leader", "community")
        .prefetch_related("memberships")
    )
    if not selectors.is_staff(u) and u.person_id:
        team_qs = VolunteerTeam.objects.filter(memberships__person_id=u.person_id, memberships__active=True)
    acts = selectors.visible(VolunteerActivity, u).select_related("team", "community")[:50]
    return render(
        request,
        "service/teams.html",
        {
            "teams": team_qs.distinct()[:200],
            "activities": acts,
            "kinds": TeamKind.choices,
            "categories": ActivityCategory.choices,
            "nodes": Node.objects.restrict(u, "add").filter(level="community")[:100],
        },
    )


@login_required
@require_POST
def activity_fire(request: HttpRequest, pk: int) -> HttpResponse:
    u = request.user
    act = VolunteerActivity.objects.filter(pk=pk).select_related("team").first()
    if act is None or not actions.activity_actor_kinds(u, act):
        raise Http404
    team = VolunteerTeam.objects.filter(
        pk=_int(request.POST.get("team")), community_id=act.community_id
    ).first()
    tasks = [(t, None) for t in request.POST.get("tasks", "").splitlines() if t.strip()]
    try:
        actions.fire_activity(
            activity=act,
            event=request.POST.get("event", ""),
            team=team,
            tasks=tasks,
            note=request.POST.get("note", ""),
            people_served=_int(request.POST.get("people_served"))
            if request.POST.get("people_served")
            else None,
            acting_user=u,
        )
        messages.success(request, "已推进到下一环节")
    except (ValidationError, ScopeError) as exc:
        _errors(request, exc)
    return redirect("service:teams")
