from django.urls import URLPattern, URLResolver, get_resolver

from wohnfair.accounts.access import declared_access


def walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.callback


def test_every_view_declares_an_access_rule_or_is_public():
    undeclared = [
        f"{route} -> {callback.__module__}.{callback.__name__}"
        for route, callback in walk(get_resolver().url_patterns)
        if declared_access(callback, route) is None
    ]
    assert undeclared == []


def test_the_walker_sees_the_staff_views():
    rules = {
        route: declared_access(callback, route)
        for route, callback in walk(get_resolver().url_patterns)
    }
    assert rules["staff/"] == "staff:any"
    assert rules["staff/team/"] == "staff:lead,administrator"
    assert rules["einladung/<str:token>/"] == "public"


def test_a_view_without_decorator_is_reported():
    def naked_view(request):
        return None

    assert declared_access(naked_view) is None
