"""Least privilege for personal data: which registers each role may read, how far, which
fields, and whether it may export them.

One table, read by the menu (``core.pages``), the register pages, the API and the exports
alike; the README prints the same table and ``people/tests/test_privacy_table.py`` checks
every cell for every persona. A user holding several roles gets, per register, the widest
of their cells.

Scopes
    ``territory`` every record under the nodes the role is assigned at;
    ``linked``    only the records attached to the user's own work: for a department the
                  reporters of cases assigned or whistled to it, for a unit liaison the
                  members of its own unit who registered (双报到) and its own unit;
    ``none``      the register is closed (no menu entry, 404 on pages and API).
Fields
    ``full``      every column (personal numbers masked; unmasking needs ``reveal``);
    ``basic``     name, masked phone and placement only — no birth date, ID number,
                  address, care tags, pay.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from django.apps import apps
from django.db.models import Q, QuerySet
from ninja import Schema
from pydantic import ValidationInfo, model_validator
from pydantic.functional_validators import ModelWrapValidatorHandler

from dangjian.accounts.roles import Role

RESIDENTS = "residents"
MEMBERS = "members"
GRID_WORKERS = "grid_workers"
COMMUNITY_WORKERS = "community_workers"
UNITS = "units"

REGISTERS: dict[str, str] = {
    RESIDENTS: "居民",
    MEMBERS: "党员",
    GRID_WORKERS: "网格员",
    COMMUNITY_WORKERS: "社区工作者",
    UNITS: "驻区单位",
}

TERRITORY, LINKED, NONE = "territory", "linked", "none"
FULL, BASIC = "full", "basic"

SCOPE_LABELS = {TERRITORY: "辖区全部", LINKED: "仅与本人工作相关", NONE: "不可见"}
FIELD_LABELS = {FULL: "全部字段(脱敏)", BASIC: "姓名、脱敏手机号、所在组织/网格", NONE: "—"}


@dataclass(frozen=True)
class Cell:
    scope: str = NONE
    fields: str = NONE
    export: bool = False

    @property
    def open(self) -> bool:
        return self.scope != NONE


_FULL_X = Cell(TERRITORY, FULL, True)
_FULL = Cell(TERRITORY, FULL, False)
_BASIC = Cell(TERRITORY, BASIC, False)
_NO = Cell()

PERSONAL_DATA: dict[str, dict[str, Cell]] = {
    Role.CITY_ADMIN: {
        RESIDENTS: _FULL_X,
        MEMBERS: _FULL_X,
        GRID_WORKERS: _FULL_X,
        COMMUNITY_WORKERS: _FULL_X,
        UNITS: _FULL_X,
    },
    # Leaders steer by figures; they read the party and worker registers, not residents.
    Role.LEADER: {
        RESIDENTS: _NO,
        MEMBERS: _BASIC,
        GRID_WORKERS: _BASIC,
        COMMUNITY_WORKERS: _BASIC,
        UNITS: _FULL,
    },
    Role.STREET_OFFICER: {
        RESIDENTS: _FULL_X,
        MEMBERS: _FULL_X,
        GRID_WORKERS: _FULL_X,
        COMMUNITY_WORKERS: _FULL_X,
        UNITS: _FULL_X,
    },
    Role.STREET_CHIEF: {
        RESIDENTS: _FULL,
        MEMBERS: _BASIC,
        GRID_WORKERS: _FULL,
        COMMUNITY_WORKERS: _BASIC,
        UNITS: _FULL,
    },
    Role.COMMUNITY_WORKER: {
        RESIDENTS: _FULL_X,
        MEMBERS: _FULL_X,
        GRID_WORKERS: _FULL_X,
        COMMUNITY_WORKERS: _FULL_X,
        UNITS: _FULL_X,
    },
    Role.GRID_WORKER: {
        RESIDENTS: _FULL,
        MEMBERS: _BASIC,
        GRID_WORKERS: _BASIC,
        COMMUNITY_WORKERS: _BASIC,
        UNITS: _BASIC,
    },
    # A department handles cases: it may look up the people who reported them, nothing more.
    Role.DEPARTMENT: {
        RESIDENTS: Cell(LINKED, BASIC, False),
        MEMBERS: _NO,
        GRID_WORKERS: _NO,
        COMMUNITY_WORKERS: _NO,
        UNITS: Cell(LINKED, FULL, False),
    },
    Role.INSPECTOR: {
        RESIDENTS: _NO,
        MEMBERS: _BASIC,
        GRID_WORKERS: _BASIC,
        COMMUNITY_WORKERS: _BASIC,
        UNITS: _BASIC,
    },
    # A unit liaison manages its own unit's 双报到: its own members and its own unit.
    Role.UNIT_ADMIN: {
        RESIDENTS: _NO,
        MEMBERS: Cell(LINKED, BASIC, False),
        GRID_WORKERS: _NO,
        COMMUNITY_WORKERS: _NO,
        UNITS: Cell(LINKED, FULL, False),
    },
    Role.MEMBER: dict.fromkeys(REGISTERS, _NO),
    Role.RESIDENT: dict.fromkeys(REGISTERS, _NO),
}

_SCOPE_RANK = {NONE: 0, LINKED: 1, TERRITORY: 2}
_FIELD_RANK = {NONE: 0, BASIC: 1, FULL: 2}


def cell_for_roles(roles: list[str] | set[str], register: str) -> Cell:
    """The widest cell among ``roles`` for ``register``."""
    best = _NO
    for role in roles:
        cell = PERSONAL_DATA.get(role, {}).get(register, _NO)
        best = Cell(
            max(best.scope, cell.scope, key=_SCOPE_RANK.__getitem__),
            max(best.fields, cell.fields, key=_FIELD_RANK.__getitem__),
            best.export or cell.export,
        )
    return best


def register_access(user: Any, register: str) -> Cell:
    """What ``user`` may do with ``register``; superusers hold the city admin's cell."""
    if not getattr(user, "is_authenticated", False):
        return _NO
    if user.is_superuser:
        return PERSONAL_DATA[Role.CITY_ADMIN][register]
    return cell_for_roles(user.roles, register)


def roles_for_cell(register: str, role: str) -> Cell:
    return PERSONAL_DATA[role][register]


# --- reading a register -----------------------------------------------------------------

# The model of each register (by label: this module sits below the apps that define them).
MODELS: dict[str, str] = {
    RESIDENTS: "people.Resident",
    MEMBERS: "party.PartyMember",
    GRID_WORKERS: "people.GridWorker",
    COMMUNITY_WORKERS: "people.CommunityWorker",
    UNITS: "units.Unit",
}
# The registers that are registers of people (their rows point at a ``Person``).
PERSON_REGISTERS = (RESIDENTS, MEMBERS, GRID_WORKERS, COMMUNITY_WORKERS)
UNIT_ROLES = frozenset({Role.DEPARTMENT, Role.UNIT_ADMIN})

# (role, register) → the rows of ``register`` linked to the user's own work, as a Q on the
# register's model. The apps that know the work (appeals, service) register theirs in
# ``AppConfig.ready`` so this module never imports them.
LinkedRows = Callable[[Any], Q]
_LINKED: dict[tuple[str, str], LinkedRows] = {}


def link(role: str, register: str) -> Callable[[LinkedRows], LinkedRows]:
    """Decorator: ``fn(user) -> Q`` gives the rows of ``register`` linked to ``role``'s work."""

    def decorate(fn: LinkedRows) -> LinkedRows:
        _LINKED[(str(role), register)] = fn
        return fn

    return decorate


def linked_provider(role: str, register: str) -> LinkedRows | None:
    return _LINKED.get((str(role), register))


def assigned_units(user: Any, role: str) -> set[int]:
    """The units (departments, 驻区单位) ``user`` works for under ``role``."""
    return {a.unit_id for a in user.active_assignments() if a.role == role and a.unit_id}


def _own_unit(role: str) -> LinkedRows:
    return lambda user: Q(pk__in=sorted(assigned_units(user, role)))


for _role in UNIT_ROLES:
    link(_role, UNITS)(_own_unit(_role))


def register_model(register: str) -> Any:
    return apps.get_model(MODELS[register])


def _roles(user: Any) -> list[str]:
    return [] if user.is_superuser else list(user.roles)


def territory_roles(user: Any, register: str) -> frozenset[str]:
    """The user's roles that open ``register`` over their whole territory."""
    return frozenset(r for r in _roles(user) if roles_for_cell(register, r).scope == TERRITORY)


def readable(user: Any, register: str, qs: QuerySet | None = None) -> QuerySet:
    """The rows of ``register`` (``qs`` or all of its model) that ``user`` may read.

    Territory cells keep the rows under the user's nodes, linked cells add the rows of the
    user's own work, and everyone keeps their own record. ``user=None`` is the system (the
    console without ``--as``): everything.
    """
    model = register_model(register)
    qs = model._default_manager.all() if qs is None else qs
    if user is None or (getattr(user, "is_authenticated", False) and user.is_superuser):
        return qs
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    territory = qs.restrict(user, "view", roles=territory_roles(user, register))  # type: ignore[union-attr]
    linked = [r for r in _roles(user) if roles_for_cell(register, r).scope == LINKED]
    if not linked:
        return territory
    cond = Q(pk__in=territory.values("pk"))
    for role in linked:
        provider = linked_provider(role, register)
        if provider is None:
            raise LookupError(f"no linked rows for {role} × {register}")
        cond |= provider(user)
    return qs.filter(cond)


def is_own(user: Any, obj: Any) -> bool:
    """Whether ``obj`` (a person or a row of a person register) is the user's own record."""
    person_id = getattr(user, "person_id", None)
    if not person_id:
        return False
    own = getattr(obj, "person_id", None)
    if own is None and type(obj).__name__ == "Person":
        own = obj.pk
    return own == person_id


def fields_for(user: Any, register: str, obj: Any = None) -> str:
    """``full`` or ``basic`` (or ``none``) for ``register``; one's own record is always full."""
    if obj is not None and is_own(user, obj):
        return FULL
    return register_access(user, register).fields


def is_basic(user: Any, register: str, obj: Any = None) -> bool:
    return fields_for(user, register, obj) == BASIC


# --- a person across registers ----------------------------------------------------------


def _person_sources(user: Any) -> list[tuple[str, Q]]:
    """Per open person register: a Q on ``Person`` for the people it lets the user read.

    A person's home counts for the residents register (a person registered nowhere yet is
    a resident-to-be of the place they live)."""
    Person = apps.get_model("people.Person")
    out: list[tuple[str, Q]] = []
    for register in PERSON_REGISTERS:
        cell = register_access(user, register)
        if not cell.open:
            continue
        rows = readable(user, register).values("person_id")
        q = Q(pk__in=rows)
        if register == RESIDENTS and cell.scope == TERRITORY:
            homes = Person._default_manager.restrict(user, "view", roles=territory_roles(user, register))
            q |= Q(pk__in=homes.values("pk"))
        out.append((cell.fields, q))
    return out


def readable_persons(user: Any, qs: QuerySet | None = None) -> QuerySet:
    """The people ``user`` may read through any register, and their own record."""
    Person = apps.get_model("people.Person")
    qs = Person._default_manager.all() if qs is None else qs
    if user is None or (getattr(user, "is_authenticated", False) and user.is_superuser):
        return qs
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    cond = Q(pk__in=[user.person_id] if user.person_id else [])
    for _fields, q in _person_sources(user):
        cond |= q
    return qs.filter(cond)


def full_persons_q(user: Any) -> Q | None:
    """A Q on ``Person`` for the people whose every field the user may read (None: all)."""
    if user is None or user.is_superuser:
        return None
    sources = _person_sources(user)
    if sources and all(fields == FULL for fields, _q in sources):
        return None
    cond = Q(pk__in=[user.person_id] if user.person_id else [])
    for fields, q in sources:
        if fields == FULL:
            cond |= q
    return cond


def person_fields(user: Any, person: Any) -> str:
    """``full`` or ``basic`` for one person (already known to be readable)."""
    if user is None or user.is_superuser or is_own(user, person):
        return FULL
    full = full_persons_q(user)
    if full is None:
        return FULL
    Person = apps.get_model("people.Person")
    return FULL if Person._default_manager.filter(full, pk=person.pk).exists() else BASIC


# --- the API ------------------------------------------------------------------------------

# What a basic cell reads of each API schema (field names of the ``*Out`` schemas); every
# other field of a ``Guarded`` schema comes back null. ``persons`` is the person record
# itself (``/api/v1/people/persons``), read through whichever register opens it.
PERSONS = "persons"
BASIC_API_FIELDS: dict[str, frozenset[str]] = {
    RESIDENTS: frozenset({"id", "person", "grid"}),
    MEMBERS: frozenset({"id", "person_id", "name", "phone_masked", "organization"}),
    GRID_WORKERS: frozenset({"id", "person", "grid"}),
    COMMUNITY_WORKERS: frozenset({"id", "person", "community"}),
    UNITS: frozenset(
        {"id", "name", "kind", "kind_label", "is_two_new", "node", "contact_name", "contact_phone_masked"}
    ),
    PERSONS: frozenset({"id", "name", "phone_masked", "grid"}),
}


def _request_user(info: ValidationInfo) -> Any:
    request = (info.context or {}).get("request")
    if request is None:
        return None
    return getattr(request, "auth_user", None) or getattr(request, "user", None)


class Guarded(Schema):
    """An API schema of a register: for a reader whose cell is basic, every field outside
    ``BASIC_API_FIELDS[register]`` is null (one's own record stays whole).

    A source object may carry ``privacy_basic`` (set by the endpoint) to decide per row,
    as the persons list does; otherwise the reader's cell for ``register`` decides.
    """

    privacy_register: ClassVar[str] = ""

    @model_validator(mode="wrap")
    @classmethod
    def _guard(cls, values: Any, handler: ModelWrapValidatorHandler[Any], info: ValidationInfo) -> Any:
        result = handler(values)
        user = _request_user(info)
        if user is None or isinstance(values, dict) or not cls.privacy_register:
            return result
        basic = getattr(values, "privacy_basic", None)
        if basic is None and cls.privacy_register == PERSONS:
            basic = person_fields(user, values) == BASIC
        elif basic is None:
            basic = is_basic(user, cls.privacy_register, values)
        if basic:
            keep = BASIC_API_FIELDS[cls.privacy_register]
            for name in type(result).model_fields:
                if name not in keep:
                    setattr(result, name, None)
        return result


# --- the README table -------------------------------------------------------------------


def _cell_text(cell: Cell) -> str:
    if not cell.open:
        return "—"
    fields = "全部字段" if cell.fields == FULL else "基本字段"
    scope = "辖区" if cell.scope == TERRITORY else "本人工作相关"
    return f"{scope} · {fields}" + (" · 可导出" if cell.export else "")


def markdown_table() -> str:
    """The table as the README prints it (``people/tests/test_privacy_table.py`` compares)."""
    head = "| 角色 | " + " | ".join(REGISTERS.values()) + " |"
    rule = "|---" * (len(REGISTERS) + 1) + "|"
    rows = [
        f"| {Role(role).label} | " + " | ".join(_cell_text(PERSONAL_DATA[role][r]) for r in REGISTERS) + " |"
        for role in PERSONAL_DATA
    ]
    return "\n".join([head, rule, *rows])
