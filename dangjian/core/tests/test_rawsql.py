"""``core.rawsql``: rows written without the ORM's query compiler read back as the ORM's."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction

from dangjian.core import rawsql
from dangjian.core.models import AuditEvent


def _write(row: AuditEvent, **exprs: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(*rawsql.insert(row, exprs=exprs))


def test_a_row_reads_back_with_its_defaults_json_and_auto_now_add(db):
    row = AuditEvent(action="t.raw", model="x.y", object_id="7", object_repr="对象", after={"a": [1, "二"]})
    assert row.at is None
    _write(row)
    stored = AuditEvent.objects.get(action="t.raw")
    assert row.at is not None and stored.at == row.at  # pre_save ran: auto_now_add
    assert (stored.object_repr, stored.after, stored.before, stored.actor_id) == (
        "对象",
        {"a": [1, "二"]},
        None,
        None,
    )


def test_an_expression_stands_in_for_a_column_and_percent_s_is_its_own_value(db):
    _write(
        AuditEvent(action="t.expr", model="x.y", object_id="8", object_repr="尾"), object_repr="'首' || %s"
    )
    assert AuditEvent.objects.get(action="t.expr").object_repr == "首尾"


def test_statements_sent_as_one_commit_together_and_read_the_first(db):
    if connection.vendor != "postgresql":
        pytest.skip("data-modifying CTEs are PostgreSQL's")
    first: tuple[str, rawsql.Statement] = ("n", ("SELECT 'N-1'::text AS number", []))
    rows = [
        rawsql.insert(
            AuditEvent(action="t.one", model="x.y", object_id=str(i), object_repr="r"),
            exprs={"object_repr": "(SELECT number FROM n) || %s"},
        )
        for i in range(3)
    ]
    sql, params = rawsql.as_one_statement(first, rows, "SELECT number FROM n")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        assert cursor.fetchone()[0] == "N-1"
    assert (
        sorted(AuditEvent.objects.filter(action="t.one").values_list("object_repr", flat=True))
        == ["N-1r"] * 3
    )


def test_a_prepared_statement_answers_rows_and_raises_djangos_errors(db):
    if connection.vendor != "postgresql":
        pytest.skip("server-side prepared statements are PostgreSQL's")
    for i in range(3):  # the same text again: parsed once, reused
        assert rawsql.prepared("SELECT %s::int + 1, %s::text", [i, "二"]) == [(i + 1, "二")]
    sql, params = rawsql.insert(
        AuditEvent(id=987654, action="t.p", model="x.y", object_id="1", object_repr="r")
    )
    rawsql.prepared(sql, params)
    with pytest.raises(IntegrityError), transaction.atomic():
        rawsql.prepared(sql, params)  # the same primary key again
    assert AuditEvent.objects.filter(pk=987654).count() == 1
