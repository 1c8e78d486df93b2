"""Scheduled publishing: pages and revisions whose go-live or expiry time has come."""

import io

from django.core.management import call_command
from django.tasks import task


@task()
def publish_scheduled_pages() -> str:
    output = io.StringIO()
    call_command("publish_scheduled", stdout=output)
    return output.getvalue()[:500]
