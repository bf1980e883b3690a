"""The append-only audit log. Rows are inserted and never updated or deleted by the application."""

from piccolo.columns import Integer, Serial, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from panel.personal_data import nothing_personal


class AuditEvent(Table, tablename="audit_event"):
    id: Serial  # Piccolo adds the primary key; named here for type checkers
    erasure = nothing_personal(
        "ids, actions and keyed hashes of addresses; details never hold text a person typed "
        "(the erasure sentinel test reads every detail after erasing)"
    )
    at = Timestamptz(default=TimestamptzNow(), index=True)
    # A plain id, not a foreign key: the event outlives the account it names.
    actor_id = Integer(null=True, default=None, index=True)
    action = Varchar(length=64, index=True)
    object_type = Varchar(length=64, default="")
    object_id = Varchar(length=64, default="")
    client_hash = Varchar(length=64, default="")
    detail = Text(default="")
