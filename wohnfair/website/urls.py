"""Public website views besides Wagtail's pages (those come from Wagtail's catch-all)."""

from django.urls import path

from wohnfair.website import search

app_name = "website"

urlpatterns = [
    path("suche/", search.search, name="search"),
]
