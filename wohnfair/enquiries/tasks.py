"""Scheduled work on enquiries."""

from django.tasks import task


@task()
def delete_expired_enquiries() -> int:
    """Delete enquiries past their retention period (see ``services``)."""
    from wohnfair.enquiries.services import delete_expired_enquiries as run

    return run()
