"""Single-use links emailed to an account's owner. Only each token's hash is kept; the rows go
with the account."""

from piccolo.columns import ForeignKey, OnDelete, Serial, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from panel.accounts.tables import User
from panel.personal_data import deleted_with


class PasswordReset(Table, tablename="password_reset"):
    """A single-use emailed link to choose a new password."""

    id: Serial  # Piccolo adds the primary key; named here for type checkers
    erasure = deleted_with("user")
    token_hash = Varchar(length=64, unique=True, index=True)
    user = ForeignKey(references=User, on_delete=OnDelete.cascade, index=True)
    created_at = Timestamptz(default=TimestamptzNow())
    expires_at = Timestamptz()
    used_at = Timestamptz(null=True, default=None)


class SignInLink(Table, tablename="sign_in_link"):
    """A single-use emailed link that signs a member in, for those who chose not to have a password."""

    id: Serial  # Piccolo adds the primary key; named here for type checkers
    erasure = deleted_with("user")
    token_hash = Varchar(length=64, unique=True, index=True)
    user = ForeignKey(references=User, on_delete=OnDelete.cascade, index=True)
    created_at = Timestamptz(default=TimestamptzNow())
    expires_at = Timestamptz()
    used_at = Timestamptz(null=True, default=None)
