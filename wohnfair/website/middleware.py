"""A looser Content-Security-Policy for the Wagtail admin only.

The admin (under /cms/) uses inline styles and scripts and shows page previews
in a frame of its own; the public pages keep the strict policy from settings.
Placed after Django's ContentSecurityPolicyMiddleware, so that it sees the
response first and the CSP middleware then uses this policy.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.csp import CSP

CMS_PREFIX = "/cms/"
CMS_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:", "blob:"],
    "font-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "frame-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.SELF],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}


class CmsContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith(CMS_PREFIX):
            response._csp_config = CMS_CSP  # type: ignore[attr-defined]
            # Page previews are shown in a frame of the admin itself.
            response["X-Frame-Options"] = "SAMEORIGIN"
        return response
