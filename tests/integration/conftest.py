"""Integration tests: the app in-process over real HTTP semantics, against a real database.

The database is SQLite by default and PostgreSQL when ``PANEL_DATABASE_URL`` says so (CI runs
both). It is emptied and migrated once per run; each test runs inside a transaction that is
rolled back, so tests never see each other's rows.
"""

from __future__ import annotations

import os
import re
import secrets
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

_TEMP = Path(tempfile.mkdtemp(prefix="panel-tests-"))
os.environ.setdefault("PANEL_DATABASE_URL", f"sqlite:///{_TEMP / 'test.sqlite3'}")
os.environ["PANEL_VAR_DIR"] = str(_TEMP / "var")
os.environ.setdefault("PANEL_SECRET_KEY", secrets.token_urlsafe(40))

import html5lib  # noqa: E402
import httpx  # noqa: E402
import pyotp  # noqa: E402

from panel import db  # noqa: E402
from panel.accounts.passwords import Passwords  # noqa: E402
from panel.accounts.rules import Role  # noqa: E402
from panel.accounts.sealing import seal  # noqa: E402
from panel.accounts.services import create_user  # noqa: E402
from panel.accounts.tables import User  # noqa: E402
from panel.app import create_app  # noqa: E402
from panel.audit.services import Actor  # noqa: E402
from panel.consent.rules import Purpose  # noqa: E402
from panel.consent.services import record_consent  # noqa: E402
from panel.engagements.services import create_engagement  # noqa: E402
from panel.engagements.tables import Engagement  # noqa: E402
from panel.members.tables import ContactPreference, Member  # noqa: E402
from panel.migrations import upgrade  # noqa: E402
from panel.settings import Settings, load_settings  # noqa: E402
from tests.support.database import empty_database  # noqa: E402
from tests.support.engagements import a_plan  # noqa: E402

BASE_URL = "http://127.0.0.1:8000"
PASSWORD = "correct horse battery staple"


def settings_for(**overrides: str) -> Settings:
    return load_settings(
        {key: value for key, value in os.environ.items() if key.startswith("PANEL_")} | overrides
    )


@pytest.fixture(scope="session")
def settings() -> Settings:
    return settings_for()


@pytest.fixture(scope="session", autouse=True)
def migrated_database(settings: Settings) -> None:
    import asyncio

    empty_database(settings.database_url)

    async def migrate() -> None:
        ok, report = await upgrade()
        assert ok, report
        await db.close_connections()

    asyncio.run(migrate())


@pytest.fixture(autouse=True)
async def rolled_back() -> AsyncIterator[None]:
    """Every test runs in one transaction that is rolled back at the end."""
    engine = db.engine()
    transaction = engine.transaction()
    await transaction.__aenter__()
    try:
        yield
    finally:
        await transaction.rollback()
        await transaction.__aexit__(None, None, None)
        if isinstance(engine, db.PooledSQLiteEngine):
            await engine.close_pool()


@pytest.fixture(scope="session")
def passwords(settings: Settings) -> Passwords:
    return Passwords(settings)


@pytest.fixture
def app(settings: Settings) -> Any:
    return create_app(settings, run_lifespan_worker=False)


class PageClient:
    """A browser-like client: keeps cookies, reads the CSRF token from the form it was shown,
    and checks every HTML page it gets is well formed and that its forms can be submitted."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.http = client
        self.last_html = ""

    async def get(self, path: str, expected: int = 200, **kwargs: Any) -> httpx.Response:
        response = await self.http.get(path, **kwargs)
        return self.check(response, expected)

    async def post(
        self,
        path: str,
        data: dict[str, Any] | None = None,
        expected: int = 303,
        csrf_from: str | None = None,
    ) -> httpx.Response:
        """Post a form with the CSRF token taken from the page at ``csrf_from`` (default: the same
        path), or the page it sends the browser on to. The token belongs to the browser's session,
        so any page with a form shows it."""
        page = await self.http.get(csrf_from or path, follow_redirects=True)
        token = csrf_token_in(page.text)
        assert token, f"{csrf_from or path} shows no CSRF token: name a page with a form"
        response = await self.http.post(path, data={"_csrf_token": token, **(data or {})})
        return self.check(response, expected)

    def check(self, response: httpx.Response, expected: int) -> httpx.Response:
        assert response.status_code == expected, (
            f"{response.request.method} {response.request.url.path}: expected {expected}, "
            f"got {response.status_code}\n{response.text[:2000]}"
        )
        if response.headers.get("content-type", "").startswith("text/html"):
            self.last_html = response.text
            assert_valid_page(response.text)
        return response


def csrf_token_in(page: str) -> str | None:
    match = re.search(r'name="_csrf_token" value="([^"]+)"', page)
    return match.group(1) if match else None


def assert_valid_page(page: str) -> None:
    parser = html5lib.HTMLParser(strict=False)
    document = parser.parse(page)
    assert not [e for e in parser.errors if e[1] not in {"unexpected-end-tag"}], parser.errors[:5]
    assert document.find(".//{http://www.w3.org/1999/xhtml}title") is not None, (
        "every page has a title"
    )
    for form in document.iter("{http://www.w3.org/1999/xhtml}form"):
        assert form.get("action"), "every form has an action"
        if form.get("method", "get").lower() == "post":
            names = [
                field.get("name") for field in form.iter("{http://www.w3.org/1999/xhtml}input")
            ]
            assert "_csrf_token" in names, "every post form carries a CSRF token"


@pytest.fixture
async def client(app: Any) -> AsyncIterator[PageClient]:
    transport = httpx.ASGITransport(app=app, client=("203.0.113.7", 50000))
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as http:
        yield PageClient(http)


@pytest.fixture
async def make_client(app: Any) -> AsyncIterator[Any]:
    """For tests that need a second browser: another person, another address, other settings."""
    clients: list[httpx.AsyncClient] = []

    def make(
        address: str = "198.51.100.9", settings: Settings | None = None, base_url: str = BASE_URL
    ) -> PageClient:
        """A client of the test app, or of an app built with other settings."""
        served = app if settings is None else create_app(settings, run_lifespan_worker=False)
        transport = httpx.ASGITransport(app=served, client=(address, 50000))
        http = httpx.AsyncClient(transport=transport, base_url=base_url)
        clients.append(http)
        return PageClient(http)

    yield make
    for http in clients:
        await http.aclose()


ACTOR = Actor(user_id=None, client_hash="test")


@pytest.fixture
async def make_user(passwords: Passwords, settings: Settings) -> Any:
    async def make(
        role: Role = Role.STAFF, email: str | None = None, with_two_factor: bool = True
    ) -> dict:
        email = email or f"{role.value}-{secrets.token_hex(4)}@example.org"
        user_id = await create_user(email, role, PASSWORD, passwords, ACTOR)
        secret = pyotp.random_base32() if with_two_factor and role != Role.MEMBER else None
        if secret:
            await User.update({User.totp_secret_sealed: seal(settings.secret_key, secret)}).where(
                User.id == user_id
            )
        return {"id": user_id, "email": email, "role": role, "totp_secret": secret}

    return make


async def sign_in(client: PageClient, user: dict) -> None:
    """Sign in through the pages, two-factor included, as a person would."""
    response = await client.post("/sign-in", {"email": user["email"], "password": PASSWORD})
    if user["totp_secret"]:
        assert response.headers["location"].startswith("/two-factor")
        code = pyotp.TOTP(user["totp_secret"]).now()
        response = await client.post("/two-factor", {"code": code})
    assert response.headers["location"] not in {"/sign-in", "/two-factor"}


@pytest.fixture
async def signed_in(client: PageClient, make_user: Any) -> Any:
    async def as_role(role: Role = Role.STAFF) -> dict:
        user = await make_user(role)
        await sign_in(client, user)
        return user

    return as_role


@pytest.fixture
async def make_member(make_user: Any) -> Any:
    """A panel member with an account: by default active, email safe at any time, and consenting
    to membership and surveys. Returns the user dict with ``member_id`` added."""

    async def make(
        status: str = "active",
        consents: tuple[Purpose, ...] = (Purpose.MEMBERSHIP, Purpose.SURVEYS),
        email: str | None = None,
        preferred_name: str = "Sam",
    ) -> dict:
        user = await make_user(Role.MEMBER, email=email)
        rows = await Member.insert(
            Member(
                user=user["id"],
                pseudonym=secrets.token_hex(8),
                status=status,
                preferred_name=preferred_name,
                district="maidstone",
            )
        )
        member_id = rows[0]["id"]
        await ContactPreference.insert(
            ContactPreference(member=member_id, channel="email", safe=True)
        )
        for purpose in consents:
            await record_consent(member_id, purpose, True, ACTOR)
        return {**user, "member_id": member_id}

    return make


@pytest.fixture
async def make_engagement() -> Any:
    """An engagement planned by staff (a focus group three weeks ahead, see
    ``tests.support.engagements.a_plan``), put straight into ``status``. Returns its id."""

    async def make(status: str = "draft", **changes: Any) -> int:
        engagement_id = await create_engagement(a_plan(**changes), ACTOR)
        if status != "draft":
            await Engagement.update({Engagement.status: status}).where(
                Engagement.id == engagement_id
            )
        return engagement_id

    return make
