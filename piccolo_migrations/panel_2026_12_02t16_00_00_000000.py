"""Indexes for searching and sorting the directory on a large panel.

Searching part of a name or an email must not read every member. On SQLite, ``member_search`` is a
full-text table with the trigram tokenizer (one row per member, its ``rowid`` the member's id,
holding the preferred name and the account's email), kept in step with ``member`` and
``panel_user`` by the triggers below: a name or email changed, a member added or deleted, an
account's email changed or the account deleted. Erasing a member blanks their name and removes
their account, so the triggers take them out of the search too. On PostgreSQL, ``pg_trgm`` GIN
indexes serve the same ``LIKE '%…%'`` searches (the extension is trusted: a database owner may
create it).

The sort orders the directory offers get an index each, on both engines.

A later migration that rebuilds ``member`` or ``panel_user`` on SQLite (to alter a column) drops
these triggers with the old table and must create them again: ``tests/integration/directory/
test_search_index.py`` fails when the search stops following a change.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-12-02T16:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Indexes for searching and sorting the directory"

SORT_INDEXES = (
    "CREATE INDEX IF NOT EXISTS member_sort_name ON member (LOWER(preferred_name), id)",
    "CREATE INDEX IF NOT EXISTS member_sort_joined ON member (created_at, id)",
    "CREATE INDEX IF NOT EXISTS member_sort_invited ON member (last_invited_at, id)",
    "CREATE INDEX IF NOT EXISTS member_sort_attended ON member (last_attended_at, id)",
)

EMAIL_OF_NEW_USER = "COALESCE((SELECT email FROM panel_user WHERE id = new.\"user\"), '')"

SQLITE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS member_search USING fts5(name, email, tokenize='trigram')",
    "DELETE FROM member_search",
    "INSERT INTO member_search (rowid, name, email) "
    "SELECT m.id, m.preferred_name, COALESCE(u.email, '') "
    'FROM member m LEFT JOIN panel_user u ON u.id = m."user"',
    "CREATE TRIGGER IF NOT EXISTS member_search_added AFTER INSERT ON member BEGIN "
    "INSERT INTO member_search (rowid, name, email) "
    f"VALUES (new.id, new.preferred_name, {EMAIL_OF_NEW_USER}); END",
    'CREATE TRIGGER IF NOT EXISTS member_search_changed AFTER UPDATE OF preferred_name, "user" '
    "ON member BEGIN "
    f"UPDATE member_search SET name = new.preferred_name, email = {EMAIL_OF_NEW_USER} "
    "WHERE rowid = new.id; END",
    "CREATE TRIGGER IF NOT EXISTS member_search_deleted AFTER DELETE ON member BEGIN "
    "DELETE FROM member_search WHERE rowid = old.id; END",
    "CREATE TRIGGER IF NOT EXISTS member_search_email_changed AFTER UPDATE OF email "
    "ON panel_user BEGIN "
    'UPDATE member_search SET email = new.email WHERE rowid IN (SELECT id FROM member WHERE "user" = new.id); END',
    "CREATE TRIGGER IF NOT EXISTS member_search_account_deleted AFTER DELETE ON panel_user BEGIN "
    "UPDATE member_search SET email = '' "
    'WHERE rowid IN (SELECT id FROM member WHERE "user" = old.id); END',
)

POSTGRES = (
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS member_name_trigram "
    "ON member USING gin (LOWER(preferred_name) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS panel_user_email_trigram "
    "ON panel_user USING gin (email gin_trgm_ops)",
)


class Anything(Table):
    pass


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="panel", description=DESCRIPTION)

    async def create_indexes():
        postgres = Anything._meta.db.engine_type == "postgres"
        for statement in (*SORT_INDEXES, *(POSTGRES if postgres else SQLITE)):
            await Anything.raw(statement)

    manager.add_raw(create_indexes)
    return manager
