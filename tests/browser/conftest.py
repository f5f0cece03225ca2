"""Browser tests: the system Chromium, driven by Playwright, against pytest-django's live server.

Playwright's sync API runs an event loop in the test thread, so Django's ORM calls made by the
tests themselves need DJANGO_ALLOW_ASYNC_UNSAFE (scripts/test exports it too).
"""

from __future__ import annotations

import os

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from typing import Any

import pytest
from playwright.sync_api import ConsoleMessage, Page

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    # `playwright install` cannot download browsers here; use the distribution's Chromium.
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def base_url(live_server) -> str:
    # Relative URLs in page.goto() go to the live server.
    return live_server.url


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    # A Japanese browser, as the site's visitors use (the language follows Accept-Language).
    return {**browser_context_args, "locale": "ja-JP"}


@pytest.fixture
def live_demo(transactional_db: None, demo, live_server):
    """The demo network, committed so the live server's thread can see it."""
    return demo


@pytest.fixture
def console(page: Page) -> list[ConsoleMessage]:
    """Every console message the page logs (Chromium reports CSP refusals there)."""
    messages: list[ConsoleMessage] = []

    def keep(message: ConsoleMessage) -> None:
        messages.append(message)

    page.on("console", keep)
    return messages
