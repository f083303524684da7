"""The background worker logs one line per failed task and nothing per successful one.

The real ``db_worker`` runs (batch mode) on two successful tasks and one failing task; what
its loggers write through the handler of ``settings.LOGGING`` is captured.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest
from django.core.management import call_command
from django_tasks import task


@task()
def works() -> int:
    return 1


@task()
def breaks() -> int:
    raise ValueError("演示失败\n第二行")


@pytest.fixture
def worker_log() -> Iterator[io.StringIO]:
    handler = logging.getLogger("django_tasks").handlers[0]
    assert handler is logging.getLogger("django_tasks_db").handlers[0]
    assert isinstance(handler, logging.StreamHandler)
    buffer = io.StringIO()
    # Swap the stream without setStream(), which flushes the old one: under pytest that is the
    # stderr capture of whichever test configured logging, possibly closed by now.
    old, handler.stream = handler.stream, buffer
    try:
        yield buffer
    finally:
        handler.stream = old


# The worker runs in this thread with real commits; serialized_rollback puts back the rows the
# data migrations seeded (and keeps the content types as they were) for the tests after it.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_it_logs_one_line_per_failure_and_nothing_per_success(worker_log):
    works.enqueue()
    breaks.enqueue()
    works.enqueue()
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=1)
    lines = worker_log.getvalue().splitlines()
    assert len(lines) == 1, lines
    assert "test_worker_log.breaks" in lines[0]
    assert "state=FAILED" in lines[0]
    assert "ValueError: 演示失败 第二行" in lines[0]
