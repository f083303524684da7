"""超期督办: cases whose response or resolve deadline passed, with red countdowns."""

import datetime as dt
import re

from django.urls import reverse
from django.utils import timezone

from dangjian.appeals import actions, selectors
from dangjian.appeals.models import Case

QUEUE = reverse("appeals:queue")


def numbers(response):
    return set(re.findall(r'data-case="([^"]+)"', response.content.decode()))


def test_it_lists_cases_past_their_deadlines(world, report, login):
    gw = world.grid_worker
    late_ack = actions.dispatch_case(
        actions.accept_case(report(), acting_user=gw), to_node=world.grid_a1, acting_user=gw
    )
    late_fix = actions.accept_case(report(title="井盖"), acting_user=gw)
    fine = actions.dispatch_case(
        actions.accept_case(report(title="树枝"), acting_user=gw), to_node=world.grid_a1, acting_user=gw
    )
    assert late_ack.ack_due and late_fix.resolve_due  # set by the actions
    past = timezone.now() - dt.timedelta(days=3)
    Case.objects.filter(pk=late_ack.pk).update(ack_due=past)
    Case.objects.filter(pk=late_fix.pk).update(resolve_due=past)
    r = login(gw).get(QUEUE, {"tab": "overdue"})
    assert numbers(r) == {late_ack.number, late_fix.number}
    html = r.content.decode()
    assert "签收超期" in html and "办结超期" in html and "text-bg-danger" in html
    assert fine.number not in numbers(r)
    assert numbers(login(world.outsider).get(QUEUE, {"tab": "overdue"})) == set()
    # Acknowledged (late) cases leave the list once their resolve deadline is still ahead.
    actions.acknowledge_case(Case.objects.get(pk=late_ack.pk), acting_user=gw)
    assert numbers(login(gw).get(QUEUE, {"tab": "overdue"})) == {late_fix.number}


def test_it_colours_the_countdown(world, report):
    gw = world.grid_worker
    case = actions.dispatch_case(
        actions.accept_case(report(), acting_user=gw), to_node=world.grid_a1, acting_user=gw
    )
    assert case.ack_due is not None
    now = case.ack_due - dt.timedelta(minutes=30)
    # 30 minutes of clock time before the deadline is at most 30 working minutes: amber.
    cd = selectors.countdown(case, now)
    assert (
        cd is not None
        and cd.label == "签收"
        and not cd.overdue
        and cd.css in ("text-bg-warning", "text-bg-danger")
    )
    cd = selectors.countdown(case, case.ack_due + dt.timedelta(days=2))
    assert cd is not None and cd.overdue and cd.css == "text-bg-danger" and cd.text.startswith("签收超期")
    case = actions.acknowledge_case(case, acting_user=gw)
    assert case.resolve_due is not None
    cd = selectors.countdown(case, case.resolve_due - dt.timedelta(days=20))
    assert cd is not None and cd.label == "办结" and cd.css == "text-bg-success" and "剩余" in cd.text
