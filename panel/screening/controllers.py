"""Staff screening pages: the queue of applicants, one application with its decisions, and the
list of reasons an application can be declined for."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from panel.accounts.access import STAFF, actor_of
from panel.members.reference import reference_of
from panel.members.services import NoSuchMember
from panel.notify.rules import GateOutcome
from panel.screening import forms, services
from panel.web.context import settings_of
from panel.web.errors import not_found
from panel.web.forms import FormState, form_values
from panel.web.links import url_for

Req = Request[Any, Any, Any]


def decision_refused(request: Req, exc: services.DecisionRefused) -> Response[Any]:
    return Template(
        "screening/refused.html",
        context={"member_id": exc.member_id, "message": exc.message},
        status_code=409,
    )


def decided(request: Req, decision: str, outcome: GateOutcome) -> Redirect:
    return Redirect(
        url_for(request, "screening:queue") + f"?done={decision}&told={outcome.value}",
        status_code=303,
    )


class ScreeningController(Controller):
    path = "/staff/applications"
    opt = STAFF
    exception_handlers = {
        NoSuchMember: not_found,
        services.DecisionRefused: decision_refused,
    }

    @get("/", name="screening:queue")
    async def queue(
        self, request: Req, done: FromQuery[str] = "", told: FromQuery[str] = ""
    ) -> Template:
        entries = await services.screening_queue(reference_of(request))
        return Template(
            "screening/queue.html", context={"entries": entries, "done": done, "told": told}
        )

    async def application_with_errors(
        self, request: Req, member_id: int, form: FormState
    ) -> Template:
        application = await services.load_application(
            member_id, reference_of(request), settings_of(request)
        )
        return Template(
            "screening/application.html",
            context={"application": application, "form": form},
            status_code=400,
        )

    @get("/{member_id:int}", name="screening:application")
    async def application(self, request: Req, member_id: FromPath[int]) -> Template:
        application = await services.open_application(
            member_id, reference_of(request), settings_of(request), actor_of(request)
        )
        return Template(
            "screening/application.html",
            context={"application": application, "form": FormState()},
        )

    @post("/{member_id:int}/approve", name="screening:approve")
    async def approve(self, request: Req, member_id: FromPath[int]) -> Response[Any]:
        seen = forms.seen_decision(await form_values(request))
        outcome = await services.approve(member_id, seen, actor_of(request), settings_of(request))
        return decided(request, "approved", outcome)

    @post("/{member_id:int}/decline", name="screening:decline")
    async def decline(self, request: Req, member_id: FromPath[int]) -> Response[Any]:
        values = await form_values(request)
        cleaned, errors = forms.clean_decline(values)
        if cleaned is not None:
            try:
                outcome = await services.decline(
                    member_id,
                    cleaned.reason_id,
                    cleaned.note,
                    cleaned.seen,
                    actor_of(request),
                    settings_of(request),
                )
            except services.ReasonNotOffered:
                errors = {"reason": "Select one of the reasons on the list"}
            else:
                return decided(request, "declined", outcome)
        return await self.application_with_errors(request, member_id, FormState(values, errors))

    @post("/{member_id:int}/more-information", name="screening:more_information")
    async def more_information(self, request: Req, member_id: FromPath[int]) -> Response[Any]:
        values = await form_values(request)
        cleaned, errors = forms.clean_more_information(values)
        if cleaned is None:
            return await self.application_with_errors(request, member_id, FormState(values, errors))
        outcome = await services.ask_for_more_information(
            member_id, cleaned.message, cleaned.seen, actor_of(request), settings_of(request)
        )
        return decided(request, "more_info", outcome)


class DeclineReasonsController(Controller):
    path = "/staff/applications/reasons"
    opt = STAFF
    exception_handlers = {services.ReasonNotFound: not_found}

    async def reasons_page(
        self, form: FormState | None = None, done: str = "", status_code: int = 200
    ) -> Template:
        return Template(
            "screening/reasons.html",
            context={
                "reasons": await services.decline_reasons(),
                "form": form or FormState(),
                "done": done,
            },
            status_code=status_code,
        )

    @get("/", name="screening:reasons")
    async def index(self, done: FromQuery[str] = "") -> Template:
        return await self.reasons_page(done=done)

    @post("/", name="screening:reason_add")
    async def add(self, request: Req) -> Response[Any]:
        values = await form_values(request)
        text, errors = forms.clean_reason_text(values)
        if text is None:
            return await self.reasons_page(FormState(values, errors), status_code=400)
        await services.add_decline_reason(text, actor_of(request))
        return Redirect(url_for(request, "screening:reasons") + "?done=added", status_code=303)

    @get("/{reason_id:int}", name="screening:reason")
    async def edit(self, reason_id: FromPath[int]) -> Template:
        reason = await services.decline_reason(reason_id)
        return Template(
            "screening/reason.html",
            context={"reason": reason, "form": FormState({"text": reason["text"]})},
        )

    @post("/{reason_id:int}", name="screening:reason_reword")
    async def reword(self, request: Req, reason_id: FromPath[int]) -> Response[Any]:
        values = await form_values(request)
        text, errors = forms.clean_reason_text(values)
        if text is None:
            return Template(
                "screening/reason.html",
                context={
                    "reason": await services.decline_reason(reason_id),
                    "form": FormState(values, errors),
                },
                status_code=400,
            )
        await services.reword_decline_reason(reason_id, text, actor_of(request))
        return Redirect(url_for(request, "screening:reasons") + "?done=reworded", status_code=303)

    @post("/{reason_id:int}/retire", name="screening:reason_retire")
    async def retire(self, request: Req, reason_id: FromPath[int]) -> Response[Any]:
        await services.offer_decline_reason(reason_id, False, actor_of(request))
        return Redirect(url_for(request, "screening:reasons") + "?done=retired", status_code=303)

    @post("/{reason_id:int}/restore", name="screening:reason_restore")
    async def restore(self, request: Req, reason_id: FromPath[int]) -> Response[Any]:
        await services.offer_decline_reason(reason_id, True, actor_of(request))
        return Redirect(url_for(request, "screening:reasons") + "?done=restored", status_code=303)
