"""The read-only statistics API under /api/v1/ (no language prefix)."""

from django.urls import path, re_path

from wohnfair.monitoring.views import api

app_name = "statistics_api"

urlpatterns: list = [
    path("statistics/", api.statistics, name="statistics"),
    path("schema/", api.openapi_schema, name="schema"),
    # Anything else under /api/ answers in JSON too, never with an HTML page.
    re_path(r"^(?P<rest>.*)$", api.not_found, name="not_found"),
]
