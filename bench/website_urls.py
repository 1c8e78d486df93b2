"""The project's URLs plus ``/bench/bare/``: a Django view returning 1 KB, the baseline
that the website benchmark compares pages with. Only for ``bench.website_settings``."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from wohnfair.accounts.access import public
from wohnfair.urls import handler403, handler404, handler500
from wohnfair.urls import urlpatterns as project_urlpatterns

BODY = b"x" * 1024


@public
def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse(BODY, content_type="text/plain")


urlpatterns = [path("bench/bare/", bare), *project_urlpatterns]

__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]
