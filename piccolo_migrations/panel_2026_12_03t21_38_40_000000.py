"""The agencies the office starts from as owners of improvement actions (panel.justice.AGENCIES as
they were when this was written): a migration of its own, as Piccolo runs a migration's own code
before it makes that migration's tables."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Serial
from piccolo.columns.indexes import IndexMethod
from piccolo.table import Table

ID = "2026-12-03T21:38:40:000000"
VERSION = "1.38.0"
DESCRIPTION = "The first agencies that own actions"

FIRST_AGENCIES = (
    "The police force",
    "Crown Prosecution Service",
    "HM Courts and Tribunals Service",
    "Witness Care Unit",
    "Witness Service",
    "Probation Service",
    "Commissioned support services",
    "Office of the Police and Crime Commissioner",
    "Another organisation",
)


class ActionAgency(Table, tablename="action_agency", schema=None):
    id = Serial(
        null=False,
        primary_key=True,
        unique=False,
        index=False,
        index_method=IndexMethod.btree,
        choices=None,
        db_column_name="id",
        secret=False,
    )


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="panel", description=DESCRIPTION)

    async def first_agencies():
        for name in FIRST_AGENCIES:
            await ActionAgency.raw(
                "INSERT INTO action_agency (name, retired) VALUES ({}, {})", name, False
            )

    manager.add_raw(first_agencies)
    return manager
