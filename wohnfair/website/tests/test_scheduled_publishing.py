"""Scheduled publishing runs as a periodic job (see WOHNFAIR_PERIODIC_JOBS)."""

from datetime import date, timedelta

from django.conf import settings
from django.utils import timezone

from wohnfair.website.models import NewsIndexPage, NewsPage
from wohnfair.website.tasks import publish_scheduled_pages


def test_a_page_scheduled_in_the_past_goes_live_when_the_job_runs(client, demo_site):
    index = NewsIndexPage.objects.get(locale__language_code="de")
    news = NewsPage(title="Geplante Nachricht", slug="geplant", date=date(2026, 11, 20), live=False)
    index.add_child(instance=news)
    revision = news.save_revision(approved_go_live_at=timezone.now() + timedelta(hours=1))
    revision.approved_go_live_at = timezone.now() - timedelta(minutes=1)
    revision.save()
    assert client.get("/aktuell/geplant/").status_code == 404
    publish_scheduled_pages.call()
    news.refresh_from_db()
    assert news.live
    assert client.get("/aktuell/geplant/").status_code == 200


def test_the_job_is_scheduled():
    job = settings.WOHNFAIR_PERIODIC_JOBS["publish_scheduled_pages"]
    assert job["task"] == "wohnfair.website.tasks.publish_scheduled_pages"
