"""The migration chain, applied to an empty database at the start of the run, gives the schema the
Table classes describe (on whichever engine this run uses; CI runs both)."""

from __future__ import annotations

from panel import db
from panel.piccolo_app import APP_CONFIG


async def columns_in_database(table) -> dict[str, bool]:
    """Column name → nullable, as the database reports it."""
    name = table._meta.tablename
    if db.is_postgres():
        rows = await table.raw(
            "SELECT column_name, is_nullable FROM information_schema.columns WHERE table_name = {}",
            name,
        )
        return {row["column_name"]: row["is_nullable"] == "YES" for row in rows}
    rows = await db.engine().run_ddl(f"PRAGMA table_info({name})")
    return {row["name"]: not row["notnull"] and not row["pk"] for row in rows}


async def test_schema_after_migrations_matches_the_tables():
    for table in APP_CONFIG.table_classes:
        expected = {
            column._meta.db_column_name: bool(column._meta.null) for column in table._meta.columns
        }
        actual = await columns_in_database(table)
        assert actual == expected, (
            f"{table._meta.tablename}: migrations give {actual}, tables say {expected}"
        )


async def test_unique_and_indexed_columns_exist_in_the_database():
    if db.is_postgres():
        rows = await db.engine().run_ddl(
            "SELECT indexdef FROM pg_indexes WHERE schemaname = 'public'"
        )
        definitions = " ".join(row["indexdef"] for row in rows)
    else:
        rows = await db.engine().run_ddl(
            "SELECT sql FROM sqlite_master WHERE type IN ('index', 'table')"
        )
        definitions = " ".join(row["sql"] or "" for row in rows)
    for table in APP_CONFIG.table_classes:
        for column in table._meta.columns:
            if column._meta.index:
                assert f"{table._meta.tablename}_{column._meta.db_column_name}" in definitions, (
                    f"index on {table._meta.tablename}.{column._meta.db_column_name}"
                )
