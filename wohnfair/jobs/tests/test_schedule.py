import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings
from django.db import connection
from django_tasks_db.models import DBTaskResult

from wohnfair.jobs.models import ScheduledRun
from wohnfair.jobs.schedule import PeriodicJob, enqueue_due_jobs

NOW = datetime(2026, 11, 26, 10, 7, tzinfo=UTC)


def test_slot_is_the_start_of_the_interval():
    job = PeriodicJob("x", "wohnfair.jobs.tasks.clear_expired_sessions", timedelta(minutes=60))
    assert job.slot_for(NOW) == datetime(2026, 11, 26, 10, 0, tzinfo=UTC)
    assert job.slot_for(NOW + timedelta(minutes=53)) == datetime(2026, 11, 26, 11, 0, tzinfo=UTC)


def test_due_jobs_are_enqueued_once_per_slot(db):
    first = enqueue_due_jobs(NOW)
    again = enqueue_due_jobs(NOW + timedelta(minutes=5))
    every = {name: spec["every_minutes"] for name, spec in settings.WOHNFAIR_PERIODIC_JOBS.items()}
    assert set(first) == set(every)
    # Five minutes later only the jobs that run every five minutes (or more often) have a
    # new slot.
    assert sorted(again) == sorted(name for name, minutes in every.items() if 5 % minutes == 0)
    assert "publish_scheduled_pages" in again
    assert DBTaskResult.objects.count() == len(first) + len(again)
    later = enqueue_due_jobs(NOW + timedelta(hours=1))
    hourly_or_more_often = [name for name, minutes in every.items() if 60 % minutes == 0]
    assert sorted(later) == sorted(hourly_or_more_often)
    assert "prune_finished_jobs" not in later


@pytest.mark.django_db(transaction=True)
def test_two_schedulers_at_once_enqueue_each_slot_exactly_once():
    if connection.vendor == "sqlite":
        pytest.skip("concurrent writers need PostgreSQL; SQLite serialises them anyway")
    barrier = threading.Barrier(4)
    results = []

    def scheduler():
        from django.db import connection as thread_connection

        barrier.wait()
        results.append(enqueue_due_jobs(NOW))
        thread_connection.close()

    threads = [threading.Thread(target=scheduler) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    enqueued = [name for names in results for name in names]
    assert sorted(enqueued) == sorted(settings.WOHNFAIR_PERIODIC_JOBS)
    assert ScheduledRun.objects.count() == len(enqueued)
    assert DBTaskResult.objects.count() == len(enqueued)


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_an_enqueued_job():
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command

    expired = SessionStore()
    expired.set_expiry(-10)
    expired.create()
    enqueue_due_jobs(NOW)
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0")
    assert DBTaskResult.objects.successful().count() == len(settings.WOHNFAIR_PERIODIC_JOBS)
    from django.contrib.sessions.models import Session

    assert not Session.objects.filter(session_key=expired.session_key).exists()
