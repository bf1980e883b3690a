"""Browser journeys: ``panel serve`` in a subprocess, a real SMTP server, Debian's Chromium.

Run on their own (``pytest tests/browser``), apart from the async integration tests. The database
is a SQLite file in a temporary folder, or the PostgreSQL database ``PANEL_DATABASE_URL`` names
(CI sets it); either way it is emptied and migrated at the start. Each test gets a fresh browser
context and its own staff account, so tests do not depend on each other or on their order.
"""

from __future__ import annotations

import os
import secrets
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Page,
    ViewportSize,
    expect,
    sync_playwright,
)

from tests.browser.accessibility import NavigationWatch, watch_navigations
from tests.browser.accounts import Account, new_password
from tests.browser.mailbox import Mailbox, start_smtp_server
from tests.support.database import empty_database
from tests.support.server import PanelServer, free_port, run_panel

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGUMENTS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Read when this file is imported, before any other test folder's conftest can change it.
DATABASE_URL_FROM_ENVIRONMENT = os.environ.get("PANEL_DATABASE_URL", "")

expect.set_options(timeout=10_000)


@pytest.fixture(scope="session")
def mailbox() -> Iterator[Mailbox]:
    mailbox = Mailbox()
    controller = start_smtp_server(mailbox, free_port())
    try:
        yield mailbox
    finally:
        controller.stop()


@pytest.fixture(scope="session")
def server(mailbox: Mailbox, tmp_path_factory: pytest.TempPathFactory) -> Iterator[PanelServer]:
    folder: Path = tmp_path_factory.mktemp("panel-browser")
    database_url = DATABASE_URL_FROM_ENVIRONMENT or f"sqlite:///{folder / 'panel.sqlite3'}"
    # In a thread of its own: once Playwright's sync API has started, this thread has a running
    # event loop, and empty_database's asyncio.run would refuse to start another.
    with ThreadPoolExecutor(max_workers=1) as thread:
        thread.submit(empty_database, database_url).result()
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    # The exit button must lead somewhere neutral; here, a page that is not part of a journey.
    exit_url = f"{url}/healthz"
    # Only these settings, whatever the developer's own shell has set.
    environment = {key: value for key, value in os.environ.items() if not key.startswith("PANEL_")}
    environment |= {
        "PANEL_ENV": "local",
        "PANEL_DATABASE_URL": database_url,
        "PANEL_VAR_DIR": str(folder / "var"),
        "PANEL_SECRET_KEY": secrets.token_urlsafe(48),
        "PANEL_BASE_URL": url,
        "PANEL_EXIT_PAGE_URL": exit_url,
        "PANEL_EMAIL_BACKEND": "smtp",
        "PANEL_SMTP_HOST": "127.0.0.1",
        "PANEL_SMTP_PORT": str(mailbox.port),
    }
    run_panel(environment, "db", "upgrade")
    panel = PanelServer(
        url=url, exit_url=exit_url, environment=environment, log_path=folder / "server.log"
    )
    try:
        panel.start(port)
        yield panel
    finally:
        panel.stop()


@pytest.fixture
def staff_user(server: PanelServer) -> Account:
    """A staff account of its own for each test, made with ``panel users create``."""
    account = Account(email=f"staff-{uuid.uuid4().hex[:10]}@example.org", password=new_password())
    server.create_user(account.email, "staff", account.password)
    return account


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGUMENTS, headless=True
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item) -> Iterator[None]:
    """Keep each phase's report on the test, so fixtures can tell whether the test passed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@dataclass
class Tab:
    """A tab in a fresh browser context, with what it saw recorded for the end of the test."""

    context: BrowserContext
    page: Page
    watch: NavigationWatch
    script_problems: list[str]


# Public, joining and member pages are checked as on a small phone; staff pages on a desktop.
PHONE: ViewportSize = {"width": 320, "height": 640}
DESKTOP: ViewportSize = {"width": 1280, "height": 720}


def open_tab(browser: Browser, server: PanelServer, viewport: ViewportSize = DESKTOP) -> Tab:
    context = browser.new_context(base_url=server.url, locale="en-GB", viewport=viewport)
    context.set_default_timeout(10_000)
    page = context.new_page()
    # The exit page stands for another site (the service's own plain-text health check here).
    watch = watch_navigations(page, exempt=frozenset({server.exit_url}))
    script_problems: list[str] = []
    page.on("pageerror", lambda error: script_problems.append(f"uncaught error: {error}"))
    page.on(
        "console",
        lambda message: (
            script_problems.append(message.text)
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )
    return Tab(context, page, watch, script_problems)


@pytest.fixture
def tabs(browser: Browser, server: PanelServer, request: pytest.FixtureRequest) -> Iterator[Any]:
    """Opens tabs, each in a fresh browser context (another person, another browser), with a
    desktop's window unless given another (``tabs(PHONE)``).

    A test that passes must also have checked with axe every page any of its tabs saw, and no
    script on those pages may have failed or been blocked by the content security policy.
    """
    opened: list[Tab] = []

    def new_tab(viewport: ViewportSize = DESKTOP) -> Page:
        tab = open_tab(browser, server, viewport)
        opened.append(tab)
        return tab.page

    try:
        yield new_tab
    finally:
        for tab in opened:
            tab.watch.stop()
            tab.context.close()
    report = getattr(request.node, "report_call", None)
    if report is not None and report.passed:
        unchecked = [url for tab in opened for url in tab.watch.unchecked()]
        assert not unchecked, f"pages shown but never checked with axe: {unchecked}"
        problems = [problem for tab in opened for problem in tab.script_problems]
        assert not problems, f"the pages' scripts failed: {problems}"


@pytest.fixture
def page(tabs: Any) -> Page:
    """A tab in a fresh browser context, checked as ``tabs`` says, as wide as a desktop's."""
    return tabs()


@pytest.fixture
def phone_page(tabs: Any) -> Page:
    """A tab as wide as a small phone's (320 px): for public, joining and member journeys."""
    return tabs(PHONE)
