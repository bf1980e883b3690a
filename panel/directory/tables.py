"""What the directory keeps of its own: the contact log, staff's record of their contact with a
member outside the emails the service sends."""

from piccolo.columns import ForeignKey, Integer, OnDelete, Serial, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from panel.members.tables import Member
from panel.personal_data import deleted_with


class ContactLogEntry(Table, tablename="contact_log_entry"):
    """One contact staff had with a member: a phone call, a text, an email, a letter or a meeting,
    with why (``directory.rules.LOG_REASONS``) and a short note that says nothing about the crime.
    Deleted with the member, and by the daily run once older than ``retention_contact_log_days``."""

    id: Serial  # Piccolo adds the primary key; named here for type checkers
    erasure = deleted_with("member")
    member = ForeignKey(references=Member, on_delete=OnDelete.cascade, index=True)
    at = Timestamptz(default=TimestamptzNow(), index=True)  # when the contact happened
    channel = Varchar(length=16, default="")  # a code of ``directory.rules.LOG_CHANNELS``
    reason = Varchar(length=32, default="")  # a code of ``directory.rules.LOG_REASONS``
    note = Text(default="")
    # The staff account that wrote it: a number, not a key, so the entry outlives the account.
    recorded_by = Integer(null=True, default=None)
    recorded_at = Timestamptz(default=TimestamptzNow())
