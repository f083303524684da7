"""The points statement (.xlsx) writes a person named like a formula as text and its
amounts, a negative one included, as numbers (``core.xlsx``)."""

from django.utils import timezone

from dangjian.core.tests.xlsx_checks import HOSTILE, NEUTRALISED, assert_no_formula, cells, workbook
from dangjian.people.models import Person
from dangjian.points import actions


def test_the_statement_keeps_text_as_text_and_numbers_as_numbers(world, login, community_worker):
    for source in (world.compound_a1, world.grid_a1):
        actions.award(rule="wish_fulfilled", person=world.member_person, source=source, acting_user=None)
    item = actions.create_item(
        shop=world.community_a, name="大米", cost=30, stock=2, acting_user=community_worker
    )
    actions.redeem(person=world.member_person, item=item, acting_user=world.member)
    Person.objects.filter(pk=world.member_person.pk).update(name=HOSTILE)  # set-up only
    month = timezone.localdate().strftime("%Y-%m")
    book = workbook(login(world.member).get(f"/points/statement.xlsx?month={month}"))
    assert_no_formula(book)
    assert book.active["A1"].value.startswith(NEUTRALISED)  # the title row: the person's name
    amounts = [c.value for c in cells(book) if c.column == 4 and c.data_type == "n"]
    assert -30 in amounts  # the redemption: a real negative number
