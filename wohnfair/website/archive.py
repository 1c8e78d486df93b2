"""The news archive: filter the news of an index page by year, tag (Thema) or campaign."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.core.paginator import Paginator
from taggit.models import Tag

if TYPE_CHECKING:
    from wohnfair.website.models import NewsIndexPage


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except (TypeError, ValueError):
        return None


def filter_news(index: NewsIndexPage, params: Mapping[str, str]) -> dict[str, Any]:
    """News of ``index`` by ``?jahr=``, ``?thema=`` and ``?aktion=``; bad values are ignored."""
    from wohnfair.website.models import NEWS_PER_PAGE, CampaignPage, NewsPage

    all_news = index.news()
    news = all_news
    year = _int_or_none(params.get("jahr"))
    if year is not None:
        news = news.filter(date__year=year)
    tag = (params.get("thema") or "")[:100]
    if tag:
        news = news.filter(tags__slug=tag)
    campaign_id = _int_or_none(params.get("aktion"))
    campaign = None
    if campaign_id is not None:
        campaign = CampaignPage.objects.live().filter(pk=campaign_id).first()
        news = news.filter(campaign_id=campaign_id)
    page_number = _int_or_none(params.get("seite")) or 1
    paginator = Paginator(news, NEWS_PER_PAGE)
    news_ids = all_news.values("pk")
    return {
        "news_page": paginator.get_page(page_number),
        "years": sorted({d.year for d in all_news.values_list("date", flat=True)}, reverse=True),
        "tags": Tag.objects.filter(website_newspagetag_items__content_object__in=news_ids)
        .distinct()
        .order_by("name"),
        "campaigns": CampaignPage.objects.live()
        .filter(pk__in=NewsPage.objects.filter(pk__in=news_ids).values("campaign"))
        .order_by("-start_date"),
        "selected_year": year,
        "selected_tag": tag,
        "selected_campaign": campaign,
        "filtered": bool(year or tag or campaign_id),
    }
