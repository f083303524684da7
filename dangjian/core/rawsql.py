"""Model rows written as INSERT statements of our own, for the hot paths ``bench/`` measures.

Django compiles every query anew; on the intake path that compilation costs more than the
database does (``bench/appeals_intake.py``). :func:`insert` produces the statement Django's
``save()`` would send for a new row — the same columns, the same ``pre_save`` (``auto_now_add``
…, the ``pre_save`` signal) and the same ``get_db_prep_save`` conversions — from text cached
per model, so several rows can be sent as one statement (see :func:`as_one_statement`).
No ``post_save`` is sent: use it only for models whose saves nobody else listens to.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

import psycopg
from django.db import connection
from django.db.models import Field, Model
from django.db.models.signals import pre_save

Statement = tuple[str, list[Any]]


@cache
def _columns(model: type[Model], with_pk: bool) -> tuple[Field, ...]:
    return tuple(f for f in model._meta.concrete_fields if with_pk or not f.primary_key)


def insert(obj: Model, *, exprs: dict[str, str] | None = None) -> Statement:
    """``INSERT INTO <table> (<columns>) VALUES (…)`` for the unsaved ``obj``, and its parameters.

    The primary key is sent when ``obj.pk`` is set (else the database assigns it).
    ``exprs`` writes SQL in place of a column's placeholder, e.g. ``{"number": "(SELECT …)"}``;
    a ``%s`` inside the expression stands for the column's own value."""
    exprs = exprs or {}
    pre_save.send(sender=type(obj), instance=obj, raw=False, using=connection.alias, update_fields=None)
    fields = _columns(type(obj), obj.pk is not None)
    params: list[Any] = []
    slots: list[str] = []
    for field in fields:
        value = field.get_db_prep_save(field.pre_save(obj, add=True), connection)
        expr = exprs.get(field.column)
        if expr is None:
            slots.append("%s")
            params.append(value)
        else:
            slots.append(expr)
            params.extend([value] * expr.count("%s"))
    return _insert_head(type(obj), obj.pk is not None) + "(" + ", ".join(slots) + ")", params


@cache
def _insert_head(model: type[Model], with_pk: bool) -> str:
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in _columns(model, with_pk))
    return f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES "  # noqa: S608 - names from the model


def as_one_statement(first: tuple[str, Statement], rest: Sequence[Statement], select: str) -> Statement:
    """PostgreSQL: the statements as one, each a data-modifying CTE (``WITH name AS (…)``).

    ``first`` is ``(name, statement)``: later statements and ``select`` may read what it
    RETURNs by that name. All of them run exactly once and commit or fail together;
    deferred foreign keys are checked at the commit, so rows may refer to one another."""
    name, (sql, params) = first
    parts = [f"{name} AS ({sql})"]
    all_params = list(params)
    for i, (part, part_params) in enumerate(rest):
        parts.append(f"w{i} AS ({part})")
        all_params += part_params
    return "WITH " + ",\n".join(parts) + "\n" + select, all_params


def prepared(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    """PostgreSQL: run ``sql`` (``%s`` placeholders) with server-side parameters as a prepared
    statement (parsed and planned once per connection, not on every call) and return its rows.

    Django's own cursors bind parameters on the client and never prepare; this goes to the
    same connection and transaction, with database errors raised as Django's (IntegrityError,
    OperationalError …). Not for connection poolers in transaction mode (PgBouncer before
    1.21), which cannot keep prepared statements."""
    connection.ensure_connection()
    with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql.encode(), params, prepare=True)
        return cursor.fetchall() if cursor.description else []
