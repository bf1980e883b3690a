"""Independent case reviews: staff add the cases and record partner agencies' assessments; member
reviewers read the cases in their portal and give their own; the review's page shows, for each
agency, the rights most often not met, and turns the learning into findings.

Only an independent review has cases: any other engagement's cases are "not found", as is a case
of another review. A member reaches a review only as its confirmed reviewer while it is open for
reading (``rules.reading_open``); otherwise it is "not found" to them.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_400_BAD_REQUEST

from panel.accounts.access import MEMBERS_ONLY, STAFF, actor_of, signed_in_viewer
from panel.engagements import services as engagements
from panel.engagements.rules import JOURNEY_STAGES, EngagementKind
from panel.justice import AGENCIES, RIGHT_LABELS, VICTIMS_CODE_RIGHTS
from panel.members.reference import reference_of
from panel.reviews import forms, services
from panel.reviews.rules import CASES_ADDED, PARTNERS_ASSESS, RATING_LABELS, RATINGS, tally
from panel.web.context import settings_of
from panel.web.errors import not_found
from panel.web.forms import FormState, form_multi_values
from panel.web.links import url_for

Req = Request[Any, Any, Any]

CHANGED_SINCE_CHECKED = "You changed the case after checking it. Check the preview again, then save"
CASES_CLOSED = "Cases are added until the review has been held"
REVIEW_ENDED = (
    "The review has ended, so assessments can no longer be given. Copy anything you want to keep"
)
PARTNERS_CLOSED = "Partner reviewers' assessments are recorded once the review is confirmed"


def labels(request: Req) -> dict[str, dict[str, str]]:
    """The words of each code a case or an assessment holds."""
    return {
        "crime_types": {c.code: c.label for c in reference_of(request).crime_types},
        "stages": dict(JOURNEY_STAGES),
        "agencies": dict(AGENCIES),
        "rights": RIGHT_LABELS,
        "ratings": RATING_LABELS,
    }


async def review_of(engagement_id: int) -> engagements.EngagementRecord:
    """The engagement, if it is an independent review: no other kind has cases."""
    engagement = await engagements.engagement_record(engagement_id)
    if engagement.plan.kind is not EngagementKind.INDEPENDENT_REVIEW:
        raise engagements.NoSuchEngagement()
    return engagement


def assessment_form_context(request: Req) -> dict[str, Any]:
    return {"rights": VICTIMS_CODE_RIGHTS, "ratings": RATINGS, "labels": labels(request)}


class ReviewCasesController(Controller):
    """Staff's side of a review: its cases, their assessments and what was learnt."""

    path = "/staff/engagements/{engagement_id:int}/cases"
    opt = STAFF
    exception_handlers = {
        engagements.NoSuchEngagement: not_found,
        services.NoSuchCase: not_found,
    }

    @get("/", name="reviews:cases")
    async def overview(
        self, request: Req, engagement_id: FromPath[int], done: FromQuery[str] = ""
    ) -> Template:
        engagement = await review_of(engagement_id)
        return Template(
            "reviews/cases.html",
            context={
                "engagement": engagement,
                "overview": await services.review_overview(engagement_id),
                "labels": labels(request),
                "done": done,
                "cases_open": engagement.status in CASES_ADDED,
            },
        )

    @get("/new", name="reviews:new_case")
    async def new_case(self, request: Req, engagement_id: FromPath[int]) -> Template:
        engagement = await review_of(engagement_id)
        return case_form_page(request, engagement, FormState())

    @post("/new", name="reviews:add_case")
    async def add_case(self, request: Req, engagement_id: FromPath[int]) -> Response[Any]:
        engagement = await review_of(engagement_id)
        values = await form_multi_values(request)
        if engagement.status not in CASES_ADDED:
            form = FormState(values, {"cases-closed": CASES_CLOSED})
            return case_form_page(request, engagement, form, HTTP_400_BAD_REQUEST)
        crime_types = {c.code for c in reference_of(request).crime_types}
        sent, errors = forms.clean_case(values, crime_types)
        if sent is None:
            form = FormState(values, errors)
            return case_form_page(request, engagement, form, HTTP_400_BAD_REQUEST)
        preview = services.case_preview(engagement_id, sent, settings_of(request).secret_key)
        action = values.get("action")
        if action == [forms.SAVE] and values.get("checked") == [preview.checked]:
            await services.add_case(
                engagement_id, sent, preview, signed_in_viewer(request).user_id, actor_of(request)
            )
            path = url_for(request, "reviews:cases", engagement_id=engagement_id)
            return Redirect(f"{path}?done=added", status_code=303)
        if action == [forms.SAVE]:
            form = FormState(values, {"checked": CHANGED_SINCE_CHECKED})
            return case_form_page(request, engagement, form, HTTP_400_BAD_REQUEST, preview)
        return case_form_page(request, engagement, FormState(values), preview=preview)

    @get("/{case_id:int}", name="reviews:case")
    async def case(
        self,
        request: Req,
        engagement_id: FromPath[int],
        case_id: FromPath[int],
        done: FromQuery[str] = "",
    ) -> Template:
        engagement = await review_of(engagement_id)
        case = await services.open_case(engagement_id, case_id, actor_of(request))
        partners = await engagements.partners_of(engagement_id)
        assessments = await services.assessments_of([case.id])
        return Template(
            "reviews/case.html",
            context={
                "engagement": engagement,
                "case": case,
                "assessments": assessments,
                "tally": tally(assessment.ratings for assessment in assessments),
                "partners": {partner.id: partner for partner in partners},
                "partners_open": engagement.status in PARTNERS_ASSESS,
                "labels": labels(request),
                "rights": VICTIMS_CODE_RIGHTS,
                "done": done,
            },
        )

    @get("/{case_id:int}/partners/{partner_id:int}", name="reviews:partner_assessment")
    async def partner_assessment(
        self,
        request: Req,
        engagement_id: FromPath[int],
        case_id: FromPath[int],
        partner_id: FromPath[int],
    ) -> Template:
        engagement = await review_of(engagement_id)
        partner = await partner_of(engagement_id, partner_id)
        case = await services.open_case(engagement_id, case_id, actor_of(request))
        earlier = await services.assessment_by(case.id, partner_id=partner.id)
        form = FormState(earlier.form_values() if earlier else {})
        return partner_page(request, engagement, case, partner, form)

    @post("/{case_id:int}/partners/{partner_id:int}", name="reviews:record_partner_assessment")
    async def record_partner_assessment(
        self,
        request: Req,
        engagement_id: FromPath[int],
        case_id: FromPath[int],
        partner_id: FromPath[int],
    ) -> Response[Any]:
        engagement = await review_of(engagement_id)
        partner = await partner_of(engagement_id, partner_id)
        case = await services.case_of(engagement_id, case_id)
        values = await form_multi_values(request)
        sent, errors = forms.clean_assessment(values)
        if engagement.status not in PARTNERS_ASSESS:
            errors = {"assessing-closed": PARTNERS_CLOSED}
        if sent is None or errors:
            await services.record_case_view(case, actor_of(request))  # shown again
            form = FormState(values, errors)
            return partner_page(request, engagement, case, partner, form, HTTP_400_BAD_REQUEST)
        await services.save_assessment(
            case,
            sent,
            actor_of(request),
            partner=partner,
            recorded_by=signed_in_viewer(request).user_id,
        )
        path = url_for(request, "reviews:case", engagement_id=engagement_id, case_id=case_id)
        return Redirect(f"{path}?done=assessed", status_code=303)

    @post("/learning/{assessment_id:int}/{which:str}", name="reviews:make_finding")
    async def make_finding(
        self,
        request: Req,
        engagement_id: FromPath[int],
        assessment_id: FromPath[int],
        which: FromPath[str],
    ) -> Redirect:
        await review_of(engagement_id)
        await form_multi_values(request)  # read (and CSRF-checked) like any form
        await services.make_finding(
            engagement_id,
            assessment_id,
            which,
            signed_in_viewer(request).user_id,
            actor_of(request),
            settings_of(request).consent_renewal,
        )
        path = url_for(request, "reviews:cases", engagement_id=engagement_id)
        return Redirect(f"{path}?done=finding#learning", status_code=303)


async def partner_of(engagement_id: int, partner_id: int) -> engagements.Partner:
    for partner in await engagements.partners_of(engagement_id):
        if partner.id == partner_id:
            return partner
    raise services.NoSuchCase()


def case_form_page(
    request: Req,
    engagement: engagements.EngagementRecord,
    form: FormState,
    status_code: int = 200,
    preview: services.CasePreview | None = None,
) -> Template:
    return Template(
        "reviews/new_case.html",
        context={
            "engagement": engagement,
            "form": form,
            "preview": preview,
            "open": engagement.status in CASES_ADDED,
            "options": {
                "crime_types": [(c.code, c.label) for c in reference_of(request).crime_types],
                "stages": list(JOURNEY_STAGES),
                "agencies": list(AGENCIES),
            },
        },
        status_code=status_code,
    )


def partner_page(
    request: Req,
    engagement: engagements.EngagementRecord,
    case: services.Case,
    partner: engagements.Partner,
    form: FormState,
    status_code: int = 200,
) -> Template:
    return Template(
        "reviews/assess.html",
        context={
            **assessment_form_context(request),
            "heading": f"{partner.name}'s assessment of case {case.number}",
            "caption": f"{partner.agency}, at {engagement.plan.title}",
            "case": case,
            "form": form,
            "action": url_for(
                request,
                "reviews:record_partner_assessment",
                engagement_id=engagement.id,
                case_id=case.id,
                partner_id=partner.id,
            ),
            "back": url_for(request, "reviews:case", engagement_id=engagement.id, case_id=case.id),
            "back_words": f"Back to case {case.number}",
            "closed": engagement.status not in PARTNERS_ASSESS,
            "for_member": False,
        },
        status_code=status_code,
    )


# ---------------------------------------------------------------------------------------------
# The member reviewer's pages


class MemberReviewsController(Controller):
    """A confirmed member reviewer reads the cases of their review and assesses them."""

    path = "/my-panel/reviews/{engagement_id:int}"
    opt = MEMBERS_ONLY
    exception_handlers = {services.NoSuchReview: not_found, services.NoSuchCase: not_found}

    @get("/", name="reviews:member_review")
    async def review(
        self, request: Req, engagement_id: FromPath[int], done: FromQuery[str] = ""
    ) -> Template:
        review = await services.review_of_reviewer(signed_in_viewer(request).user_id, engagement_id)
        cases = await services.cases_of(engagement_id)
        mine = await services.assessments_by_member([case.id for case in cases], review.member_id)
        return Template(
            "reviews/member_review.html",
            context={
                "review": review,
                "cases": cases,
                "assessed": mine,
                "labels": labels(request),
                "done": done,
            },
        )

    @get("/cases/{case_id:int}", name="reviews:member_case")
    async def case(
        self, request: Req, engagement_id: FromPath[int], case_id: FromPath[int]
    ) -> Template:
        review = await services.review_of_reviewer(signed_in_viewer(request).user_id, engagement_id)
        case = await services.open_case(engagement_id, case_id, actor_of(request))
        earlier = await services.assessment_by(case.id, member_id=review.member_id)
        return member_page(
            request, review, case, FormState(earlier.form_values() if earlier else {})
        )

    @post("/cases/{case_id:int}", name="reviews:member_assess")
    async def assess(
        self, request: Req, engagement_id: FromPath[int], case_id: FromPath[int]
    ) -> Response[Any]:
        # Found even when the review has just ended, so what they wrote comes back to them.
        review = await services.review_of_reviewer(
            signed_in_viewer(request).user_id, engagement_id, open_only=False
        )
        case = await services.case_of(engagement_id, case_id)
        values = await form_multi_values(request)
        sent, errors = forms.clean_assessment(values)
        if not review.open:
            errors = {"assessing-closed": REVIEW_ENDED}
        if sent is None or errors:
            await services.record_case_view(case, actor_of(request))  # shown again
            form = FormState(values, errors)
            return member_page(request, review, case, form, HTTP_400_BAD_REQUEST)
        await services.save_assessment(case, sent, actor_of(request), member_id=review.member_id)
        path = url_for(request, "reviews:member_review", engagement_id=engagement_id)
        return Redirect(f"{path}?done=assessed", status_code=303)


def member_page(
    request: Req,
    review: services.MemberReview,
    case: services.Case,
    form: FormState,
    status_code: int = 200,
) -> Template:
    return Template(
        "reviews/assess.html",
        context={
            **assessment_form_context(request),
            "heading": f"Case {case.number}",
            "caption": review.title,
            "case": case,
            "form": form,
            "action": url_for(
                request,
                "reviews:member_assess",
                engagement_id=review.engagement_id,
                case_id=case.id,
            ),
            "back": url_for(request, "reviews:member_review", engagement_id=review.engagement_id),
            "back_words": "Back to the cases",
            "closed": False,
            "for_member": True,
        },
        status_code=status_code,
    )
