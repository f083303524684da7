"""Declarative lists: one ``ListSpec`` drives the screen, the .xlsx export and the
``export_xlsx`` command, so an export is exactly what the filtered screen shows.

A spec names its columns as (header, accessor) pairs, the fields ``q`` searches, its own
filters and its ordering. :func:`filtered` applies the request's GET parameters (``q``,
``street``, ``community``, ``grid`` and the spec's filters) to a queryset already restricted
to what the user may see.

Lists of personal registers name theirs (``register``, see ``accounts.privacy``): the rows
come from ``privacy.readable`` and a user whose cell reads only basic fields gets the spec
narrowed by :func:`spec_for` to the columns, filters and search fields marked ``basic``.
"""

from __future__ import annotations

import dataclasses
import datetime
import decimal
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import Model, Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import urlencode

from dangjian.accounts import privacy
from dangjian.core import bounds

PER_PAGE = 20
TERRITORY_PARAMS = (("street", "街道(镇)"), ("community", "社区"), ("grid", "网格"))
# More options than this in a territory select means the user narrows from above first.
MAX_OPTIONS = 300

Accessor = str | Callable[[Any], Any]


@dataclass(frozen=True)
class Column:
    header: str
    accessor: Accessor
    width: int = 14
    css: str = ""  # e.g. "masked" for personal data shown masked
    basic: bool = False  # shown to a cell reading basic fields only (name, phone, placement)

    def value(self, obj: Any) -> Any:
        if callable(self.accessor):
            return self.accessor(obj)
        value: Any = obj
        for part in self.accessor.split("."):
            if value is None:
                return None
            value = getattr(value, part)
        return value() if callable(value) else value


@dataclass(frozen=True)
class Filter:
    """One select on the filter bar. ``apply(qs, value)`` narrows the queryset; ``choices``
    is a list of (value, label) or a function of the user returning one."""

    param: str
    label: str
    choices: list[tuple[str, str]] | Callable[[Any], list[tuple[str, str]]]
    apply: Callable[[QuerySet, str], QuerySet]
    # For long option lists (organisations): whether ``value`` is acceptable for ``user``;
    # by default a value must be one of the options.
    accepts: Callable[[Any, str], bool] | None = None
    basic: bool = False  # offered to a cell reading basic fields only

    def options(self, user: Any) -> list[tuple[str, str]]:
        return list(self.choices(user) if callable(self.choices) else self.choices)

    def is_valid(self, user: Any, value: str, options: list[tuple[str, str]] | None) -> bool:
        if self.accepts is not None:
            return self.accepts(user, value)
        return value in {v for v, _ in (options if options is not None else self.options(user))}


def lookup_filter(lookup: str) -> Callable[[QuerySet, str], QuerySet]:
    return lambda qs, value: qs.filter(**{lookup: value})


def bool_filter(lookup: str) -> Callable[[QuerySet, str], QuerySet]:
    return lambda qs, value: qs.filter(**{lookup: value == "1"})


YES_NO = [("1", "是"), ("0", "否")]


@dataclass(frozen=True)
class Search:
    """One field ``q`` searches; its label goes into the search box's placeholder."""

    lookup: str
    label: str
    basic: bool = False


@dataclass(frozen=True)
class ListSpec:
    key: str  # "members": the export command's KIND
    title: str  # 党员: the page title and the sheet title
    model: type[Model]
    columns: tuple[Column, ...]
    search_fields: tuple[str | Search, ...] = ()
    filters: tuple[Filter, ...] = ()
    ordering: tuple[str, ...] = ("pk",)
    select_related: tuple[str, ...] = ()
    prefetch_related: tuple[str, ...] = ()
    annotate: Callable[[QuerySet], QuerySet] | None = None
    base: Callable[[QuerySet], QuerySet] | None = None  # e.g. only active rows
    territory: bool = True  # offer the street/community/grid filters
    icon: str = "list-ul"
    search_placeholder: str = "搜索"
    detail_url: Callable[[Any], str] | None = None
    register: str = ""  # the personal register it lists (accounts.privacy), if any

    @property
    def placeholder(self) -> str:
        """The search box names exactly the fields it searches, when they are labelled."""
        labels = [f.label for f in self.search_fields if isinstance(f, Search)]
        return "、".join(labels) if labels else self.search_placeholder

    @property
    def search_lookups(self) -> list[str]:
        return [f.lookup if isinstance(f, Search) else f for f in self.search_fields]

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]

    def params(self) -> list[str]:
        names = ["q"]
        if self.territory:
            names += [p for p, _ in TERRITORY_PARAMS]
        return names + [f.param for f in self.filters]


@dataclass
class Listing:
    """The outcome of applying GET parameters: the queryset and what was (not) understood."""

    queryset: QuerySet
    values: dict[str, str]
    errors: list[str]
    options: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    @property
    def querystring(self) -> str:
        return urlencode({k: v for k, v in self.values.items() if v})


def narrowed(spec: ListSpec, fields: str) -> ListSpec:
    """``spec`` as a cell reading ``fields`` sees it: under ``basic`` only what is marked so."""
    if fields != privacy.BASIC:
        return spec
    return dataclasses.replace(
        spec,
        columns=tuple(c for c in spec.columns if c.basic),
        filters=tuple(f for f in spec.filters if f.basic),
        search_fields=tuple(f for f in spec.search_fields if isinstance(f, Search) and f.basic),
    )


def cell_for(spec: ListSpec, user: Any) -> privacy.Cell:
    """The user's cell for the spec's register (lists of no register: open, full, export)."""
    if not spec.register or user is None:
        return privacy.Cell(privacy.TERRITORY, privacy.FULL, True)
    return privacy.register_access(user, spec.register)


def spec_for(spec: ListSpec, user: Any) -> ListSpec:
    """The spec as ``user`` may use it; a closed register is missing (404)."""
    cell = cell_for(spec, user)
    if not cell.open:
        raise Http404("未找到或无权访问")
    return narrowed(spec, cell.fields)


def base_queryset(spec: ListSpec, user: Any) -> QuerySet:
    """What the user may see of ``spec.model``; ``user=None`` is the system (the console)."""
    qs: QuerySet = spec.model._default_manager.all()
    if user is not None and spec.register:
        qs = privacy.readable(user, spec.register, qs)
    elif user is not None:
        qs = qs.restrict(user, "view")  # type: ignore[attr-defined]
    if spec.base is not None:
        qs = spec.base(qs)
    return qs


def filtered(spec: ListSpec, user: Any, params: Mapping[str, Any]) -> Listing:
    """Apply ``params`` (a request's GET or a plain dict) to the user's queryset of ``spec``.

    Unknown values are ignored with a Chinese message rather than failing the page.
    """
    qs = base_queryset(spec, user)
    values: dict[str, str] = {}
    errors: list[str] = []
    options: dict[str, list[tuple[str, str]]] = {}
    q = str(params.get("q") or "").strip()[:100]
    if q:
        values["q"] = q
        cond = Q()
        for name in spec.search_lookups:
            cond |= Q(**{f"{name}__icontains": q})
        qs = qs.filter(cond)
    if spec.territory:
        for param, label in TERRITORY_PARAMS:
            raw = str(params.get(param) or "").strip()
            if not raw:
                continue
            pk = bounds.parse_id(raw)
            if pk is None:
                errors.append(f"{label}筛选条件无效，已忽略")
                continue
            values[param] = str(pk)
            qs = qs.filter(**{f"{param}_id": pk})
    for flt in spec.filters:
        raw = str(params.get(flt.param) or "").strip()
        if not raw:
            continue
        if flt.accepts is None:
            options[flt.param] = flt.options(user)
        if not flt.is_valid(user, raw, options.get(flt.param)):
            errors.append(f"{flt.label}筛选条件“{raw[:20]}”无效，已忽略")
            continue
        values[flt.param] = raw
        qs = flt.apply(qs, raw)
    if spec.annotate is not None:
        qs = spec.annotate(qs)
    if spec.select_related:
        qs = qs.select_related(*spec.select_related)
    if spec.prefetch_related:
        qs = qs.prefetch_related(*spec.prefetch_related)
    return Listing(queryset=qs.order_by(*spec.ordering), values=values, errors=errors, options=options)


# --- cells -----------------------------------------------------------------------------


def cell_text(value: Any) -> Any:
    """A value as a screen/spreadsheet shows it: booleans in words, lists joined, None empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list | tuple | set):
        return "、".join(str(v) for v in value)
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if timezone.is_aware(value) else value
    if isinstance(value, int | float | decimal.Decimal | datetime.date):
        return value
    return str(value)


def row_cells(spec: ListSpec, obj: Any) -> list[Any]:
    return [cell_text(c.value(obj)) for c in spec.columns]


# --- the screen -------------------------------------------------------------------------


@dataclass
class TableRow:
    obj: Any
    cells: list[tuple[Column, Any]]
    url: str


def page_of(spec: ListSpec, listing: Listing, page_number: Any) -> Page:
    # An absurd page (99999999999999999999, -1, "x") shows the last or the first page.
    paginator = Paginator(listing.queryset, PER_PAGE)
    return paginator.get_page(bounds.parse_int(page_number, lo=1, hi=bounds.PAGE_MAX) or 1)


def table_rows(spec: ListSpec, objects: Iterable[Any]) -> list[TableRow]:
    rows = []
    for obj in objects:
        cells = list(zip(spec.columns, row_cells(spec, obj), strict=True))
        rows.append(TableRow(obj=obj, cells=cells, url=spec.detail_url(obj) if spec.detail_url else ""))
    return rows


def territory_options(user: Any, values: Mapping[str, str]) -> list[dict[str, Any]]:
    """The street/community/grid selects, limited to what the user sees and narrowed by the
    level chosen above (a grid list appears once a community or street is chosen)."""
    from dangjian.territory.selectors import visible_nodes

    nodes = visible_nodes(user).order_by("code")
    selects: list[dict[str, Any]] = []
    narrow: dict[str, str] = {}
    for param, label in TERRITORY_PARAMS:
        qs = nodes.filter(level=param, **narrow).values_list("pk", "name")
        options = list(qs[: MAX_OPTIONS + 1])
        if len(options) > MAX_OPTIONS:
            options = []  # too many: choose the level above first
        if options or values.get(param):
            selects.append(
                {
                    "param": param,
                    "label": label,
                    "options": [(str(pk), name) for pk, name in options],
                    "value": values.get(param, ""),
                }
            )
        if values.get(param):
            narrow = {f"{param}_id": values[param]}
    return selects


def list_context(spec: ListSpec, request: HttpRequest, *, export_url: str) -> dict[str, Any]:
    """Everything the shared list templates need, for the full page and the htmx partial."""
    user = request.user
    cell = cell_for(spec, user)
    spec = spec_for(spec, user)
    listing = filtered(spec, user, request.GET)
    page = page_of(spec, listing, request.GET.get("page"))
    return {
        "spec": spec,
        "listing": listing,
        "page_obj": page,
        "rows": table_rows(spec, page.object_list),
        "headers": spec.headers,
        "querystring": listing.querystring,
        "export_url": export_url + ("?" + listing.querystring if listing.querystring else "")
        if cell.export
        else "",
        "territory_selects": territory_options(user, listing.values) if spec.territory else [],
        "filter_selects": [
            {
                "param": f.param,
                "label": f.label,
                "options": listing.options.get(f.param) or f.options(user),
                "value": listing.values.get(f.param, ""),
            }
            for f in spec.filters
        ],
        "is_htmx": request.headers.get("HX-Request") == "true",
    }


# --- staff gate -------------------------------------------------------------------------


def is_staff_user(user: Any) -> bool:
    """Staff lists are for users holding a staff role somewhere (residents and members get
    their own records through ``people:me``)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_superuser or user.scope_assignments())


def require_staff(user: Any) -> None:
    if not is_staff_user(user):
        raise Http404("未找到或无权访问")


def list_view(request: HttpRequest, spec: ListSpec, *, export_url: str) -> HttpResponse:
    """The shared list page: the full page, or only the table for htmx live search."""
    require_staff(request.user)
    ctx = list_context(spec, request, export_url=export_url)
    partial = ctx["is_htmx"] and request.headers.get("HX-History-Restore-Request") != "true"
    response = render(request, "includes/list_table.html" if partial else "includes/list_page.html", ctx)
    patch_vary_headers(response, ("HX-Request",))
    return response


def export_view(request: HttpRequest, spec: ListSpec) -> FileResponse:
    """The same rows as the filtered list (all its pages) as a spreadsheet; only for a cell
    that may export (a closed register is missing, an open one without export forbidden)."""
    require_staff(request.user)
    spec = export_spec(spec, request.user)
    return xlsx_response(spec, filtered(spec, request.user, request.GET))


def export_spec(spec: ListSpec, user: Any) -> ListSpec:
    """The spec ``user`` may export with; raises 404 (closed) or 403 (no export)."""
    narrowed_spec = spec_for(spec, user)
    if not cell_for(spec, user).export:
        raise PermissionDenied("您的角色无权导出此名册")
    return narrowed_spec


# --- the spreadsheet --------------------------------------------------------------------


def iter_rows(spec: ListSpec, queryset: QuerySet) -> Iterator[list[Any]]:
    # Chunks keep memory flat for tens of thousands of rows (prefetches run per chunk).
    for obj in queryset.iterator(chunk_size=2000):
        yield row_cells(spec, obj)


def write_xlsx(spec: ListSpec, queryset: QuerySet, target: Any) -> int:
    """Write the rows of ``queryset`` to ``target`` (a path or binary file); return the count."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    from dangjian.core import xlsx

    wb = xlsx.workbook(write_only=True)
    ws = wb.create_sheet(title=spec.title[:31])
    ws.freeze_panes = "A2"
    for i, col in enumerate(spec.columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = col.width
    xlsx.append(
        ws,
        spec.headers,
        font=Font(bold=True, color="FFFFFF"),
        fill=PatternFill("solid", fgColor="C8161D"),
        alignment=Alignment(horizontal="center", vertical="center"),
    )
    count = 0
    for row in iter_rows(spec, queryset):
        xlsx.append(ws, row)
        count += 1
    wb.save(target)
    return count


def export_filename(spec: ListSpec) -> str:
    return f"{spec.title}_{timezone.localdate():%Y%m%d}.xlsx"


def xlsx_response(spec: ListSpec, listing: Listing) -> FileResponse:
    # A spooled temporary file: small exports stay in memory, large ones go to disk.
    buffer = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 - FileResponse closes it
    write_xlsx(spec, listing.queryset, buffer)
    buffer.seek(0)
    return FileResponse(
        buffer,
        as_attachment=True,
        filename=export_filename(spec),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
