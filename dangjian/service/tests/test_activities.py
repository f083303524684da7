from typing import Any

import pytest
from django.core.exceptions import ValidationError

from dangjian.core.access import ScopeError
from dangjian.service import actions
from dangjian.service.choices import ActivityStep
from dangjian.service.models import ActivityTransition


def test_five_steps_end_to_end(world: Any, svc: Any) -> None:
    team = actions.create_team(
        node=world.community_a,
        name="桂塘红马甲服务队",
        kind="party_volunteer",
        badge="red_vest",
        leader=world.member_person,
        acting_user=svc.worker,
    )
    actions.join_team(team=team, person=svc.colleague.person, acting_user=svc.colleague_user)
    act = actions.collect_activity(
        node=world.compound_a1,
        title="独居老人上门理发",
        category="convenience",
        demand="3栋有5位老人",
        acting_user=svc.worker,
    )
    act = actions.fire_activity(activity=act, event="assign", team=team, acting_user=svc.worker)
    # the team leader decomposes, starts and feeds back
    act = actions.fire_activity(
        activity=act,
        event="decompose",
        tasks=[("理发", svc.colleague.person), ("登记", world.member_person)],
        acting_user=world.member,
    )
    act = actions.fire_activity(activity=act, event="start", acting_user=world.member)
    act = actions.fire_activity(
        activity=act, event="feed_back", note="5位老人已理发", people_served=5, acting_user=world.member
    )
    assert act.status == ActivityStep.FED_BACK and act.people_served == 5
    assert list(ActivityTransition.objects.filter(activity=act).values_list("to_state", flat=True)) == [
        "collected",
        "assigned",
        "decomposed",
        "underway",
        "fed_back",
    ]
    assert act.tasks.filter(done=True).count() == 2


def test_the_leader_cannot_assign_and_strangers_cannot_fire(world: Any, svc: Any) -> None:
    team = actions.create_team(
        node=world.community_a,
        name="红帽子队",
        kind="red_steward",
        badge="red_hat",
        leader=world.member_person,
        acting_user=svc.worker,
    )
    act = actions.collect_activity(
        node=world.community_a, title="政策宣讲", category="party_building", acting_user=svc.worker
    )
    with pytest.raises(ValidationError, match="无权"):
        actions.fire_activity(activity=act, event="assign", team=team, acting_user=world.member)
    with pytest.raises(ValidationError, match="不能执行"):
        actions.fire_activity(activity=act, event="start", acting_user=svc.worker)
    actions.fire_activity(activity=act, event="assign", team=team, acting_user=svc.worker)
    with pytest.raises(ValidationError, match="本队队员"):
        actions.fire_activity(
            activity=act, event="decompose", tasks=[("宣讲", world.resident_person)], acting_user=svc.worker
        )
    with pytest.raises(ValidationError, match="无权"):
        actions.fire_activity(
            activity=act, event="decompose", tasks=[("宣讲", None)], acting_user=svc.worker_b
        )


def test_teams_are_scoped(world: Any, svc: Any) -> None:
    with pytest.raises(ScopeError):
        actions.create_team(node=world.community_a, name="外队", kind="science", acting_user=svc.worker_b)
    with pytest.raises(ValidationError):
        actions.create_team(node=world.community_a, name="", kind="x", badge="blue", acting_user=svc.worker)
