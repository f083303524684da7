"""people.register_residents: many residents in bulk, with the rules of the one-by-one actions."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from dangjian.core.access import ScopeError
from dangjian.core.models import AuditEvent
from dangjian.people import actions
from dangjian.people.models import Person, Resident

GOOD_IDS = ("110101199003074477", "11010119900307803X", "110101199003070791")


def _rows(world, ids=GOOD_IDS):
    return [
        actions.NewResident(
            name=f"居民{k}",
            household=world.compound_a1,
            id_number=idn,
            phone=f"1390000000{k}",
            address=f"一号楼{k}01",
            is_head=k == 0,
            tags=["elderly"] if k == 2 else [],
        )
        for k, idn in enumerate(ids)
    ]


def test_it_registers_sealed_placed_and_audited_residents(world):
    before = AuditEvent.objects.count()
    residents = actions.register_residents(_rows(world), acting_user=world.street_officer)
    assert len(residents) == 3
    for r in Resident.objects.filter(pk__in=[r.pk for r in residents]).select_related("person"):
        assert r.compound_id == world.compound_a1.pk and r.person.grid_id == world.grid_a1.pk
        assert r.person.id_number_enc and r.person.id_number_masked.startswith("110")
        assert r.person.birth_date is not None and r.person.gender in ("M", "F")
        assert "01" not in r.person.address_enc  # sealed, not plain
    assert AuditEvent.objects.count() - before == 6
    assert set(AuditEvent.objects.values_list("action", flat=True)) >= {
        "people.person.create",
        "people.resident.create",
    }


def test_it_writes_nothing_when_any_row_is_wrong(world):
    actions.register_residents(_rows(world, GOOD_IDS[:1]), acting_user=None)
    persons = Person.objects.count()
    rows = _rows(world, (GOOD_IDS[1], GOOD_IDS[1], "123", GOOD_IDS[0]))
    with pytest.raises(ValidationError) as caught:
        actions.register_residents(rows, acting_user=None)
    errors = caught.value.message_dict
    assert set(errors) == {"row2", "row3", "row4"}  # in the batch twice, bad, already registered
    assert Person.objects.count() == persons


def test_it_refuses_a_household_outside_the_users_scope(world):
    rows = [actions.NewResident(name="外人", household=world.compound_b1)]
    with pytest.raises(ScopeError):
        actions.register_residents(rows, acting_user=world.street_officer)
    assert not Person.objects.filter(name="外人").exists()
