"""Pages of 积分 · 时间银行 · 爱心超市: a person's own accounts, shop and statements; the
staff desk (award, reverse, pickup, shop stock, exchange days) and community figures.

Views validate input and call actions; reads go through ``restrict``/``access_object``.
"""

from __future__ import annotations

import datetime
import io
import uuid
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Sum
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from dangjian.core import bounds, periods, xlsx
from dangjian.core.access import ScopeError, access_object
from dangjian.core.listing import is_staff_user, require_staff
from dangjian.core.pages import page
from dangjian.core.xlsx import Table
from dangjian.people.models import Person
from dangjian.points import actions, selectors, workflow
from dangjian.points.choices import Ledger, OrderStatus
from dangjian.points.models import ZERO, ExchangeDay, Item, Movement, Order, Rule
from dangjian.territory.models import Node

RECENT = 30


def _errors(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "；".join(exc.messages)
    return str(exc)


def _own_person(request: HttpRequest) -> Person:
    person = getattr(request.user, "person", None)
    if person is None:
        raise Http404("您的账号未关联人员档案")
    return person


# --- a person's own pages ------------------------------------------------------------------


def _ledger_page(request: HttpRequest, ledger: str) -> HttpResponse:
    person = _own_person(request)
    expiring, expiring_on = selectors.expiring_soon(person)
    moves = selectors.movements(person, ledger).annotate(
        is_reversed=Exists(Movement.objects.filter(reverses=OuterRef("pk")))
    )[:RECENT]
    return render(
        request,
        "points/mine.html",
        {
            "person": person,
            "ledger": ledger,
            "honour": selectors.balance(person, Ledger.HONOUR),
            "timebank": selectors.balance(person, Ledger.TIMEBANK),
            "expiring": expiring,
            "expiring_on": expiring_on,
            "movements": moves,
            "limit": RECENT,
            "month": timezone.localdate().strftime("%Y-%m"),
        },
    )


@page("points:mine")
def mine(request: HttpRequest) -> HttpResponse:
    return _ledger_page(request, Ledger.HONOUR)


@page("points:timebank")
def timebank(request: HttpRequest) -> HttpResponse:
    return _ledger_page(request, Ledger.TIMEBANK)


@page("points:shop")
def shop(request: HttpRequest) -> HttpResponse:
    person = _own_person(request)
    orders = list(selectors.orders_of(person)[:20])
    return render(
        request,
        "points/shop.html",
        {
            "person": person,
            "honour": selectors.balance(person, Ledger.HONOUR),
            "items": selectors.catalogue(person.community_id),
            "orders": orders,
            "exchange_day": selectors.next_exchange_day(person.community_id),
        },
    )


@login_required
@require_POST
def redeem(request: HttpRequest, item_id: int) -> HttpResponse:
    person = _own_person(request)
    item = Item.objects.filter(pk=item_id, shop_id=person.community_id).first()
    if item is None:
        raise Http404("未找到该物品")
    try:
        quantity = _whole(request.POST.get("quantity") or 1, lo=1, hi=int(bounds.QUANTITY_MAX))
        order = actions.redeem(person=person, item=item, quantity=quantity, acting_user=request.user)
    except ValueError:
        messages.error(request, "数量应为整数")
    except (ValidationError, ScopeError) as exc:
        messages.error(request, f"兑换未成功：{_errors(exc)}")
    else:
        messages.success(request, f"兑换成功！取货码 {order.pickup_code}，请在积分兑换日到社区领取")
    return redirect("points:shop")


@login_required
@require_POST
def cancel(request: HttpRequest, order_id: int) -> HttpResponse:
    order = access_object(Order, request.user, pk=order_id)
    try:
        actions.cancel_order(order=order, acting_user=request.user, reason=request.POST.get("reason", ""))
    except (ValidationError, ScopeError, workflow.TransitionError) as exc:
        messages.error(request, f"取消未成功：{_errors(exc)}")
    else:
        messages.success(request, f"已取消，{order.points} 积分已退回")
    return redirect(request.POST.get("next") or "points:shop")


# --- monthly statement ---------------------------------------------------------------------


def _whole(raw: Any, *, lo: int = 0, hi: int = bounds.INT_MAX) -> int:
    """A whole number from a form within the bounds; ValueError (the views' message) if not."""
    value = bounds.parse_int(raw, lo=lo, hi=hi)
    if value is None:
        raise ValueError(raw)
    return value


def _month(raw: str | None) -> datetime.date:
    return bounds.parse_month(raw) or timezone.localdate().replace(day=1)


def statement_data(person: Person, first: datetime.date) -> dict[str, Any]:
    """Opening balance, the month's movements and the closing balance, for both ledgers."""
    nxt = (first + datetime.timedelta(days=32)).replace(day=1)
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(first, datetime.time.min, tzinfo=tz)
    end = datetime.datetime.combine(nxt, datetime.time.min, tzinfo=tz)
    ledgers = []
    for ledger in (Ledger.HONOUR, Ledger.TIMEBANK):
        base = Movement.objects.filter(person=person, ledger=ledger)
        opening = base.filter(created_at__lt=start).aggregate(s=Sum("amount"))["s"] or ZERO
        rows = list(base.filter(created_at__gte=start, created_at__lt=end).order_by("created_at", "id"))
        running = opening
        lines = []
        for m in rows:
            running += m.amount
            lines.append({"m": m, "balance": running})
        income = sum((m.amount for m in rows if m.amount > 0), ZERO)
        outgo = -sum((m.amount for m in rows if m.amount < 0), ZERO)
        ledgers.append(
            {
                "ledger": ledger,
                "label": Ledger(ledger).label,
                "unit": "分" if ledger == Ledger.HONOUR else "小时",
                "opening": opening,
                "closing": running,
                "income": income,
                "outgo": outgo,
                "lines": lines,
            }
        )
    prev = (first - datetime.timedelta(days=1)).replace(day=1)
    return {"person": person, "first": first, "prev": prev, "next": nxt, "ledgers": ledgers}


def _statement_person(request: HttpRequest) -> Person:
    person_id = request.GET.get("person") or ""
    if person_id:  # staff printing for an elderly resident
        require_staff(request.user)
        return access_object(Person, request.user, pk=person_id)
    return _own_person(request)


@page("points:statement")
def statement(request: HttpRequest) -> HttpResponse:
    person = _statement_person(request)
    data = statement_data(person, _month(request.GET.get("month")))
    template = "points/statement_print.html" if request.GET.get("print") else "points/statement.html"
    data["person_param"] = request.GET.get("person", "")
    return render(request, template, data)


@login_required
def statement_xlsx(request: HttpRequest) -> HttpResponse:
    from openpyxl.styles import Font

    from dangjian.core import xlsx

    person = _statement_person(request)
    data = statement_data(person, _month(request.GET.get("month")))
    wb = xlsx.workbook()
    ws = wb.active
    assert ws is not None
    ws.title = f"{data['first']:%Y-%m}"
    xlsx.append(ws, [f"{person.name} {data['first']:%Y年%m月} 积分与时间银行对账单"])
    ws["A1"].font = Font(bold=True, size=14)
    for block in data["ledgers"]:
        xlsx.append(ws, [])
        xlsx.append(ws, [block["label"], "期初", float(block["opening"]), "期末", float(block["closing"])])
        xlsx.append(ws, ["时间", "类型", "事由", f"变动({block['unit']})", "余额", "经办人"])
        for line in block["lines"]:
            m = line["m"]
            xlsx.append(
                ws,
                [
                    timezone.localtime(m.created_at).strftime("%Y-%m-%d %H:%M"),
                    m.get_kind_display(),
                    m.reason,
                    float(m.amount),
                    float(line["balance"]),
                    m.operator.name if m.operator else "系统",
                ],
            )
    ws.column_dimensions["A"].width = 18
    ws.column_dimensions["C"].width = 40
    out = io.BytesIO()
    wb.save(out)
    response = HttpResponse(
        out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="statement-{data["first"]:%Y-%m}.xlsx"'
    return response


# --- 规则公示 ------------------------------------------------------------------------------


FIGURES_TOP = 10  # communities in the chart and in the table before 展开全部


def _communities(user: Any) -> list[Node]:
    return list(Node.objects.restrict(user, "view").filter(level="community", retired_at__isnull=True)[:200])


@page("points:rules")
def rules(request: HttpRequest) -> HttpResponse:
    year = timezone.localdate().year
    if is_staff_user(request.user):
        issuers = _communities(request.user)
    else:
        person = getattr(request.user, "person", None)
        community_id = getattr(person, "community_id", None)
        issuers = list(Node.objects.filter(pk=community_id)) if community_id else []
    return render(
        request,
        "points/rules.html",
        {
            "rules": Rule.objects.filter(active=True),
            "budgets": selectors.budget_lines(issuers, year),
            "year": year,
            "expiry_example": actions.expiry_date(year),
            "is_staff": is_staff_user(request.user),
        },
    )


# --- staff desk ----------------------------------------------------------------------------


@page("points:desk")
def desk(request: HttpRequest) -> HttpResponse:
    """奖励与冲正: find a person in scope, award under a rule with a reason; reverse a
    movement with a reason."""
    q = (request.GET.get("q") or "").strip()
    people = list(Person.objects.restrict(request.user, "change").filter(name__contains=q)[:20]) if q else []
    # Each award form carries its own key: a double submit or a retry pays once.
    awards = [(p, uuid.uuid4().hex) for p in people]
    moves = (
        Movement.objects.restrict(request.user, "view")
        .select_related("person", "operator", "rule")
        .annotate(is_reversed=Exists(Movement.objects.filter(reverses=OuterRef("pk"))))[:RECENT]
    )
    return render(
        request,
        "points/desk.html",
        {
            "q": q,
            "awards": awards,
            "rules": Rule.objects.filter(active=True),
            "movements": moves,
            "reversible": sorted(str(k) for k in actions.REVERSIBLE),
        },
    )


@login_required
@require_POST
def award(request: HttpRequest) -> HttpResponse:
    require_staff(request.user)
    person = access_object(Person, request.user, "change", pk=request.POST.get("person") or 0)
    rule = Rule.objects.filter(code=request.POST.get("rule", ""), active=True).first()
    try:
        if rule is None:
            raise ValidationError("请选择积分规则")
        key = request.POST.get("idempotency_key", "").strip()
        if not key:
            raise ValidationError("页面已过期，请刷新后重新提交")
        quantity = bounds.parse_decimal(
            request.POST.get("quantity") or "1", lo=-bounds.QUANTITY_MAX, hi=bounds.QUANTITY_MAX
        )
        if quantity is None:
            raise ArithmeticError
        m = actions.grant_points(
            rule=rule,
            person=person,
            quantity=quantity,
            reason=request.POST.get("reason", ""),
            acting_user=request.user,
            idempotency_key=key,
        ).movement
    except ArithmeticError:
        messages.error(request, "数量应为数字")
    except (ValidationError, ScopeError) as exc:
        messages.error(request, f"未发放：{_errors(exc)}")
    except actions.IdempotencyConflict:
        messages.error(request, "未发放：该表单已提交过，请刷新页面后重新填写")
    else:  # a double submit lands here too, with the first award
        messages.success(request, f"已为 {person.name} 发放 {m.amount.normalize():f} 积分")
    return redirect("points:desk")


@login_required
@require_POST
def reverse(request: HttpRequest, movement_id: int) -> HttpResponse:
    require_staff(request.user)
    movement = access_object(Movement, request.user, "change", pk=movement_id)
    try:
        actions.reverse(movement=movement, reason=request.POST.get("reason", ""), acting_user=request.user)
    except (ValidationError, ScopeError) as exc:
        messages.error(request, f"未冲正：{_errors(exc)}")
    else:
        messages.success(request, "已冲正")
    return redirect("points:desk")


@page("points:counter")
def counter(request: HttpRequest) -> HttpResponse:
    """爱心超市 staff counter: pickup by code, open orders, stock, exchange days."""
    communities = _communities(request.user)
    chosen = next((c for c in communities if str(c.pk) == request.GET.get("community")), None)
    chosen = chosen or (communities[0] if communities else None)
    found = None
    code = (request.GET.get("code") or "").strip()
    if code:
        try:
            found = actions.find_open_order(code=code, acting_user=request.user)
        except ValidationError as exc:
            messages.error(request, _errors(exc))
    cid = chosen.pk if chosen else None
    today = timezone.localdate()
    return render(
        request,
        "points/counter.html",
        {
            "communities": communities,
            "chosen": chosen,
            "code": code,
            "found": found,
            "items": Item.objects.filter(shop_id=cid).order_by("-active", "cost"),
            "open_orders": Order.objects.filter(community_id=cid, status=OrderStatus.PLACED).select_related(
                "item", "person"
            )[:50],
            "days": ExchangeDay.objects.filter(shop_id=cid, date__gte=today)[:6],
            "today_is_exchange_day": ExchangeDay.objects.filter(shop_id=cid, date=today).exists(),
        },
    )


def _back_to_counter(request: HttpRequest) -> HttpResponse:
    community = request.POST.get("community", "")
    return redirect(f"/points/counter/?community={community}" if community.isdigit() else "/points/counter/")


@login_required
@require_POST
def pickup(request: HttpRequest, order_id: int) -> HttpResponse:
    require_staff(request.user)
    order = access_object(Order, request.user, "change", pk=order_id)
    try:
        actions.pick_up(order=order, acting_user=request.user)
    except (ValidationError, ScopeError, workflow.TransitionError) as exc:
        messages.error(request, f"未核销：{_errors(exc)}")
    else:
        messages.success(request, f"已核销：{order.item.name} ×{order.quantity}，交付 {order.person.name}")
    return _back_to_counter(request)


@login_required
@require_POST
def item_add(request: HttpRequest) -> HttpResponse:
    require_staff(request.user)
    shop_node = access_object(Node, request.user, "change", pk=request.POST.get("community") or 0)
    try:
        actions.create_item(
            shop=shop_node,
            name=request.POST.get("name", ""),
            cost=_whole(request.POST.get("cost") or 0),
            stock=_whole(request.POST.get("stock") or 0),
            description=request.POST.get("description", ""),
            acting_user=request.user,
        )
    except ValueError:
        messages.error(request, "积分和库存应为整数")
    except (ValidationError, ScopeError) as exc:
        messages.error(request, f"未上架：{_errors(exc)}")
    else:
        messages.success(request, "已上架")
    return _back_to_counter(request)


@login_required
@require_POST
def item_restock(request: HttpRequest, item_id: int) -> HttpResponse:
    require_staff(request.user)
    item = access_object(Item, request.user, "change", pk=item_id)
    try:
        actions.restock(
            item=item,
            quantity=_whole(request.POST.get("quantity") or 0, lo=-bounds.INT_MAX),
            acting_user=request.user,
        )
    except ValueError:
        messages.error(request, "补货数量应为整数")
    except (ValidationError, ScopeError) as exc:
        messages.error(request, f"未补货：{_errors(exc)}")
    else:
        messages.success(request, f"{item.name} 已补货")
    return _back_to_counter(request)


@login_required
@require_POST
def day_add(request: HttpRequest) -> HttpResponse:
    require_staff(request.user)
    shop_node = access_object(Node, request.user, "change", pk=request.POST.get("community") or 0)
    try:
        day = bounds.parse_day(request.POST.get("date"))
        if day is None:
            raise ValueError
        actions.add_exchange_day(
            shop=shop_node,
            date=day,
            hours=request.POST.get("hours", ""),
            location=request.POST.get("location", ""),
            acting_user=request.user,
        )
    except ValueError:
        messages.error(request, "日期格式应为 YYYY-MM-DD")
    except (ValidationError, ScopeError) as exc:
        messages.error(request, f"未添加：{_errors(exc)}")
    else:
        messages.success(request, f"已添加积分兑换日 {day:%Y-%m-%d}")
    return _back_to_counter(request)


@page("points:figures")
def figures(request: HttpRequest) -> HttpResponse | FileResponse:
    """积分统计 for the communities in the user's scope over a period (default 近30天; an
    older ``?year=`` link still gives that year): the top communities and the rules as
    charts, every community in the table, and ``?export=xlsx`` for the same tables."""
    year = bounds.parse_year(request.GET.get("year"))
    if year and not request.GET.get("range"):
        period = periods.year_period(year)
    else:
        period = periods.parse_period(request.GET)
    communities = _communities(request.user)
    start, end = period.moments()
    rows = selectors.communities_figures(communities, start, end)
    by_rule = selectors.awards_by_rule(communities, start, end)
    if request.GET.get("export") == "xlsx":
        tables: list[Table] = [
            ("社区积分统计", selectors.FIGURE_HEADERS, [selectors.figure_cells(r) for r in rows]),
            (
                "按规则发放",
                ["积分规则", "奖励次数", "发放积分"],
                [[r["name"], r["awards"], float(r["points"])] for r in by_rule],
            ),
        ]
        return xlsx.tables_response(tables, f"积分统计_{period.start:%Y%m%d}-{period.end:%Y%m%d}.xlsx")
    top = rows[:FIGURES_TOP]
    totals = {
        key: sum((getattr(r, key) for r in rows), ZERO)
        for key in ("awarded", "redeemed", "hours", "orders", "picked_up")
    }
    chart = {
        "communities": {
            "names": [r.community.name for r in top],
            "awarded": [float(r.awarded) for r in top],
            "redeemed": [float(r.redeemed) for r in top],
            "hours": [float(r.hours) for r in top],
        },
        "rules": [{"name": r["name"], "value": float(r["points"])} for r in by_rule],
    }
    return render(
        request,
        "points/figures.html",
        {
            "period": period,
            "presets": periods.PRESETS,
            "preset_links": {k: "?" + urlencode({"range": k}) for k in periods.PRESETS if k != "custom"},
            "export_qs": urlencode({**period.params(), "export": "xlsx"}),
            "top_rows": top,
            "more_rows": rows[FIGURES_TOP:],
            "rows": rows,
            "top": FIGURES_TOP,
            "totals": totals,
            "by_rule": by_rule,
            "chart": chart,
        },
    )
