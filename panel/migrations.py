"""Applying the migration chain in ``piccolo_migrations/`` (on SQLite and PostgreSQL alike)."""

from __future__ import annotations

import contextlib
import io

from piccolo.apps.migrations.commands.forwards import run_forwards


async def upgrade() -> tuple[bool, str]:
    """Apply every migration not yet applied. Returns success and Piccolo's report."""
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        result = await run_forwards(app_name="panel", migration_id="all")
    report = output.getvalue().strip()
    return result.success, report or "The database is up to date."
