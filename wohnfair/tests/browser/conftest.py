"""Fixtures for the browser tests: one Chromium for the session, a fresh page per test.

The tests drive the system Chromium (``apt-get install chromium``) through
Playwright; ``playwright install`` is never needed. Without Chromium the tests
are skipped on a workstation but fail in CI (``CI=true``), where they are required.
"""

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

from wohnfair.accounts.tests.factories import PASSWORD

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Schemes that never leave the browser.
LOCAL_SCHEMES = frozenset({"data", "blob", "about"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the browser tests last.

    While Playwright's sync API is alive, the test thread has an event loop
    marked as running; the tests that do not need a browser run before it starts.
    """
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


def find_chromium() -> str | None:
    for candidate in (shutil.which("chromium"), "/usr/bin/chromium"):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


@pytest.fixture(scope="session")
def playwright_instance() -> Iterator[Playwright]:
    # The sync API keeps an event loop marked as running in this thread while
    # Playwright is alive, and Django refuses database access from a thread with a
    # running loop unless told otherwise. Restored when the session's browser closes.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            yield playwright
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = find_chromium()
    if path is None:
        message = "Chromium not found (apt-get install chromium); browser tests need it."
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{message} They are required in CI.", pytrace=False)
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def browser(chromium_path: str, playwright_instance: Playwright) -> Iterator[Browser]:
    browser = playwright_instance.chromium.launch(
        executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


def same_origin(url: str, origin: str) -> bool:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" == origin


@pytest.fixture
def context(browser: Browser, live_server) -> Iterator[BrowserContext]:
    context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    origin = live_server.url.rstrip("/")
    # Nothing may leave the test machine: requests to other hosts are cut off
    # here, and the test of outside requests reports them.
    context.route(
        lambda url: urlsplit(url).scheme not in LOCAL_SCHEMES and not same_origin(url, origin),
        lambda route: route.abort(),
    )
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


@pytest.fixture
def requested_urls(page: Page) -> list[str]:
    """Every URL the page asks for, in order."""
    urls: list[str] = []
    page.on("request", lambda request: urls.append(request.url))
    return urls


@pytest.fixture
def visit(page: Page, live_server) -> Callable[[str], Page]:
    """``visit("/konto/login/")`` opens a path on the live server and checks the answer."""

    def _visit(path: str) -> Page:
        response = page.goto(live_server.url + path)
        assert response is not None, path
        assert response.ok, f"{path}: HTTP {response.status}"
        return page

    return _visit


@pytest.fixture
def log_in(page: Page, visit) -> Callable[..., Page]:
    """Log in through the real login form and wait for the staff workspace."""

    def _log_in(user, *, language_prefix: str = "") -> Page:
        visit(f"{language_prefix}/konto/login/")
        page.locator("input[name='login']").fill(user.email)
        page.locator("input[name='password']").fill(PASSWORD)
        page.locator("form[action$='/konto/login/'] button[type='submit']").click()
        page.wait_for_url(f"**{language_prefix}/staff/")
        return page

    return _log_in


_AXE = Axe()


def format_violations(url: str, violations: list[dict]) -> str:
    lines = [f"{len(violations)} axe violation(s) on {url}:"]
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']} "
            f"<{violation['helpUrl']}>"
        )
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            summary = " ".join((node.get("failureSummary") or "").split())
            lines.append(f"    {target}: {summary}")
            lines.append(f"      {node['html']}")
    return "\n".join(lines)


@pytest.fixture
def assert_accessible(page: Page) -> Callable[[], None]:
    """Run axe-core on the current page and fail with a readable list of violations.

    ``page.evaluate`` runs axe through the DevTools protocol, which the page's
    Content-Security-Policy does not govern, so the app's CSP stays as it is.
    """

    def _assert_accessible() -> None:
        results = _AXE.run(page)
        violations = results.response["violations"]
        if violations:
            pytest.fail(format_violations(page.url, violations), pytrace=False)

    return _assert_accessible
