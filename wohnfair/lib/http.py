"""Small helpers for HTTP responses shared by the apps."""

from django.http import HttpResponse
from django.utils.cache import add_never_cache_headers


def private(response: HttpResponse) -> HttpResponse:
    """``response``, marked as never to be stored by browsers or proxies (pages with
    tokens, codes or personal data)."""
    add_never_cache_headers(response)
    return response
