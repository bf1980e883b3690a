"""The first published wording of each consent purpose, and version 1 of the privacy notice.

Written with tables defined here rather than the application's, so later changes to those classes
cannot change what this migration did.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns import Boolean, Integer, Text, Varchar
from piccolo.table import Table

ID = "2026-11-25T21:45:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "First consent wording and privacy notice version"

WORDING = [
    (
        "membership",
        "Being a member of the panel",
        "I agree that the Office of the Police and Crime Commissioner keeps my details and contacts me "
        "about the panel, only in the ways and at the times I have said are safe.",
    ),
    (
        "focus_groups",
        "Focus groups",
        "I agree to be invited to small group discussions, online or in person. I can say no to any invitation.",
    ),
    (
        "surveys",
        "Surveys",
        "I agree to be sent surveys about my experience. I can leave out any question.",
    ),
    (
        "case_reviews",
        "Independent case reviews",
        "I agree to be invited to help review, without names, how cases like mine were handled.",
    ),
    (
        "equality_data",
        "Equality information",
        "I agree that my answers to the equality questions are kept, apart from my name, to check that the "
        "panel includes people from every background. Reports only ever show totals.",
    ),
    (
        "anonymous_quotes",
        "Quoting me without my name",
        "I agree that things I say may be quoted in reports, without my name or anything else that could "
        "identify me.",
    ),
]


class ConsentWording(Table, tablename="consent_wording"):
    purpose = Varchar(length=32)
    version = Integer()
    title = Varchar(length=200)
    text = Text()
    material = Boolean(default=True)


class PrivacyNotice(Table, tablename="privacy_notice"):
    version = Integer()
    text_hash = Varchar(length=64)
    material = Boolean(default=True)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="panel", description=DESCRIPTION)

    async def publish_first_versions():
        await ConsentWording.insert(
            *(
                ConsentWording(purpose=purpose, version=1, title=title, text=text, material=True)
                for purpose, title, text in WORDING
            )
        )
        # Version 1 of the notice is the page at /privacy; its text moves into the database with
        # the members' pages, and its hash with it.
        await PrivacyNotice.insert(PrivacyNotice(version=1, text_hash="", material=True))

    manager.add_raw(publish_first_versions)
    return manager
