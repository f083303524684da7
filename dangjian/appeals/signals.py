"""Signals other apps listen to.

``case_submitted(case_id=…, case=…)`` — a case is being taken in (any channel). It is sent
while the intake prepares its write: ``case`` has its id but is not written yet. A listener
must be quick, must not write, and must not fail (an exception aborts the intake); it
returns either

- a list of unsaved model instances, which the intake writes together with the case (in
  the same statement on PostgreSQL, the same transaction on SQLite), so they commit or
  roll back with it — typically a task's row; or
- a callable, which the intake calls once the case is written (inside the transaction when
  the caller has one) — e.g. enqueueing through a task backend that is not the database.

The worker sees a task row only after the commit, so it always finds the case. The smart
dispatch (``dangjian.dispatch``) uses it to classify and route the case.
"""

from django.dispatch import Signal

case_submitted = Signal()
