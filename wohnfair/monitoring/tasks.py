"""Background work of monitoring: report PDFs (queued by ``reports.request_generation``)
and keeping the statistics summary fresh."""

from django.tasks import task


@task()
def generate_report_pdf(report_id: int) -> str:
    """Render one annual or funder report to PDF; returns the report's state afterwards."""
    from wohnfair.monitoring.reports import generate_report_by_id

    return generate_report_by_id(report_id)


@task()
def rebuild_statistics() -> int:
    """Nightly safety net: recount every month of the statistics summary; returns months."""
    from wohnfair.monitoring.summary import rebuild_all

    return rebuild_all()


@task()
def refresh_statistics() -> int:
    """Every minute: rebuild the months that changes marked stale, so that the next read
    of the dashboard need not (it would rebuild them itself); returns the months."""
    from wohnfair.monitoring.summary import refresh_stale

    return refresh_stale()
