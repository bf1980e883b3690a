"""The staff page of a member's contact limits: each limit as it stands, do not contact, and the
overrides that let one more invitation through, granted with a reason and revocable."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from panel.accounts.access import STAFF, actor_of
from panel.engagements import forms, services
from panel.engagements.rules import OVERRIDE_REASON_MAX_LENGTH, OVERRIDE_VALID_FOR
from panel.members.services import NoSuchMember
from panel.web.context import settings_of
from panel.web.errors import not_found
from panel.web.forms import FormState, form_values
from panel.web.links import url_for

Req = Request[Any, Any, Any]


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
