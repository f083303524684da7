"""The demo city has seed 000's numbers for 北流市."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Avg, Max

from dangjian.core.models import AuditEvent
from dangjian.demo.beiliu import ONE_HALL_SIX_ROOMS
from dangjian.party.models import Alliance, CommitteeSeat, Organization
from dangjian.people.models import GridWorker, PayScale
from dangjian.territory.models import Node
from dangjian.venues.models import ServicePosition


def test_it_builds_the_documented_structure(demo):
    c = demo.counts
    assert (c["街道"], c["社区"], c["网格"], c["小区"]) == (3, 33, 97, 78)
    assert c["小区党支部"] == 78
    assert c["网格员"] >= 140
    assert GridWorker.objects.filter(role="chief").count() == 33
    # every grid has its full-time 网格员 (1:1)
    staffed = set(
        GridWorker.objects.filter(role="worker", full_time=True).values_list("grid_node_id", flat=True)
    )
    assert staffed == set(Node.objects.filter(level="grid").values_list("id", flat=True))
    assert c["联系社区领导"] == 10
    assert c["驻区单位"] >= 80
    assert {n.name for n in demo.streets.values()} == {"陵城街道", "城南街道", "城北街道"}
    assert "桂塘社区" in demo.communities
    assert {"东湖一号小区", "滨江华府小区"} <= set(demo.compounds)
    assert Node.objects.filter(code="450981", parent__code="450900").exists()


def test_it_links_every_compound_branch_to_its_community_committee(demo):
    for branch in Organization.objects.filter(node__level="compound").select_related("parent", "node"):
        assert branch.kind == "branch"
        assert branch.parent.kind == "committee"
        assert branch.parent.node_id == branch.node.community_id
    for street in demo.streets.values():
        wc = Organization.objects.get(node=street)
        assert wc.kind == "work_committee" and wc.is_joint
    joint = Organization.objects.filter(node__level="community", is_joint=True)
    assert joint.exists()
    assert CommitteeSeat.objects.filter(
        organization__in=joint, title="part_time", from_unit__isnull=False
    ).exists()
    assert set(Alliance.objects.values_list("kind", flat=True)) == {"hierarchical", "community", "industry"}


def test_it_opens_the_five_levels_of_service_centres(demo):
    centres = ServicePosition.objects.filter(kind="center")
    by_level = {
        lvl: centres.filter(level=lvl).count() for lvl in ("county", "street", "community", "compound")
    }
    assert by_level == {"county": 1, "street": 3, "community": 33, "compound": 15}
    assert centres.get(level="county").name == "北流市党群服务中心"
    for centre in centres.filter(level="community"):
        assert centre.floor_area >= 500
        assert set(ONE_HALL_SIX_ROOMS) <= set(centre.functions)
    checks = [c.area_check() for c in centres.filter(level="compound").select_related("node")]
    assert any(ch.compliant for ch in checks) and any(not ch.compliant for ch in checks)
    assert (
        ServicePosition.objects.filter(kind="unit_venue", unit__isnull=False, open_to_public=True).count()
        >= 20
    )


def test_it_seeds_the_three_posts_eighteen_grades(demo):
    assert PayScale.objects.count() == 18
    avg = PayScale.objects.aggregate(a=Avg("monthly_pay"))["a"]
    assert Decimal("3700") <= Decimal(avg) <= Decimal("3900")
    assert PayScale.objects.filter(post="principal").aggregate(m=Max("monthly_pay"))["m"] >= 4100


def test_it_audits_what_it_creates(demo):
    grids = AuditEvent.objects.filter(action="territory.create", model="territory.node")
    assert grids.count() == Node.objects.count()
    # The demo appeals and needs are worked by the personas (demo/appeals.py, demo/needs.py,
    # with the points their confirmations pay); everything else by the build.
    by_personas = ("appeals.", "needs.", "points.")
    rest = AuditEvent.objects.exclude(actor=None)
    for prefix in by_personas:
        rest = rest.exclude(action__startswith=prefix)
    assert not rest.exists()
