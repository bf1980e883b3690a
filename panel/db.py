"""The database engine, its connection handling, and the transaction helper services use.

SQLite is the embedded default; PostgreSQL is used when the database URL says so. Piccolo's
SQLite engine opens a new connection (and a thread) for every query outside a transaction, which
costs more than the query itself on a page; ``PooledSQLiteEngine`` keeps a few open instead.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import functools
import logging
import sqlite3
import threading
from collections.abc import AsyncIterator, Awaitable, Iterator, Mapping, Sequence
from typing import Any

import aiosqlite
import asyncpg
from piccolo.columns.defaults.base import Default
from piccolo.engine.base import Engine
from piccolo.engine.finder import engine_finder
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine, TransactionType, dict_factory
from piccolo.querystring import QueryString
from piccolo.table import Table

from panel.settings import Settings

# What either engine raises when a row breaks a unique constraint.
UNIQUE_VIOLATIONS: tuple[type[Exception], ...] = (
    sqlite3.IntegrityError,
    asyncpg.exceptions.UniqueViolationError,
)

# Ids are PostgreSQL integers (SQLite's are wider): a number outside this range names no row.
INTEGER_RANGE = range(-(2**31), 2**31)

SQLITE_BUSY_TIMEOUT_SECONDS = 30
READ_NOW_BUSY_TIMEOUT_SECONDS = 0.05


# Set while a page that reads only a person's own few rows is answered (``small_reads``).
SMALL_READS: contextvars.ContextVar[bool] = contextvars.ContextVar("small_reads", default=False)


@contextlib.contextmanager
def small_reads() -> Iterator[None]:
    """Reads outside a transaction run on the event loop's own thread while this is open, on
    SQLite (as ``fetch_small`` does): for pages whose every read is a few rows found by a key (a
    member's own record, a sign-up draft, the consent wording in force). Handing a query to
    aiosqlite's thread and back costs more than such a query, and under load the hand-over
    dominates a form page's cost. A long read must not run this way: it would hold up every
    other request while it runs. PostgreSQL's driver has no thread to hand over to."""
    token = SMALL_READS.set(True)
    try:
        yield
    finally:
        SMALL_READS.reset(token)


class PooledSQLiteEngine(SQLiteEngine):
    """SQLite engine that reuses open connections for queries outside a transaction."""

    def __init__(self, path: str, pool_size: int = 4, **kwargs: Any) -> None:
        super().__init__(path=path, timeout=SQLITE_BUSY_TIMEOUT_SECONDS, **kwargs)
        self.pool_size = pool_size
        # aiosqlite connections run on their own thread but hand results to the loop that
        # asked; keep one pool per event loop so tests with a loop each stay independent.
        self._pools: dict[int, asyncio.LifoQueue[aiosqlite.Connection]] = {}
        self._open: dict[int, int] = {}

    async def get_connection(self) -> aiosqlite.Connection:
        connection = await aiosqlite.connect(**self.connection_kwargs)
        connection.row_factory = dict_factory  # type: ignore[assignment]
        await connection.execute("PRAGMA foreign_keys = 1")
        await connection.execute("PRAGMA synchronous = NORMAL")
        return connection

    @contextlib.asynccontextmanager
    async def _borrow(self) -> AsyncIterator[aiosqlite.Connection]:
        key = id(asyncio.get_running_loop())
        pool = self._pools.setdefault(key, asyncio.LifoQueue())
        if pool.empty() and self._open.get(key, 0) < self.pool_size:
            self._open[key] = self._open.get(key, 0) + 1
            try:
                connection = await self.get_connection()
            except BaseException:
                self._open[key] -= 1
                raise
        else:
            connection = await pool.get()
        try:
            yield connection
        finally:
            if connection.in_transaction:
                # A write that failed, or whose request was cancelled, before its commit: closing
                # the connection rolls it back, so it holds no lock for the next borrower.
                self._open[key] -= 1
                await connection.close()
            else:
                pool.put_nowait(connection)

    async def _run_in_new_connection(
        self,
        query: str,
        args: list[Any] | None = None,
        query_type: str = "generic",
        table: Any = None,
    ) -> Any:
        if SMALL_READS.get() and query.startswith("SELECT "):
            try:
                return _sqlite_reader(self).execute(query, args or []).fetchall()
            except sqlite3.OperationalError:
                pass  # busy or locked: the usual way, which waits its turn
        async with self._borrow() as connection:
            rows = await connection.execute_fetchall(query, args or [])
            if connection.in_transaction:  # a plain SELECT opens none: skip a trip to the thread
                await connection.commit()
            return rows

    async def close_pool(self) -> None:
        key = id(asyncio.get_running_loop())
        pool = self._pools.pop(key, None)
        self._open.pop(key, None)
        while pool is not None and not pool.empty():
            await pool.get_nowait().close()


# Each PostgreSQL connection's planner settings. A random read is priced at 1.1 sequential reads
# (PostgreSQL's default, 4, is for spinning disks): the panel's tables live in memory or on SSD.
# At the default the planner reads all 100,000 members, lower-casing every name, rather than
# look a three-letter search up in the trigram index, at five times the cost.
# No just-in-time compilation: the panel's queries are short, and one the planner prices high (an
# engagement's pool, which looks at every member) spent 1.5 s compiling to save a fraction of that.
POSTGRES_SETTINGS = {"random_page_cost": "1.1", "jit": "off"}


def create_engine(settings: Settings) -> Engine:
    if settings.is_postgres:
        return PostgresEngine(
            config={"dsn": settings.database_url, "server_settings": POSTGRES_SETTINGS}
        )
    settings.sqlite_path.parent.mkdir(parents=True, exist_ok=True)
    # aiosqlite logs every statement with its values at DEBUG: personal data must never reach logs.
    logging.getLogger("aiosqlite").setLevel(logging.WARNING)
    return PooledSQLiteEngine(path=str(settings.sqlite_path))


@functools.cache
def engine() -> Engine:
    """The engine ``piccolo_conf.py`` made: the one every table uses."""
    found = engine_finder()
    if found is None:
        raise RuntimeError("piccolo_conf.py must define DB")
    return found


async def keep_session_as_it_is(connection: asyncpg.Connection) -> None:
    """What the pool does to a connection given back, after asyncpg has rolled back any
    transaction left open on it: nothing more. asyncpg's default also sends ``RESET ALL``,
    ``UNLISTEN *``, ``CLOSE ALL`` and releases advisory locks, a second round trip on every
    query outside a transaction (0.1 ms of the server's CPU each, a quarter of a small page's).
    The panel leaves nothing of that kind behind on a connection: it sets no session settings
    (only ``SET LOCAL`` inside a transaction, and the connection's own ``server_settings``), and
    uses no LISTEN, no cursors held past a transaction and no advisory locks."""


async def open_connections(settings: Settings) -> None:
    db = engine()
    if isinstance(db, PostgresEngine):
        await db.start_connection_pool(
            max_size=settings.database_pool_size, reset=keep_session_as_it_is
        )
    else:
        # WAL lets readers carry on while one writer writes; it is a property of the file.
        await db.run_ddl("PRAGMA journal_mode = WAL")


async def close_connections() -> None:
    db = engine()
    if isinstance(db, PostgresEngine):
        if db.pool is not None:
            await _give_back_held(db.pool)
            await db.close_connection_pool()
    elif isinstance(db, PooledSQLiteEngine):
        await db.close_pool()


@contextlib.asynccontextmanager
async def transaction() -> AsyncIterator[None]:
    """One unit of work. Nested use becomes a savepoint, so an inner failure undoes only itself."""
    db = engine()
    current = db.current_transaction.get()
    if current is not None:
        savepoint = await current.savepoint()
        try:
            yield
        except BaseException:
            await savepoint.rollback_to()
            raise
        else:
            await savepoint.release()
        return
    if isinstance(db, SQLiteEngine):
        # IMMEDIATE takes the write lock up front, so two writers queue instead of deadlocking.
        async with db.transaction(transaction_type=TransactionType.immediate):
            yield
    else:
        async with db.transaction():
            yield


async def database_answers() -> bool:
    """Whether the database answers, asked the way pages' writes and large reads ask it."""
    usual_way = SMALL_READS.set(False)
    try:
        await engine().run_ddl("SELECT 1")
    except Exception:  # any failure to answer counts as "not answering"
        return False
    finally:
        SMALL_READS.reset(usual_way)
    return True


def is_postgres() -> bool:
    return isinstance(engine(), PostgresEngine)


async def refresh_statistics(*, thorough: bool) -> None:
    """Give the query planner up-to-date statistics on the tables' sizes and spread of values.

    ``thorough`` (after migrations): ``ANALYZE`` every table, on either engine; on SQLite it reads
    every index and takes about a second on a panel of 100,000. Otherwise (after a bulk change such
    as an import): SQLite's ``PRAGMA optimize``, which analyses only the tables whose size has
    changed enough to matter; PostgreSQL's autovacuum does the same by itself."""
    if thorough:
        await engine().run_ddl("ANALYZE")
    elif not is_postgres():
        await engine().run_ddl("PRAGMA optimize")


_reader = threading.local()


def _sqlite_reader(engine: PooledSQLiteEngine) -> sqlite3.Connection:
    connection = getattr(_reader, "connection", None)
    if connection is None:
        connection = sqlite3.connect(
            engine.path,
            timeout=READ_NOW_BUSY_TIMEOUT_SECONDS,
            detect_types=sqlite3.PARSE_DECLTYPES | sqlite3.PARSE_COLNAMES,
            isolation_level=None,
            check_same_thread=False,
        )
        connection.row_factory = dict_factory
        connection.execute("PRAGMA query_only = 1")
        _reader.connection = connection
    return connection


async def fetch_small(sql: str, *args: Any) -> list[dict[str, Any]]:
    """Rows for a small indexed read that runs on every request (the session lookup).

    On SQLite outside a transaction it reads on the event loop's own thread with a read-only
    connection: in WAL mode a reader never waits for a writer, and an indexed lookup costs less
    than the hop to aiosqlite's thread. If SQLite is busy all the same, it takes the usual path.
    On PostgreSQL it goes to the pool's asyncpg connection without Piccolo's query building.
    """
    db = engine()
    if isinstance(db, PooledSQLiteEngine) and db.current_transaction.get() is None:
        try:
            return _sqlite_reader(db).execute(sql.replace("{}", "?"), args).fetchall()
        except sqlite3.OperationalError:
            pass
    if (
        isinstance(db, PostgresEngine)
        and db.pool is not None
        and db.current_transaction.get() is None
    ):
        # Straight to asyncpg: it keeps the statement prepared on each pooled connection.
        numbered = sql.format(*(f"${number}" for number in range(1, len(args) + 1)))
        return [dict(row) for row in await _fetch_on_held(db.pool, numbered, args)]
    return [dict(row) for row in await db.run_querystring(QueryString(sql, *args))]


# PostgreSQL connections kept out of the pool for ``fetch_small``, with the pool they came from.
# Taking a connection from asyncpg's pool and giving it back costs about twice a small read's own
# client time (0.044 of 0.068 ms); a request makes two or three such reads.
_held: list[asyncpg.Connection] = []
_held_from: list[asyncpg.Pool] = []


def _most_held(pool: asyncpg.Pool) -> int:
    """At most a quarter of the pool is kept for small reads: the rest stays for transactions."""
    return max(1, pool.get_max_size() // 4)


async def _fetch_on_held(pool: asyncpg.Pool, sql: str, args: Sequence[Any]) -> list[Any]:
    """Run a read on a connection kept for small reads (taken from the pool when none is free).
    A connection whose read failed or was cancelled goes back to the pool, which closes or
    resets it; one left over past what is kept goes back too."""
    if _held_from and _held_from[0] is not pool:
        await _give_back_held(_held_from[0])
    connection = _held.pop() if _held else await pool.acquire()
    try:
        rows = await connection.fetch(sql, *args)
    except BaseException:
        await pool.release(connection)
        raise
    if len(_held) < _most_held(pool):
        _held.append(connection)
        _held_from[:] = [pool]
    else:
        await pool.release(connection)
    return rows


async def _give_back_held(pool: asyncpg.Pool) -> None:
    """Give every kept connection back to its pool, as closing the pool needs."""
    held, _held[:], _held_from[:] = list(_held), [], []
    for connection in held:
        await pool.release(connection)


# Parameters in one statement of ``insert_many``: under SQLite's and PostgreSQL's limits (32,766).
INSERT_MANY_PARAMETERS = 30000


async def insert_many(
    table: type[Table],
    rows: Sequence[Mapping[str, Any]],
    returning: Sequence[str] = (),
) -> list[dict[str, Any]]:
    """Insert many rows at once (each a mapping of column name to value), as ``Table.insert``
    would, with every column not given set to its default; returns the ``returning`` columns of
    each row. As many rows go in one statement as its parameters allow.

    For bulk work such as an import: Piccolo builds an object and a query fragment for every row,
    which for thousands of rows costs several times the database's own work. Column names come
    from the table's definition, never from input; every value is a parameter."""
    columns = [column for column in table._meta.columns if not column._meta.primary_key]
    known = {column._meta.name for column in columns} | {table._meta.primary_key._meta.name}
    for name in {name for row in rows for name in row} | set(returning):
        if name not in known:
            raise ValueError(f"{table.__name__} has no column {name}")
    per_statement = INSERT_MANY_PARAMETERS // len(columns)
    names = ", ".join(f'"{column._meta.db_column_name}"' for column in columns)
    one_row = "(" + ", ".join(["{}"] * len(columns)) + ")"
    suffix = " RETURNING " + ", ".join(f'"{name}"' for name in returning) if returning else ""
    found: list[dict[str, Any]] = []
    for start in range(0, len(rows), per_statement):
        batch = rows[start : start + per_statement]
        values = []
        for row in batch:
            for column in columns:
                value = row.get(column._meta.name, ...)
                if value is ...:
                    value = column.get_default_value()
                    value = value.python() if isinstance(value, Default) else value
                values.append(value)
        sql = (
            f"INSERT INTO {table._meta.get_formatted_tablename()} ({names}) "  # noqa: S608 -- names from the table
            f"VALUES {', '.join([one_row] * len(batch))}{suffix}"
        )
        result = await table.raw(sql, *values)
        if returning:
            found += [dict(row) for row in result]
    return found


# Pieces of hand-written SQL, for the queries Piccolo's builder does not express.


def contains(text: str) -> str:
    """A LIKE pattern matching ``text`` anywhere, its own ``%``, ``_`` and ``\\`` taken literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def all_of(conditions: list[QueryString]) -> QueryString:
    return QueryString(" AND ".join("({})" for _ in conditions), *conditions)


def any_of(conditions: list[QueryString]) -> QueryString:
    return QueryString(" OR ".join("({})" for _ in conditions), *conditions)


async def side_by_side(*reads: Awaitable[Any]) -> list[Any]:
    """Independent reads at the same time, each on a connection of its own: SQLite works outside
    Python's lock and PostgreSQL in a backend each, so on two cores a page of several counts
    takes about as long as its slowest. Inside a transaction there is one connection, which
    takes one query at a time."""
    if engine().current_transaction.get() is not None:
        return [await read for read in reads]
    return list(await asyncio.gather(*reads))
