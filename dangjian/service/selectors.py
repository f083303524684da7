"""Scoped reads of the service app.

Staff of the territory tree see what lies under their node (``restrict``); members see
their own rows (``owner_lookup``); a unit liaison (驻区单位联络员) sees the rows of its own
unit. :func:`visible` is the one entry point; :func:`get_visible` answers 404 alike for
missing and forbidden.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models
from django.db.models import Q
from django.http import Http404

from dangjian.accounts import privacy
from dangjian.accounts.roles import Role
from dangjian.service.choices import LIVE_REGISTRATION
from dangjian.service.models import (
    Flag,
    MemberRegistration,
    Post,
    PostClaim,
    ServiceRecord,
    UnitRegistration,
    VolunteerActivity,
    VolunteerTeam,
)

M = TypeVar("M", bound=models.Model)

# How a unit liaison reaches each model's rows (None: not at all).
UNIT_LOOKUP: dict[type[models.Model], str | None] = {
    MemberRegistration: "member__work_unit_id",
    UnitRegistration: "unit_id",
    ServiceRecord: "unit_id",
    VolunteerTeam: "unit_id",
    Post: None,
    PostClaim: "member__work_unit_id",
    VolunteerActivity: "team__unit_id",
    Flag: None,
}


def unit_ids(user: Any) -> set[int]:
    """Units the user is liaison of."""
    if user is None or not user.is_authenticated:
        return set()
    return {a.unit_id for a in user.active_assignments() if a.role == Role.UNIT_ADMIN and a.unit_id}


@privacy.link(Role.UNIT_ADMIN, privacy.MEMBERS)
def unit_registered_members(user: Any) -> Q:
    """The party members a unit liaison may look up: its own unit's members who did 双报到
    (a live registration with a community), least privilege (``accounts.privacy``)."""
    units = privacy.assigned_units(user, Role.UNIT_ADMIN)
    regs = MemberRegistration.objects.filter(status__in=LIVE_REGISTRATION, member__work_unit_id__in=units)
    return Q(pk__in=regs.values("member_id"))


def is_staff(user: Any) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.scope_assignments()))


def visible(model: type[M], user: Any, action: str = "view") -> models.QuerySet[M]:
    qs = model._default_manager.restrict(user, action)  # type: ignore[attr-defined]
    lookup = UNIT_LOOKUP.get(model)
    units = unit_ids(user) if action == "view" else set()
    if lookup and units:
        qs = qs | model._default_manager.filter(Q(**{f"{lookup}__in": units}))
    return qs.distinct() if lookup and units else qs


def get_visible(model: type[M], user: Any, action: str = "view", **lookup: Any) -> M:
    try:
        return visible(model, user, action).get(**lookup)
    except (model.DoesNotExist, ValueError, TypeError) as exc:  # type: ignore[attr-defined]
        raise Http404("未找到或无权访问") from exc


def member_of(user: Any) -> Any:
    """The party-member role of the logged-in person, or None."""
    from dangjian.party.models import PartyMember

    if not getattr(user, "person_id", None):
        return None
    return PartyMember.objects.filter(person_id=user.person_id).select_related("person").first()


def live_registration(member: Any) -> MemberRegistration | None:
    from dangjian.service.choices import LIVE_REGISTRATION

    return (
        MemberRegistration.objects.filter(member=member, status__in=LIVE_REGISTRATION)
        .select_related("node")
        .first()
    )


def queue_sets(user: Any) -> dict[str, models.QuerySet[Any]]:
    """The tabs of 报到确认与纪实核实, unsliced: the queue page shows their rows and the
    home page counts them, so the two always agree."""
    from dangjian.service.choices import FlagStatus, RecordStatus, RegistrationStatus

    return {
        "members": MemberRegistration.objects.restrict(user, "change").filter(
            status=RegistrationStatus.PENDING
        ),
        "units": UnitRegistration.objects.restrict(user, "change").filter(status=RegistrationStatus.PENDING),
        "records": ServiceRecord.objects.restrict(user, "change").filter(status=RecordStatus.SUBMITTED),
        "flags": Flag.objects.restrict(user, "change").filter(status=FlagStatus.OPEN),
    }
