"""Independent case reviews: staff add case summaries, reviewers assess them, and what they
learnt becomes findings.

A summary and every assessment pass the redaction engine before anything is stored: only the
anonymised text is kept. Opening a case's summary is audited, whoever opens it. A member reviewer
reaches a review only through their own confirmed invitation to it, and only while it is open
for reading (``rules.reading_open``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from piccolo.columns import Column

from panel import db
from panel.audit.services import Actor, record_event
from panel.engagements.rules import EngagementKind, EngagementStatus
from panel.engagements.services import Partner
from panel.engagements.tables import Invitation
from panel.findings.services import FindingSent, record_finding
from panel.keys import keyed_hash
from panel.members.rules import MemberStatus
from panel.notes.services import Stretch, stretches_of
from panel.redaction.engine import redact
from panel.reviews.rules import (
    CONFIRMED_REVIEWER,
    NOT_MET,
    READING_STATUSES,
    RightNotMet,
    most_often_not_met,
    reading_open,
)
from panel.reviews.tables import CaseAssessment, CaseSummary

MET = "met"
WENT_WELL, SHOULD_CHANGE = "went_well", "should_change"


class NoSuchCase(Exception):
    """No such case in this review (or not one this person may open)."""


class NoSuchReview(Exception):
    """No review this member may read now."""


@dataclass(frozen=True)
class CaseSent:
    crime_type: str
    stage: str
    agencies: tuple[str, ...]
    dissatisfaction: str
    summary: str
    removed: tuple[str, ...] = ()  # words to remove everywhere


@dataclass(frozen=True)
class CasePreview:
    """What saving the case would store, with the replacements to highlight."""

    dissatisfaction: tuple[Stretch, ...]
    summary: tuple[Stretch, ...]
    dissatisfaction_text: str
    summary_text: str
    replacements: int
    checked: str  # a keyed hash of what was checked, so a save matches the preview


def case_checked_hash(secret_key: str, engagement_id: int, sent: CaseSent) -> str:
    """Ties a save to the preview it follows: the same texts and the same words to remove."""
    words = "\x00".join((sent.dissatisfaction, sent.summary, *sent.removed))
    return keyed_hash(secret_key, "case-checked", f"{engagement_id}\x00{words}")


def case_preview(engagement_id: int, sent: CaseSent, secret_key: str) -> CasePreview:
    """Both texts redacted: no one in a case is known by name, so every name the engine finds is
    replaced, with the words to remove."""
    dissatisfaction = redact(sent.dissatisfaction, (), (), sent.removed)
    summary = redact(sent.summary, (), (), sent.removed)
    return CasePreview(
        dissatisfaction=stretches_of(sent.dissatisfaction, dissatisfaction),
        summary=stretches_of(sent.summary, summary),
        dissatisfaction_text=dissatisfaction.text,
        summary_text=summary.text,
        replacements=len(dissatisfaction.found) + len(summary.found),
        checked=case_checked_hash(secret_key, engagement_id, sent),
    )


@dataclass(frozen=True)
class Case:
    id: int
    engagement_id: int
    number: int
    crime_type: str
    stage: str
    agencies: tuple[str, ...]
    dissatisfaction: str
    summary: str


def case_from(row: Mapping[str, Any]) -> Case:
    return Case(
        id=row["id"],
        engagement_id=row["engagement"],
        number=row["number"],
        crime_type=row["crime_type"],
        stage=row["stage"],
        agencies=tuple(json.loads(row["agencies"])),
        dissatisfaction=row["dissatisfaction"],
        summary=row["summary"],
    )


async def add_case(
    engagement_id: int, sent: CaseSent, preview: CasePreview, added_by: int | None, actor: Actor
) -> int:
    """The case as it was checked: only the redacted texts are stored."""
    async with db.transaction():
        number = await CaseSummary.count().where(CaseSummary.engagement == engagement_id) + 1
        rows = await CaseSummary.insert(
            CaseSummary(
                engagement=engagement_id,
                number=number,
                crime_type=sent.crime_type,
                stage=sent.stage,
                agencies=json.dumps(list(sent.agencies)),
                dissatisfaction=preview.dissatisfaction_text,
                summary=preview.summary_text,
                added_by=added_by,
            )
        ).returning(CaseSummary.id)
        case_id: int = rows[0]["id"]
        await record_event(
            "case_summary_added",
            actor,
            object_type="engagement",
            object_id=engagement_id,
            detail={"case": case_id, "number": number, "replaced": preview.replacements},
        )
    return case_id


async def cases_of(engagement_id: int) -> list[Case]:
    """The review's cases in order. Their summaries are for ``open_case``, which audits."""
    rows = await (
        CaseSummary.select()
        .where(CaseSummary.engagement == engagement_id)
        .order_by(CaseSummary.number)
    )
    return [case_from(row) for row in rows]


async def case_of(engagement_id: int, case_id: int) -> Case:
    """One case of the review. Showing its summary is a view to audit (``record_case_view``)."""
    row = await (
        CaseSummary.select()
        .where(CaseSummary.id == case_id, CaseSummary.engagement == engagement_id)
        .first()
    )
    if row is None:
        raise NoSuchCase()
    return case_from(row)


async def record_case_view(case: Case, actor: Actor) -> None:
    await record_event(
        "case_summary_viewed",
        actor,
        object_type="engagement",
        object_id=case.engagement_id,
        detail={"case": case.id, "number": case.number},
    )


async def open_case(engagement_id: int, case_id: int, actor: Actor) -> Case:
    """One case of the review, to show with its summary: the view is audited."""
    case = await case_of(engagement_id, case_id)
    await record_case_view(case, actor)
    return case


# ---------------------------------------------------------------------------------------------
# Assessments


@dataclass(frozen=True)
class AssessmentSent:
    ratings: Mapping[str, str]  # every right's code to a rating code
    comments: Mapping[str, str]  # right code to the reviewer's comment, where they wrote one
    went_well: str = ""
    should_change: str = ""


@dataclass(frozen=True)
class Assessment:
    id: int
    case_id: int
    by_member: bool
    partner_id: int | None
    agency: str  # a partner's agency
    ratings: dict[str, str]
    comments: dict[str, str]
    went_well: str
    should_change: str
    went_well_finding: int | None
    should_change_finding: int | None
    updated_at: datetime

    def form_values(self) -> dict[str, Any]:
        """As the assessment form holds it, to change it."""
        values: dict[str, Any] = {
            f"rating_{right}": rating for right, rating in self.ratings.items()
        }
        values |= {f"comment_{right}": comment for right, comment in self.comments.items()}
        return values | {WENT_WELL: self.went_well, SHOULD_CHANGE: self.should_change}


def assessment_from(row: Mapping[str, Any]) -> Assessment:
    return Assessment(
        id=row["id"],
        case_id=row["case"],
        by_member=row["member"] is not None,
        partner_id=row["partner"],
        agency=row["agency"],
        ratings=json.loads(row["ratings"]),
        comments=json.loads(row["comments"] or "{}"),  # emptied when the member is erased
        went_well=row["went_well"],
        should_change=row["should_change"],
        went_well_finding=row["went_well_finding"],
        should_change_finding=row["should_change_finding"],
        updated_at=row["updated_at"],
    )


async def assessments_of(case_ids: Sequence[int]) -> list[Assessment]:
    """Every assessment of these cases, members' first, in the order they were first saved."""
    if not case_ids:
        return []
    rows = await (
        CaseAssessment.select()
        .where(CaseAssessment.case.is_in(list(case_ids)))
        .order_by(CaseAssessment.id)
    )
    found = [assessment_from(row) for row in rows]
    return sorted(found, key=lambda assessment: not assessment.by_member)


async def assessment_by(
    case_id: int, member_id: int | None = None, partner_id: int | None = None
) -> Assessment | None:
    """The member's, or the partner reviewer's, assessment of the case, if there is one."""
    query = CaseAssessment.select().where(CaseAssessment.case == case_id)
    if member_id is not None:
        query = query.where(CaseAssessment.member == member_id)
    else:
        query = query.where(CaseAssessment.partner == partner_id)
    row = await query.first()
    return assessment_from(row) if row else None


def redacted(text: str) -> str:
    return redact(text, ()).text if text else ""


async def save_assessment(
    case: Case,
    sent: AssessmentSent,
    actor: Actor,
    member_id: int | None = None,
    partner: Partner | None = None,
    recorded_by: int | None = None,
) -> None:
    """A member's assessment (``member_id``) or a partner's that staff record (``partner``):
    the comments and the learning redacted, replacing the reviewer's earlier one."""
    values: dict[str, Any] = {
        "ratings": json.dumps(dict(sent.ratings)),
        "comments": json.dumps({right: redacted(text) for right, text in sent.comments.items()}),
        "went_well": redacted(sent.went_well),
        "should_change": redacted(sent.should_change),
        "agency": partner.agency if partner else "",
        "recorded_by": recorded_by,
        "updated_at": datetime.now(UTC),
    }
    partner_id = partner.id if partner else None
    async with db.transaction():
        existing = await assessment_by(case.id, member_id, partner_id)
        if existing is None:
            await CaseAssessment.insert(
                CaseAssessment(case=case.id, member=member_id, partner=partner_id, **values)
            )
        else:
            changes: dict[Column | str, Any] = dict(values.items())
            await CaseAssessment.update(changes).where(CaseAssessment.id == existing.id)
        await record_event(
            "case_assessed",
            actor,
            object_type="engagement",
            object_id=case.engagement_id,
            detail={
                "case": case.id,
                "number": case.number,
                "by": "member" if member_id else "partner",
            },
        )


# ---------------------------------------------------------------------------------------------
# The review as a whole: per agency, the rights most often not met; the learning points


@dataclass(frozen=True)
class LearningPoint:
    assessment_id: int
    case_number: int
    which: str  # WENT_WELL or SHOULD_CHANGE
    text: str
    finding_id: int | None


@dataclass(frozen=True)
class ReviewOverview:
    cases: list[Case]
    assessed: dict[int, int]  # case id to how many assessments
    not_met: dict[str, list[RightNotMet]]  # agency code to its rights most often not met
    learning: list[LearningPoint] = field(default_factory=list)


async def review_overview(engagement_id: int) -> ReviewOverview:
    """Everything the review's page shows about its cases: two queries, whatever their number."""
    cases = await cases_of(engagement_id)
    assessments = await assessments_of([case.id for case in cases])
    by_case: dict[int, list[Assessment]] = {case.id: [] for case in cases}
    for assessment in assessments:
        by_case[assessment.case_id].append(assessment)
    numbers = {case.id: case.number for case in cases}
    learning = [
        LearningPoint(
            assessment.id,
            numbers[assessment.case_id],
            which,
            getattr(assessment, which),
            getattr(assessment, f"{which}_finding"),
        )
        for assessment in sorted(assessments, key=lambda a: (numbers[a.case_id], a.id))
        for which in (SHOULD_CHANGE, WENT_WELL)
        if getattr(assessment, which)
    ]
    return ReviewOverview(
        cases=cases,
        assessed={case_id: len(found) for case_id, found in by_case.items()},
        not_met=most_often_not_met(
            (case.agencies, [a.ratings for a in by_case[case.id]]) for case in cases
        ),
        learning=learning,
    )


async def make_finding(
    engagement_id: int,
    assessment_id: int,
    which: str,
    recorded_by: int,
    actor: Actor,
    renewal: timedelta,
) -> int:
    """A learning point of the review as a finding awaiting review, with the case's themes: what
    should change is negative and about the rights the reviewer found not met; what went well is
    positive and about the rights met. Made once: asked again, the same finding."""
    row = await (
        CaseAssessment.select(
            *CaseAssessment.all_columns(),
            CaseAssessment.case.engagement.as_alias("engagement"),
            CaseAssessment.case.crime_type.as_alias("crime_type"),
            CaseAssessment.case.stage.as_alias("stage"),
            CaseAssessment.case.agencies.as_alias("agencies"),
        )
        .where(CaseAssessment.id == assessment_id)
        .first()
    )
    if row is None or row["engagement"] != engagement_id or which not in (WENT_WELL, SHOULD_CHANGE):
        raise NoSuchCase()
    assessment = assessment_from(row)
    made: int | None = getattr(assessment, f"{which}_finding")
    text = getattr(assessment, which)
    if made is not None or not text:
        if made is None:
            raise NoSuchCase()
        return made
    wanted = NOT_MET if which == SHOULD_CHANGE else MET
    finding_id = await record_finding(
        engagement_id,
        FindingSent(
            statement=text,
            sentiment="negative" if which == SHOULD_CHANGE else "positive",
            priority="medium",
            rights=tuple(right for right, rating in assessment.ratings.items() if rating == wanted),
            stages=(row["stage"],),
            agencies=tuple(json.loads(row["agencies"])),
            crime_types=(row["crime_type"],),
        ),
        recorded_by,
        actor,
        renewal,
    )
    column = getattr(CaseAssessment, f"{which}_finding")
    await CaseAssessment.update({column: finding_id}).where(CaseAssessment.id == assessment_id)
    return finding_id


# ---------------------------------------------------------------------------------------------
# Member reviewers


@dataclass(frozen=True)
class MemberReview:
    engagement_id: int
    member_id: int
    title: str
    starts_at: datetime
    ends_at: datetime
    open: bool  # the cases may be read and assessed now


async def reviews_of_reviewer(
    user_id: int,
    now: datetime | None = None,
    engagement_id: int | None = None,
    open_only: bool = True,
) -> list[MemberReview]:
    """The reviews the member signed in as ``user_id`` is a confirmed reviewer of, soonest
    first; with ``open_only``, only those they may read now. One query."""
    now = now or datetime.now(UTC)
    query = Invitation.select(
        Invitation.member,
        Invitation.engagement,
        Invitation.engagement.title.as_alias("title"),
        Invitation.engagement.starts_at.as_alias("starts_at"),
        Invitation.engagement.ends_at.as_alias("ends_at"),
        Invitation.engagement.status.as_alias("status"),
    ).where(
        Invitation.member.user == user_id,
        Invitation.member.status.not_in([MemberStatus.LEFT, MemberStatus.ERASED]),
        Invitation.status.is_in(list(CONFIRMED_REVIEWER)),
        Invitation.engagement.kind == EngagementKind.INDEPENDENT_REVIEW,
    )
    if open_only:
        query = query.where(
            Invitation.engagement.status.is_in([status.value for status in READING_STATUSES]),
            Invitation.engagement.ends_at > now,
        )
    if engagement_id is not None:
        query = query.where(Invitation.engagement == engagement_id)
    rows = await query.order_by(Invitation.engagement.starts_at)
    return [
        MemberReview(
            row["engagement"],
            row["member"],
            row["title"],
            row["starts_at"],
            row["ends_at"],
            reading_open(EngagementStatus(row["status"]), row["ends_at"], now),
        )
        for row in rows
    ]


async def review_of_reviewer(
    user_id: int, engagement_id: int, open_only: bool = True
) -> MemberReview:
    """The review, if the member is its confirmed reviewer (and, with ``open_only``, may read it
    now)."""
    found = await reviews_of_reviewer(user_id, engagement_id=engagement_id, open_only=open_only)
    if not found:
        raise NoSuchReview()
    return found[0]


async def assessments_by_member(case_ids: Sequence[int], member_id: int) -> set[int]:
    """Which of these cases the member has assessed."""
    if not case_ids:
        return set()
    rows = await CaseAssessment.select(CaseAssessment.case).where(
        CaseAssessment.case.is_in(list(case_ids)), CaseAssessment.member == member_id
    )
    return {row["case"] for row in rows}
