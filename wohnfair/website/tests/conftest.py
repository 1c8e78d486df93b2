import pytest
from django.db import transaction
from django.test import override_settings

from wohnfair.website.demo import build_demo_site


@pytest.fixture(scope="module")
def _demo_site_module(django_db_setup, django_db_blocker, tmp_path_factory):
    """Build the demo website once per test module, inside a transaction rolled back at the end.

    Each test's own transaction (``db``) nests inside as a savepoint, so tests still
    see the pristine demo and cannot disturb each other.
    """
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        home = build_demo_site()
        yield home
        transaction.set_rollback(True)


@pytest.fixture
def demo_site(_demo_site_module, db):
    """The demo website (German tree, translations of home and Überblick)."""
    _demo_site_module.refresh_from_db()
    return _demo_site_module


# Search, page cache and sitemap (wohnfair.website.search, .cache, .sitemap) -------------

import itertools  # noqa: E402

from wagtail.models import Page, Site  # noqa: E402

from wohnfair.website.cache import connect_signals  # noqa: E402

_slugs = itertools.count(1)


@pytest.fixture(autouse=True)
def _page_cache_signals():
    # Web processes connect them when the cache middleware starts (and WebsiteConfig.ready
    # should); tests may publish before the first request of their process.
    connect_signals()


@pytest.fixture
def site_root(db):
    """The root page of the default site (German)."""
    return Site.objects.get(is_default_site=True).root_page.specific


@pytest.fixture
def make_page(site_root):
    """``make_page("Titel", parent=None, live=True)``: a plain Wagtail page, published."""

    def _make(title: str, parent=None, *, live: bool = True, **fields) -> Page:
        page = Page(title=title, slug=f"seite-{next(_slugs)}", **fields)
        (parent or site_root).add_child(instance=page)
        revision = page.save_revision()
        if live:
            revision.publish()
        else:
            page.unpublish()
        page.refresh_from_db()
        return page

    return _make
