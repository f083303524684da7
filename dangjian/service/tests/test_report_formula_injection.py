"""回单位反馈 (.xlsx) writes a member named like a formula as text, hours as numbers."""

from typing import Any

from dangjian.core.tests.xlsx_checks import HOSTILE, NEUTRALISED, assert_no_formula, workbook
from dangjian.people.models import Person
from dangjian.service import actions
from dangjian.service.tests.conftest import ago


def test_the_report_writes_the_name_as_text(world: Any, registered: Any, login: Any, record: Any) -> None:
    Person.objects.filter(pk=registered.colleague.person.pk).update(name=HOSTILE)  # set-up only
    rec = record(person=registered.colleague.person, acting_user=registered.colleague_user, start=ago(days=1))
    actions.verify_record(record=rec, acting_user=registered.worker)
    month = ago(days=1).strftime("%Y-%m")
    book = workbook(
        login(registered.unit_admin).get(
            f"/service/report/?unit={registered.unit.pk}&month={month}&export=xlsx"
        )
    )
    assert_no_formula(book)
    ws = book.active
    row = next(r for r in ws.iter_rows(min_row=3) if r[0].value == NEUTRALISED)
    assert row[4].value == 2.0 and row[4].data_type == "n"
