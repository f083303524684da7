"""The background worker's log: one line per failed task, nothing per successful one.

django-tasks logs every task twice at INFO (``Task id=… path=… state=RUNNING`` and
``state=SUCCESSFUL``) and ``db_worker`` raises its loggers to INFO, so a worker that delivers
a few thousand notifications scrolls everything else off the screen. ``settings.LOGGING``
sends the ``django_tasks`` and ``django_tasks_db`` loggers to their own handler, at
``TASKS_LOG_LEVEL`` (default WARNING), formatted by :class:`OneLine`: warnings and
failures only, each on one line
(the traceback stays in the task's row, ``DBTaskResult.traceback``, shown in the admin).
``TASKS_LOG_LEVEL=INFO`` brings the per-task lines back.
"""

from __future__ import annotations

import logging


class OneLine(logging.Formatter):
    """``time LEVEL logger: message — ExceptionType: message``, always on a single line."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s", "%Y-%m-%d %H:%M:%S")

    def format(self, record: logging.LogRecord) -> str:
        exc = record.exc_info
        record.exc_info, record.exc_text, record.stack_info = None, None, None
        try:
            line = super().format(record)
        finally:
            record.exc_info = exc
        if exc and exc[1] is not None:
            line += f" — {type(exc[1]).__name__}: {exc[1]}"
        return " ".join(line.split())
