"""Signals other apps listen to, sent after the commit (``transaction.on_commit``) so a
listener never sees a case that was rolled back, and a failing listener never undoes it.

``case_submitted(case_id=…)`` — a new case was taken in (any channel). The smart dispatch
(``dangjian.dispatch``) uses it to classify and route the case.
"""

from django.dispatch import Signal

case_submitted = Signal()
