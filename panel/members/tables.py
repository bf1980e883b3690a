"""Members of the panel. Personal details live here; a random pseudonym is what outlives erasure."""

from piccolo.columns import Boolean, ForeignKey, OnDelete, Serial, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from panel.accounts.tables import User


class Member(Table, tablename="member"):
    """A volunteer: applied → verified → active ↔ paused → left → erased (``notify.rules.MemberStatus``)."""

    id: Serial  # Piccolo adds the primary key; named here for type checkers
    # None once the member is erased: the account goes, this row stays as a pseudonym.
    user = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null, index=True)
    pseudonym = Varchar(length=32, unique=True)
    preferred_name = Varchar(length=100, default="")
    phone = Varchar(length=40, default="")
    postal_address = Text(default="")
    district = Varchar(length=40, default="")
    status = Varchar(length=16, default="applied", index=True)
    paused_until = Timestamptz(null=True, default=None)
    do_not_contact = Boolean(default=False)
    do_not_contact_reason = Text(default="")
    created_at = Timestamptz(default=TimestamptzNow())
    verified_at = Timestamptz(null=True, default=None)
    left_at = Timestamptz(null=True, default=None)
    erased_at = Timestamptz(null=True, default=None)


class ContactPreference(Table, tablename="contact_preference"):
    """How it is safe to reach a member by one channel. No row for a channel means not safe."""

    id: Serial  # Piccolo adds the primary key; named here for type checkers
    member = ForeignKey(references=Member, on_delete=OnDelete.cascade, index=True)
    channel = Varchar(length=16)
    safe = Boolean(default=False)
    # JSON list of {"days": [0-6, Monday is 0], "start": "HH:MM", "end": "HH:MM"}; empty: any time.
    safe_times = Text(default="[]")
    voicemail_allowed = Boolean(default=False)
    code_word = Varchar(length=100, default="")
