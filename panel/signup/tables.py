"""A sign-up in progress, and the single-use links that verify an applicant's email address."""

from piccolo.columns import ForeignKey, OnDelete, Serial, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from panel.members.tables import Member
from panel.personal_data import deleted_with, removed_in_time


class SignUpDraft(Table, tablename="sign_up_draft"):
    """Answers given so far, kept on the server against a random cookie (only its hash is stored),
    so going back shows them and nothing personal travels in the cookie. Deleted on completion,
    and by the retention job when abandoned."""

    id: Serial  # Piccolo adds the primary key; named here for type checkers
    erasure = removed_in_time(
        "answers not yet sent, found by a token no member record knows: deleted when sent, on "
        "'Exit this page', and by the retention job a day after they last changed"
    )
    token_hash = Varchar(length=64, unique=True, index=True)
    answers = Text(default="{}")  # JSON object: page name → that page's answers
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow(), index=True)


class EmailVerification(Table, tablename="email_verification"):
    """The double opt-in link sent to a new applicant: single use, valid 48 hours."""

    id: Serial  # Piccolo adds the primary key; named here for type checkers
    erasure = deleted_with("member")
    token_hash = Varchar(length=64, unique=True, index=True)
    member = ForeignKey(references=Member, on_delete=OnDelete.cascade, index=True)
    created_at = Timestamptz(default=TimestamptzNow())
    expires_at = Timestamptz()
    used_at = Timestamptz(null=True, default=None)
