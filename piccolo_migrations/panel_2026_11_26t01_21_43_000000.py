"""The first list of reasons staff can give for declining an application (staff can edit it).

Written with a table defined here rather than the application's, so later changes to that class
cannot change what this migration did.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns import Boolean, Text
from piccolo.table import Table

ID = "2026-11-26T01:21:43:000000"
VERSION = "1.38.0"
DESCRIPTION = "First list of reasons for declining an application"

REASONS = [
    "You live outside the area the panel covers.",
    "The panel is for people aged 18 or over.",
    "We could not confirm the details you gave us.",
    "The panel is full for people with a similar experience at the moment. You are welcome to "
    "apply again later.",
]


class DeclineReason(Table, tablename="decline_reason"):
    text = Text()
    active = Boolean(default=True)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="panel", description=DESCRIPTION)

    async def add_first_reasons():
        await DeclineReason.insert(*(DeclineReason(text=text, active=True) for text in REASONS))

    manager.add_raw(add_first_reasons)
    return manager
