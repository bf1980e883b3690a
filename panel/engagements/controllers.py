"""The engagements' pages: staff plan focus groups and independent reviews, list them, move them
on and cancel them; a facilitator sees the engagements they run and no other. And the staff page of
a member's contact limits: each limit as it stands, do not contact, and the overrides that let one
more invitation through, granted with a reason and revocable."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from panel.accounts.access import FACILITATORS_ONLY, STAFF, actor_of, signed_in_viewer
from panel.engagements import forms, services
from panel.engagements.pool import Pool, eligible_pool
from panel.engagements.rules import (
    ANYONE,
    INVOLVEMENT_WANTED,
    JOURNEY_STAGES,
    MOVE_ON_WORDS,
    OVERRIDE_REASON_MAX_LENGTH,
    OVERRIDE_VALID_FOR,
    EngagementFormat,
    EngagementKind,
    EngagementStatus,
    ListFilters,
    RegisterMark,
    TransitionRefused,
    register_problem,
)
from panel.members.reference import DIMENSION_TITLES, TARGET_DIMENSIONS, ReferenceData, reference_of
from panel.members.services import NoSuchMember
from panel.notify.services import limits_of
from panel.settings import Settings
from panel.web.context import settings_of
from panel.web.errors import not_found
from panel.web.forms import (
    FormState,
    form_multi_values,
    form_values,
    one,
    page_number,
    query_values,
)
from panel.web.links import url_for

Req = Request[Any, Any, Any]


def zone_of(request: Req) -> ZoneInfo:
    return ZoneInfo(settings_of(request).time_zone)


def plan_options(reference: ReferenceData, facilitators: Mapping[int, str]) -> dict[str, Any]:
    """The choices the engagement form offers, as (code, label) pairs."""
    return {
        "kind": [(kind.value, kind.label) for kind in EngagementKind],
        "format": [(form_.value, form_.label) for form_ in EngagementFormat],
        "crime_types": [(choice.code, choice.label) for choice in reference.crime_types],
        "districts": [(choice.code, choice.label) for choice in reference.districts],
        "journey_stages": JOURNEY_STAGES,
        "involvement": INVOLVEMENT_WANTED,
        "facilitators": [(str(user_id), email) for user_id, email in facilitators.items()],
    }


async def plan_page(
    request: Req,
    form: FormState,
    engagement: services.EngagementRecord | None = None,
    status_code: int = 200,
) -> Template:
    """The form to plan a new engagement, or to change ``engagement``'s plan."""
    facilitators = await services.facilitator_choices()
    return Template(
        "engagements/plan.html",
        context={
            "form": form,
            "engagement": engagement,
            "options": plan_options(reference_of(request), facilitators),
        },
        status_code=status_code,
    )


async def detail_page(
    request: Req,
    engagement_id: int,
    done: str = "",
    problems: Sequence[str] = (),
    status_code: int = 200,
    partner_form: FormState | None = None,
) -> Template:
    engagement = await services.engagement_record(engagement_id)
    return Template(
        "engagements/detail.html",
        context={
            "engagement": engagement,
            "labels": plan_labels(reference_of(request)),
            "move_on_words": MOVE_ON_WORDS,
            "done": done,
            "problems": problems,
            "partners": await services.partners_of(engagement_id),
            "partner_form": partner_form or FormState(),
        },
        status_code=status_code,
    )


def plan_labels(reference: ReferenceData) -> dict[str, dict[str, str]]:
    """What each code of a plan reads as, by list."""
    return {
        "crime_types": {choice.code: choice.label for choice in reference.crime_types},
        "districts": {choice.code: choice.label for choice in reference.districts},
        "journey_stages": dict(JOURNEY_STAGES),
        "involvement": dict(INVOLVEMENT_WANTED),
    }


def to_engagement(request: Req, engagement_id: int, done: str) -> Redirect:
    path = url_for(request, "engagements:detail", engagement_id=engagement_id)
    return Redirect(f"{path}?done={done}", status_code=303)


def months_around(today: date, back: int = 12, ahead: int = 12) -> list[tuple[str, str]]:
    """The months the list can be filtered by: a year either side of this one."""
    first = today.replace(day=1)
    months = []
    for offset in range(-back, ahead + 1):
        year, month = divmod(first.month - 1 + offset, 12)
        day = date(first.year + year, month + 1, 1)
        months.append((f"{day:%Y-%m}", f"{day:%B %Y}"))
    return months


def list_options(today: date, facilitators: Mapping[int, str]) -> dict[str, Sequence[Any]]:
    anything = [("", "Any")]
    return {
        "status": anything + [(status.value, status.label) for status in EngagementStatus],
        "kind": anything + [(kind.value, kind.label) for kind in EngagementKind],
        "month": anything + months_around(today),
        "facilitator": anything
        + [(str(user_id), email) for user_id, email in facilitators.items()],
    }


def list_page_href(index: str, values: Mapping[str, Sequence[str]], page: int) -> str:
    query = {name: sent[0] for name, sent in values.items() if sent and sent[0] and name != "page"}
    return index + "?" + urlencode({**query, "page": page})


def make_up_tables(found: Pool, reference: ReferenceData) -> list[dict[str, Any]]:
    """For each dimension: its title, and each category with how many of the pool are in it."""
    tables = []
    for dimension in TARGET_DIMENSIONS:
        counts = found.make_up[dimension]
        rows = [(choice.label, counts[choice.code]) for choice in reference.choices_of(dimension)]
        rows.append(("Not stated", found.not_stated[dimension]))
        tables.append({"dimension": dimension, "title": DIMENSION_TITLES[dimension], "rows": rows})
    return tables


def left_out_groups(
    found: Pool, engagement: services.EngagementRecord, settings: Settings
) -> list[tuple[str, int]]:
    """The groups of the panel left out, largest first, each named: ("Paused", 41)."""
    limits = limits_of(settings)
    words = {
        "consent": engagement.plan.kind.consent_words,
        "sessions": f"{times(limits.max_sessions_per_year)} or more",
        "invitations": f"{times(limits.max_invitations_per_90_days)} or more",
        "cooldown": f"{limits.cooldown_days} days",
    }
    return [(reason.label(words), count) for reason, count in found.largest_groups_left_out]


def times(count: int) -> str:
    return {1: "once", 2: "twice"}.get(count, f"{count} times")


class EngagementsController(Controller):
    path = "/staff/engagements"
    opt = STAFF
    exception_handlers = {services.NoSuchEngagement: not_found}

    @get("/", name="engagements:index")
    async def index(self, request: Req) -> Template:
        values = query_values(request)
        zone = zone_of(request)
        facilitators = await services.facilitator_choices()
        wanted, errors = forms.clean_list_filters(values, facilitators.keys())
        found = None
        if wanted is not None:
            found = await services.list_engagements(wanted, page_number(one(values, "page")), zone)
        index = url_for(request, "engagements:index")
        return Template(
            "engagements/index.html",
            context={
                "form": FormState(values, errors),
                "found": found,
                "filtered": wanted is not None and wanted != ListFilters(),
                "options": list_options(datetime.now(zone).date(), facilitators),
                "page_href": lambda page: list_page_href(index, values, page),
            },
            status_code=200 if wanted is not None else 400,
        )

    @get("/new", name="engagements:new")
    async def new(self, request: Req) -> Template:
        return await plan_page(
            request, FormState({"eligible_involvement": [ANYONE], "reserves": ["2"]})
        )

    @post("/new", name="engagements:create")
    async def create(self, request: Req) -> Response[Any]:
        values = await form_multi_values(request)
        facilitators = await services.facilitator_choices()
        plan, errors = forms.clean_engagement(
            values, reference_of(request), facilitators.keys(), datetime.now(UTC), zone_of(request)
        )
        if plan is None:
            return await plan_page(request, FormState(values, errors), status_code=400)
        engagement_id = await services.create_engagement(plan, actor_of(request))
        return to_engagement(request, engagement_id, "created")

    @get("/{engagement_id:int}", name="engagements:detail")
    async def detail(
        self, request: Req, engagement_id: FromPath[int], done: FromQuery[str] = ""
    ) -> Template:
        return await detail_page(request, engagement_id, done)

    @get("/{engagement_id:int}/pool", name="engagements:pool")
    async def pool(self, request: Req, engagement_id: FromPath[int]) -> Template:
        engagement = await services.engagement_record(engagement_id)
        reference = reference_of(request)
        found = await eligible_pool(engagement_id, reference, settings_of(request))
        return Template(
            "engagements/pool.html",
            context={
                "engagement": engagement,
                "pool": found,
                "make_up": make_up_tables(found, reference),
                "left_out": left_out_groups(found, engagement, settings_of(request)),
            },
        )

    @get("/{engagement_id:int}/change", name="engagements:change")
    async def change(self, request: Req, engagement_id: FromPath[int]) -> Response[Any]:
        engagement = await services.engagement_record(engagement_id)
        if not engagement.may_be_changed:
            return to_engagement(request, engagement_id, "")
        values = forms.plan_values(engagement.plan, zone_of(request))
        return await plan_page(request, FormState(values), engagement)

    @post("/{engagement_id:int}/change", name="engagements:change_submit")
    async def change_submit(self, request: Req, engagement_id: FromPath[int]) -> Response[Any]:
        engagement = await services.engagement_record(engagement_id)
        values = await form_multi_values(request)
        facilitators = await services.facilitator_choices()
        plan, errors = forms.clean_engagement(
            values, reference_of(request), facilitators.keys(), datetime.now(UTC), zone_of(request)
        )
        if plan is None:
            return await plan_page(request, FormState(values, errors), engagement, 400)
        try:
            await services.change_engagement(
                engagement_id, plan, actor_of(request), settings_of(request)
            )
        except services.EngagementUnchangeable:
            problem = "It has been held or cancelled, so its plan can no longer change."
            return await detail_page(request, engagement_id, problems=[problem], status_code=409)
        return to_engagement(request, engagement_id, "changed")

    @post("/{engagement_id:int}/status", name="engagements:move_on")
    async def move_on(self, request: Req, engagement_id: FromPath[int]) -> Response[Any]:
        values = await form_values(request)
        wanted = next((s for s in EngagementStatus if s.value == values.get("to")), None)
        if wanted is None:
            problem = "Choose what happens next from the page."
            return await detail_page(request, engagement_id, problems=[problem], status_code=400)
        try:
            await services.move_on(engagement_id, wanted, actor_of(request))
        except TransitionRefused as refused:
            return await detail_page(
                request, engagement_id, problems=refused.problems, status_code=409
            )
        return to_engagement(request, engagement_id, wanted.value)

    @post("/{engagement_id:int}/partners", name="engagements:add_partner")
    async def add_partner(self, request: Req, engagement_id: FromPath[int]) -> Response[Any]:
        values = await form_values(request)
        partner, errors = forms.clean_partner(values)
        if partner is None:
            return await detail_page(
                request, engagement_id, partner_form=FormState(values, errors), status_code=400
            )
        try:
            await services.add_partner(engagement_id, *partner, actor_of(request))
        except services.PartnersRefused as refused:
            return await detail_page(
                request, engagement_id, problems=[str(refused)], status_code=409
            )
        return to_engagement(request, engagement_id, "partner_added")

    @post(
        "/{engagement_id:int}/partners/{partner_id:int}/remove",
        name="engagements:remove_partner",
    )
    async def remove_partner(
        self, request: Req, engagement_id: FromPath[int], partner_id: FromPath[int]
    ) -> Response[Any]:
        await form_values(request)
        try:
            await services.remove_partner(engagement_id, partner_id, actor_of(request))
        except services.PartnersRefused as refused:
            return await detail_page(
                request, engagement_id, problems=[str(refused)], status_code=409
            )
        return to_engagement(request, engagement_id, "partner_removed")

    @get("/{engagement_id:int}/cancel", name="engagements:cancel")
    async def cancel(self, request: Req, engagement_id: FromPath[int]) -> Response[Any]:
        engagement = await services.engagement_record(engagement_id)
        if not engagement.may_be_cancelled:
            return to_engagement(request, engagement_id, "")
        return cancel_page(engagement, FormState())

    @post("/{engagement_id:int}/cancel", name="engagements:cancel_submit")
    async def cancel_submit(self, request: Req, engagement_id: FromPath[int]) -> Response[Any]:
        engagement = await services.engagement_record(engagement_id)
        values = await form_multi_values(request)
        reason, errors = forms.clean_cancellation(values)
        if reason is None:
            return cancel_page(engagement, FormState(values, errors), status_code=400)
        try:
            await services.cancel_engagement(
                engagement_id, reason, actor_of(request), settings_of(request)
            )
        except TransitionRefused as refused:
            return await detail_page(
                request, engagement_id, problems=refused.problems, status_code=409
            )
        return to_engagement(request, engagement_id, "cancelled")


def cancel_page(
    engagement: services.EngagementRecord, form: FormState, status_code: int = 200
) -> Template:
    return Template(
        "engagements/cancel.html",
        context={"engagement": engagement, "form": form},
        status_code=status_code,
    )


class FacilitatorEngagementsController(Controller):
    """A facilitator's own engagements. Any other engagement is "not found" to them."""

    path = "/facilitator/engagements"
    opt = FACILITATORS_ONLY
    exception_handlers = {services.NoSuchEngagement: not_found}

    @get("/{engagement_id:int}", name="engagements:facilitator_detail")
    async def detail(
        self, request: Req, engagement_id: FromPath[int], done: FromQuery[str] = ""
    ) -> Template:
        engagement = await services.engagement_record(
            engagement_id, facilitator=signed_in_viewer(request).user_id
        )
        return await facilitator_page(request, engagement, FormState(), done=done)

    @post("/{engagement_id:int}/register", name="engagements:register")
    async def register(self, request: Req, engagement_id: FromPath[int]) -> Response[Any]:
        engagement = await services.engagement_record(
            engagement_id, facilitator=signed_in_viewer(request).user_id
        )
        values = await form_multi_values(request)
        people = await services.participants(engagement_id)
        marks, errors = forms.clean_register(
            values, {person.invitation_id: person.name for person in people}
        )
        if marks is None:
            return await facilitator_page(request, engagement, FormState(values, errors), 400)
        try:
            await services.take_register(engagement_id, marks, actor_of(request))
        except services.RegisterRefused as refused:
            errors = {"register": str(refused)}
            return await facilitator_page(request, engagement, FormState(values, errors), 409)
        path = url_for(request, "engagements:facilitator_detail", engagement_id=engagement_id)
        return Redirect(f"{path}?done=register", status_code=303)


async def facilitator_page(
    request: Req,
    engagement: services.EngagementRecord,
    form: FormState,
    status_code: int = 200,
    done: str = "",
) -> Template:
    """A facilitator's view of their session: what, where and when, support, and the people who
    accepted with what they need, and the register once the session has started."""
    people = await services.participants(engagement.id)
    if not form.values:
        form = FormState({f"register-{p.invitation_id}": [p.mark] for p in people if p.mark})
    register_problem_now = register_problem(
        engagement.status, engagement.plan.starts_at, datetime.now(UTC)
    )
    return Template(
        "engagements/facilitator_detail.html",
        context={
            "engagement": engagement,
            "partners": await services.partners_of(engagement.id),
            "labels": plan_labels(reference_of(request)),
            "participants": people,
            "form": form,
            "register_open": register_problem_now is None,
            "marks": [(mark.value, mark.label) for mark in RegisterMark],
            "done": done,
        },
        status_code=status_code,
    )


def limits_page(
    found: services.MemberContactLimits, form: FormState, done: str = "", status_code: int = 200
) -> Template:
    return Template(
        "engagements/contact_limits.html",
        context={
            "member": found,
            "form": form,
            "done": done,
            "override_days": OVERRIDE_VALID_FOR.days,
            "reason_max_length": OVERRIDE_REASON_MAX_LENGTH,
        },
        status_code=status_code,
    )


def back_to_limits(request: Req, member_id: int, done: str) -> Redirect:
    """To the member's contact limits, which say what was done."""
    path = url_for(request, "engagements:contact_limits", member_id=member_id)
    return Redirect(f"{path}?done={done}", status_code=303)


class ContactLimitsController(Controller):
    path = "/staff/members/{member_id:int}/contact-limits"
    opt = STAFF
    exception_handlers = {
        NoSuchMember: not_found,
        services.NoSuchOverride: not_found,
    }

    @get("/", name="engagements:contact_limits")
    async def show(
        self, request: Req, member_id: FromPath[int], done: FromQuery[str] = ""
    ) -> Template:
        found = await services.open_member_contact_limits(
            member_id, settings_of(request), actor_of(request)
        )
        return limits_page(found, FormState(), done=done)

    @post("/", name="engagements:grant_override")
    async def grant(self, request: Req, member_id: FromPath[int]) -> Response[Any]:
        values = await form_values(request)
        reason, errors = forms.clean_override(values)
        if reason is not None:
            try:
                await services.grant_override(member_id, reason, actor_of(request))
            except services.OverrideRefused as refused:
                errors = {"reason": str(refused)}
            else:
                return back_to_limits(request, member_id, "granted")
        found = await services.member_contact_limits(member_id, settings_of(request))
        return limits_page(found, FormState(values, errors), status_code=400)

    @post("/overrides/{override_id:int}/revoke", name="engagements:revoke_override")
    async def revoke(
        self, request: Req, member_id: FromPath[int], override_id: FromPath[int]
    ) -> Response[Any]:
        await services.revoke_override(member_id, override_id, actor_of(request))
        return back_to_limits(request, member_id, "revoked")
