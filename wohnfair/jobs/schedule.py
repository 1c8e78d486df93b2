"""Periodic jobs: which task runs how often, and claiming due runs safely.

Jobs are declared in ``settings.WOHNFAIR_PERIODIC_JOBS`` as
``{name: {"task": "dotted.path", "every_minutes": N}}``. ``enqueue_due_jobs``
is called by ``manage.py run_scheduler`` (any number of them, on any number
of machines): each due slot is enqueued exactly once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.tasks import Task
from django.utils import timezone
from django.utils.module_loading import import_string

from wohnfair.jobs.models import ScheduledRun


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    task_path: str
    every: timedelta

    @property
    def task(self) -> Task:
        return import_string(self.task_path)

    def slot_for(self, now: datetime) -> datetime:
        """The start of the interval ``now`` falls in (intervals counted from the epoch, UTC)."""
        seconds = int(self.every.total_seconds())
        epoch_seconds = int(now.timestamp())
        return datetime.fromtimestamp(epoch_seconds - epoch_seconds % seconds, tz=UTC)


def periodic_jobs() -> list[PeriodicJob]:
    return [
        PeriodicJob(name, spec["task"], timedelta(minutes=int(spec["every_minutes"])))
        for name, spec in settings.WOHNFAIR_PERIODIC_JOBS.items()
    ]


def enqueue_due_jobs(now: datetime | None = None) -> list[str]:
    """Enqueue every job whose current slot nobody has claimed yet; return their names."""
    now = now or timezone.now()
    enqueued = []
    for job in periodic_jobs():
        try:
            with transaction.atomic():
                run = ScheduledRun.objects.create(job=job.name, slot=job.slot_for(now))
                result = job.task.enqueue()
                run.task_result_id = str(result.id)
                run.save(update_fields=["task_result_id"])
        except IntegrityError:
            continue  # another scheduler claimed this slot
        enqueued.append(job.name)
    return enqueued
