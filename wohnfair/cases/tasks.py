"""Scheduled work on case files."""

from django.tasks import task


@task()
def anonymise_expired_cases() -> int:
    """Anonymise closed cases past their organisation's retention period (see ``retention``)."""
    from wohnfair.cases.retention import anonymise_expired_cases as run

    return run()


@task()
def send_deadline_reminders() -> int:
    """Remind counsellors of deadlines and agreement reviews (see ``reminders``)."""
    from wohnfair.cases.reminders import send_due_reminders

    return send_due_reminders()


@task()
def delete_orphaned_document_files() -> int:
    """Remove stored files that no document points to (left by a failed deletion)."""
    from wohnfair.cases.documents import delete_orphaned_files

    return delete_orphaned_files()
