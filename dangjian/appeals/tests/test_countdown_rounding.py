"""Issue 11: deadlines read in sensible units — minutes under an hour, hours under a working
day, working days beyond — and never “超期 0分钟” (under a minute is not shown at all)."""

import datetime as dt
import re

from django.urls import reverse
from django.utils import timezone

from dangjian.appeals import actions, selectors
from dangjian.appeals.models import Case
from dangjian.core import workcal

DAY = workcal.WORKING_DAY


def test_the_span_is_rounded_to_the_unit_that_matters():
    assert workcal.span_text(dt.timedelta(seconds=20)) == ""
    assert workcal.span_text(dt.timedelta(0)) == ""
    assert workcal.span_text(dt.timedelta(minutes=1)) == "1分钟"
    assert workcal.span_text(-dt.timedelta(minutes=25, seconds=10)) == "25分钟"
    assert workcal.span_text(dt.timedelta(hours=2, minutes=50)) == "3小时"
    assert workcal.span_text(dt.timedelta(hours=1, minutes=10)) == "1小时"
    assert workcal.span_text(DAY) == "1个工作日"
    assert workcal.span_text(-(DAY * 3 + dt.timedelta(minutes=30))) == "3个工作日"
    assert workcal.span_text(DAY * 114) == "114个工作日"


def _office_moment(days_ahead):
    """The middle of a morning's office hours, so office time and clock time agree around it."""
    d = workcal.local(timezone.now()).date() + dt.timedelta(days=days_ahead)
    while not workcal.is_working_day(d):
        d += dt.timedelta(days=1)
    start, end = workcal._segments(d)[0]
    return start + (end - start) / 2


def test_a_deadline_reached_to_the_minute_shows_nothing(world, report):
    gw = world.grid_worker
    case = actions.dispatch_case(
        actions.accept_case(report(), acting_user=gw), to_node=world.grid_a1, acting_user=gw
    )
    now = _office_moment(3)
    Case.objects.filter(pk=case.pk).update(ack_due=now - dt.timedelta(seconds=25))
    case.refresh_from_db()
    assert selectors.countdown(case, now) is None
    cd = selectors.countdown(case, now + dt.timedelta(minutes=45))
    assert cd is not None and cd.overdue and cd.text == "签收超期 45分钟"
    cd = selectors.countdown(case, now - dt.timedelta(minutes=100))
    assert cd is not None and not cd.overdue and cd.text == "签收剩余 2小时"


def test_no_list_shows_a_zero_duration(world, report, login):
    gw = world.grid_worker
    case = actions.feedback_case(
        actions.acknowledge_case(
            actions.dispatch_case(
                actions.accept_case(report(), acting_user=gw), to_node=world.grid_a1, acting_user=gw
            ),
            acting_user=gw,
        ),
        result="已修复",
        acting_user=gw,
    )
    # 待核查, its resolve deadline this very moment.
    Case.objects.filter(pk=case.pk).update(resolve_due=timezone.now())
    client = login(gw)
    for tab in ("handled", "overdue", "all"):
        html = client.get(reverse("appeals:queue"), {"tab": tab}).content.decode()
        assert not re.search(r"超期 0", html) and not re.search(r"剩余 0", html), tab
    html = client.get(reverse("appeals:case", args=[case.pk])).content.decode()
    assert not re.search(r"超期 0", html)
