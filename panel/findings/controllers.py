"""Recording findings (a session's facilitator, or staff), reviewing them, and the insight library
staff search."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_400_BAD_REQUEST

from panel.accounts.access import (
    FACILITATORS_ONLY,
    REPORT_READERS,
    STAFF,
    actor_of,
    signed_in_viewer,
)
from panel.engagements import services as engagements
from panel.engagements.rules import JOURNEY_STAGES, EngagementKind, has_taken_place
from panel.findings import forms, services
from panel.findings.rules import PRIORITIES, SENTIMENT_LABELS, SENTIMENTS
from panel.justice import AGENCIES, RIGHT_LABELS, VICTIMS_CODE_RIGHTS
from panel.members.reference import reference_of
from panel.web.context import settings_of
from panel.web.errors import not_found
from panel.web.forms import FormState, form_multi_values, page_number, query_values
from panel.web.links import url_for

Req = Request[Any, Any, Any]

# The app's state holds, under this name, what was done about each finding: a function of the
# findings' ids (``actions.services.actions_for_findings``), which the library shows.
ACTIONS_OF_FINDINGS = "actions_of_findings"


def theme_options(request: Req) -> dict[str, list[tuple[str, str]]]:
    """What a finding can be, as (code, words) choices of each form field and filter."""
    return {
        "rights": list(VICTIMS_CODE_RIGHTS),
        "stages": list(JOURNEY_STAGES),
        "agencies": list(AGENCIES),
        "crime_types": [(c.code, c.label) for c in reference_of(request).crime_types],
        "sentiments": list(SENTIMENTS),
        "priorities": list(PRIORITIES),
        "kinds": [(kind.value, kind.label) for kind in EngagementKind],
    }


def theme_labels(request: Req) -> dict[str, dict[str, str]]:
    """The words of each code, for showing a finding: its sentiment in one word."""
    labels = {kind: dict(choices) for kind, choices in theme_options(request).items()}
    return {**labels, "sentiments": SENTIMENT_LABELS}


async def findings_page(
    request: Req,
    engagement: engagements.EngagementRecord,
    form: FormState,
    back: str,
    here: str,
    status_code: int = 200,
    done: str = "",
) -> Template:
    people = await engagements.participants(engagement.id)
    return Template(
        "findings/record.html",
        context={
            "engagement": engagement,
            "form": form,
            "participants": [(str(p.invitation_id), p.name) for p in people],
            "findings": await services.findings_of_engagement(engagement.id),
            "options": theme_options(request),
            "labels": theme_labels(request),
            "back": back,
            "here": here,
            "done": done,
            "quote_fields": forms.QUOTE_FIELDS,
            "open": findings_open(engagement),
        },
        status_code=status_code,
    )


NOT_YET = "Findings are recorded once the session has taken place"


def findings_open(engagement: engagements.EngagementRecord) -> bool:
    """What was learnt comes from what happened: once the session has started."""
    return has_taken_place(engagement.status, engagement.plan.starts_at, datetime.now(UTC))


def crime_type_codes(request: Req) -> set[str]:
    return {choice.code for choice in reference_of(request).crime_types}


async def record(
    request: Req, engagement: engagements.EngagementRecord, back: str, here: str
) -> Response[Any]:
    values = await form_multi_values(request)
    if not findings_open(engagement):
        form = FormState(values, {"findings-closed": NOT_YET})
        return await findings_page(request, engagement, form, back, here, HTTP_400_BAD_REQUEST)
    people = await engagements.participants(engagement.id)
    sent, errors = forms.clean_finding(
        values, {p.invitation_id: p.name for p in people}, crime_type_codes(request)
    )
    if sent is None:
        return await findings_page(
            request, engagement, FormState(values, errors), back, here, HTTP_400_BAD_REQUEST
        )
    try:
        await services.record_finding(
            engagement.id,
            sent,
            signed_in_viewer(request).user_id,
            actor_of(request),
            settings_of(request).consent_renewal,
        )
    except services.QuoteRefused as refused:
        errors = {refused.field: str(refused)}
        return await findings_page(
            request, engagement, FormState(values, errors), back, here, HTTP_400_BAD_REQUEST
        )
    return Redirect(f"{here}?done=recorded", status_code=303)


class FacilitatorFindingsController(Controller):
    """A facilitator records findings of a session they run, once it has started."""

    path = "/facilitator/engagements/{engagement_id:int}/findings"
    opt = FACILITATORS_ONLY
    exception_handlers = {engagements.NoSuchEngagement: not_found}

    @get("/", name="findings:facilitator")
    async def show(
        self, request: Req, engagement_id: FromPath[int], done: FromQuery[str] = ""
    ) -> Template:
        engagement = await own_engagement(request, engagement_id)
        back = url_for(request, "engagements:facilitator_detail", engagement_id=engagement_id)
        here = url_for(request, "findings:facilitator", engagement_id=engagement_id)
        return await findings_page(request, engagement, FormState(), back, here, done=done)

    @post("/", name="findings:facilitator_record")
    async def record(self, request: Req, engagement_id: FromPath[int]) -> Response[Any]:
        engagement = await own_engagement(request, engagement_id)
        back = url_for(request, "engagements:facilitator_detail", engagement_id=engagement_id)
        here = url_for(request, "findings:facilitator", engagement_id=engagement_id)
        return await record(request, engagement, back, here)


class StaffFindingsController(Controller):
    """Staff record findings of any engagement, review every finding, and search the library."""

    path = "/staff"
    opt = STAFF
    exception_handlers = {
        engagements.NoSuchEngagement: not_found,
        services.NoSuchFinding: not_found,
    }

    @get("/engagements/{engagement_id:int}/findings", name="findings:staff")
    async def show(
        self, request: Req, engagement_id: FromPath[int], done: FromQuery[str] = ""
    ) -> Template:
        engagement = await engagements.engagement_record(engagement_id)
        back = url_for(request, "engagements:detail", engagement_id=engagement_id)
        here = url_for(request, "findings:staff", engagement_id=engagement_id)
        return await findings_page(request, engagement, FormState(), back, here, done=done)

    @post("/engagements/{engagement_id:int}/findings", name="findings:staff_record")
    async def record(self, request: Req, engagement_id: FromPath[int]) -> Response[Any]:
        engagement = await engagements.engagement_record(engagement_id)
        back = url_for(request, "engagements:detail", engagement_id=engagement_id)
        here = url_for(request, "findings:staff", engagement_id=engagement_id)
        return await record(request, engagement, back, here)

    @get("/findings", name="findings:review_queue")
    async def queue(self, request: Req, done: FromQuery[str] = "") -> Template:
        return await review_page(request, FormState(), done=done)

    @post("/findings/{finding_id:int}/review", name="findings:review")
    async def review(self, request: Req, finding_id: FromPath[int]) -> Response[Any]:
        values = await form_multi_values(request)
        decided, errors = forms.clean_review(values)
        if decided is None:
            # Each finding has its own reason box: the message goes beside this one's.
            form = FormState(
                values, {f"reason-{finding_id}": message for message in errors.values()}
            )
            return await review_page(request, form, HTTP_400_BAD_REQUEST)
        approve, reason = decided
        await services.review_finding(finding_id, approve, reason, actor_of(request))
        done = "approved" if approve else "not_approved"
        return Redirect(
            url_for(request, "findings:review_queue") + f"?done={done}", status_code=303
        )

    @get("/insights/rights", name="findings:heat_map")
    async def heat_map(self) -> Template:
        heat = await services.rights_heat_map([code for code, _ in VICTIMS_CODE_RIGHTS])
        return Template(
            "findings/heat_map.html",
            context={"heat": heat, "rights": RIGHT_LABELS, "level": heat_level},
        )

    @get("/insights/over-time", name="findings:over_time")
    async def over_time(self, request: Req, theme: FromQuery[str] = "") -> Template:
        options = theme_options(request)
        choices = [
            (f"{kind}:{code}", label)
            for kind in ("rights", "stages", "agencies", "crime_types")
            for code, label in options[kind]
        ]
        chosen = theme if theme in dict(choices) else ""
        kind, _, code = chosen.partition(":")
        counts = await services.over_time(kind, code)
        most = max((quarter.total for quarter in counts), default=0)
        return Template(
            "findings/over_time.html",
            context={
                "counts": counts,
                "scale": max(5, -(-most // 5) * 5),
                "choices": [("", "Every finding"), *choices],
                "form": FormState({"theme": chosen}),
                "chosen_label": dict(choices).get(chosen, ""),
            },
        )

    @get("/insights.csv", name="findings:export")
    async def export(self, request: Req) -> Response[str]:
        filters, _ = forms.clean_library_filters(query_values(request), crime_type_codes(request))
        found = await services.library_rows(filters)
        labels = theme_labels(request)
        return Response(
            services.findings_csv(found, labels),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="insight-library.csv"'},
        )

    @get("/insights", name="findings:library")
    async def library(self, request: Req, page: FromQuery[str] = "") -> Template:
        values = query_values(request)
        filters, errors = forms.clean_library_filters(values, crime_type_codes(request))
        found = await services.library(filters, page_number(page))
        actions_of = request.app.state.get(ACTIONS_OF_FINDINGS)
        actions = await actions_of([f.id for f in found.findings]) if actions_of else {}
        return Template(
            "findings/library.html",
            context={
                "found": found,
                "form": FormState(values, errors),
                "options": theme_options(request),
                "labels": theme_labels(request),
                "query_string": urlencode(
                    [
                        (key, value)
                        for key, sent in values.items()
                        if key != "page"
                        for value in sent
                    ]
                ),
                "waiting": await services.waiting_for_review(),
                "actions": actions,
            },
            status_code=HTTP_400_BAD_REQUEST if errors else 200,
        )


def heat_level(negative: int, most: int) -> int:
    """How dark a cell of the heat map is, 0 to 4, by its negative findings."""
    return 0 if not negative or not most else max(1, round(4 * negative / most))


class BoardFindingsController(Controller):
    """What the board sees of the insight library: counts only, small ones hidden."""

    path = "/board/insights"
    opt = REPORT_READERS

    @get("/", name="findings:board")
    async def board(self, request: Req) -> Template:
        heat = await services.rights_heat_map([code for code, _ in VICTIMS_CODE_RIGHTS])
        return Template(
            "findings/board.html",
            context={
                "report": services.board_rights(heat, settings_of(request).small_count_threshold),
                "rights": RIGHT_LABELS,
            },
        )


async def review_page(
    request: Req, form: FormState, status_code: int = 200, done: str = ""
) -> Template:
    return Template(
        "findings/review.html",
        context={
            "findings": await services.awaiting_review(),
            "form": form,
            "labels": theme_labels(request),
            "done": done,
        },
        status_code=status_code,
    )


async def own_engagement(request: Req, engagement_id: int) -> engagements.EngagementRecord:
    return await engagements.engagement_record(
        engagement_id, facilitator=signed_in_viewer(request).user_id
    )
