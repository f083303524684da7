"""Service personas on top of the shared ``world``: a community worker of 桂塘社区, a unit
standing in 桂塘社区 with its liaison, and in-service members working for that unit."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from dangjian.accounts import actions as account_actions
from dangjian.party import actions as party_actions
from dangjian.people import actions as people_actions
from dangjian.service import actions
from dangjian.units.actions import create_unit


@dataclass
class Svc:
    worker: Any  # community worker of 桂塘社区
    worker_b: Any  # community worker of 城南社区 (outside)
    unit: Any
    unit_admin: Any
    member: Any  # world.member's PartyMember
    colleague: Any  # a second in-service member of the unit, living in 桂塘社区
    colleague_user: Any


@pytest.fixture
def svc(world: Any) -> Svc:
    A = account_actions
    worker = A.create_user(phone="13100000001", password="x", name="桂塘社工", acting_user=None)
    A.assign_role(user=worker, role="community_worker", node=world.community_a, acting_user=None)
    worker_b = A.create_user(phone="13100000002", password="x", name="城南社工", acting_user=None)
    A.assign_role(user=worker_b, role="community_worker", node=world.community_b, acting_user=None)
    unit = create_unit(name="北流市财政局", kind="agency", node=world.community_a, acting_user=None)
    unit_admin = A.create_user(phone="13100000003", password="x", name="财政局联络员", acting_user=None)
    A.assign_role(user=unit_admin, role="unit_admin", node=world.community_a, unit=unit, acting_user=None)
    person = people_actions.create_person(name="覃志刚", home=world.compound_a1, acting_user=None)
    colleague = party_actions.register_member(
        person=person, organization=world.branch_a1, category="in_service", work_unit=unit, acting_user=None
    )
    colleague_user = A.create_user(
        phone="13100000004", password="x", name="覃志刚", person=person, acting_user=None
    )
    return Svc(
        worker=worker,
        worker_b=worker_b,
        unit=unit,
        unit_admin=unit_admin,
        member=world.member_person.party_member,
        colleague=colleague,
        colleague_user=colleague_user,
    )


@pytest.fixture
def registered(world: Any, svc: Svc) -> Svc:
    """Both members registered with 桂塘社区 and confirmed."""
    for m, u in ((svc.member, world.member), (svc.colleague, svc.colleague_user)):
        reg = actions.register_member(member=m, community=world.community_a, acting_user=u)
        actions.confirm_member_registration(registration=reg, acting_user=svc.worker)
    return svc


def picture(seed: int = 0, size: tuple[int, int] = (200, 150), fmt: str = "JPEG") -> SimpleUploadedFile:
    """A synthetic photo: ``seed`` decides the scene, so equal seeds give the same picture."""
    im = Image.new("RGB", size, (240, 240, 240))
    d = ImageDraw.Draw(im)
    import random

    rnd = random.Random(seed)
    for _ in range(12):
        x0, y0 = rnd.randrange(size[0]), rnd.randrange(size[1])
        x1, y1 = x0 + rnd.randrange(20, 90), y0 + rnd.randrange(20, 70)
        d.rectangle((x0, y0, x1, y1), fill=(rnd.randrange(256), rnd.randrange(256), rnd.randrange(256)))
    buf = io.BytesIO()
    im.save(buf, fmt)
    return SimpleUploadedFile(f"p{seed}.jpg", buf.getvalue(), content_type="image/jpeg")


def ago(days: float = 0, hours: float = 0) -> datetime:
    return timezone.now().replace(microsecond=0) - timedelta(days=days, hours=hours)


@pytest.fixture
def record(world: Any) -> Any:
    """``record(**overrides)``: the member records a two-hour service in 桂塘社区."""

    def _record(**overrides: Any) -> Any:
        start = overrides.pop("start", ago(days=3))
        kwargs: dict[str, Any] = {
            "person": world.member_person,
            "node": world.community_a,
            "title": "帮独居老人打扫卫生",
            "started_at": start,
            "ended_at": start + timedelta(hours=2),
            "acting_user": world.member,
        }
        kwargs.update(overrides)
        return actions.record_service(**kwargs)

    return _record
