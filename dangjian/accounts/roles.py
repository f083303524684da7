"""Staff roles and what each may do within the node it is assigned at.

A role is data here, not code scattered in views: ``ROLE_ACTIONS`` says which scoped
actions (``core.scoping.ACTIONS``) the role grants, and ``ROLE_LEVELS`` where it may be
assigned. ``reveal`` means the role needs unmasked personal data for its work (and every
reveal is logged).
"""

from django.db import models


class Role(models.TextChoices):
    CITY_ADMIN = "city_admin", "组织部管理员"
    LEADER = "leader", "市/县领导"
    STREET_OFFICER = "street_officer", "街道党工委"
    STREET_CHIEF = "street_chief", "街长"
    COMMUNITY_WORKER = "community_worker", "社区工作者"
    GRID_WORKER = "grid_worker", "网格员"
    DEPARTMENT = "department", "职能部门"
    INSPECTOR = "inspector", "党建特派员"
    UNIT_ADMIN = "unit_admin", "驻区单位联络员"
    MEMBER = "member", "党员"
    RESIDENT = "resident", "居民"


STAFF_ROLES = {
    Role.CITY_ADMIN,
    Role.LEADER,
    Role.STREET_OFFICER,
    Role.STREET_CHIEF,
    Role.COMMUNITY_WORKER,
    Role.GRID_WORKER,
    Role.DEPARTMENT,
    Role.INSPECTOR,
    Role.UNIT_ADMIN,
}

ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.CITY_ADMIN: frozenset({"view", "add", "change", "delete", "reveal"}),
    Role.LEADER: frozenset({"view"}),
    Role.STREET_OFFICER: frozenset({"view", "add", "change", "reveal"}),
    Role.STREET_CHIEF: frozenset({"view", "add", "change", "reveal"}),
    Role.COMMUNITY_WORKER: frozenset({"view", "add", "change", "reveal"}),
    Role.GRID_WORKER: frozenset({"view", "add", "change", "reveal"}),
    Role.DEPARTMENT: frozenset({"view"}),
    Role.INSPECTOR: frozenset({"view"}),
    Role.UNIT_ADMIN: frozenset({"view"}),
    Role.MEMBER: frozenset(),
    Role.RESIDENT: frozenset(),
}

ROLE_LEVELS: dict[str, tuple[str, ...]] = {
    Role.CITY_ADMIN: ("city", "county"),
    Role.LEADER: ("city", "county"),
    Role.STREET_OFFICER: ("street",),
    Role.STREET_CHIEF: ("street",),
    Role.COMMUNITY_WORKER: ("community",),
    Role.GRID_WORKER: ("grid",),
    Role.DEPARTMENT: ("city", "county", "street"),
    Role.INSPECTOR: ("city", "county", "street"),
    Role.UNIT_ADMIN: ("community", "street"),
    Role.MEMBER: (),
    Role.RESIDENT: (),
}
