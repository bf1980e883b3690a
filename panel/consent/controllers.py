"""The staff page of a member's consents: what they agreed to now, the full history, and recording a
consent they gave or withdrew by phone, on paper or by email."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from panel.accounts.access import STAFF, actor_of
from panel.consent import forms, services
from panel.consent.rules import CHANNEL_LABELS
from panel.members.services import NoSuchMember
from panel.web.context import settings_of
from panel.web.errors import not_found
from panel.web.forms import FormState, form_values
from panel.web.links import url_for

Req = Request[Any, Any, Any]


def consent_page(
    found: services.MemberConsents, form: FormState, done: str = "", status_code: int = 200
) -> Template:
    return Template(
        "consent/staff_record.html",
        context={
            "member": found,
            "form": form,
            "done": done,
            "purpose_options": [(c.purpose.value, c.title) for c in found.consents],
            "given_options": forms.GIVEN_OPTIONS,
            "channel_options": forms.STAFF_CHANNELS,
            "channel_labels": CHANNEL_LABELS,
        },
        status_code=status_code,
    )


class StaffConsentController(Controller):
    path = "/staff/members/{member_id:int}/consent"
    opt = STAFF
    exception_handlers = {NoSuchMember: not_found}

    @get("/", name="consent:staff_record")
    async def show(
        self, request: Req, member_id: FromPath[int], done: FromQuery[str] = ""
    ) -> Template:
        found = await services.open_member_consents(
            member_id, actor_of(request), renewal=settings_of(request).consent_renewal
        )
        return consent_page(found, FormState(), done=done)

    @post("/", name="consent:staff_record_submit")
    async def record(self, request: Req, member_id: FromPath[int]) -> Response[Any]:
        values = await form_values(request)
        cleaned, errors = forms.clean_staff_consent(values)
        if cleaned is not None:
            try:
                await services.record_consent_by_staff(
                    member_id,
                    cleaned.purpose,
                    cleaned.given,
                    cleaned.channel,
                    cleaned.attestation,
                    actor_of(request),
                )
            except services.ConsentError as error:
                errors = {"purpose": str(error)}
            else:
                return Redirect(
                    url_for(request, "consent:staff_record", member_id=member_id)
                    + "?done=recorded",
                    status_code=303,
                )
        found = await services.member_consents(
            member_id, renewal=settings_of(request).consent_renewal
        )
        return consent_page(found, FormState(values, errors), status_code=400)
