from __future__ import annotations

from typing import Any

import pytest

from dangjian.accounts import actions as account_actions


@pytest.fixture
def community_worker(world: Any) -> Any:
    """A community worker of 桂塘社区 (community A): runs its 爱心超市 and awards."""
    user = account_actions.create_user(
        phone="13000000009", password="x-Pass-2026", name="桂塘社工", person=None, acting_user=None
    )
    account_actions.assign_role(user=user, role="community_worker", node=world.community_a, acting_user=None)
    return user


@pytest.fixture
def race_db(tmp_path: Any) -> Any:
    """Let real threads race on SQLite too (on PostgreSQL this does nothing).

    SQLite's in-memory test database is shared between threads through the shared cache,
    which locks whole tables and fails at once ("database table is locked") instead of
    waiting. For the test, copy the database to a file and point every connection at it —
    this thread's and the racing threads' — so that they meet as in production: WAL,
    BEGIN IMMEDIATE and the busy timeout. The in-memory database is put back afterwards."""
    import sqlite3

    from django.db import connection

    if connection.vendor != "sqlite" or not connection.is_in_memory_db():  # type: ignore[attr-defined]
        yield
        return
    connection.ensure_connection()
    memory, name = connection.connection, connection.settings_dict["NAME"]
    path = str(tmp_path / "race.sqlite3")
    with sqlite3.connect(path) as disk:
        memory.backup(disk)
    disk.close()
    connection.connection = None
    connection.settings_dict["NAME"] = path  # the dict new threads' connections are made from
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = name
        connection.connection = memory
