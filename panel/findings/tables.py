"""Findings and their anonymised quotes."""

from piccolo.columns import ForeignKey, Integer, OnDelete, Serial, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from panel.engagements.tables import Engagement
from panel.members.tables import Member
from panel.personal_data import deleted_with, nothing_personal


class Finding(Table, tablename="finding"):
    """Something learnt at a session or review: a statement, anonymised before it is stored, with
    its themes (JSON lists of codes: Victims' Code rights, journey stages, agencies, crime types),
    sentiment and priority. Staff approve it before it reaches the insight library."""

    id: Serial  # Piccolo adds the primary key; named here for type checkers
    erasure = nothing_personal(
        "What was learnt, anonymised at the point of writing: the statement is stored only after "
        "redaction; the staff's reason for not approving one is about the finding, never a person."
    )
    engagement = ForeignKey(references=Engagement, on_delete=OnDelete.cascade, index=True)
    statement = Text()
    sentiment = Varchar(length=16)
    priority = Varchar(length=16)
    rights = Text(default="[]")
    stages = Text(default="[]")
    agencies = Text(default="[]")
    crime_types = Text(default="[]")
    status = Varchar(length=16, default="awaiting_review", index=True)
    review_reason = Text(default="")  # why staff did not approve it
    recorded_by = Integer(null=True, default=None)  # the account; kept if it goes
    recorded_at = Timestamptz(default=TimestamptzNow(), index=True)
    reviewed_by = Integer(null=True, default=None)
    reviewed_at = Timestamptz(null=True, default=None)


class FindingQuote(Table, tablename="finding_quote"):
    """A participant's words, anonymised, kept only while they agree to be quoted anonymously: the
    consent is checked when the quote is saved, and withdrawing it deletes their quotes at once.
    Who said it is kept for that alone and is shown to no one."""

    id: Serial  # Piccolo adds the primary key; named here for type checkers
    erasure = deleted_with("member", withdrawn="anonymous_quotes")
    finding = ForeignKey(references=Finding, on_delete=OnDelete.cascade, index=True)
    member = ForeignKey(references=Member, on_delete=OnDelete.cascade, index=True)
    text = Text()
