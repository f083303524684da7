import threading
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from dangjian.core.access import ScopeError
from dangjian.service import actions
from dangjian.service.choices import ClaimStatus
from dangjian.service.models import DutyShift, Post, PostClaim


def test_it_opens_a_post_and_members_claim_it(world: Any, registered: Any) -> None:
    post = actions.create_post(
        node=world.compound_a1,
        kind="building_head",
        slots=2,
        skills=["组织协调"],
        acting_user=registered.worker,
    )
    assert post.title == "红管家 楼栋长" and post.community_id == world.community_a.pk
    actions.claim_post(post=post, member=registered.member, acting_user=world.member)
    actions.claim_post(post=post, member=registered.colleague, acting_user=registered.colleague_user)
    post.refresh_from_db()
    assert post.taken == 2 and post.free == 0


def test_it_never_gives_more_claims_than_slots(world: Any, registered: Any) -> None:
    post = actions.create_post(node=world.community_a, kind="pioneer", slots=1, acting_user=registered.worker)
    actions.claim_post(post=post, member=registered.member, acting_user=world.member)
    with pytest.raises(ValidationError, match="名额已满"):
        actions.claim_post(post=post, member=registered.colleague, acting_user=registered.colleague_user)
    assert PostClaim.objects.filter(post=post, status=ClaimStatus.ACTIVE).count() == 1


def test_it_needs_a_confirmed_registration(world: Any, svc: Any) -> None:
    post = actions.create_post(node=world.community_a, kind="arts", slots=3, acting_user=svc.worker)
    with pytest.raises(ValidationError, match="报到"):
        actions.claim_post(post=post, member=svc.member, acting_user=world.member)
    post.refresh_from_db()
    assert post.taken == 0


def test_a_member_claims_a_post_once_and_for_themselves(world: Any, registered: Any) -> None:
    post = actions.create_post(node=world.community_a, kind="arts", slots=3, acting_user=registered.worker)
    actions.claim_post(post=post, member=registered.member, acting_user=world.member)
    with pytest.raises(ValidationError, match="已认领"):
        actions.claim_post(post=post, member=registered.member, acting_user=world.member)
    with pytest.raises(ScopeError):
        actions.claim_post(post=post, member=registered.colleague, acting_user=world.member)
    post.refresh_from_db()
    assert post.taken == 1


def test_release_frees_the_slot(world: Any, registered: Any) -> None:
    post = actions.create_post(node=world.community_a, kind="arts", slots=1, acting_user=registered.worker)
    claim = actions.claim_post(post=post, member=registered.member, acting_user=world.member)
    actions.release_claim(claim=claim, acting_user=world.member)
    actions.claim_post(post=post, member=registered.colleague, acting_user=registered.colleague_user)
    post.refresh_from_db()
    assert post.taken == 1


def test_slots_cannot_drop_below_claims(world: Any, registered: Any) -> None:
    post = actions.create_post(node=world.community_a, kind="arts", slots=2, acting_user=registered.worker)
    actions.claim_post(post=post, member=registered.member, acting_user=world.member)
    actions.claim_post(post=post, member=registered.colleague, acting_user=registered.colleague_user)
    with pytest.raises(ValidationError, match="在岗人数"):
        actions.change_post_slots(post=post, slots=1, acting_user=registered.worker)


def test_outsiders_cannot_open_posts(world: Any, svc: Any) -> None:
    with pytest.raises(ScopeError):
        actions.create_post(node=world.community_a, kind="arts", acting_user=svc.worker_b)
    with pytest.raises(ValidationError):
        actions.create_post(node=world.community_a, kind="nonsense", slots=0, acting_user=svc.worker)
    assert not Post.objects.exists()


def test_the_rota_rotates_round_robin(world: Any, registered: Any) -> None:
    post = actions.create_post(
        node=world.compound_a1, kind="building_head", slots=2, acting_user=registered.worker
    )
    actions.claim_post(post=post, member=registered.member, acting_user=world.member)
    actions.claim_post(post=post, member=registered.colleague, acting_user=registered.colleague_user)
    turns = actions.generate_rota(
        post=post, start=date(2030, 3, 1), days=7, shifts=["am", "pm"], acting_user=registered.worker
    )
    assert len(turns) == 14
    members = [t.member_id for t in DutyShift.objects.filter(post=post).order_by("day", "shift")]
    assert members.count(registered.member.pk) == 7 and members.count(registered.colleague.pk) == 7
    # regenerating replaces the period instead of doubling it
    actions.generate_rota(post=post, start=date(2030, 3, 1), days=7, every=2, acting_user=registered.worker)
    assert DutyShift.objects.filter(post=post).count() == 4


@pytest.mark.django_db(transaction=True)
def test_racing_claims_never_oversubscribe(django_db_blocker: Any) -> None:
    """Eight members race for three slots in parallel threads (real transactions)."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL")
    from dangjian.conftest import build_world
    from dangjian.party import actions as party_actions
    from dangjian.people import actions as people_actions

    world = build_world()
    from dangjian.accounts import actions as A

    worker = A.create_user(phone="13100000009", password="x", name="社工", acting_user=None)
    A.assign_role(user=worker, role="community_worker", node=world.community_a, acting_user=None)
    post = actions.create_post(node=world.community_a, kind="pioneer", slots=3, acting_user=worker)
    members = []
    for i in range(8):
        p = people_actions.create_person(name=f"党员{i}", home=world.compound_a1, acting_user=None)
        m = party_actions.register_member(
            person=p, organization=world.branch_a1, category="in_service", acting_user=None
        )
        reg = actions.register_member(member=m, community=world.community_a, acting_user=None)
        actions.confirm_member_registration(registration=reg, acting_user=worker)
        members.append(m)
    barrier = threading.Barrier(len(members))
    outcomes: list[str] = []

    def claim(m: Any) -> None:
        try:
            barrier.wait()
            actions.claim_post(post=post, member=m, acting_user=None)
            outcomes.append("ok")
        except ValidationError:
            outcomes.append("full")
        finally:
            connection.close()

    threads = [threading.Thread(target=claim, args=(m,)) for m in members]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    post.refresh_from_db()
    assert outcomes.count("ok") == 3 and outcomes.count("full") == 5
    assert post.taken == 3 == PostClaim.objects.filter(post=post, status="active").count()
