"""gen_city writes bulk rows of the same shape the actions make, reproducibly."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from dangjian.core import crypto
from dangjian.core.models import PLACEMENT_LEVELS
from dangjian.demo.citygen import SCALES, generate
from dangjian.party.models import OrgTransfer, PartyMember
from dangjian.people.models import CommunityWorker, GridWorker, Person, Resident
from dangjian.territory import geo
from dangjian.territory.choices import CODE_LENGTH
from dangjian.territory.codes import check_code
from dangjian.territory.models import Node


def placement(obj):
    return tuple(getattr(obj, f"{lvl}_id") for lvl in PLACEMENT_LEVELS)


def expected(node):
    probe = Person()
    probe.place(node)
    return placement(probe)


@pytest.fixture
def tiny(db):
    geo.invalidate()
    report = generate("tiny", seed=3)
    geo.invalidate()
    return report


def test_it_generates_the_tiny_scale(tiny):
    s = SCALES["tiny"]
    t = tiny.totals
    assert (t["网格"], t["小区"], t["居民"], t["单位"]) == (s.grids, s.compounds, s.residents, s.units)
    assert t["党员"] == s.members and t["在职党员"] == s.in_service
    assert OrgTransfer.objects.count() == s.members


def test_it_fills_placements_like_place_does(tiny):
    nodes = {n.pk: n for n in Node.objects.all()}
    for node in nodes.values():
        if node.parent_id:
            parent = nodes[node.parent_id]
            assert node.path == f"{parent.path}{node.pk}/" and node.depth == parent.depth + 1
            want = list(expected(parent))
            if node.level in PLACEMENT_LEVELS:
                want[PLACEMENT_LEVELS.index(node.level)] = node.pk
            assert placement(node) == tuple(want), node.name
            assert check_code(node.level, node.code, parent.code) == []
        assert len(node.code) == CODE_LENGTH[node.level]
    for r in Resident.objects.select_related("person", "household"):
        assert placement(r) == expected(r.household) == placement(r.person)
        assert r.person.home_id == r.household_id and r.household.level == "household"
    for m in PartyMember.objects.select_related("organization"):
        assert placement(m) == placement(m.organization)
    for w in GridWorker.objects.select_related("grid_node"):
        assert placement(w) == expected(w.grid_node)
    assert CommunityWorker.objects.exists()


def test_it_seals_personal_data(tiny):
    for p in Person.objects.all()[:50]:
        idn = crypto.decrypt(p.id_number_enc)
        phone = crypto.decrypt(p.phone_enc)
        assert crypto.is_valid_id_number(idn) and crypto.is_valid_phone(phone)
        assert p.id_number_hash == crypto.lookup_hash("id_number", idn)
        assert p.phone_hash == crypto.lookup_hash("phone", phone)
        assert p.phone_masked == crypto.mask_phone(phone) and p.id_number_masked == crypto.mask_id_number(idn)
        assert p.birth_date.strftime("%Y%m%d") == idn[6:14]


def test_it_locates_compounds_in_their_grids(tiny):
    for compound in Node.objects.filter(level="compound"):
        assert geo.locate_id(compound.lng, compound.lat) == compound.grid_id


def test_it_is_reproducible_from_the_seed(db):
    generate("tiny", seed=9)
    first = list(Person.objects.order_by("id").values_list("name", "birth_date"))
    names = list(
        Node.objects.exclude(level__in=("city", "county")).order_by("id").values_list("name", flat=True)
    )
    generate("tiny", seed=9, city_code="450800", city_name="贵港市")
    second_city = Node.objects.get(code="450800")
    again = list(Person.objects.filter(city=second_city).order_by("id").values_list("name", "birth_date"))
    names_again = list(
        Node.objects.filter(city=second_city)
        .exclude(level__in=("city", "county"))
        .order_by("id")
        .values_list("name", flat=True)
    )
    assert again == first and names_again == names


def test_it_refuses_a_city_that_exists(db, capsys):
    call_command("gen_city", "--scale", "tiny", "--no-progress")
    assert "完成" in capsys.readouterr().out
    with pytest.raises(CommandError, match="已有"):
        call_command("gen_city", "--scale", "tiny", "--no-progress")
