"""Staff pages of appeals: the work queue, one case with its action panel, 街长制 task list.

The 12345 import page (:func:`hotline_import`) uploads a work-order workbook as an
``exchange.ImportJob`` (see ``appeals.hotline_jobs``).

Every action form posts to :func:`case_action`, which validates the input and calls the
matching function of ``appeals.actions`` (which re-checks the workflow table and the
actor). An htmx request gets the work area back (status, actions, whistle, timeline) with
the outcome inline; a plain POST is redirected to the case page with a message.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dangjian.accounts.models import RoleAssignment
from dangjian.accounts.roles import Role
from dangjian.appeals import (
    actions,
    evidence_actions,
    hotline,
    hotline_jobs,
    link_actions,
    photos,
    selectors,
    street_actions,
    workflow,
)
from dangjian.appeals import forms_staff as F
from dangjian.appeals.access import DISPATCHING_ROLES, actor_kinds
from dangjian.appeals.choices import (
    OPEN_STATES,
    Actor,
    Channel,
    Event,
    Priority,
    Status,
    StreetArea,
    TaskStatus,
)
from dangjian.appeals.models import Case, StreetTaskItem, WhistleTask
from dangjian.appeals.open311 import selectors as open311_selectors
from dangjian.core import bounds
from dangjian.core.access import ScopeError, access_object, can
from dangjian.core.actions import do_reveal
from dangjian.core.listing import territory_options
from dangjian.core.pages import page
from dangjian.exchange.forms import ImportForm
from dangjian.exchange.models import ImportJob
from dangjian.exchange.views import can_import
from dangjian.territory.models import Node
from dangjian.units.models import Unit

PER_PAGE = 20


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


# --- the work queue ---------------------------------------------------------------------


@page("appeals:queue")
def queue(request: HttpRequest) -> HttpResponse:
    user = request.user
    q = str(request.GET.get("q") or "").strip()
    # A whole case number jumps straight to the case (one the user may not see is simply
    # not found, like a number that does not exist).
    hit = selectors.case_by_number(user, q) if q else None
    if hit is not None:
        url = reverse("appeals:case", args=[hit.pk])
        if _is_htmx(request):
            response = HttpResponse()
            response["HX-Redirect"] = url
            return response
        return redirect(url)
    counts = selectors.tab_counts(user)
    tab = request.GET.get("tab") or selectors.default_tab(counts)
    if tab not in selectors.TAB_KEYS:
        tab = "all"
    # A text search looks through every tab the user has, not only the one that is open.
    searched_all = bool(q) and tab != "all"
    found = selectors.search(selectors.tab_cases(user, "all" if q else tab), request.GET)
    qs = found.queryset.select_related(
        "category", "top_category", "handling_node", "assignee_unit", "assignee_user", "street", "grid"
    ).order_by("-created_at", "-id")
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    now = timezone.now()
    rows = [(case, selectors.countdown(case, now)) for case in page.object_list]
    querystring = urlencode({"tab": tab, **found.values})
    ctx = {
        "tabs": [(t, counts[t.key]) for t in selectors.TABS],
        "tab": tab,
        "searched_all": searched_all,
        "rows": rows,
        "page_obj": page,
        "querystring": querystring,
        "values": found.values,
        "errors": found.errors,
        "selects": [
            {"param": p, "label": label, "options": choices, "value": found.values.get(p, "")}
            for p, (label, choices) in selectors.FILTER_CHOICES.items()
        ]
        + [
            {
                "param": "category",
                "label": "一级分类",
                "options": selectors.top_categories(),
                "value": found.values.get("category", ""),
            }
        ],
        "territory_selects": territory_options(user, found.values),
    }
    template = "appeals/staff/_queue_list.html" if _is_htmx(request) else "appeals/staff/queue.html"
    response = render(request, template, ctx)
    response["Vary"] = "HX-Request"
    return response


# --- one case -----------------------------------------------------------------------------


def _chain_nodes(case: Case) -> list[Node]:
    ids = [i for i in (case.grid_id, case.community_id, case.street_id) if i]
    return list(Node.objects.filter(pk__in=ids).order_by("-depth"))


def _county_departments(case: Case) -> list[Unit]:
    if case.county_id:
        return list(Unit.objects.filter(kind="department", county_id=case.county_id).order_by("name"))
    return list(Unit.objects.filter(kind="department", city_id=case.city_id).order_by("name"))


def dispatch_choices(case: Case) -> list[tuple[str, Any]]:
    """Grouped choices: the case's own grid/community/street, the county's departments, staff."""
    level_label = {"grid": "网格", "community": "社区", "street": "街道"}
    nodes = _chain_nodes(case)
    staff = (
        RoleAssignment.objects.filter(
            active=True, node_id__in=[n.pk for n in nodes], role__in=list(DISPATCHING_ROLES)
        )
        .select_related("user", "node")
        .order_by("node__depth", "user__name")[:60]
    )
    seen: set[int] = set()
    people = []
    for a in staff:
        if a.user_id in seen or not a.user.is_active:
            continue
        seen.add(a.user_id)
        people.append((f"user:{a.user_id}", f"{a.user.name}（{Role(a.role).label} · {a.node}）"))
    groups: list[tuple[str, Any]] = [
        ("区域", [(f"node:{n.pk}", f"{level_label.get(n.level, '')}：{n.name}") for n in nodes]),
        ("职能部门", [(f"unit:{u.pk}", u.name) for u in _county_departments(case)]),
    ]
    if people:
        groups.append(("工作人员", people))
    return groups


def _flat(choices: list[tuple[str, Any]]) -> list[tuple[str, str]]:
    return [c for _, group in choices for c in group]


def _map_data(case: Case) -> dict[str, Any]:
    grid = Node.objects.filter(pk=case.grid_id).only("name", "boundary").first() if case.grid_id else None
    feature = None
    if grid is not None and grid.boundary:
        feature = {"type": "Feature", "properties": {"name": grid.name}, "geometry": grid.boundary}
    return {
        "grid": {"type": "FeatureCollection", "features": [feature]} if feature else None,
        "point": [case.lng, case.lat] if case.lng is not None and case.lat is not None else None,
        "title": case.title,
    }


def _kept(request: HttpRequest) -> dict[str, Any]:
    """What the person typed into a form that failed, to put back into it (files cannot be)."""
    kept: dict[str, Any] = {k: v for k, v in request.POST.items() if k != "csrfmiddlewaretoken"}
    kept["departments"] = request.POST.getlist("departments")
    return kept


def _work_context(
    request: HttpRequest, case: Case, *, failed_action: str = "", kept: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The changing part of the case page: status, deadlines, actions, whistle, timeline.

    After a failed action, ``failed_action`` names it and ``kept`` holds what was typed, so
    that form is shown open and filled in again."""
    kept = kept or {}
    user = request.user
    kinds = actor_kinds(user, case)
    events = selectors.allowed_events(user, case)
    whistle = case.whistles.order_by("-id").first()
    tasks: list[dict[str, Any]] = []
    is_street = Actor.STREET in kinds
    my_units = set(selectors.unit_ids(user))
    if whistle is not None:
        for t in whistle.tasks.select_related("department", "owner").order_by("department__name"):
            mine = t.owner_id == user.pk or t.department_id in my_units
            tasks.append(
                {
                    "task": t,
                    "mine": mine,
                    "can_report": mine and t.status == TaskStatus.CONVENED,
                    "can_complete": mine and t.status == TaskStatus.REPORTED,
                    "can_rate": is_street,
                }
            )
    now = timezone.now()
    deadlines = []
    if case.ack_due:
        deadlines.append(("签收时限", case.ack_due, case.acknowledged_at))
    if case.resolve_due:
        deadlines.append(("办结时限", case.resolve_due, case.closed_at))
    whistle_departments = _county_departments(case) if Event.WHISTLE in events else []
    refill = kept if failed_action == Event.WHISTLE else {}
    ticked = set(refill.get("departments") or [])
    return {
        "failed_action": failed_action,
        "kept": kept,
        "case": case,
        "events": events,
        "event_items": [
            (
                e,
                "汇总反馈（各部门已完成）"
                if e == Event.FEEDBACK and case.status == Status.WHISTLED
                else Event(e).label,
                kept if e == failed_action else {},
            )
            for e in events
        ],
        "countdown": selectors.countdown(case, now),
        "deadlines": deadlines,
        "dispatch_choices": dispatch_choices(case) if Event.DISPATCH in events else [],
        "whistle_rows": [
            (u, str(u.pk) in ticked, refill.get(f"duty_{u.pk}", "")) for u in whistle_departments
        ],
        "can_progress": case.status in (Status.IN_PROGRESS, Status.WHISTLED)
        and bool(kinds & {Actor.HANDLER, Actor.STREET, Actor.DISPATCHER}),
        "can_set_priority": Actor.DISPATCHER in kinds and case.status in OPEN_STATES,
        "priorities": Priority.choices,
        "whistle": whistle,
        "tasks": tasks,
        "is_street": is_street,
        "whistle_open": whistle is not None and whistle.closed_at is None,
        "transitions": _timeline(case),
        "notes": list(case.notes.select_related("author").prefetch_related("photos")),
        "ratings": F.RateForm.base_fields["rating"].choices,  # type: ignore[attr-defined]
        "scores": range(1, 6),
        "max_photos": photos.MAX_PHOTOS,
    }


def _timeline(case: Case) -> list[dict[str, Any]]:
    statuses = dict(Status.choices)
    names = dict(Event.choices) | {"submit": "提交诉求"}
    return [
        {
            "t": t,
            "event": names.get(t.event, t.event),
            "from": statuses.get(t.from_state, ""),
            "to": statuses.get(t.to_state, t.to_state),
            # A rating without an acting account came through the private link.
            "who": t.actor.name
            if t.actor is not None
            else (link_actions.LINK_HOLDER_NAME if t.event == Event.RATE else "系统"),
        }
        for t in case.transitions.select_related("actor")
    ]


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_for(request.user, pk)
    return _case_page(request, case, _work_context(request, case))


def _case_page(request: HttpRequest, case: Case, ctx: dict[str, Any], status: int = 200) -> HttpResponse:
    user = request.user
    reveal_allowed = bool(case.contact_phone_enc) and can(user, "reveal", case)
    ctx.update(_link_context(request, case))
    ctx.update(
        {
            "reveal_url": reverse("appeals:case_reveal", args=[case.pk]) if reveal_allowed else "",
            "photos": list(case.photos.filter(note__isnull=True)),
            "map_data": _map_data(case),
            "reporter_name": "匿名" if case.anonymous else _reporter_name(case),
            "merged_cases": list(case.merged_cases.only("pk", "number", "title")),
            # An Open311 client's media_url: a link only, never fetched by the server.
            "media_link": open311_selectors.media_url(case) if case.channel == Channel.OPEN311 else "",
        }
    )
    return render(request, "appeals/staff/case.html", ctx, status=status)


def _link_context(request: HttpRequest, case: Case) -> dict[str, Any]:
    """The private tracking link, for the operator to pass on to a reporter without an account
    (a 12345 caller, an Open311 or staff-entered case): shown to the staff who receive,
    dispatch or verify the case, with an SMS button when the case has a contact phone."""
    if case.reporter_user_id or not link_actions.may_send_link(request.user, case):
        return {"track_url": ""}
    return {
        "track_url": request.build_absolute_uri(reverse("appeals:track", args=[case.tracking_token])),
        "can_sms": bool(case.contact_phone_enc) and link_actions.sms_available(),
        "sms_text": link_actions.link_sms_text(case),
    }


@login_required
@require_POST
def case_send_link(request: HttpRequest, pk: int) -> HttpResponse:
    """发送短信: the tracking link to the case's contact phone (through the worker)."""
    case = selectors.case_for(request.user, pk)
    try:
        link_actions.send_link_sms(case, acting_user=request.user)
    except (ValidationError, workflow.TransitionError) as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, f"已发送短信至 {case.contact_phone_masked}（由后台发送）")
    return redirect("appeals:case", pk=case.pk)


def _reporter_name(case: Case) -> str:
    name = case.contact_name or (case.reporter.name if case.reporter_id and case.reporter else "")
    if not name:
        return "—"
    return name[0] + "*" * (len(name) - 1) if len(name) > 1 else name


@login_required
@require_POST
def case_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the reporter's contact phone in full (htmx); outside the reveal scope: 404. Logged."""
    case = access_object(Case, request.user, "reveal", pk=pk)
    if not case.contact_phone_enc:
        raise Http404("没有联系电话")
    value = do_reveal(case, "contact_phone", acting_user=request.user, reason=f"办理诉求 {case.number}")
    return render(request, "includes/revealed.html", {"value": value})


# --- the actions ----------------------------------------------------------------------------


def _valid(form: Any) -> Any:
    if not form.is_valid():
        raise ValidationError(F.first_error(form))
    return form.cleaned_data


def _task(case: Case, request: HttpRequest) -> WhistleTask:
    raw = request.POST.get("task", "")
    task = (
        WhistleTask.objects.select_related("whistle__case").filter(pk=raw, whistle__case=case).first()
        if bounds.is_id(raw)
        else None
    )
    if task is None:
        raise ValidationError("部门任务不存在")
    return task


def _dispatch(request: HttpRequest, case: Case) -> str:
    data = _valid(F.DispatchForm(request.POST, choices=_flat(dispatch_choices(case))))
    kind, _, raw = data["target"].partition(":")
    target: dict[str, Any] = {}
    if kind == "node":
        target["to_node"] = Node.objects.get(pk=raw)
    elif kind == "unit":
        target["to_unit"] = Unit.objects.get(pk=raw)
    else:
        from django.contrib.auth import get_user_model

        target["to_user"] = get_user_model().objects.get(pk=raw)
    actions.dispatch_case(case, acting_user=request.user, note=data["note"], **target)
    return "已派遣"


def _whistle(request: HttpRequest, case: Case) -> str:
    data = _valid(F.WhistleForm(request.POST, departments=_county_departments(case)))
    summons = [actions.Summons(department=u, duty=duty) for u, duty in data["duties"]]
    actions.whistle_case(case, summons=summons, reason=data["reason"], acting_user=request.user)
    return f"已吹哨，召集 {len(summons)} 个部门报到"


def _feedback(request: HttpRequest, case: Case) -> str:
    result = _valid(F.ResultForm(request.POST))["result"]
    if case.status == Status.WHISTLED:
        actions.close_whistle(case, result=result, acting_user=request.user)
        return "已汇总各部门结果并反馈"
    actions.feedback_case(case, result=result, acting_user=request.user)
    return "已反馈处置结果，等待核查"


def _close_duplicate(request: HttpRequest, case: Case) -> str:
    data = _valid(F.DuplicateForm(request.POST))
    number = (data["merge_into"] or "").strip()
    if number:
        into = selectors.visible_cases(request.user).filter(number=number).first()
        if into is None:
            raise ValidationError(f"未找到编号为 {number} 的诉求")
        actions.merge_cases(case, into=into, acting_user=request.user)
        return f"已并入 {into.number}"
    actions.close_case(case, event=Event.CLOSE_DUPLICATE, reason=data["reason"], acting_user=request.user)
    return "已按重复件关闭"


def _closer(event: str, done: str) -> Callable[[HttpRequest, Case], str]:
    def run(request: HttpRequest, case: Case) -> str:
        reason = _valid(F.ReasonForm(request.POST))["reason"]
        actions.close_case(case, event=event, reason=reason, acting_user=request.user)
        return done

    return run


def _with_note(fn: Callable[..., Any], done: str) -> Callable[[HttpRequest, Case], str]:
    def run(request: HttpRequest, case: Case) -> str:
        fn(case, acting_user=request.user, note=_valid(F.NoteForm(request.POST))["note"])
        return done

    return run


def _with_reason(fn: Callable[..., Any], done: str) -> Callable[[HttpRequest, Case], str]:
    def run(request: HttpRequest, case: Case) -> str:
        fn(case, acting_user=request.user, reason=_valid(F.ReasonForm(request.POST))["reason"])
        return done

    return run


def _verify_pass(request: HttpRequest, case: Case) -> str:
    actions.verify_case(
        case, passed=True, note=_valid(F.NoteForm(request.POST))["note"], acting_user=request.user
    )
    return "核查通过，已办结"


def _verify_return(request: HttpRequest, case: Case) -> str:
    reason = _valid(F.ReasonForm(request.POST))["reason"]
    actions.verify_case(case, passed=False, note=reason, acting_user=request.user)
    return "已退回返工"


def _rate(request: HttpRequest, case: Case) -> str:
    data = _valid(F.RateForm(request.POST))
    actions.rate_case(case, rating=data["rating"], comment=data["comment"], acting_user=request.user)
    return "已评价"


def _progress(request: HttpRequest, case: Case) -> str:
    """进度说明 with up to nine 现场照片 (checked first; one bad photo and nothing is saved)."""
    data = _valid(F.ProgressForm(request.POST))
    files = request.FILES.getlist("photos")
    note = evidence_actions.add_progress_with_photos(
        case, text=data["text"], public=data["public"], files=files, acting_user=request.user
    )
    count = note.photos.count() if files else 0
    return f"已记录处置进展（{count} 张现场照片）" if count else "已记录处置进展"


def _report_in(request: HttpRequest, case: Case) -> str:
    actions.report_in(_task(case, request), acting_user=request.user)
    return "已报到"


def _complete_task(request: HttpRequest, case: Case) -> str:
    task = _task(case, request)
    actions.complete_task(task, result=_valid(F.ResultForm(request.POST))["result"], acting_user=request.user)
    return "已反馈完成"


def _minutes(request: HttpRequest, case: Case) -> str:
    whistle = case.whistles.order_by("-id").first()
    if whistle is None:
        raise ValidationError("该诉求没有吹哨记录")
    actions.record_minutes(
        whistle, minutes=_valid(F.MinutesForm(request.POST))["minutes"], acting_user=request.user
    )
    return "已保存会商纪要"


def _set_priority(request: HttpRequest, case: Case) -> str:
    case = actions.set_priority(
        case, priority=_valid(F.PriorityForm(request.POST))["priority"], acting_user=request.user
    )
    return f"紧急程度已调整为“{case.get_priority_display()}”"


def _rate_department(request: HttpRequest, case: Case) -> str:
    task = _task(case, request)
    data = _valid(F.ScoreForm(request.POST))
    actions.rate_department(task, score=data["score"], comment=data["comment"], acting_user=request.user)
    return f"已评价{task.department.name}"


HANDLERS: dict[str, Callable[[HttpRequest, Case], str]] = {
    Event.ACCEPT: _with_note(actions.accept_case, "已受理立案"),
    Event.REJECT: _with_reason(actions.reject_case, "已不予受理"),
    Event.DISPATCH: _dispatch,
    Event.PUBLISH: _with_note(actions.publish_case, "已发布，等待认领"),
    Event.CLAIM: _with_note(actions.claim_case, "已认领"),
    Event.ACKNOWLEDGE: _with_note(actions.acknowledge_case, "已签收"),
    Event.SEND_BACK: _with_reason(actions.send_back_case, "已退回派遣人员"),
    Event.ESCALATE: _with_reason(actions.escalate_case, "已上报上一级"),
    Event.WHISTLE: _whistle,
    Event.FEEDBACK: _feedback,
    Event.VERIFY_PASS: _verify_pass,
    Event.VERIFY_RETURN: _verify_return,
    Event.RATE: _rate,
    Event.CLOSE_DUPLICATE: _close_duplicate,
    Event.CLOSE_NOT_OURS: _closer(Event.CLOSE_NOT_OURS, "已按非本级职责关闭"),
    Event.CANCEL: _closer(Event.CANCEL, "已撤销"),
    "progress": _progress,
    "report_in": _report_in,
    "complete_task": _complete_task,
    "minutes": _minutes,
    "rate_department": _rate_department,
    "priority": _set_priority,
}


def _error_text(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "；".join(dict.fromkeys(exc.messages))
    return str(exc)


@login_required
@require_POST
def case_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    case = selectors.case_for(request.user, pk)
    handler = HANDLERS.get(action)
    if handler is None:
        raise Http404("不支持的操作")
    ok, text = True, ""
    try:
        text = handler(request, case)
    except (ValidationError, workflow.TransitionError, ScopeError) as exc:
        ok, text = False, _error_text(exc)
    if ok and not _is_htmx(request):
        messages.success(request, text)
        return redirect("appeals:case", pk=case.pk)
    case = selectors.case_for(request.user, pk)
    if ok:
        ctx = _work_context(request, case)
    else:
        ctx = _work_context(request, case, failed_action=action, kept=_kept(request))
    ctx.update({"flash": text, "flash_ok": ok})
    if not _is_htmx(request):
        # A plain post that failed gets the page back with what was typed, not a redirect
        # that would lose it.
        return _case_page(request, case, ctx, status=400)
    # 200 either way so htmx swaps the panel; the outcome is shown inline. The smart
    # dispatch card is swapped too (out of band): its actions may no longer be possible.
    response = render(request, "appeals/staff/_work_swap.html", ctx)
    if not ok:
        response["X-Action-Failed"] = action
    return response


# --- 街长制 task list ---------------------------------------------------------------------------


def _streets_for(user: Any) -> list[Node]:
    if user.is_superuser:
        return list(Node.objects.filter(level="street", retired_at__isnull=True).order_by("code")[:500])
    ids = [a.node_id for a in user.active_assignments() if a.role in {Role.STREET_OFFICER, Role.STREET_CHIEF}]
    return list(Node.objects.filter(pk__in=ids).order_by("code"))


def _street(request: HttpRequest) -> tuple[Node, list[Node]]:
    streets = _streets_for(request.user)
    if not streets:
        raise Http404("未找到或无权访问")
    raw = request.GET.get("street") or request.POST.get("street") or ""
    chosen = next((s for s in streets if str(s.pk) == raw), None) if raw else streets[0]
    if chosen is None:
        raise Http404("未找到或无权访问")
    return chosen, streets


def _street_item(street: Node, raw: str) -> StreetTaskItem:
    item = StreetTaskItem.objects.filter(pk=raw, street=street).first() if bounds.is_id(str(raw)) else None
    if item is None:
        raise Http404("未找到或无权访问")
    return item


@page("appeals:street_tasks")
def street_tasks(request: HttpRequest) -> HttpResponse:
    street, streets = _street(request)
    departments = street_actions.street_departments(street)
    error = ""
    form = F.StreetTaskItemForm(departments=departments)
    if request.method == "POST":
        op = request.POST.get("op", "save")
        try:
            if op == "save":
                form = F.StreetTaskItemForm(request.POST, departments=departments)
                data = _valid(form)
                kwargs = {"area": data["area"], "name": data["name"], "departments": form.chosen_units()}
                if request.POST.get("item"):
                    item = _street_item(street, request.POST["item"])
                    street_actions.update_street_task(item, acting_user=request.user, **kwargs)
                    messages.success(request, f"已保存“{data['name']}”")
                else:
                    street_actions.create_street_task(street=street, acting_user=request.user, **kwargs)
                    messages.success(request, f"已新增“{data['name']}”")
            elif op == "delete":
                item = _street_item(street, request.POST.get("item", ""))
                street_actions.delete_street_task(item, acting_user=request.user)
                messages.success(request, f"已删除“{item.name}”")
            elif op in ("up", "down"):
                item = _street_item(street, request.POST.get("item", ""))
                street_actions.move_street_task(item, up=op == "up", acting_user=request.user)
            elif op == "seed":
                seeded = street_actions.seed_street_tasks(street=street, acting_user=request.user)
                messages.success(
                    request, f"已载入默认清单：新增 {seeded.created} 项，已有 {seeded.existing} 项"
                )
            else:
                raise ValidationError("不支持的操作")
        except (ValidationError, ScopeError) as exc:
            error = _error_text(exc)
        else:
            return redirect(f"{reverse('appeals:street_tasks')}?street={street.pk}")
    items = list(street.street_task_items.prefetch_related("departments").order_by("area", "sort", "id"))
    areas = [(value, label, [i for i in items if i.area == value]) for value, label in StreetArea.choices]
    editing = None
    if request.method == "GET" and request.GET.get("edit"):
        editing = _street_item(street, request.GET["edit"])
        form = F.StreetTaskItemForm(
            initial={
                "area": editing.area,
                "name": editing.name,
                "departments": [str(u.pk) for u in editing.departments.all()],
            },
            departments=departments,
        )
    status = 400 if error else 200
    return render(
        request,
        "appeals/staff/street_tasks.html",
        {
            "street": street,
            "streets": streets,
            "areas": areas,
            "total": len(items),
            "form": form,
            "editing": editing,
            "error": error,
            "departments": departments,
            "chosen_departments": set(form["departments"].value() or []),
        },
        status=status,
    )


# --- 12345 工单导入 -------------------------------------------------------------------------------

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
RECENT_JOBS = 10
MAX_SHOWN_PROBLEMS = 1000


def _hotline_importer(request: HttpRequest) -> Any:
    """Staff who may add cases somewhere in the tree (their rows are checked against it)."""
    user = request.user
    if not (selectors.is_staff(user) and can_import(user)):
        raise Http404("未找到或无权访问")
    return user


@page("appeals:hotline_import")
@require_http_methods(["GET", "POST"])
def hotline_import(request: HttpRequest) -> HttpResponse:
    """12345 工单导入: upload the .xlsx; everything is checked first, all or nothing."""
    user = _hotline_importer(request)
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = hotline_jobs.start_hotline_import(upload=upload, original_name=upload.name, acting_user=user)
        return redirect("appeals:hotline_job", pk=job.pk)
    jobs = list(
        hotline_jobs.hotline_jobs(user).only(
            "id", "original_name", "status", "total_rows", "processed_rows", "summary", "created_at"
        )[:RECENT_JOBS]
    )
    return render(
        request,
        "appeals/staff/hotline_import.html",
        {
            "form": form,
            "jobs": jobs,
            "columns": [(header, key in hotline.REQUIRED) for key, (header, _) in hotline.COLUMNS.items()],
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_GET
def hotline_template(request: HttpRequest) -> HttpResponse:
    _hotline_importer(request)
    response = HttpResponse(hotline.template_workbook(), content_type=XLSX)
    response["Content-Disposition"] = (
        f"attachment; filename=\"hotline.xlsx\"; filename*=UTF-8''{quote('12345工单导入模板.xlsx')}"
    )
    return response


@login_required
@require_GET
def hotline_job(request: HttpRequest, pk: int) -> HttpResponse:
    """One import: progress while it runs (htmx polls), then the outcome or every problem."""
    user = _hotline_importer(request)
    job: ImportJob | None = hotline_jobs.hotline_jobs(user).filter(pk=pk).first()
    if job is None:
        raise Http404("未找到或无权访问")
    problems = job.errors or []
    created = int((job.summary or {}).get(hotline_jobs.CREATED, 0))
    context = {
        "job": job,
        "problems": problems[:MAX_SHOWN_PROBLEMS],
        "hidden_problems": max(0, len(problems) - MAX_SHOWN_PROBLEMS),
        "created": created,
        "existing": max(0, job.total_rows - created),
        "queue_url": f"{reverse('appeals:queue')}?{urlencode({'tab': 'all', 'channel': 'hotline'})}",
    }
    if _is_htmx(request):
        return render(request, "appeals/staff/_hotline_job.html", context)
    return render(request, "appeals/staff/hotline_job.html", context)
