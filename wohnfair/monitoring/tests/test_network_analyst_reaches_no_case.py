"""The network analyst gets nothing of a case: every cases and intake staff URL, walked."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from wohnfair.cases.tests.conftest import make_case  # noqa: F401 (fixture)
from wohnfair.cases.tests.test_object_urls_are_tenant_safe import (  # noqa: F401 (fixture)
    objects,
    url_for,
)


def routes(app_name):
    def walk(patterns, inside=False):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                yield from walk(entry.url_patterns, inside or entry.app_name == app_name)
            elif isinstance(entry, URLPattern) and inside:
                yield entry

    return list(walk(get_resolver().url_patterns))


CASE_ROUTES = [p.name for p in routes("cases")]
INTAKE_STAFF_ROUTES = [
    p for p in routes("intake") if str(p.pattern).startswith("staff/") and p.name
]


def test_the_walk_sees_the_case_and_intake_urls():
    assert {"list", "detail", "create", "download_document"} <= set(CASE_ROUTES)
    assert INTAKE_STAFF_ROUTES


@pytest.mark.parametrize("name", CASE_ROUTES)
@pytest.mark.parametrize("method", ["get", "post"])
def test_network_analyst_gets_no_case_url(login, objects, network_analyst, name, method):  # noqa: F811
    pattern = next(p for p in routes("cases") if p.name == name)
    url = url_for(name, objects) if pattern.pattern.converters else reverse(f"cases:{name}")
    response = getattr(login(network_analyst), method)(url)
    if pattern.pattern.converters:
        # An object URL: never a hint that the object exists.
        assert response.status_code in {404, 405} and response.status_code != 200
        if response.status_code == 405:
            assert method.upper() not in response["Allow"]
    else:
        # Lists and forms of the case file: refused, and no case number leaks.
        assert response.status_code in {403, 404}
    # The error page repeats the requested URL (language switcher), nothing of the case.
    body = response.content.decode()
    assert "Aylin" not in body and "Makler M." not in body


@pytest.mark.parametrize("pattern", INTAKE_STAFF_ROUTES, ids=lambda p: p.name)
def test_network_analyst_gets_no_intake_staff_url(login, network_analyst, pattern):
    kwargs = {
        name: "R-2026-ABCDEFGH" if conv.regex != "[0-9]+" else 1
        for name, conv in pattern.pattern.converters.items()
    }
    response = login(network_analyst).get(reverse(f"intake:{pattern.name}", kwargs=kwargs))
    if kwargs:
        assert response.status_code == 404
    else:
        assert response.status_code in {403, 404}
