"""A resident named like a formula is exported as text: the web export and
``dangjian export residents`` (``core.xlsx``)."""

from django.core.management import call_command
from django.urls import reverse

from dangjian.core.tests.xlsx_checks import HOSTILE, assert_no_formula, workbook
from dangjian.people import actions as people_actions


def hostile_resident(world):
    person = people_actions.create_person(
        name=HOSTILE, home=world.compound_a1, phone="13700000001", acting_user=world.admin
    )
    people_actions.register_resident(person=person, household=world.compound_a1, acting_user=world.admin)


def test_the_web_export_writes_the_name_as_text(world, login):
    hostile_resident(world)
    assert_no_formula(workbook(login(world.street_officer).get(reverse("people:resident_export"))))


def test_the_export_command_writes_the_name_as_text(world, tmp_path):
    hostile_resident(world)
    out = tmp_path / "residents.xlsx"
    call_command("export_xlsx", "residents", "-o", str(out))
    assert_no_formula(workbook(str(out)))
