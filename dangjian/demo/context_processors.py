"""The "演示数据生成中…" banner while the worker builds the rest of the demo city."""

from __future__ import annotations

from django.db import DatabaseError
from django.http import HttpRequest

# Once a process has seen no demo build pending, it never looks again: one query per
# process in the common case, none after that.
_done = False


def demo_status(request: HttpRequest) -> dict[str, bool]:
    global _done
    if _done:
        return {}
    from dangjian.demo.tasks import demo_building

    try:
        building = demo_building()
    except DatabaseError:  # the database is down: the page says so itself
        return {}
    if not building:
        _done = True
    return {"demo_building": building}
