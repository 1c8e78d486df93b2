"""PDF rendering with WeasyPrint that never loads anything from outside.

Letters, exports and reports are self-contained: no web address, no local
file and no data URL is fetched while rendering.
"""

from __future__ import annotations

from functools import cache
from typing import Any


class PDFRenderError(Exception):
    pass


@cache
def _refusing_fetcher_class() -> type:
    from weasyprint.urls import URLFetcher

    class RefusingURLFetcher(URLFetcher):  # type: ignore[misc]
        """Loads nothing at all."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            raise ValueError(f"no external resources are loaded ({url[:80]})")

    return RefusingURLFetcher


def url_fetcher() -> Any:
    return _refusing_fetcher_class()()


def render_pdf(html: str) -> bytes:
    """HTML to PDF bytes; PDFRenderError when WeasyPrint fails."""
    from weasyprint import HTML

    try:
        return HTML(string=html, url_fetcher=url_fetcher()).write_pdf()  # type: ignore[no-any-return]
    except Exception as error:
        raise PDFRenderError(str(error)) from error
