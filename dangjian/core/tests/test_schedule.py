"""The periodic jobs: each task exists, and each is enqueued when its interval has passed."""

from dangjian.core import schedule


def test_every_job_names_a_real_task():
    for job in schedule.SCHEDULE:
        assert callable(job.load().enqueue), job.task
        assert job.every >= 60


def test_jobs_are_due_at_once_then_after_their_interval():
    first = schedule.due(1000.0, {})
    assert first == list(schedule.SCHEDULE)  # a fresh loop enqueues everything once
    last = {job.task: 1000.0 for job in first}
    assert schedule.due(1059.0, last) == []
    assert [j.task for j in schedule.due(1060.0, last)] == ["dangjian.appeals.tasks:run_timers"]
    hours_later = [j.task for j in schedule.due(1000.0 + 6 * 3600, last)]
    assert "dangjian.points.tasks:expire_points" in hours_later
    assert "dangjian.points.tasks:check_ledger" not in hours_later
