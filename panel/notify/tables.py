"""What the contact gate keeps: the count of messages asked for by people not signed in."""

from piccolo.columns import ForeignKey, OnDelete, Serial, Timestamptz
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from panel.accounts.tables import User
from panel.personal_data import deleted_with


class AnonymousMessage(Table, tablename="anonymous_message"):
    """A message to an account's address caused by someone who was not signed in (a forgotten
    password, a sign-in link, joining with an address already known). Counted to cap how many
    one address can be sent; deleted with the account, and by the retention job after a day."""

    id: Serial  # Piccolo adds the primary key; named here for type checkers
    erasure = deleted_with("user")
    user = ForeignKey(references=User, on_delete=OnDelete.cascade, index=True)
    at = Timestamptz(default=TimestamptzNow(), index=True)
