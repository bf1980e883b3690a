"""The database helpers: the fast path for the per-request session read, nested transactions."""

from __future__ import annotations

import pytest

from panel import db
from panel.accounts.tables import User


@pytest.fixture
async def outside_the_test_transaction():
    """Committed data only, as a request in production sees it (with PostgreSQL's pool running)."""
    engine = db.engine()
    outside = engine.current_transaction.set(None)
    if db.is_postgres():
        await engine.start_connection_pool(min_size=1, max_size=2)
    try:
        yield
    finally:
        if db.is_postgres():
            await engine.close_connection_pool()
        engine.current_transaction.reset(outside)


async def test_fetch_small_reads_committed_rows_with_typed_values(outside_the_test_transaction):
    rows = await db.fetch_small(
        "SELECT COUNT(*) AS how_many FROM panel_user WHERE email = {} AND role = {}",
        "x@example.org",
        "staff",
    )
    assert rows == [{"how_many": 0}]
    rows = await db.fetch_small("SELECT name FROM migration WHERE app_name = {} LIMIT 1", "panel")
    assert rows and isinstance(rows[0]["name"], str)


async def test_fetch_small_inside_a_transaction_sees_that_transactions_rows():
    async with db.transaction():
        await User.insert(User(email="inside@example.org", role="staff"))
        rows = await db.fetch_small(
            "SELECT email FROM panel_user WHERE email = {}", "inside@example.org"
        )
    assert rows == [{"email": "inside@example.org"}]


async def test_a_failing_nested_transaction_undoes_only_itself():
    async with db.transaction():
        await User.insert(User(email="outer@example.org", role="staff"))
        with pytest.raises(RuntimeError):
            async with db.transaction():
                await User.insert(User(email="inner@example.org", role="staff"))
                raise RuntimeError("inner step failed")
    assert await User.exists().where(User.email == "outer@example.org")
    assert not await User.exists().where(User.email == "inner@example.org")
