"""The resident side of appeals: 有话想说 / 服务企业马上办 (intake), the private tracking link,
反馈评价 (rating), 我的诉求, the public view of a case, and photos served with an access check.
"""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dangjian.appeals import access, actions, link_actions, nearby, photos, public_view, selectors, workflow
from dangjian.appeals.access import actor_kinds
from dangjian.appeals.choices import FINAL_STATES, OPEN_STATES, Actor, Channel, Event, Status
from dangjian.appeals.forms_public import MAX_KEY, RatingForm, ReportForm
from dangjian.appeals.models import Case, CaseNote, Category, Follower, Photo, Transition
from dangjian.core import bounds, crypto, workcal
from dangjian.core.pages import page
from dangjian.territory import geo
from dangjian.territory.models import Node

# Status → Bootstrap badge colour.
BADGE = {
    Status.SUBMITTED: "secondary",
    Status.ACCEPTED: "info",
    Status.PUBLISHED: "info",
    Status.DISPATCHED: "primary",
    Status.IN_PROGRESS: "warning",
    Status.WHISTLED: "danger",
    Status.HANDLED: "primary",
    Status.CLOSED: "success",
    Status.RATED: "success",
    Status.REJECTED: "dark",
    Status.DUPLICATE: "dark",
    Status.NOT_OURS: "dark",
    Status.CANCELLED: "dark",
}
EVENT_LABELS = {"submit": "提交诉求", **dict(Event.choices)}
# Transition notes the reporter may read (reasons and results); the notes of internal steps
# (dispatch instructions, escalations, whistles) stay with the staff.
REPORTER_NOTE_EVENTS = {
    "submit",
    Event.REJECT,
    Event.FEEDBACK,
    Event.VERIFY_PASS,
    Event.RATE,
    Event.REOPEN,
    Event.CLOSE_DUPLICATE,
    Event.CLOSE_NOT_OURS,
    Event.CANCEL,
}
WORKDAY_HOURS = workcal.WORKING_DAY.total_seconds() / 3600
LIST_LIMIT = 50


def _badge(case: Case) -> Case:
    case.badge = BADGE.get(Status(case.status), "secondary")  # type: ignore[attr-defined]
    return case


def _countdown(label: str, due: dt.datetime | None, now: dt.datetime) -> dict[str, Any] | None:
    """Working time left until ``due`` (or how far past it), as text for a badge; nothing
    under a minute (never “已超期 0分钟”)."""
    if due is None:
        return None
    left = workcal.working_time_between(now, due)
    span = workcal.span_text(left)
    if not span:
        return None
    overdue = left < dt.timedelta(0)
    return {
        "label": label,
        "due": due,
        "overdue": overdue,
        "text": f"已超期 {span}" if overdue else f"剩余 {span}",
    }


def _deadlines(case: Case) -> list[dict[str, Any]]:
    if case.status in FINAL_STATES or case.status == Status.CLOSED:
        return []
    now = timezone.now()
    out = []
    if case.status == Status.DISPATCHED and case.ack_due:
        out.append(_countdown("签收时限", case.ack_due, now))
    if case.resolve_due:
        out.append(_countdown("办结时限", case.resolve_due, now))
    return [c for c in out if c]


def _timeline(
    case: Case, *, with_notes: bool, note_photos: dict[int, list[Photo]] | None = None
) -> list[dict[str, Any]]:
    """Transitions (Chinese labels) and public progress notes (with their 现场照片), oldest first."""
    items: list[dict[str, Any]] = []
    for t in Transition.objects.filter(case=case).only("at", "event", "to_state", "note", "case_id"):
        items.append(
            {
                "at": t.at,
                "label": EVENT_LABELS.get(t.event, t.event),
                "status": Status(t.to_state).label if t.to_state in Status.values else "",
                "note": t.note if with_notes and t.event in REPORTER_NOTE_EVENTS else "",
                "icon": "check-circle"
                if t.to_state in (Status.CLOSED, Status.RATED)
                else "arrow-right-circle",
            }
        )
    if with_notes:
        for n in CaseNote.objects.filter(case=case, public=True).only("at", "text", "case_id"):
            items.append(
                {
                    "at": n.at,
                    "label": "处置进展",
                    "status": "",
                    "note": n.text,
                    "icon": "chat-left-text",
                    "photos": (note_photos or {}).get(n.pk, []),
                }
            )
    items.sort(key=lambda i: i["at"])
    return items


def _client_key(request: HttpRequest) -> str:
    return (request.headers.get("Idempotency-Key") or request.POST.get("idempotency_key") or "").strip()


def _stored_key(user: Any, key: str) -> str:
    # Keys are per user, so one user's key can never fetch another user's case.
    return f"web{user.pk}:{key}"


def _category_options(parent_id: int | None, enterprise: bool) -> list[Category]:
    return list(
        Category.objects.filter(parent_id=parent_id, active=True, enterprise=enterprise).only(
            "id", "name", "parent_id"
        )
    )


def _report(request: HttpRequest, *, enterprise: bool) -> HttpResponse:
    user: Any = request.user
    channel = Channel.ENTERPRISE if enterprise else Channel.RESIDENT
    tops = _category_options(None, enterprise)
    status = 200
    errors: list[str] = []
    if request.method == "POST":
        key = _client_key(request)
        if key and len(key) <= MAX_KEY:
            existing = Case.objects.filter(idempotency_key=_stored_key(user, key)).only("number").first()
            if existing is not None:  # a double submit or a retry: the first case stands
                return redirect("appeals:submitted", number=existing.number)
        data = request.POST.copy()
        if request.headers.get("Idempotency-Key"):
            data["idempotency_key"] = key
        form = ReportForm(data, enterprise=enterprise)
        prepared: list[photos.Prepared] = []
        try:
            prepared = photos.prepare_images(request.FILES.getlist("photos"))
        except ValidationError as exc:
            errors += exc.message_dict.get("photos", exc.messages)
        if form.is_valid() and not errors:
            d = form.cleaned_data
            try:
                with transaction.atomic():
                    submitted = actions.submit_case(
                        channel=channel,
                        category=form.category,
                        title=d["title"],
                        description=d["description"],
                        idempotency_key=_stored_key(user, d["idempotency_key"]),
                        lng=d["lng"],
                        lat=d["lat"],
                        address=d["address"],
                        reporter=getattr(user, "person", None),
                        anonymous=d["anonymous"],
                        contact_name="" if user.person_id else user.name,
                        contact_phone=d["contact_phone"] or crypto.decrypt(user.phone_enc),
                        acting_user=user,
                    )
                    if submitted.created and prepared:
                        photos.attach_photos(submitted.case, prepared, "report", user)
            except ValidationError as exc:
                errors += exc.messages
            except workflow.TransitionError as exc:
                errors.append(str(exc))
            else:
                return redirect("appeals:submitted", number=submitted.case.number)
        errors = [str(e) for errors_ in form.errors.values() for e in errors_] + errors
        status = 400
    else:
        form = ReportForm(initial={"idempotency_key": uuid.uuid4().hex}, enterprise=enterprise)
    selected = [form.data.get(f"cat{i}", "") if form.is_bound else "" for i in (1, 2, 3)]
    if not form.is_bound and len(tops) == 1:  # one top category (企业服务): choose it already
        selected[0] = str(tops[0].pk)
    seconds = _category_options(int(selected[0]), enterprise) if bounds.is_id(selected[0]) else []
    thirds = _category_options(int(selected[1]), enterprise) if bounds.is_id(selected[1]) else []
    return render(
        request,
        "appeals/public/report.html",
        {
            "form": form,
            "errors": list(dict.fromkeys(errors)),
            "enterprise": enterprise,
            "channel_label": Channel(channel).label,
            "tops": tops,
            "seconds": seconds,
            "thirds": thirds,
            "selected": selected,
            "phone_masked": user.phone_masked,
            "max_photos": photos.MAX_PHOTOS,
        },
        status=status,
    )


@page("appeals:report")
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest) -> HttpResponse:
    """有话想说: a resident (or party member, or anyone logged in) reports a problem."""
    return _report(request, enterprise=False)


@page("appeals:report_enterprise")
@require_http_methods(["GET", "POST"])
def report_enterprise(request: HttpRequest) -> HttpResponse:
    """服务企业马上办: the same form with the enterprise categories."""
    return _report(request, enterprise=True)


@login_required
@require_GET
def categories(request: HttpRequest) -> HttpResponse:
    """htmx: the options of level 2 or 3 under the chosen parent."""
    level = request.GET.get("level", "")
    if level not in ("2", "3"):
        return HttpResponseBadRequest("级别不正确")
    raw = request.GET.get(f"cat{int(level) - 1}", "")
    enterprise = request.GET.get("enterprise") == "1"
    options = _category_options(int(raw), enterprise) if bounds.is_id(raw) else []
    return render(
        request,
        "appeals/public/_category_select.html",
        {
            "level": int(level),
            "options": options,
            "selected": "",
            "enterprise": enterprise,
            "reset_below": level == "2",
        },
    )


@login_required
@require_GET
def grids(request: HttpRequest) -> JsonResponse:
    """Every grid's outline (names only) for picking a location on the report page."""
    features = [
        {
            "type": "Feature",
            "id": n.pk,
            "properties": {"name": n.name, "code": n.code},
            "geometry": n.boundary,
        }
        for n in Node.objects.filter(level="grid", boundary__isnull=False).only(
            "id", "name", "code", "boundary"
        )
    ]
    return JsonResponse({"type": "FeatureCollection", "crs": "GCJ-02", "features": features})


def _float(raw: str | None) -> float | None:
    try:
        value = float(raw or "")
    except ValueError:
        return None
    return value if -180 <= value <= 180 else None


@login_required
@require_GET
def nearby_cases(request: HttpRequest) -> HttpResponse:
    """htmx: where the point lies, and open cases of the same category within 250 m."""
    lng, lat = _float(request.GET.get("lng")), _float(request.GET.get("lat"))
    raw_cat = request.GET.get("category", "")
    context: dict[str, Any] = {"located": None, "cases": [], "has_point": lng is not None and lat is not None}
    if lng is not None and lat is not None:
        place = geo.place_point(lng, lat)
        node_id = place.grid_id or place.street_id or place.county_id
        context["inside"] = place.inside
        context["located"] = Node.objects.filter(pk=node_id).only("name").first() if node_id else None
        # Residents' categories only: enterprise cases are not shown to other users.
        if bounds.is_id(raw_cat) and Category.objects.filter(pk=int(raw_cat), enterprise=False).exists():
            found = nearby.open_cases_near(int(raw_cat), lng, lat, text=request.GET.get("text", "")[:600])
            context["cases"] = [
                (_badge(n.case), round(n.distance_m), public_view.public_title(n.case)) for n in found
            ]
            context["searched"] = True
    return render(request, "appeals/public/_nearby.html", context)


@login_required
@require_GET
def submitted(request: HttpRequest, number: str) -> HttpResponse:
    case = get_object_or_404(
        Case.objects.select_related("category", "top_category"), number=number, reporter_user=request.user
    )
    track_url = request.build_absolute_uri(reverse("appeals:track", args=[case.tracking_token]))
    return render(request, "appeals/public/submitted.html", {"case": _badge(case), "track_url": track_url})


def _case_for_token(token: str) -> Case:
    if not token or len(token) > 40:
        raise Http404("未找到该诉求")
    case = (
        Case.objects.select_related(
            "category", "top_category", "street", "community", "grid", "compound", "merged_into"
        )
        .filter(tracking_token=token)
        .first()
    )
    if case is None or not secrets.compare_digest(case.tracking_token, token):
        raise Http404("未找到该诉求")
    return case


def _rater(request: HttpRequest, case: Case) -> Any:
    """Who rates through the private link.

    - The case has a reporter account: the link holder acts as that account.
    - The reporter person has an account (but the case was filed without it): that
      account, logged in.
    - No reporter account at all (12345 hotline, Open311, staff-entered): whoever holds
      the link (:class:`link_actions.LinkHolder`), once per closing.
    """
    if case.reporter_user_id:
        return case.reporter_user
    user: Any = request.user
    if user.is_authenticated and Actor.REPORTER in actor_kinds(user, case):
        return user
    if not link_actions.has_reporter_account(case):
        return link_actions.LinkHolder(case.pk)
    return None


def _track_photos(case: Case) -> tuple[list[Photo], dict[int, list[Photo]]]:
    """What the reporter and the link holder see: 反映照片, and the 现场照片 of public notes."""
    rows = list(
        Photo.objects.filter(photos.FOR_REPORTER, case=case)
        .only("id", "kind", "note_id", "width", "height", "case_id")
        .order_by("id")
    )
    by_note: dict[int, list[Photo]] = {}
    for p in rows:
        if p.note_id is not None:
            by_note.setdefault(p.note_id, []).append(p)
    return [p for p in rows if p.note_id is None], by_note


@require_GET
def track(request: HttpRequest, token: str) -> HttpResponse:
    """The private tracking link: works without logging in."""
    case = _case_for_token(token)
    can_rate = case.status == Status.CLOSED and _rater(request, case) is not None
    own_photos, note_photos = _track_photos(case)
    response = render(
        request,
        "appeals/public/track.html",
        {
            "case": _badge(case),
            "token": token,
            "timeline": _timeline(case, with_notes=True, note_photos=note_photos),
            "deadlines": _deadlines(case),
            "photos": own_photos,
            "can_rate": can_rate,
            "rating_form": RatingForm() if can_rate else None,
            "rating_label": case.get_rating_display(),
        },
    )
    # The token must not leak to other sites, but the rating form posts back here: with
    # "no-referrer" browsers send "Origin: null" and Django's CSRF check refuses the rating.
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_POST
def rate(request: HttpRequest, token: str) -> HttpResponse:
    """反馈评价 through the private link (or by the logged-in reporter)."""
    case = _case_for_token(token)
    rater = _rater(request, case)
    if rater is None:
        raise Http404("未找到该诉求")
    form = RatingForm(request.POST)
    if form.is_valid():
        try:
            if isinstance(rater, link_actions.LinkHolder):
                link_actions.rate_by_link(
                    case,
                    token=token,
                    rating=form.cleaned_data["rating"],
                    comment=form.cleaned_data["comment"],
                )
            else:
                actions.rate_case(
                    case,
                    rating=form.cleaned_data["rating"],
                    comment=form.cleaned_data["comment"],
                    acting_user=rater,
                )
        except link_actions.AlreadyRated as exc:
            messages.info(request, str(exc))
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        except workflow.TransitionError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "感谢您的评价！")
            return redirect("appeals:track", token=token)
    else:
        messages.error(request, "；".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect("appeals:track", token=token)


@page("appeals:mine")
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    """我的诉求: the cases I reported and the ones I follow (``?show=open|rate``: only my
    cases still being handled, or waiting for my rating — what the home page links to)."""
    user: Any = request.user
    show = request.GET.get("show", "")
    if show not in selectors.MINE_FILTERS:
        show = ""
    own = [
        _badge(c)
        for c in selectors.reported_cases(user, show)
        .select_related("category")
        .only("id", "number", "title", "status", "received_on", "tracking_token", "category__name", "rating")
        .order_by("-created_at", "-id")[:LIST_LIMIT]
    ]
    followed = (
        []
        if show
        else [
            _public_titled(_badge(f.case))
            for f in Follower.objects.filter(user=user)
            .select_related("case", "case__category")
            .only(
                "id",
                "case__id",
                "case__number",
                "case__title",
                "case__status",
                "case__received_on",
                "case__category__name",
                # what public_view.public_title reads
                "case__anonymous",
                "case__channel",
                "case__address",
                "case__contact_name",
                "case__category__enterprise",
            )
            .order_by("-created_at", "-id")[:LIST_LIMIT]
        ]
    )
    return render(
        request,
        "appeals/public/mine.html",
        {
            "own": own,
            "followed": followed,
            "limit": LIST_LIMIT,
            "show": show,
            "show_label": selectors.MINE_FILTERS[show][0] if show else "",
        },
    )


def _public_titled(case: Case) -> Case:
    """Someone else's case in a list: its title as the public sees it (``public_view``)."""
    case.public_title = public_view.public_title(case)  # type: ignore[attr-defined]
    return case


def _is_staff_viewer(user: Any, case: Case) -> bool:
    """Staff whose pages show this case (its territory, or the department handling it)."""
    return selectors.is_staff(user) and selectors.visible_cases(user).filter(pk=case.pk).exists()


def _readable_case(user: Any, number: str) -> Case:
    """A case for its public page: any logged-in user, except an enterprise case, which only
    its enterprise (the reporter and the unit's other liaisons) and staff in scope may read;
    404 alike for missing and forbidden."""
    case = Case.objects.select_related(*public_view.RELATED).filter(number=number).first()
    if case is None:
        raise Http404("未找到该诉求")
    if access.is_enterprise_case(case) and not (
        Actor.REPORTER in actor_kinds(user, case)
        or access.same_enterprise(user, case)
        or _is_staff_viewer(user, case)
    ):
        raise Http404("未找到该诉求")
    return case


@login_required
@require_GET
def public_case(request: HttpRequest, number: str) -> HttpResponse:
    """A case as any logged-in user sees it: ``appeals.public_view`` (the same projection as
    Open311): no reporter, phone, address or exact point, the text scrubbed, and nothing but
    category, status and area for an anonymous, enterprise or hotline case."""
    user: Any = request.user
    case = _readable_case(user, number)
    shown = public_view.of(case)
    is_reporter = Actor.REPORTER in actor_kinds(user, case)
    is_staff_viewer = _is_staff_viewer(user, case)
    show_photos = is_reporter or is_staff_viewer
    photo_rows = Photo.objects.filter(case=case).only("id", "case_id")
    if show_photos and not is_staff_viewer:
        photo_rows = photo_rows.filter(photos.FOR_REPORTER)  # the reporter: not the internal notes' photos
    return render(
        request,
        "appeals/public/public_case.html",
        {
            "shown": shown,
            "badge": BADGE.get(Status(case.status), "secondary"),
            "case": case,
            "timeline": [] if shown.private else _timeline(case, with_notes=False),
            "photos": list(photo_rows) if show_photos else [],
            "is_reporter": is_reporter,
            "staff_url": reverse("appeals:case", args=[case.pk]) if is_staff_viewer else "",
            "private_note": public_view.PRIVATE_NOTE,
            "following": Follower.objects.filter(case=case, user=user).exists(),
            "followers": Follower.objects.filter(case=case).count(),
            "can_follow": case.status in OPEN_STATES and not is_reporter,
        },
    )


@login_required
@require_POST
def follow(request: HttpRequest, number: str) -> HttpResponse:
    """关注此问题: follow an open case instead of filing a duplicate."""
    case = _readable_case(request.user, number)
    target = reverse("appeals:public_case", args=[case.number])
    if case.status not in OPEN_STATES:
        messages.error(request, "该诉求已办结或关闭，无需关注")
    else:
        actions.follow_case(case, acting_user=request.user)
        messages.success(request, f"已关注 {case.number}，办理结果将通知您")
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = target
        return response
    return redirect(target)


def _may_see_photo(request: HttpRequest, found: Photo) -> bool:
    """The rules of ``appeals.photos``: staff in scope see every photo; the reporter and the
    link holder the 反映照片 and the 现场照片 of public notes; everyone the public photos."""
    case = found.case
    user: Any = request.user
    if user.is_authenticated and _is_staff_viewer(user, case):
        return True
    token = request.GET.get("t", "")
    holder = bool(token) and secrets.compare_digest(token, case.tracking_token)
    reporter = user.is_authenticated and Actor.REPORTER in actor_kinds(user, case)
    if (holder or reporter) and photos.for_reporter(found):
        return True
    return photos.is_public(found)


@require_GET
def photo(request: HttpRequest, pk: int) -> FileResponse:
    """Serve one photo to those allowed (see :func:`_may_see_photo`); 404 alike otherwise."""
    found = Photo.objects.select_related("case", "note").filter(pk=pk).first()
    if found is None or not _may_see_photo(request, found):
        raise Http404("未找到图片")
    try:
        handle = found.image.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404("图片文件缺失") from exc
    response = FileResponse(handle, content_type=photos.content_type(found))
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = "inline"
    response["Referrer-Policy"] = "no-referrer"
    return response
