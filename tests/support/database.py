"""Making an empty test database on either engine, then applying the migration chain."""

from __future__ import annotations

import asyncio
import sqlite3
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import asyncpg

POSTGRES_PREFIXES = ("postgresql://", "postgres://")


async def empty_postgres(url: str) -> None:
    """Create the database if it is missing, then drop everything in it."""
    base, _, name = url.rpartition("/")
    name = name.split("?", 1)[0]
    admin = await asyncpg.connect(f"{base}/postgres")
    try:
        exists = await admin.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
        if not exists:
            await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    connection = await asyncpg.connect(url)
    try:
        await connection.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    finally:
        await connection.close()


def empty_database(url: str) -> None:
    if url.startswith(POSTGRES_PREFIXES):
        asyncio.run(empty_postgres(url))
    else:
        path = Path(url.removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        path.parent.mkdir(parents=True, exist_ok=True)


async def _move_session(url: str, title: str, starts_at: datetime, ends_at: datetime) -> None:
    connection = await asyncpg.connect(url)
    try:
        await connection.execute(
            "UPDATE engagement SET starts_at = $1, ends_at = $2 WHERE title = $3",
            starts_at,
            ends_at,
            title,
        )
    finally:
        await connection.close()


def move_session(url: str, title: str, starts_at: datetime, ends_at: datetime) -> None:
    """Set the start and end of the engagement with this title, as the passing of time would
    (the service refuses a start in the past, rightly). Stored as Piccolo stores them: UTC, and
    on SQLite as ``str`` of the datetime."""
    if url.startswith(POSTGRES_PREFIXES):
        asyncio.run(_move_session(url, title, starts_at, ends_at))
        return
    with closing(sqlite3.connect(url.removeprefix("sqlite:///"))) as connection, connection:
        connection.execute(
            "UPDATE engagement SET starts_at = ?, ends_at = ? WHERE title = ?",
            (str(starts_at.astimezone(UTC)), str(ends_at.astimezone(UTC)), title),
        )
