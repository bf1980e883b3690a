"""Indexes the staff pages need on a large panel: members by district and status (the directory's
most used filters, and the dashboard's counts), and audit events by what they are about (who
viewed a member's record).

Plain SQL that both SQLite and PostgreSQL accept; the tables' classes do not declare these
indexes, so later automatic migrations leave them alone.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-11-26T03:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Indexes for the directory and the record's viewers"

STATEMENTS = (
    "CREATE INDEX IF NOT EXISTS member_district_status ON member (district, status)",
    "CREATE INDEX IF NOT EXISTS member_status_district ON member (status, district)",
    "CREATE INDEX IF NOT EXISTS audit_event_about ON audit_event (object_type, object_id)",
)


class Anything(Table):
    pass


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="panel", description=DESCRIPTION)

    async def create_indexes():
        for statement in STATEMENTS:
            await Anything.raw(statement)

    manager.add_raw(create_indexes)
    return manager
