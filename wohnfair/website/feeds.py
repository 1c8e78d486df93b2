"""The Atom feed of the news (Aktuell): the latest items of one news index."""

from __future__ import annotations

from datetime import datetime, time
from typing import TYPE_CHECKING

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

if TYPE_CHECKING:
    from wohnfair.website.models import NewsIndexPage

FEED_ITEMS = 20


def atom_feed(index: NewsIndexPage, request: HttpRequest) -> HttpResponse:
    feed_url = request.build_absolute_uri()
    feed = Atom1Feed(
        title=index.title,
        link=index.get_full_url(request) or feed_url,
        description=index.summary,
        language=index.locale.language_code,
        feed_url=feed_url,
    )
    for news in index.news()[:FEED_ITEMS]:
        published = timezone.make_aware(datetime.combine(news.date, time(12)))
        feed.add_item(
            title=news.title,
            link=news.get_full_url(request) or "",
            description=news.summary,
            pubdate=published,
            updateddate=news.last_published_at or published,
            unique_id=f"urn:wohnfair:page:{news.pk}",
            categories=[tag.name for tag in news.tags.all()],
        )
    response = HttpResponse(content_type="application/atom+xml; charset=utf-8")
    feed.write(response, "utf-8")
    return response
