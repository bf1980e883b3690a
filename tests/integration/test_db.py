"""The database helpers: the fast path for the per-request session read, nested transactions."""

from __future__ import annotations

import asyncio

import pytest

from panel import db
from panel.accounts.tables import User


@pytest.fixture
async def outside_the_test_transaction(settings):
    """Committed data only, as a request in production sees it (with PostgreSQL's pool running,
    started as the app starts it)."""
    engine = db.engine()
    outside = engine.current_transaction.set(None)
    if db.is_postgres():
        await db.open_connections(settings)
    try:
        yield
    finally:
        if db.is_postgres():
            await db.close_connections()
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


async def test_a_write_left_half_done_on_a_pooled_connection_never_shows(
    outside_the_test_transaction,
):
    """A connection given back with a transaction open has it rolled back before anyone else
    uses it: on PostgreSQL the pool skips asyncpg's session reset (a round trip a query) but not
    its rollback; on SQLite the connection is closed rather than put back."""
    email = "half-done@example.org"
    if db.is_postgres():
        pool = db.engine().pool
        async with pool.acquire() as connection:
            await connection.execute("BEGIN")
            await connection.execute(
                "INSERT INTO panel_user (email, role) VALUES ($1, 'staff')", email
            )
        async with pool.acquire() as connection:
            assert not connection.is_in_transaction()
    else:
        with pytest.raises(RuntimeError):
            async with db.engine()._borrow() as connection:
                await connection.execute("BEGIN")
                await connection.execute(
                    "INSERT INTO panel_user (email, role) VALUES (?, 'staff')", (email,)
                )
                raise RuntimeError("the request failed")
    # The next write goes through on its own: it neither waits for a lock nor commits the
    # half-done one with it.
    try:
        await User.insert(User(email="next@example.org", role="staff"))
        assert await User.exists().where(User.email == "next@example.org")
        assert not await User.exists().where(User.email == email)
    finally:
        await User.delete().where(User.email.is_in([email, "next@example.org"]))


async def test_small_reads_carry_on_after_one_fails_and_under_many_at_once(
    outside_the_test_transaction,
):
    """On PostgreSQL small reads keep a few connections out of the pool: a read that fails gives
    its connection back rather than keeping it, reads beyond what is kept get their own, and the
    pool still closes (the fixture closes it) with the kept ones given back."""
    with pytest.raises(Exception, match="no_such_table"):
        await db.fetch_small("SELECT 1 FROM no_such_table WHERE id = {}", 1)
    many = await asyncio.gather(
        *(
            db.fetch_small("SELECT CAST({} AS INTEGER) AS n FROM migration LIMIT 1", number)
            for number in range(30)
        )
    )
    assert [rows[0]["n"] for rows in many] == list(range(30))
    if db.is_postgres():
        pool = db.engine().pool
        # Some are kept, no more than a quarter of the pool: the rest stays for transactions.
        kept = pool.get_size() - pool.get_idle_size()
        assert 1 <= kept <= pool.get_max_size() // 4
        # A transaction can still have a connection of its own.
        async with pool.acquire() as connection:
            assert await connection.fetchval("SELECT 1") == 1
