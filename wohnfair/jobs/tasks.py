"""Housekeeping that keeps the database small."""

from datetime import timedelta

from django.contrib.sessions.models import Session
from django.tasks import task
from django.utils import timezone

from wohnfair.jobs.models import ScheduledRun


@task()
def clear_expired_sessions() -> int:
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted


@task()
def prune_finished_jobs() -> int:
    """Forget finished task results and schedule claims older than 30 days."""
    from django_tasks_db.models import DBTaskResult

    cutoff = timezone.now() - timedelta(days=30)
    results, _ = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
    runs, _ = ScheduledRun.objects.filter(slot__lt=cutoff).delete()
    return results + runs


@task()
def prune_expired_cache_entries() -> int:
    """Delete expired rows of the database caches, so they never reach their cull limit."""
    from django.conf import settings
    from django.db import connection

    removed = 0
    now = timezone.now()
    with connection.cursor() as cursor:
        for config in settings.CACHES.values():
            if config["BACKEND"].endswith("db.DatabaseCache"):
                table = connection.ops.quote_name(config["LOCATION"])
                cursor.execute(f"DELETE FROM {table} WHERE expires < %s", [now])  # noqa: S608
                removed += cursor.rowcount
    return removed
