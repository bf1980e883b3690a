"""The transactional outbox: a message is written in the same transaction as the change behind it,
and delivered by the worker."""

from piccolo.columns import Integer, Serial, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from panel.personal_data import erased_by


class OutboxMessage(Table, tablename="outbox_message"):
    id: Serial  # Piccolo adds the primary key; named here for type checkers
    erasure = erased_by("panel.outbox.services.forget_member", deletes=True)
    created_at = Timestamptz(default=TimestamptzNow())
    template = Varchar(length=64)
    # Set for a message to a panel member, so withdrawing consent for the purpose can cancel it.
    member_id = Integer(null=True, default=None, index=True)
    purpose = Varchar(length=32, default="")
    to_address = Varchar(length=320)
    subject = Varchar(length=200)
    text_body = Text()
    html_body = Text()
    status = Varchar(length=16, default="pending", index=True)
    attempts = Integer(default=0)
    next_attempt_at = Timestamptz(default=TimestamptzNow(), index=True)
    locked_until = Timestamptz(null=True, default=None)
    last_error = Text(default="")
    sent_at = Timestamptz(null=True, default=None)
