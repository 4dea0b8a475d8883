"""Browser end-to-end tests: Playwright (sync API) driving Debian's Chromium against
pytest-django's live server.

Playwright's own browser download is not available on these machines: the tests launch
/usr/bin/chromium (the `chromium` Debian package, installed by .ci/run) and are skipped,
with the reason, when it is absent.

Personas: the facilitator works on a desktop-sized window; every expert answers on a
phone-sized one (390 x 844, touch). Every page is watched for JavaScript errors and
console errors (a Content-Security-Policy violation is one), which fail the test.

Screenshots of key pages go to a temporary folder, or to $ANTICIPE_E2E_SCREENSHOTS when
set (to look at them).
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
TIMEOUT_MS = 30_000  # generous: CI machines may be busy


@dataclass
class Watched:
    """A page and the errors its scripts and console reported."""

    page: Page
    errors: list[str] = field(default_factory=list)
    expected: list[re.Pattern[str]] = field(default_factory=list)
    in_flight: set[Any] = field(default_factory=set)

    def unexpected_errors(self) -> list[str]:
        return [e for e in self.errors if not any(p.search(e) for p in self.expected)]

    def settle(self, timeout_s: float = 30.0) -> None:
        """Wait until every request the page sent has its answer (or failed), so that the
        live server handles no request of this test after it ends: a request still being
        served (an image of a fragment htmx has just swapped in) would hold the database
        while the test's teardown empties it."""
        deadline = time.monotonic() + timeout_s
        while self.in_flight and time.monotonic() < deadline:
            self.page.wait_for_timeout(50)


def console_error(item: Watched, message: Any) -> None:
    """Keep the console's errors, except the browser's own request for /favicon.ico (the
    site has no icon)."""
    if message.type != "error":
        return
    where = (message.location or {}).get("url", "")
    if where.endswith("/favicon.ico"):
        return
    item.errors.append(f"console: {message.text} ({where})")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM}: install Debian's chromium package")
    # Playwright's sync API runs an event loop in this thread; the test's own database
    # reads and writes are plain synchronous code, so Django's async guard is lifted
    # while the browser runs, and restored afterwards (module scope: the loop and the
    # lifted guard never outlive the browser tests).
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            launched = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
            yield launched
            launched.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def screenshots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("ANTICIPE_E2E_SCREENSHOTS") or tmp_path / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def open_page(browser: Browser, live_server: Any) -> Iterator[Callable[..., Watched]]:
    """Open a browser window of its own (own cookies): `open_page("desktop")` for a
    facilitator, `open_page("phone")` for an expert. Fails the test on script errors."""
    contexts: list[BrowserContext] = []
    watched: list[Watched] = []

    def make(kind: str = "desktop") -> Watched:
        options: dict[str, Any] = {"base_url": live_server.url, "locale": "en-GB"}
        if kind == "phone":
            options.update(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
        else:
            options.update(viewport=DESKTOP)
        context = browser.new_context(accept_downloads=True, **options)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        item = Watched(page)
        page.on("pageerror", lambda error: item.errors.append(f"page error: {error}"))
        page.on("console", lambda message: console_error(item, message))
        page.on("dialog", lambda dialog: dialog.accept())  # data-confirm forms
        page.on("request", lambda request: item.in_flight.add(request))
        page.on("requestfinished", lambda request: item.in_flight.discard(request))
        page.on("requestfailed", lambda request: item.in_flight.discard(request))
        watched.append(item)
        return item

    yield make
    for item in watched:
        if not item.page.is_closed():
            item.settle()
    problems = [error for item in watched for error in item.unexpected_errors()]
    for context in contexts:
        context.close()
    assert not problems, "errors in the browser:\n" + "\n".join(problems)


def log_in(page: Page, username: str, password: str) -> None:
    """Sign in through the login page."""
    page.goto("/login/")
    page.get_by_label(re.compile("username", re.I)).fill(username)
    page.get_by_label(re.compile("password", re.I)).fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("sign in|log in|connexion", re.I)).click()
    assert "/login/" not in page.url, page.content()[:2000]


LAPTOP = {"width": 1366, "height": 900}


@pytest.fixture
def facilitator_on_example(
    open_page: Callable[..., Watched],
) -> Callable[..., tuple[Page, Any]]:
    """The example study imported for a facilitator, signed in in a window of its own:
    ``page, study = facilitator_on_example("phone")`` (``"desktop"``: 1366 x 900)."""
    from django.contrib.auth import get_user_model

    from anticipe.examples import load_example
    from anticipe.workshop.study_format import import_study

    user = get_user_model().objects.create_user("facilitator", password="facilitator-pw-1")
    study = import_study(load_example(), owner=user)

    def signed_in(kind: str = "desktop") -> tuple[Page, Any]:
        page = open_page(kind).page
        if kind != "phone":
            page.set_viewport_size(LAPTOP)
        log_in(page, "facilitator", "facilitator-pw-1")
        return page, study

    return signed_in
