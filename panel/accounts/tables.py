"""Tables of people who sign in, their sessions, failed sign-ins and wrong two-factor codes."""

from piccolo.columns import (
    BigInt,
    Boolean,
    ForeignKey,
    OnDelete,
    Serial,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from panel.personal_data import deleted_with, erased_by


class User(Table, tablename="panel_user"):
    """One per person who signs in: staff of every role, and members."""

    id: Serial  # Piccolo adds the primary key; named here for type checkers
    erasure = erased_by("panel.accounts.services.erase_account", deletes=True)
    email = Varchar(length=320, unique=True, index=True)
    password_hash = Varchar(length=255, null=True, default=None)
    role = Varchar(length=16)
    status = Varchar(length=16, default="active")
    # The two-factor key, sealed with a key derived from the secret key (accounts/sealing.py).
    totp_secret_sealed = Text(null=True, default=None)
    totp_last_step = BigInt(default=0)
    is_demo = Boolean(default=False)
    # A member who chose "email me a sign-in link each time" instead of a password.
    sign_in_by_link = Boolean(default=False)
    created_at = Timestamptz(default=TimestamptzNow())
    last_sign_in_at = Timestamptz(null=True, default=None)


class WebSession(Table, tablename="web_session"):
    """A server-side session. The cookie holds a random token; only its hash is stored."""

    id: Serial  # Piccolo adds the primary key; named here for type checkers
    erasure = deleted_with("user")
    token_hash = Varchar(length=64, unique=True, index=True)
    user = ForeignKey(references=User, on_delete=OnDelete.cascade, index=True)
    stage = Varchar(length=16)
    # A two-factor key being set up in this session, sealed like ``User.totp_secret_sealed``.
    pending_totp_sealed = Text(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
    last_seen_at = Timestamptz(default=TimestamptzNow())
    ended_at = Timestamptz(null=True, default=None)


class SignInFailure(Table, tablename="sign_in_failure"):
    """A failed sign-in, counted per account and per client address (both stored as keyed hashes)."""

    id: Serial  # Piccolo adds the primary key; named here for type checkers
    # A failure counted against an address names no one; the account's go with the account.
    erasure = erased_by("panel.accounts.services.erase_account", deletes=True)
    key_hash = Varchar(length=64, index=True)
    at = Timestamptz(default=TimestamptzNow(), index=True)


class TwoFactorFailure(Table, tablename="two_factor_failure"):
    """A wrong two-factor code, counted per half-signed-in session (which ends after a few) and
    per account (whose code step locks for a while after more)."""

    id: Serial  # Piccolo adds the primary key; named here for type checkers
    erasure = deleted_with("user")
    user = ForeignKey(references=User, on_delete=OnDelete.cascade, index=True)
    session = ForeignKey(references=WebSession, on_delete=OnDelete.cascade, index=True)
    at = Timestamptz(default=TimestamptzNow(), index=True)
