"""Two-factor keys stored before they were sealed are sealed by the migration chain, on the engine
this run uses, and the plain column goes (issue: hardening, point 3)."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import sys
import tempfile
from pathlib import Path

import asyncpg
import pyotp

from panel.accounts.sealing import unseal
from panel.settings import Settings
from tests.support.database import POSTGRES_PREFIXES, empty_database

# The last migration before two-factor keys were sealed.
BEFORE_SEALING = "2026-12-02T06:06:16:515496"
MIGRATE = """
import asyncio, sys
from piccolo.apps.migrations.commands.forwards import run_forwards
from panel import db

async def forwards():
    try:
        return await run_forwards(app_name="panel", migration_id=sys.argv[1])
    finally:
        await db.close_connections()

sys.exit(0 if asyncio.run(forwards()).success else 1)
"""
INSERT = (
    "INSERT INTO panel_user (email, role, status, totp_secret, totp_last_step, is_demo, "
    "sign_in_by_link, created_at) VALUES ('old@example.org', 'staff', 'active', '{secret}', 0, "
    "false, false, CURRENT_TIMESTAMP)"
)
COLUMNS = "SELECT * FROM panel_user WHERE email = 'old@example.org'"


async def migrate(url: str, var_dir: Path, secret_key: str, up_to: str) -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        MIGRATE,
        up_to,
        env={
            **os.environ,
            "PANEL_DATABASE_URL": url,
            "PANEL_VAR_DIR": str(var_dir),
            "PANEL_SECRET_KEY": secret_key,
        },
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), timeout=120)
    assert process.returncode == 0, (out + err).decode()


async def run_sql(url: str, statement: str) -> list[dict]:
    if url.startswith(POSTGRES_PREFIXES):
        connection = await asyncpg.connect(url)
        try:
            return [dict(row) for row in await connection.fetch(statement)]
        finally:
            await connection.close()
    with sqlite3.connect(url.removeprefix("sqlite:///")) as connection:
        connection.row_factory = sqlite3.Row
        rows = [dict(row) for row in connection.execute(statement)]
        connection.commit()
        return rows


async def test_a_plain_two_factor_key_is_sealed_and_the_plain_column_dropped(settings: Settings):
    var_dir = Path(tempfile.mkdtemp(prefix="panel-sealing-"))
    if settings.is_postgres:
        url = settings.database_url.rsplit("/", 1)[0] + "/panel_sealing_test"
    else:
        url = f"sqlite:///{var_dir / 'sealing.sqlite3'}"
    await asyncio.to_thread(empty_database, url)
    secret = pyotp.random_base32()

    await migrate(url, var_dir, settings.secret_key, BEFORE_SEALING)
    await run_sql(url, INSERT.format(secret=secret))
    await migrate(url, var_dir, settings.secret_key, "all")

    [row] = await run_sql(url, COLUMNS)
    assert "totp_secret" not in row and "pending_totp_secret" not in row
    assert secret not in str(row)
    assert unseal(settings.secret_key, row["totp_secret_sealed"]) == secret
    assert unseal("another key" * 4, row["totp_secret_sealed"]) is None
