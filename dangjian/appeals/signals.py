"""Signals other apps listen to.

``case_submitted(case_id=…)`` — a new case was taken in (any channel). It is sent INSIDE
the intake's transaction, just before the commit, so a listener's write (typically
enqueueing a task: one INSERT) commits or rolls back together with the case and costs no
transaction of its own. Listeners must be quick and must not fail: an exception aborts the
intake. The worker sees an enqueued task only after the commit, so it always finds the case.
The smart dispatch (``dangjian.dispatch``) uses it to classify and route the case.
"""

from django.dispatch import Signal

case_submitted = Signal()
