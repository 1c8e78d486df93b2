"""Scheduled work on reports from the public portal."""

from django.tasks import task


@task()
def delete_orphaned_report_files() -> int:
    """Remove stored report files that no row points to (left by a rolled-back save)."""
    from wohnfair.intake.services import delete_orphaned_report_files as run

    return run()


@task()
def prune_portal_state() -> int:
    """Delete expired rate-limit counters, used proofs of work and receipt codes that
    were never shown (the portal prunes too, on each new rate-limit window)."""
    from wohnfair.intake.state import prune

    return prune()
