"""Demo cases for the demo independent review, each assessed by the members who attended it and
by the partner agency's reviewer, so the review's page shows the rights most often not met and
learning points to turn into findings. Every word is made up; the cases go through the same
redaction and services as any case."""

from __future__ import annotations

from panel.audit.services import Actor
from panel.engagements.services import partners_of
from panel.engagements.tables import Engagement, Invitation
from panel.justice import VICTIMS_CODE_RIGHTS
from panel.reviews.services import (
    AssessmentSent,
    CaseSent,
    add_case,
    case_of,
    case_preview,
    save_assessment,
)
from panel.reviews.tables import CaseSummary

DEMO_REVIEW_TITLE = "Independent review: updates on burglary cases"

# (crime type, stage, agencies, what the victim was unhappy about, how it was handled, the rights
# not met, what went well, what should change)
DEMO_CASES = (
    (
        "burglary_home",
        "updates",
        ("police",),
        "They heard nothing for seven weeks after giving a statement, then a letter said the "
        "case was closed.",
        "A burglary was reported by phone the same night. An officer attended the next day, took "
        "a statement and gave a crime reference. A forensic visit followed. No update was given "
        "until a letter arrived seven weeks later saying the investigation had ended.",
        ("right_6", "right_9"),
        "The officer attended quickly and was kind.",
        "Agree when the next update will come, and keep to it even when there is no news.",
    ),
    (
        "burglary_home",
        "charging",
        ("police", "cps"),
        "Nobody explained why the suspect was not charged, or how to ask for the decision to be "
        "looked at again.",
        "A suspect was arrested after fingerprints matched. The file went to the Crown "
        "Prosecution Service, which decided not to charge. The victim was told by text message, "
        "with no reason and nothing about the right to review.",
        ("right_6", "right_12"),
        "The victim was told about the arrest on the day it happened.",
        "Explain a decision not to charge in person or by phone, with the right to ask for a "
        "review.",
    ),
    (
        "burglary_home",
        "court",
        ("police", "witness_care", "hmcts"),
        "The trial date moved twice and they found out from a neighbour.",
        "The offender pleaded not guilty. The Witness Care Unit made contact before the first "
        "trial date. The trial was moved twice; the second change was not passed on. On the day, "
        "the waiting area was shared with the defendant's family.",
        ("right_8",),
        "The Witness Care Unit explained what would happen at court and offered a visit first.",
        "Tell witnesses the same day a trial date changes, and offer a separate waiting area.",
    ),
)


async def load_demo_reviews(actor: Actor, secret_key: str) -> int:
    """The demo review's cases and assessments, unless it has cases already. Returns how many
    cases were added."""
    review = (
        await Engagement.select(Engagement.id).where(Engagement.title == DEMO_REVIEW_TITLE).first()
    )
    if review is None or await CaseSummary.exists().where(CaseSummary.engagement == review["id"]):
        return 0
    engagement_id = review["id"]
    reviewers = await Invitation.select(Invitation.member).where(
        Invitation.engagement == engagement_id, Invitation.status == "attended"
    )
    partners = await partners_of(engagement_id)
    for crime_type, stage, agencies, unhappy, handled, not_met, well, change in DEMO_CASES:
        sent = CaseSent(crime_type, stage, agencies, unhappy, handled)
        case_id = await add_case(
            engagement_id, sent, case_preview(engagement_id, sent, secret_key), None, actor
        )
        case = await case_of(engagement_id, case_id)
        for place, reviewer in enumerate(reviewers):
            # Reviewers do not all agree: every other one finds the first right only partly met.
            ratings = {
                right: ("partly_met" if place % 2 and right == not_met[0] else "not_met")
                if right in not_met
                else "met"
                for right, _ in VICTIMS_CODE_RIGHTS
            }
            # The first reviewer writes what they learnt; the others rate the rights only.
            learnt = (well, change) if place == 0 else ("", "")
            assessment = AssessmentSent(ratings, {}, *learnt)
            await save_assessment(case, assessment, actor, member_id=reviewer["member"])
        for partner in partners:
            ratings = {right: "cannot_tell" for right, _ in VICTIMS_CODE_RIGHTS}
            ratings |= {right: "not_met" for right in not_met}
            await save_assessment(
                case, AssessmentSent(ratings, {}), actor, partner=partner, recorded_by=None
            )
    return len(DEMO_CASES)
