"""After a member is erased, a real ``panel serve`` process's output holds nothing of them: not
the email staff searched and exported by, not the single-use tokens of links opened, not a query
string; and no request wrote a line of its own (hardening, points 4, 8 and 10).

The server gets a database of its own, since it commits: a SQLite file in a temporary folder, or
on PostgreSQL runs a database named after the test database with ``_serve`` added.
"""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import httpx

from panel.settings import ROOT
from tests.integration.conftest import csrf_token_in
from tests.support import html
from tests.support.database import POSTGRES_PREFIXES, empty_database
from tests.support.server import PanelServer, free_port, run_panel

# Puts a member in place through the project's own services: an account and an active member.
ADD_MEMBER = """
import asyncio, secrets, sys
from panel import db
from panel.accounts.passwords import Passwords
from panel.accounts.rules import Role
from panel.accounts.services import create_user
from panel.audit.services import Actor
from panel.members.tables import ContactPreference, Member
from panel.settings import load_settings

async def add(email, name):
    settings = load_settings()
    await db.open_connections(settings)
    try:
        async with db.transaction():
            user_id = await create_user(
                email, Role.MEMBER, secrets.token_urlsafe(24), Passwords(settings),
                Actor(None, "test"),
            )
            rows = await Member.insert(
                Member(user=user_id, pseudonym=secrets.token_hex(8), status="active",
                       preferred_name=name, district="maidstone")
            )
            await ContactPreference.insert(
                ContactPreference(member=rows[0]["id"], channel="email", safe=True)
            )
        print(rows[0]["id"])
    finally:
        await db.close_connections()

asyncio.run(add(sys.argv[1], sys.argv[2]))
"""


def database_for_the_server(folder: Path) -> str:
    url = os.environ["PANEL_DATABASE_URL"]
    if url.startswith(POSTGRES_PREFIXES):
        base, _, query = url.partition("?")
        return f"{base}_serve" + (f"?{query}" if query else "")
    return f"sqlite:///{folder / 'serve.sqlite3'}"


def form_token(client: httpx.Client, path: str) -> str:
    page = client.get(path)
    assert page.status_code == 200, f"GET {path}: {page.status_code}"
    token = csrf_token_in(page.text)
    assert token, f"no form on {path}"
    return token


def test_a_real_servers_log_keeps_nothing_of_an_erased_member(tmp_path):
    database_url = database_for_the_server(tmp_path)
    empty_database(database_url)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    environment = {key: value for key, value in os.environ.items() if not key.startswith("PANEL_")}
    environment |= {
        "PANEL_ENV": "local",
        "PANEL_DEMO": "true",
        "PANEL_DATABASE_URL": database_url,
        "PANEL_VAR_DIR": str(tmp_path / "var"),
        "PANEL_SECRET_KEY": secrets.token_urlsafe(48),
        "PANEL_BASE_URL": url,
    }
    run_panel(environment, "db", "upgrade")
    demo = run_panel(environment, "demo", "load")
    password = re.search(r"Demo password for every demo account: (.+)", demo).group(1).strip()
    sentinel = f"sentinel{secrets.token_hex(6)}"
    email = f"{sentinel}@example.org"
    added = subprocess.run(
        [sys.executable, "-c", ADD_MEMBER, email, f"Name {sentinel}"],
        env=environment,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    member_id = int(added.stdout.strip())
    tokens = [f"{sentinel}Tok{secrets.token_urlsafe(16)}" for _ in range(3)]
    forged = f"FORGED {sentinel} line"

    server = PanelServer(url, f"{url}/healthz", environment, tmp_path / "server.log")
    server.start(port)
    try:
        with (
            httpx.Client(base_url=url, timeout=10) as staff,
            httpx.Client(base_url=url, timeout=10) as someone,
        ):
            token = form_token(staff, "/sign-in")
            signed_in = staff.post(
                "/sign-in",
                data={"_csrf_token": token, "email": "staff@demo.example", "password": password},
            )
            assert signed_in.headers["location"] == "/staff"
            found = staff.get("/staff/members", params={"q": email})
            assert html.hrefs(found, "table tbody td:first-child a") == [
                f"/staff/members/{member_id}"
            ]
            exported = staff.get("/staff/members.csv", params={"q": email})
            assert email in exported.text

            token = form_token(someone, "/forgot-password")
            asked = someone.post("/forgot-password", data={"_csrf_token": token, "email": email})
            assert asked.status_code == 303
            for path in ("/reset-password", "/sign-in/link", "/join/verify"):
                for link_token in tokens:
                    assert someone.get(f"{path}/{link_token}").status_code < 500
            assert someone.get(f"/x%0d%0a{forged}%0d%0a").status_code == 404
            home = someone.get("/")
            head = someone.head("/")
            assert head.status_code == home.status_code == 200 and head.content == b""
            assert "server" not in home.headers and "server" not in head.headers

            token = form_token(staff, f"/staff/members/{member_id}/leave")
            erased = staff.post(
                f"/staff/members/{member_id}/leave", data={"_csrf_token": token, "confirm": "yes"}
            )
            assert erased.status_code == 303
    finally:
        server.stop()

    log = server.log()
    access = [line for line in log.splitlines() if " panel.access: " in line]
    # The log was written: a line for each request, so this test can fail.
    for request in (
        '"POST /sign-in" 303',
        '"GET /staff/members" 200',
        '"GET /staff/members.csv" 200',
        '"POST /forgot-password" 303',
        '"GET /reset-password/*"',
        '"GET /sign-in/link/*"',
        '"GET /join/verify/*"',
        '"GET /*" 404',
        '"HEAD /" 200',
        f'"POST /staff/members/{member_id}/leave" 303',
    ):
        assert [line for line in access if request in line], f"no {request} in:\n{log}"
    assert sentinel not in log
    assert not [token for token in tokens if token in log]
    assert "q=" not in log and not [line for line in access if "?" in line]
    assert not [line for line in access if "127.0.0.1" in line]
    assert "FORGED" not in log
