"""Applying the migration chain in ``piccolo_migrations/`` (on SQLite and PostgreSQL alike)."""

from __future__ import annotations

import contextlib
import io

from piccolo.apps.migrations.commands.forwards import run_forwards
from piccolo.apps.migrations.tables import Migration

from panel import db

APP_NAME = "panel"


async def applied_migrations() -> set[str]:
    """The migrations this database has run (none when it has never been migrated)."""
    await Migration.create_table(if_not_exists=True)
    return set(await Migration.get_migrations_which_ran(app_name=APP_NAME))


async def upgrade() -> tuple[bool, str]:
    """Apply every migration not yet applied. Returns success and a one-line report of what was
    done; on failure, Piccolo's own report, which names the migration that failed.

    Piccolo's report counts every migration as "already complete" before it runs them, which on
    a fresh database contradicts the next line, so a successful run is described here instead."""
    before = await applied_migrations()
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        result = await run_forwards(app_name=APP_NAME, migration_id="all")
    if not result.success:
        return False, output.getvalue().strip() or result.message or "The migrations failed."
    applied = len(await applied_migrations() - before)
    # The planner's statistics, for a database filled before these migrations (an upgrade, or the
    # synthetic panel) as for one whose indexes just changed.
    await db.refresh_statistics(thorough=True)
    if applied == 0:
        return True, "The database is up to date: there were no migrations to apply."
    plural = "migration" if applied == 1 else "migrations"
    return True, f"Applied {applied} {plural}. The database is up to date."
