"""Case summaries of an independent review and the reviewers' assessments of them. Both are
redacted before they are saved: what staff and reviewers typed is never stored."""

from piccolo.columns import ForeignKey, Integer, OnDelete, Serial, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from panel.engagements.tables import Engagement, PartnerReviewer
from panel.members.tables import Member
from panel.personal_data import blanked_with, nothing_personal

REDACTED = "redacted before it is saved: names, contact details and references replaced"


class CaseSummary(Table, tablename="case_summary"):
    """A case put to an independent review: how it was handled and the dissatisfaction raised,
    as staff summarised it, redacted before it is saved. Codes say what kind of case it was."""

    id: Serial  # Piccolo adds the primary key; named here for type checkers
    erasure = nothing_personal(
        "A case as staff summarised it for a review, " + REDACTED + "; it is no member's record"
    )
    engagement = ForeignKey(references=Engagement, on_delete=OnDelete.cascade, index=True)
    number = Integer()  # "Case 1", "Case 2"... in the order they were added
    crime_type = Varchar(length=64)  # a crime type's code
    stage = Varchar(length=32)  # engagements.rules.JOURNEY_STAGES: the furthest reached
    agencies = Text(default="[]")  # justice.AGENCIES codes, JSON
    dissatisfaction = Text()  # what the victim was unhappy about
    summary = Text()  # how the case was handled
    added_by = Integer(null=True, default=None)  # the staff account; kept if it goes
    added_at = Timestamptz(default=TimestamptzNow())


class CaseAssessment(Table, tablename="case_assessment"):
    """One reviewer's assessment of one case: a rating of each Victims' Code right with an optional
    comment, what went well and what should change. The reviewer is a panel member, who records it
    in their portal, or a partner agency's reviewer, whose assessment staff record in the meeting."""

    id: Serial  # Piccolo adds the primary key; named here for type checkers
    erasure = blanked_with(
        "member",
        "comments",
        "went_well",
        "should_change",
        kept={"ratings": "a rating code for each right", "agency": "empty for a member"},
    )
    case = ForeignKey(references=CaseSummary, on_delete=OnDelete.cascade, index=True)
    member = ForeignKey(
        references=Member, null=True, default=None, on_delete=OnDelete.cascade, index=True
    )
    partner = ForeignKey(
        references=PartnerReviewer, null=True, default=None, on_delete=OnDelete.set_null
    )
    agency = Varchar(length=120, default="")  # a partner's agency, kept if the partner is removed
    ratings = Text(default="{}")  # right code to rules.RATINGS code, JSON
    comments = Text(default="{}")  # right code to a comment, redacted, JSON
    went_well = Text(default="")  # redacted
    should_change = Text(default="")  # redacted
    # The findings made from what went well and what should change, once staff make them.
    went_well_finding = Integer(null=True, default=None)
    should_change_finding = Integer(null=True, default=None)
    recorded_by = Integer(null=True, default=None)  # staff, for a partner's assessment
    updated_at = Timestamptz(default=TimestamptzNow())
