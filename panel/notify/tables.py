"""What the contact gate keeps: the count of messages asked for by people not signed in; and the
staff overrides of contact limits."""

from piccolo.columns import ForeignKey, Integer, OnDelete, Serial, Text, Timestamptz
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from panel.accounts.tables import User
from panel.members.tables import Member


class ContactOverride(Table, tablename="contact_override"):
    """Staff allowing one more contact to a member despite a contact limit, with their reason.
    It is used up by the next message or invitation it lets through, or it expires."""

    id: Serial  # Piccolo adds the primary key; named here for type checkers
    member = ForeignKey(references=Member, on_delete=OnDelete.cascade, index=True)
    reason = Text()  # erased with the member
    granted_by = Integer(null=True, default=None)
    granted_at = Timestamptz(default=TimestamptzNow())
    expires_at = Timestamptz()
    used_at = Timestamptz(null=True, default=None)


class AnonymousMessage(Table, tablename="anonymous_message"):
    """A message to an account's address caused by someone who was not signed in (a forgotten
    password, a sign-in link, joining with an address already known). Counted to cap how many
    one address can be sent; deleted with the account, and by the retention job after a day."""

    id: Serial  # Piccolo adds the primary key; named here for type checkers
    user = ForeignKey(references=User, on_delete=OnDelete.cascade, index=True)
    at = Timestamptz(default=TimestamptzNow(), index=True)
