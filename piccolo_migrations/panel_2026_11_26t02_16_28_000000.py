"""Fill the latest-consent projection from the consent history already recorded.

Written with tables defined here rather than the application's, so later changes to those classes
cannot change what this migration did.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns import Boolean, Integer, Timestamptz, Varchar
from piccolo.table import Table

ID = "2026-11-26T02:16:28:000000"
VERSION = "1.38.0"
DESCRIPTION = "Fill the latest-consent projection from the history"


class ConsentEvent(Table, tablename="consent_event"):
    member = Integer()
    purpose = Varchar(length=32)
    given = Boolean()
    wording_version = Integer()
    notice_version = Integer()
    at = Timestamptz()


class LatestConsent(Table, tablename="latest_consent"):
    member_purpose = Varchar(length=64)
    member = Integer()
    purpose = Varchar(length=32)
    given = Boolean()
    at = Timestamptz()
    wording_version = Integer()
    notice_version = Integer()


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="panel", description=DESCRIPTION)

    async def fill_latest_consent():
        latest = {}
        for row in await ConsentEvent.select().order_by(ConsentEvent.at).order_by(ConsentEvent.id):
            latest[(row["member"], row["purpose"])] = row
        if latest:
            await LatestConsent.insert(
                *(
                    LatestConsent(
                        member_purpose=f"{member}:{purpose}",
                        member=member,
                        purpose=purpose,
                        given=row["given"],
                        at=row["at"],
                        wording_version=row["wording_version"],
                        notice_version=row["notice_version"],
                    )
                    for (member, purpose), row in latest.items()
                )
            )

    manager.add_raw(fill_latest_consent)
    return manager
