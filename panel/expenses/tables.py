"""Claims for the costs of taking part, and their receipts.

A receipt is kept in the database beside its claim, never as a file on a path the web server could
serve: it is read only through the staff page that shows it, and it goes with the member."""

from piccolo.columns import (
    Bytea,
    ForeignKey,
    Integer,
    OnDelete,
    Serial,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from panel.engagements.tables import Invitation
from panel.members.tables import Member
from panel.personal_data import blanked_with, deleted_with


class ExpenseClaim(Table, tablename="expense_claim"):
    """A participant's claim for travel or care costs of one session, and staff's decision. When
    the member is erased the amounts stay (for the costs of the panel), their words go."""

    id: Serial  # Piccolo adds the primary key; named here for type checkers
    erasure = blanked_with(
        "member",
        "description",
        "refusal_reason",
        kept={
            "kind": "one of a fixed list",
            "status": "one of a fixed list",
            "receipt_type": "a file type",
        },
    )
    member = ForeignKey(references=Member, on_delete=OnDelete.cascade, index=True)
    invitation = ForeignKey(references=Invitation, on_delete=OnDelete.cascade, index=True)
    kind = Varchar(length=16)  # rules.CostKind
    amount_pence = Integer()
    description = Text(default="")  # what it was for, in their words
    receipt_type = Varchar(length=32, default="")  # rules.RECEIPT_TYPES
    status = Varchar(length=16, default="submitted", index=True)  # rules.ClaimStatus
    refusal_reason = Text(default="")  # the member reads it
    submitted_at = Timestamptz(default=TimestamptzNow(), index=True)
    decided_by = Integer(null=True, default=None)
    decided_at = Timestamptz(null=True, default=None)


class ExpenseReceipt(Table, tablename="expense_receipt"):
    """The photo or PDF of a claim's receipt."""

    id: Serial  # Piccolo adds the primary key; named here for type checkers
    erasure = deleted_with("member")
    claim = ForeignKey(references=ExpenseClaim, on_delete=OnDelete.cascade, index=True)
    member = ForeignKey(references=Member, on_delete=OnDelete.cascade, index=True)
    content = Bytea()
